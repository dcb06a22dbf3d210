/** Viewers that parse what they show: CSV as a table, MLmodel with its signature, plotly figures live. */
import Papa from 'papaparse'
import { useMemo } from 'preact/hooks'
import { parse as parseYaml } from 'yaml'
import { usePlot } from '../charts/use-plot.ts'

const MAX_CSV_ROWS = 1000

/** A CSV (or TSV) as a table: header row sticky, the first MAX_CSV_ROWS rows. */
export function CsvViewer({ text, tab }: { text: string; tab: boolean }) {
  const parsed = useMemo(() => Papa.parse<string[]>(text, { delimiter: tab ? '\t' : '', skipEmptyLines: true, preview: MAX_CSV_ROWS + 1 }), [text, tab])
  const [header = [], ...rows] = parsed.data
  const total = useMemo(() => text.split('\n').filter(line => line.trim()).length - 1, [text])
  return (
    <div>
      <p class="muted">{total.toLocaleString()} rows × {header.length} columns{total > MAX_CSV_ROWS ? ` — showing the first ${MAX_CSV_ROWS.toLocaleString()}` : ''}</p>
      <div class="csv-wrap">
        <table class="csv-table">
          <thead><tr>{header.map((cell, index) => <th key={index} scope="col">{cell}</th>)}</tr></thead>
          <tbody>{rows.slice(0, MAX_CSV_ROWS).map((row, index) => <tr key={index}>{row.map((cell, at) => <td key={at}>{cell}</td>)}</tr>)}</tbody>
        </table>
      </div>
    </div>
  )
}

interface TensorSpec { type?: string; name?: string; 'tensor-spec'?: { dtype?: string; shape?: number[] }; required?: boolean }

function parseSchema(value: unknown): TensorSpec[] | undefined {
  if (typeof value !== 'string') return Array.isArray(value) ? value as TensorSpec[] : undefined
  try { return JSON.parse(value) as TensorSpec[] } catch { return undefined }
}

function SchemaTable({ title, specs }: { title: string; specs: TensorSpec[] | undefined }) {
  if (!specs) return null
  return (
    <>
      <h3 class="schema-title">{title}</h3>
      <table class="data-table" aria-label={`Signature ${title.toLowerCase()}`}>
        <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Dtype</th><th scope="col">Shape</th></tr></thead>
        <tbody>
          {specs.map((spec, index) => (
            <tr key={index}>
              <td>{spec.name ?? <span class="muted">—</span>}</td>
              <td>{spec.type ?? ''}</td>
              <td><code>{spec['tensor-spec']?.dtype ?? (spec.type !== 'tensor' ? spec.type : '')}</code></td>
              <td><code>{spec['tensor-spec']?.shape ? `(${spec['tensor-spec'].shape.join(', ')})` : ''}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

/** An MLmodel file: flavors, ids and the signature as tables, with the raw YAML below. */
export function MlmodelViewer({ text }: { text: string }) {
  const model = useMemo(() => { try { return parseYaml(text) as Record<string, unknown> } catch { return undefined } }, [text])
  if (!model || typeof model !== 'object') return <pre class="code-view">{text}</pre>
  const signature = model.signature as { inputs?: unknown; outputs?: unknown } | undefined
  const flavors = Object.keys((model.flavors as object | undefined) ?? {})
  return (
    <div class="mlmodel">
      <dl class="details">
        <dt>Flavors</dt><dd>{flavors.map(flavor => <span key={flavor} class="chip">{flavor}</span>)}</dd>
        {model.run_id !== undefined && <><dt>Run ID</dt><dd><code>{String(model.run_id)}</code></dd></>}
        {model.model_uuid !== undefined && <><dt>Model UUID</dt><dd><code>{String(model.model_uuid)}</code></dd></>}
        {model.utc_time_created !== undefined && <><dt>Created</dt><dd>{String(model.utc_time_created)}</dd></>}
      </dl>
      {signature ? <>
        <SchemaTable title="Inputs" specs={parseSchema(signature.inputs)} />
        <SchemaTable title="Outputs" specs={parseSchema(signature.outputs)} />
      </> : <p class="muted">This model has no signature.</p>}
      <details><summary>MLmodel file</summary><pre class="code-view">{text}</pre></details>
    </div>
  )
}

/** A plotly figure artifact, interactive. Traces outside our partial bundle are reported, not drawn. */
export function PlotlyFigureViewer({ figure }: { figure: { data: Record<string, unknown>[]; layout?: Record<string, unknown> } }) {
  const root = usePlot(base => ({
    data: figure.data,
    layout: { ...base, showlegend: figure.data.length > 1, margin: { l: 60, r: 20, t: 40, b: 50 }, ...figure.layout },
  }), [figure])
  const unsupported = [...new Set(figure.data.map(trace => String(trace.type ?? 'scatter')).filter(type => !['scatter', 'bar', 'heatmap'].includes(type)))]
  return (
    <div>
      {unsupported.length > 0 && <p class="banner banner-warning">Trace types not bundled in this app: {unsupported.join(', ')}. The figure's JSON is below.</p>}
      <div ref={root} class="plot-figure" />
    </div>
  )
}
