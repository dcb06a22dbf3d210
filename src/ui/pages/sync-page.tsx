/**
 * The Sync page (loaded on first visit): remote MLflow servers with "Test connection", push and pull
 * against the chosen server, and the outbox of writes waiting for a server.
 */
import { useEffect, useState } from 'preact/hooks'
import { type ConnectionResult, testConnection } from '../sync/connection-test.ts'
import { OutboxPanel } from '../sync/outbox-panel.tsx'
import { PullPanel } from '../sync/pull-panel.tsx'
import { PushPanel } from '../sync/push-panel.tsx'
import { ServerList } from '../sync/server-list.tsx'
import { type RemoteServer, configureSavedServers, useServers } from '../sync/servers.ts'
import '../styles/tools.css'

/** `runIds`: runs chosen in a runs table ("Push"), via #/sync?runs=…. */
export function SyncPage({ runIds }: { runIds?: string[] }) {
  const [servers] = useServers()
  const [chosenUrl, setChosenUrl] = useState<string>()
  const [tests, setTests] = useState<Record<string, ConnectionResult | 'testing'>>({})
  // Credentials live in localStorage; the library learns them here, before any push, pull or outbox replay.
  useEffect(configureSavedServers, [servers])
  const server = servers.find(candidate => candidate.url === chosenUrl) ?? servers[0]

  const test = async (target: RemoteServer) => {
    setTests(previous => ({ ...previous, [target.url]: 'testing' }))
    const result = await testConnection(target)
    setTests(previous => ({ ...previous, [target.url]: result }))
  }
  const testButton = (target: RemoteServer) => (
    <button type="button" class="button button-small" disabled={tests[target.url] === 'testing'} aria-label={`Test connection to ${target.name}`} onClick={() => test(target)}>
      {tests[target.url] === 'testing' ? 'Testing…' : 'Test connection'}
    </button>
  )
  const testResult = (target: RemoteServer) => {
    const state = tests[target.url]
    if (!state || state === 'testing') return null
    return (
      <p class={`test-result ${state.ok ? 'test-result-ok' : 'test-result-error'}`} role={state.ok ? 'status' : 'alert'} data-server={target.url}>
        {state.ok ? '✓ ' : '✗ '}{state.message}
      </p>
    )
  }

  return (
    <section class="page" aria-labelledby="sync-title">
      <header class="page-header"><h1 id="sync-title">Sync</h1></header>
      <p class="muted page-intro">Push runs to a team MLflow tracking server, or pull its runs here. The browser reaches a server only when the server allows this app's origin (CORS); otherwise push from Node with <code>lablog push</code>.</p>
      <div class="settings-section card tool-card sync-servers">
        <h2>Servers</h2>
        <ServerList actions={testButton} details={testResult} />
        {servers.length > 1 && (
          <label class="field inline-field server-choice">
            <span class="field-label">Push to and pull from</span>
            <select class="input" value={server?.url} onChange={event => setChosenUrl(event.currentTarget.value)}>
              {servers.map(candidate => <option key={candidate.url} value={candidate.url}>{candidate.name} — {candidate.url}</option>)}
            </select>
          </label>
        )}
      </div>
      <div class="tool-grid">
        <PushPanel key={(runIds ?? []).join(',')} server={server} runIds={runIds} />
        <PullPanel server={server} />
      </div>
      <OutboxPanel />
    </section>
  )
}
