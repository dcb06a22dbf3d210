/** The Data page's archive half (export and import), a chunk of its own: it brings the archive worker bridge. */
import { ExportPanel } from './export-panel.tsx'
import { ImportPanel } from './import-panel.tsx'
import '../styles/tools.css'

/** Export and import side by side on wide screens. */
export function ArchivePanels({ runIds }: { runIds?: string[] }) {
  return (
    <div class="tool-grid">
      <ExportPanel key={(runIds ?? []).join(',')} runIds={runIds} />
      <ImportPanel />
    </div>
  )
}
