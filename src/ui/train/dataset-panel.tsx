/** The Train page's data section: a built-in dataset or an uploaded CSV (columns, label, task), and the validation split. */
import { useState } from 'preact/hooks'
import { BUILTIN_DATASETS, type BuiltinDatasetName, parseCsvTable } from '../../index.ts'
import { describeError } from '../errors.ts'
import { type DatasetChoice, type Task, csvChoiceProblem, defaultLabelColumn, guessTask, isNumericColumn, shapeOf } from './dataset-choice.ts'

type CsvChoice = Extract<DatasetChoice, { kind: 'csv' }>

/** Up to this many bytes are read from an upload: the whole table is held in memory for training. */
const MAX_CSV_BYTES = 50 * 1024 * 1024

function CsvColumns({ choice, onChange }: { choice: CsvChoice; onChange: (choice: CsvChoice) => void }) {
  const { table } = choice
  const setLabel = (label: string) => onChange({ ...choice, label, task: guessTask(table, label), features: table.columns.filter(name => name !== label && isNumericColumn(table, name)) })
  const toggle = (name: string, on: boolean) => onChange({ ...choice, features: table.columns.filter(column => (column === name ? on : choice.features.includes(column))) })
  return (
    <>
      <div class="form-row">
        <label class="field"><span class="field-label">Label column</span>
          <select class="input" value={choice.label} onChange={event => setLabel(event.currentTarget.value)}>
            {table.columns.map(name => <option key={name} value={name}>{name}</option>)}
          </select>
        </label>
        <label class="field"><span class="field-label">Task</span>
          <select class="input" value={choice.task} onChange={event => onChange({ ...choice, task: event.currentTarget.value as Task })}>
            <option value="classification">Classification</option>
            <option value="regression">Regression</option>
          </select>
        </label>
      </div>
      <fieldset class="field column-checks">
        <legend class="field-label">Feature columns <span class="muted">({choice.features.length} of {table.columns.length - 1})</span></legend>
        <div class="column-check-grid">
          {table.columns.filter(name => name !== choice.label).map(name => {
            const numeric = isNumericColumn(table, name)
            return (
              <label key={name} class="check-label" title={numeric ? name : `${name} holds text: models take numbers only`}>
                <input type="checkbox" checked={choice.features.includes(name)} disabled={!numeric && !choice.features.includes(name)}
                  onChange={event => toggle(name, event.currentTarget.checked)} />
                <span>{name}</span>{!numeric && <span class="muted"> (text)</span>}
              </label>
            )
          })}
        </div>
      </fieldset>
    </>
  )
}

/**
 * The data section. `choice` is undefined while "Upload CSV" is chosen and no file is read yet.
 * `validationSplit` is the fraction of rows held out for val_ metrics.
 */
export function DatasetPanel({ choice, onChange, validationSplit, onValidationSplit }: {
  choice: DatasetChoice | undefined; onChange: (choice: DatasetChoice | undefined) => void
  validationSplit: number; onValidationSplit: (value: number) => void
}) {
  const [csvError, setCsvError] = useState<string>()
  const [lastCsv, setLastCsv] = useState<CsvChoice>()
  const [lastBuiltin, setLastBuiltin] = useState<BuiltinDatasetName>(choice?.kind === 'builtin' ? choice.name : 'iris')
  const source = choice?.kind === 'builtin' ? 'builtin' : 'csv'

  const upload = async (file: File | undefined) => {
    if (!file) return
    setCsvError(undefined)
    try {
      if (file.size > MAX_CSV_BYTES) throw new Error(`${file.name} is larger than 50 MB; training holds the whole table in memory.`)
      const table = parseCsvTable(await file.text())
      const label = defaultLabelColumn(table)
      const next: CsvChoice = { kind: 'csv', fileName: file.name.replace(/\.[^.]*$/, ''), table, label, task: guessTask(table, label),
        features: table.columns.filter(name => name !== label && isNumericColumn(table, name)) }
      setLastCsv(next)
      onChange(next)
    } catch (error) { setCsvError(describeError(error)) }
  }
  const csvChanged = (next: CsvChoice) => { setLastCsv(next); onChange(next) }
  const problem = choice?.kind === 'csv' ? csvChoiceProblem(choice) : undefined
  const shape = choice ? shapeOf(choice) : undefined

  return (
    <section class="train-section" aria-labelledby="data-heading">
      <h2 id="data-heading">Data</h2>
      <div class="segmented" role="radiogroup" aria-label="Data source">
        <button type="button" role="radio" aria-checked={source === 'builtin'} onClick={() => onChange({ kind: 'builtin', name: lastBuiltin })}>Built-in dataset</button>
        <button type="button" role="radio" aria-checked={source === 'csv'} onClick={() => onChange(lastCsv)}>Upload CSV</button>
      </div>
      {choice?.kind === 'builtin' ? (
        <label class="field field-spaced"><span class="field-label">Dataset</span>
          <select class="input" value={choice.name} onChange={event => { const name = event.currentTarget.value as BuiltinDatasetName; setLastBuiltin(name); onChange({ kind: 'builtin', name }) }}>
            {Object.values(BUILTIN_DATASETS).map(info => <option key={info.name} value={info.name}>{info.name} — {info.rows} rows, {info.task}</option>)}
          </select>
          <span class="field-hint">{BUILTIN_DATASETS[choice.name].description}</span>
        </label>
      ) : (
        <div class="field-spaced">
          <label class="field"><span class="field-label">CSV file (header row, one row per example)</span>
            <input class="input input-file" type="file" accept=".csv,.tsv,text/csv" onChange={event => void upload(event.currentTarget.files?.[0])} />
          </label>
          {csvError && <p class="form-error" role="alert">{csvError}</p>}
          {choice?.kind === 'csv' && <>
            <p class="field-hint">{choice.fileName}: {choice.table.rowCount.toLocaleString()} rows × {choice.table.columns.length} columns</p>
            <CsvColumns choice={choice} onChange={csvChanged} />
            {problem && <p class="form-error" role="alert">{problem}</p>}
            {shape?.classNames && <p class="field-hint">Classes: {shape.classNames.map((name, index) => `${name} → ${index}`).join(', ')}</p>}
          </>}
        </div>
      )}
      <label class="field"><span class="field-label">Validation split · <span class="muted">{Math.round(validationSplit * 100)}% of rows held out</span></span>
        <input type="range" min={0} max={0.5} step={0.05} value={validationSplit} aria-valuetext={`${Math.round(validationSplit * 100)} percent`}
          onInput={event => onValidationSplit(Number(event.currentTarget.value))} />
      </label>
    </section>
  )
}
