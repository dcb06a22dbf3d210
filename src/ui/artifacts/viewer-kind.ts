/** Which viewer shows an artifact, from its file name (content sniffing happens in the viewer). Pure. */

export type ViewerKind = 'mlmodel' | 'json' | 'yaml' | 'csv' | 'image' | 'sandboxed' | 'markdown' | 'text' | 'download'

const IMAGE = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'ico', 'avif'])
const TEXT = new Set(['txt', 'log', 'py', 'js', 'ts', 'mjs', 'sh', 'cfg', 'ini', 'toml', 'xml', 'r', 'sql', 'ipynb', 'env', 'properties', 'gitignore', 'dockerfile', 'out', 'err'])
const TEXT_NAMES = new Set(['Dockerfile', 'LICENSE', 'README', 'requirements.txt', 'Makefile'])

/** The lower-cased extension of a path's file name ('' when none). */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase()
}

export function viewerKindFor(path: string): ViewerKind {
  const name = path.slice(path.lastIndexOf('/') + 1)
  if (name === 'MLmodel') return 'mlmodel'
  const extension = extensionOf(path)
  if (extension === 'json' || extension === 'geojson') return 'json'
  if (extension === 'yaml' || extension === 'yml') return 'yaml'
  if (extension === 'csv' || extension === 'tsv') return 'csv'
  if (IMAGE.has(extension)) return 'image'
  // HTML and SVG can carry script: they are only ever shown in a sandboxed iframe.
  if (extension === 'html' || extension === 'htm' || extension === 'svg') return 'sandboxed'
  if (extension === 'md' || extension === 'markdown') return 'markdown'
  if (TEXT.has(extension) || TEXT_NAMES.has(name)) return 'text'
  return 'download'
}

/** The MIME type a viewer's Blob gets, so the browser treats it as that kind and nothing else. */
export function mimeTypeFor(path: string): string {
  const extension = extensionOf(path)
  const types: Record<string, string> = {
    png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', bmp: 'image/bmp', ico: 'image/x-icon', avif: 'image/avif',
    svg: 'image/svg+xml', html: 'text/html', htm: 'text/html', json: 'application/json', csv: 'text/csv', txt: 'text/plain',
  }
  return types[extension] ?? 'application/octet-stream'
}

/** True for a parsed JSON value shaped like a plotly figure: `{ data: [trace objects], layout? }`. */
export function isPlotlyFigure(value: unknown): value is { data: Record<string, unknown>[]; layout?: Record<string, unknown> } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const { data, layout } = value as { data?: unknown; layout?: unknown }
  return Array.isArray(data) && data.length > 0 && data.every(trace => typeof trace === 'object' && trace !== null && !Array.isArray(trace))
    && (layout === undefined || (typeof layout === 'object' && layout !== null))
}
