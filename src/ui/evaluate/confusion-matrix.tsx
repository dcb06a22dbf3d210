/**
 * The confusion matrix as a keyboard-operable heatmap of buttons: choosing a cell lists the rows of that
 * (true, predicted) pair — features, true and predicted label — read from eval_results_table.json, as text.
 */
import { useMemo, useState } from 'preact/hooks'
import { formatNumber } from '../format.ts'

/** `eval_results_table.json` as `mlflow.log_table` writes it. */
export interface ResultsTable { columns: string[]; data: unknown[][] }

/** The listed rows stop here: enough to inspect, few enough to render at once. */
const MAX_LISTED_ROWS = 500

const labelText = (value: unknown) => (typeof value === 'number' ? formatNumber(value) : String(value ?? ''))

/** Counts per (true, predicted) over sorted labels (the matrix MLflow draws), with the two columns' positions. */
export function confusionCounts(table: ResultsTable, targetColumn: string, predictionColumn: string, labelList?: readonly unknown[]) {
  const t = table.columns.indexOf(targetColumn), p = table.columns.indexOf(predictionColumn)
  const seen = new Set<string>(labelList?.map(String))
  for (const row of table.data) { seen.add(labelText(row[t])); seen.add(labelText(row[p])) }
  const labels = [...seen].sort((a, b) => (Number.isNaN(Number(a)) || Number.isNaN(Number(b)) ? a.localeCompare(b) : Number(a) - Number(b)))
  const index = new Map(labels.map((label, at) => [label, at]))
  const counts = labels.map(() => labels.map(() => 0))
  table.data.forEach(row => { counts[index.get(labelText(row[t]))!]![index.get(labelText(row[p]))!]! += 1 })
  return { labels, counts, targetIndex: t, predictionIndex: p }
}

export function ConfusionMatrix({ table, targetColumn, predictionColumn, labelList, classNames }: {
  table: ResultsTable; targetColumn: string; predictionColumn: string; labelList?: readonly unknown[]
  /** Names of labels 0..k-1, shown beside the indices when training mapped text labels. */
  classNames?: readonly string[]
}) {
  const named = (label: string | undefined) => (label !== undefined && classNames?.[Number(label)] !== undefined ? `${label} · ${classNames[Number(label)]}` : label ?? '')
  const { labels, counts, targetIndex, predictionIndex } = useMemo(() => confusionCounts(table, targetColumn, predictionColumn, labelList), [table, targetColumn, predictionColumn, labelList])
  const [chosen, setChosen] = useState<[number, number]>()
  const max = Math.max(1, ...counts.flat())
  const rows = useMemo(() => {
    if (!chosen) return []
    const [truth, predicted] = chosen
    const listed: Array<{ index: number; row: unknown[] }> = []
    table.data.forEach((row, index) => {
      if (labelText(row[targetIndex]) === labels[truth] && labelText(row[predictionIndex]) === labels[predicted]) listed.push({ index, row })
    })
    return listed
  }, [chosen, table, labels, targetIndex, predictionIndex])
  const featureColumns = table.columns.map((name, at) => ({ name, at })).filter(({ at }) => at !== targetIndex && at !== predictionIndex)

  return (
    <div class="confusion">
      <div class="cm-wrap">
        <table class="cm" aria-label="Confusion matrix: rows are true labels, columns predicted labels">
          <thead>
            <tr><th /><th colSpan={labels.length} class="cm-axis" scope="colgroup">Predicted</th></tr>
            <tr><th class="cm-axis" scope="col">True</th>{labels.map(label => <th key={label} scope="col">{named(label)}</th>)}</tr>
          </thead>
          <tbody>
            {labels.map((truth, row) => (
              <tr key={truth}>
                <th scope="row">{named(truth)}</th>
                {labels.map((predicted, column) => {
                  const count = counts[row]![column]!
                  const share = count / max
                  const pressed = chosen?.[0] === row && chosen[1] === column
                  return (
                    <td key={predicted}>
                      <button type="button" class={`cm-cell${share > 0.55 ? ' cm-strong' : ''}${row === column ? ' cm-diagonal' : ''}`} aria-pressed={pressed}
                        aria-label={`True ${truth}, predicted ${predicted}: ${count} rows`}
                        style={{ background: count === 0 ? 'var(--surface-2)' : `color-mix(in srgb, var(--accent) ${Math.round(12 + share * 88)}%, var(--surface))` }}
                        onClick={() => setChosen(pressed ? undefined : [row, column])}>{count}</button>
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!chosen ? <p class="muted">Choose a cell to list its rows{counts.some((line, row) => line.some((count, column) => row !== column && count > 0)) ? ' — the off-diagonal ones are the misclassified rows' : ''}.</p> : (
        <div class="cm-listing" aria-live="polite">
          <h3 class="section-title">{rows.length} row{rows.length === 1 ? '' : 's'} with true {named(labels[chosen[0]])}, predicted {named(labels[chosen[1]])}
            {chosen[0] !== chosen[1] && <span class="muted"> (misclassified)</span>}</h3>
          {rows.length > 0 && (
            <div class="cm-rows">
              <table aria-label="Rows of the chosen cell">
                <thead><tr><th scope="col">Row</th>{featureColumns.map(({ name }) => <th key={name} scope="col">{name}</th>)}<th scope="col">True</th><th scope="col">Predicted</th></tr></thead>
                <tbody>
                  {rows.slice(0, MAX_LISTED_ROWS).map(({ index, row }) => (
                    <tr key={index}>
                      <td>{index}</td>
                      {featureColumns.map(({ name, at }) => <td key={name}>{labelText(row[at])}</td>)}
                      <td>{labelText(row[targetIndex])}</td><td>{labelText(row[predictionIndex])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {rows.length > MAX_LISTED_ROWS && <p class="muted">Showing the first {MAX_LISTED_ROWS} of {rows.length}.</p>}
        </div>
      )}
    </div>
  )
}
