/** Starts an archive worker; the window passes this to ArchiveBridge (Vite bundles the worker from this URL). */
export function createArchiveWorker(): Worker {
  return new Worker(new URL('./archive.worker.ts', import.meta.url), { type: 'module', name: 'lablog-archive' })
}
