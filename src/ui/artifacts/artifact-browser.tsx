/** The artifact browser: a lazily loaded tree of a run's files beside the viewer of the chosen one. */
import { useEffect, useState } from 'preact/hooks'
import type { FileInfo } from '../../index.ts'
import { showError } from '../components/toasts.tsx'
import { formatBytes } from '../format.ts'
import { client } from '../lablog.ts'
import { ArtifactViewer } from './artifact-viewer.tsx'

function TreeLevel({ entries, listings, expanded, selected, onToggle, onSelect }: {
  entries: FileInfo[]
  listings: ReadonlyMap<string, FileInfo[]>
  expanded: ReadonlySet<string>
  selected: string | undefined
  onToggle: (path: string) => void
  onSelect: (file: FileInfo) => void
}) {
  return (
    <ul role="group">
      {entries.map(entry => {
        const name = entry.path.slice(entry.path.lastIndexOf('/') + 1)
        const open = expanded.has(entry.path)
        return (
          <li key={entry.path} role="treeitem" aria-expanded={entry.isDir ? open : undefined} aria-selected={entry.path === selected}>
            <button type="button" class="tree-item" aria-current={entry.path === selected ? 'true' : undefined}
              onClick={() => (entry.isDir ? onToggle(entry.path) : onSelect(entry))} title={entry.path}>
              <span class="tree-icon" aria-hidden="true">{entry.isDir ? (open ? '▾' : '▸') : '•'}</span>
              <span class="tree-name">{name}{entry.isDir ? '/' : ''}</span>
              {!entry.isDir && <span class="tree-size">{formatBytes(entry.fileSize)}</span>}
            </button>
            {entry.isDir && open && listings.has(entry.path) && (
              <TreeLevel entries={listings.get(entry.path)!} listings={listings} expanded={expanded} selected={selected} onToggle={onToggle} onSelect={onSelect} />
            )}
          </li>
        )
      })}
    </ul>
  )
}

export function ArtifactBrowser({ runId, selectedPath, onSelectPath }: { runId: string; selectedPath: string | undefined; onSelectPath: (path: string) => void }) {
  const [children, setChildren] = useState<ReadonlyMap<string, FileInfo[]>>(new Map())
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set())
  const [loaded, setLoaded] = useState(false)

  const loadDir = async (path: string) => {
    const entries = await client.listArtifacts(runId, path || undefined)
    // Directories first, then files, each by name: how file managers list.
    entries.sort((a, b) => Number(b.isDir) - Number(a.isDir) || a.path.localeCompare(b.path))
    setChildren(previous => new Map(previous).set(path, entries))
    return entries
  }
  useEffect(() => {
    let live = true
    loadDir('').then(() => { if (live) setLoaded(true) }, showError)
    return () => { live = false }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runId])
  // Open the folders leading to the file the URL names (also when the URL changes from outside).
  useEffect(() => {
    if (!selectedPath) return
    let live = true
    const parts = selectedPath.split('/').slice(0, -1)
    const ancestors = parts.map((_, index) => parts.slice(0, index + 1).join('/'))
    ;(async () => {
      for (const dir of ancestors) if (!children.has(dir)) await loadDir(dir)
      if (live) setExpanded(previous => new Set([...previous, ...ancestors]))
    })().catch(showError)
    return () => { live = false }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runId, selectedPath])

  const toggle = (path: string) => {
    const next = new Set(expanded)
    if (next.has(path)) next.delete(path)
    else { next.add(path); if (!children.has(path)) loadDir(path).catch(showError) }
    setExpanded(next)
  }
  const root = children.get('') ?? []
  const selectedFile = selectedPath ? [...children.values()].flat().find(entry => entry.path === selectedPath && !entry.isDir) : undefined

  if (loaded && root.length === 0) return <p class="muted">This run has no artifacts.</p>
  return (
    <div class="artifacts">
      <nav class="artifact-tree" aria-label="Artifacts">
        <div role="tree" aria-label="Artifact files">
          <TreeLevel entries={root} listings={children} expanded={expanded} selected={selectedPath} onToggle={toggle} onSelect={file => onSelectPath(file.path)} />
        </div>
      </nav>
      {selectedFile ? <ArtifactViewer key={selectedFile.path} runId={runId} file={selectedFile} />
        : <div class="artifact-view muted">Select a file to view it.</div>}
    </div>
  )
}
