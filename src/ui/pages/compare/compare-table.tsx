/** Side-by-side params, metrics, tags and attributes of the compared runs, with a "differences only" switch. */
import { useState } from 'preact/hooks'
import type { Run } from '../../../index.ts'
import { formatDuration, formatNumber, formatTime, runDuration } from '../../format.ts'
import { TAGS } from '../../lablog.ts'

interface Row { key: string; values: string[] }
interface Group { title: string; rows: Row[] }

function groupsFor(runs: Run[]): Group[] {
  const keysOf = (pick: (run: Run) => Record<string, unknown>, skipSystem = false) =>
    [...new Set(runs.flatMap(run => Object.keys(pick(run))))].filter(key => !skipSystem || !key.startsWith('mlflow.')).sort((a, b) => a.localeCompare(b))
  return [
    { title: 'Attributes', rows: [
      { key: 'Status', values: runs.map(run => run.info.status) },
      { key: 'Started', values: runs.map(run => formatTime(run.info.startTime)) },
      { key: 'Duration', values: runs.map(run => formatDuration(runDuration(run.info.startTime, run.info.endTime))) },
      { key: 'User', values: runs.map(run => run.data.tags[TAGS.user] ?? run.info.userId) },
      { key: 'Source', values: runs.map(run => run.data.tags[TAGS.sourceName] ?? '') },
    ] },
    { title: 'Parameters', rows: keysOf(run => run.data.params).map(key => ({ key, values: runs.map(run => run.data.params[key] ?? '') })) },
    { title: 'Metrics (last value)', rows: keysOf(run => run.data.metrics).map(key => ({ key, values: runs.map(run => formatNumber(run.data.metrics[key])) })) },
    { title: 'Tags', rows: keysOf(run => run.data.tags, true).map(key => ({ key, values: runs.map(run => run.data.tags[key] ?? '') })) },
  ]
}

const differs = (row: Row) => row.values.some(value => value !== row.values[0])

export function CompareTable({ runs, colors }: { runs: Run[]; colors: string[] }) {
  const [differencesOnly, setDifferencesOnly] = useState(false)
  const groups = groupsFor(runs)
  return (
    <section class="section" aria-labelledby="compare-table-title">
      <div class="section-head">
        <h2 id="compare-table-title">Side by side</h2>
        <label class="check-label"><input type="checkbox" role="switch" checked={differencesOnly} onChange={event => setDifferencesOnly(event.currentTarget.checked)} /> Differences only</label>
      </div>
      <div class="csv-wrap">
        <table class="data-table compare-table" style={{ minWidth: `${200 + runs.length * 160}px` }}>
          <thead>
            <tr>
              <th scope="col" style={{ width: '200px' }}>Field</th>
              {runs.map((run, index) => (
                <th key={run.info.runId} scope="col"><span class="run-swatch" style={{ background: colors[index], display: 'inline-block', marginRight: '6px' }} />
                  <a href={`#/runs/${encodeURIComponent(run.info.runId)}`}>{run.info.runName}</a></th>
              ))}
            </tr>
          </thead>
          {groups.map(group => {
            const rows = differencesOnly ? group.rows.filter(differs) : group.rows
            if (rows.length === 0) return null
            return (
              <tbody key={group.title}>
                <tr class="row-group"><th colSpan={runs.length + 1} scope="rowgroup">{group.title}</th></tr>
                {rows.map(row => {
                  const different = differs(row)
                  return (
                    <tr key={row.key} data-differs={different}>
                      <th scope="row" class="kv-key" title={row.key}>{row.key}</th>
                      {row.values.map((value, index) => <td key={index} class={different ? 'differs kv-value' : 'kv-value'} title={value}>{value}</td>)}
                    </tr>
                  )
                })}
              </tbody>
            )
          })}
        </table>
      </div>
    </section>
  )
}
