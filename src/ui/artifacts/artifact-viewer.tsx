/**
 * Shows one artifact with the viewer its name calls for. Content is only ever text (escaped by
 * Preact), a blob: URL in <img>, or — for HTML and SVG — a sandboxed iframe that cannot run script.
 */
import type { ComponentChildren } from 'preact'
import { useEffect, useMemo, useState } from 'preact/hooks'
import type { FileInfo } from '../../index.ts'
import { Markdown } from '../components/markdown.tsx'
import { describeError } from '../errors.ts'
import { formatBytes } from '../format.ts'
import { useAsync } from '../hooks/use-async.ts'
import { client } from '../lablog.ts'
import { RegisterModelButton } from '../models/register-model-button.tsx'
import { CsvViewer, MlmodelViewer, PlotlyFigureViewer } from './structured-viewers.tsx'
import { extensionOf, isPlotlyFigure, mimeTypeFor, viewerKindFor } from './viewer-kind.ts'

/** Text beyond this is cut: a browser tab should not choke on a 500 MB log. */
const MAX_TEXT_BYTES = 2 * 1024 * 1024

function useObjectUrl(blob: Blob | undefined, type: string): string | undefined {
  const url = useMemo(() => (blob ? URL.createObjectURL(new Blob([blob], { type })) : undefined), [blob, type])
  useEffect(() => () => { if (url) URL.revokeObjectURL(url) }, [url])
  return url
}

async function readText(blob: Blob): Promise<{ text: string; truncated: boolean }> {
  const truncated = blob.size > MAX_TEXT_BYTES
  return { text: await (truncated ? blob.slice(0, MAX_TEXT_BYTES) : blob).text(), truncated }
}

function TextContent({ blob, render }: { blob: Blob; render: (text: string) => ComponentChildren }) {
  const text = useAsync(() => readText(blob), [blob])
  if (text.error) return <p class="form-error">{describeError(text.error)}</p>
  if (!text.value) return <p class="muted">Reading…</p>
  return <>
    {text.value.truncated && <p class="banner banner-warning">Showing the first {formatBytes(MAX_TEXT_BYTES)} of {formatBytes(blob.size)}. Download the file to see all of it.</p>}
    {render(text.value.text)}
  </>
}

function JsonContent({ text }: { text: string }) {
  const [raw, setRaw] = useState(false)
  const parsed = useMemo(() => { try { return { value: JSON.parse(text) as unknown } } catch (error) { return { error } } }, [text])
  if ('error' in parsed) return <><p class="banner banner-warning">Not valid JSON: {describeError(parsed.error)}</p><pre class="code-view">{text}</pre></>
  if (isPlotlyFigure(parsed.value) && !raw) {
    return <>
      <button type="button" class="button button-small" onClick={() => setRaw(true)}>Show JSON</button>
      <PlotlyFigureViewer figure={parsed.value} />
    </>
  }
  return <pre class="code-view">{JSON.stringify(parsed.value, null, 2)}</pre>
}

function Content({ path, blob }: { path: string; blob: Blob }) {
  const kind = viewerKindFor(path)
  const url = useObjectUrl(kind === 'image' || kind === 'sandboxed' ? blob : undefined, mimeTypeFor(path))
  switch (kind) {
    case 'image': return url ? <img class="image-view" src={url} alt={path} /> : null
    case 'sandboxed':
      // No allow-scripts, no allow-same-origin: the document cannot run code or reach the app.
      return url ? <iframe class="sandbox-frame" sandbox="" src={url} title={`${path} (sandboxed, scripts disabled)`} referrerpolicy="no-referrer" /> : null
    case 'mlmodel': return <TextContent blob={blob} render={text => <MlmodelViewer text={text} />} />
    case 'json': return <TextContent blob={blob} render={text => <JsonContent text={text} />} />
    case 'csv': return <TextContent blob={blob} render={text => <CsvViewer text={text} tab={extensionOf(path) === 'tsv'} />} />
    case 'markdown': return <TextContent blob={blob} render={text => <Markdown source={text} />} />
    case 'yaml':
    case 'text': return <TextContent blob={blob} render={text => <pre class="code-view">{text}</pre>} />
    case 'download': return <p class="muted">No preview for this kind of file. Download it to open it.</p>
  }
}

export function ArtifactViewer({ runId, file }: { runId: string; file: FileInfo }) {
  const blob = useAsync(() => client.readArtifact(runId, file.path), [runId, file.path])
  const downloadUrl = useObjectUrl(blob.value, blob.value?.type || 'application/octet-stream')
  const name = file.path.slice(file.path.lastIndexOf('/') + 1)
  return (
    <section class="artifact-view" aria-label={`Artifact ${file.path}`} data-viewer={viewerKindFor(file.path)}>
      <header class="artifact-view-head">
        <h2>{file.path}</h2>
        <span class="toolbar-group">
          <span class="muted">{formatBytes(file.fileSize ?? blob.value?.size)}</span>
          {viewerKindFor(file.path) === 'mlmodel' && <RegisterModelButton runId={runId} mlmodelPath={file.path} />}
          {downloadUrl && <a class="button button-small" href={downloadUrl} download={name}>Download</a>}
        </span>
      </header>
      {blob.error ? <p class="form-error">{describeError(blob.error)}</p>
        : blob.value ? <Content path={file.path} blob={blob.value} /> : <p class="muted">Loading…</p>}
    </section>
  )
}
