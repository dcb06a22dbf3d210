/** The Data page: archive export and import (loaded on first visit), space used and available, and the "keep data" request. */
import { useState } from 'preact/hooks'
import { lazyPage } from '../components/lazy-page.tsx'
import { showError, showToast } from '../components/toasts.tsx'
import { formatBytes } from '../format.ts'
import { useAsync } from '../hooks/use-async.ts'

interface StorageState { usage?: number; quota?: number; persisted: boolean; supported: boolean; details?: Record<string, number> }

async function readStorage(): Promise<StorageState> {
  if (!navigator.storage?.estimate) return { persisted: false, supported: false }
  const [estimate, persisted] = await Promise.all([navigator.storage.estimate(), navigator.storage.persisted?.() ?? Promise.resolve(false)])
  const details = (estimate as StorageEstimate & { usageDetails?: Record<string, number> }).usageDetails
  return { usage: estimate.usage, quota: estimate.quota, persisted, supported: true, ...(details ? { details } : {}) }
}

const ArchivePanels = lazyPage(() => import('../data/archive-panels.tsx').then(module => module.ArchivePanels))

/** `runIds`: runs chosen in a runs table to export (#/data?runs=…). */
export function DataPage({ runIds }: { runIds?: string[] } = {}) {
  const storage = useAsync(readStorage, [])
  const [asking, setAsking] = useState(false)
  const value = storage.value
  const share = value?.usage !== undefined && value.quota ? value.usage / value.quota : 0

  const keepData = async () => {
    setAsking(true)
    try {
      const granted = await navigator.storage.persist()
      showToast(granted ? 'The browser will keep Lablog\'s data even when space runs low.' : 'The browser declined for now. Installing the app or using it more often usually lets it agree.', granted ? 'info' : 'error')
      storage.reload(true)
    } catch (error) { showError(error) } finally { setAsking(false) }
  }

  return (
    <section class="page" aria-labelledby="data-title">
      <header class="page-header"><h1 id="data-title">Data</h1></header>
      <ArchivePanels runIds={runIds} />
      <div class="settings-section card">
        <h2>Storage</h2>
        {!value ? <p class="muted">Reading storage…</p> : !value.supported ? (
          <p>This browser does not report storage use.</p>
        ) : <>
          <p><strong>{formatBytes(value.usage)}</strong> used of <strong>{formatBytes(value.quota)}</strong> available to this site
            {' '}<span class="muted">({(share * 100).toFixed(share < 0.01 ? 2 : 1)}%)</span></p>
          <div class="storage-bar" role="meter" aria-label="Storage used" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(share * 100)}>
            <div class="storage-bar-fill" style={{ width: `${Math.max(0.5, share * 100)}%` }} />
          </div>
          {value.details && (
            <p class="muted">{Object.entries(value.details).map(([kind, bytes]) => `${kind}: ${formatBytes(bytes)}`).join(' · ')}</p>
          )}
          <p class="muted">When the space runs out, saving stops with a “storage is full” message; nothing already saved is lost. Delete runs or artifacts to free space.</p>
        </>}
      </div>
      <div class="settings-section card">
        <h2>Keep data</h2>
        <p>
          {value?.persisted
            ? 'Storage is persistent: the browser will not clear Lablog\'s data to make room for other sites.'
            : 'By default a browser may clear this site\'s data when the disk is nearly full. Ask it to keep Lablog\'s runs.'}
        </p>
        <button type="button" class="button button-primary" disabled={asking || value?.persisted || !navigator.storage?.persist} onClick={keepData}>
          {value?.persisted ? 'Data is kept' : 'Keep data'}
        </button>
      </div>
    </section>
  )
}
