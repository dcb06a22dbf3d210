/** The app's one archive worker bridge: zipping and parsing run off the page's thread, started on first use. */
import { ArchiveBridge, type ArchiveProgress } from '../../index.ts'
import { createArchiveWorker } from '../../../workers/create-archive-worker.ts'
import { formatBytes } from '../format.ts'

/** Shared by export and import; the worker ends itself when idle. */
export const archives = new ArchiveBridge({ createWorker: createArchiveWorker })

/** A progress bar's fraction and line for an archive job (bytes count once runs are known, as artifacts dominate). */
export function describeArchiveProgress(verb: string, progress: ArchiveProgress | undefined): { fraction: number | undefined; detail: string } {
  if (!progress || progress.phase === 'listing') return { fraction: undefined, detail: `${verb}: listing runs…` }
  const { runsDone, runsTotal, bytesDone, bytesTotal } = progress
  const runPart = runsTotal ? runsDone / runsTotal : 0
  const fraction = progress.phase === 'done' ? 1 : bytesTotal > 0 ? (runPart + bytesDone / bytesTotal) / 2 : runPart
  const bytes = bytesTotal > 0 ? ` · ${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)} of artifacts` : ''
  const phase = progress.phase === 'done' ? 'done' : progress.phase === 'writing' ? 'writing' : 'reading'
  return { fraction, detail: `${verb} ${phase}: ${runsDone.toLocaleString()} of ${runsTotal.toLocaleString()} runs${bytes}` }
}
