/**
 * The outbox: run writes to a server that was unreachable (remote tracking with offline: 'queue'),
 * live from watchOutbox — what waits, what the server refused and why, Retry now, and Discard.
 */
import { useEffect, useState } from 'preact/hooks'
import { type OutboxEntry, discardOutboxEntry, replayOutbox, watchOutbox } from '../../index.ts'
import { showError, showToast } from '../components/toasts.tsx'
import { formatAgo } from '../format.ts'

export function OutboxPanel() {
  const [entries, setEntries] = useState<OutboxEntry[]>()
  const [retrying, setRetrying] = useState(false)
  useEffect(() => watchOutbox(setEntries), [])

  const retry = async () => {
    setRetrying(true)
    try {
      const result = await replayOutbox()
      showToast(`Sent ${result.replayed}; ${result.remaining} still waiting for their server; ${result.failed} refused.`, result.failed ? 'error' : 'info')
    } catch (error) { showError(error) } finally { setRetrying(false) }
  }
  const discard = async (entry: OutboxEntry) => {
    try { if (!await discardOutboxEntry(entry.seq)) showToast('Only refused entries can be discarded; pending ones keep their order.', 'error') } catch (error) { showError(error) }
  }

  const pending = entries?.filter(entry => entry.state === 'pending').length ?? 0
  const failed = entries?.filter(entry => entry.state === 'failed').length ?? 0
  return (
    <div class="settings-section card tool-card outbox">
      <div class="section-head">
        <h2>Outbox</h2>
        <button type="button" class="button button-small" disabled={retrying || pending === 0} onClick={retry}>{retrying ? 'Retrying…' : 'Retry now'}</button>
      </div>
      <p class="muted">Writes to a tracking server made while it could not be reached wait here and are sent in order when it is back (also on reconnect and every 30 s).</p>
      {entries === undefined ? <p class="muted">Reading the outbox…</p> : entries.length === 0 ? <p class="muted" role="status">Nothing waits: every write reached its server.</p> : <>
        <p role="status"><strong>{pending}</strong> waiting · <strong>{failed}</strong> refused by the server</p>
        <table class="data-table outbox-table" aria-label="Outbox">
          <thead><tr><th scope="col">Write</th><th scope="col">Server</th><th scope="col">Run</th><th scope="col">Queued</th><th scope="col">State</th><th scope="col" class="kv-actions"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {entries.map(entry => (
              <tr key={entry.seq}>
                <td><code>{entry.op}</code>{entry.items > 1 ? <span class="muted"> · {entry.items} items</span> : null}</td>
                <td><code>{entry.target}</code></td>
                <td><code>{entry.runId?.slice(0, 8) ?? '—'}</code></td>
                <td title={new Date(entry.createdAt).toLocaleString()}>{formatAgo(entry.createdAt)}{entry.attempts ? <span class="muted"> · {entry.attempts} tries</span> : null}</td>
                <td>
                  <span class={`outbox-state outbox-state-${entry.state}`}>{entry.state === 'failed' ? 'Refused' : 'Waiting'}</span>
                  {entry.lastError && <div class="outbox-error">{entry.lastError}</div>}
                </td>
                <td class="kv-actions">
                  {entry.state === 'failed' && <button type="button" class="button button-small button-danger-quiet" aria-label={`Discard ${entry.op} #${entry.seq}`} onClick={() => discard(entry)}>Discard</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </>}
    </div>
  )
}
