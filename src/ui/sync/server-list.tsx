/**
 * The remote MLflow servers list with its add form (URL, name, basic or bearer credentials): one
 * component, shown on Settings and on Sync, so there is one list. Sync adds per-server actions.
 */
import { type ComponentChildren, Fragment } from 'preact'
import { useState } from 'preact/hooks'
import type { RestAuth } from '../../index.ts'
import { type RemoteServer, configureServer, describeAuth, normalizeServerUrl, useServers } from './servers.ts'
import '../styles/tools.css'

type AuthKind = 'none' | 'basic' | 'bearer'

export interface ServerListProps {
  /** Extra buttons (and output) per server, e.g. "Test connection" on the Sync page. */
  actions?: (server: RemoteServer) => ComponentChildren
  /** A full-width line under a server's row (a connection test's answer), or nothing. */
  details?: (server: RemoteServer) => ComponentChildren
}

export function ServerList({ actions, details }: ServerListProps) {
  const [servers, setServers] = useServers()
  const [name, setName] = useState('')
  const [url, setUrl] = useState('')
  const [authKind, setAuthKind] = useState<AuthKind>('none')
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [token, setToken] = useState('')
  const [error, setError] = useState<string>()

  const add = (event: Event) => {
    event.preventDefault()
    const normalized = normalizeServerUrl(url)
    if ('error' in normalized) return setError(normalized.error)
    if (servers.some(server => server.url === normalized.url)) return setError('That server is already in the list.')
    let auth: RestAuth | undefined
    if (authKind === 'basic') {
      if (!username.trim()) return setError('Enter the user name for basic authentication.')
      auth = { type: 'basic', username: username.trim(), password }
    } else if (authKind === 'bearer') {
      if (!token.trim()) return setError('Enter the token.')
      auth = { type: 'bearer', token: token.trim() }
    }
    const server: RemoteServer = { name: name.trim() || new URL(normalized.url).host, url: normalized.url, ...(auth ? { auth } : {}) }
    configureServer(server)
    setServers([...servers, server])
    setName(''); setUrl(''); setUsername(''); setPassword(''); setToken(''); setAuthKind('none'); setError(undefined)
  }

  return (
    <div>
      {servers.length > 0 && (
        <table class="data-table" aria-label="Remote servers">
          <thead><tr>
            <th scope="col">Name</th><th scope="col">URL</th><th scope="col">Credentials</th>
            <th scope="col" class={actions ? 'server-actions' : 'kv-actions'}><span class="visually-hidden">Actions</span></th>
          </tr></thead>
          <tbody>
            {servers.map(server => {
              const detail = details?.(server)
              return <Fragment key={server.url}>
              <tr class={detail ? 'has-details' : undefined}>
                <td>{server.name}</td>
                <td><code>{server.url}</code></td>
                <td>{describeAuth(server.auth)}</td>
                <td class="kv-actions">
                  {actions?.(server)}
                  <button type="button" class="button button-small button-danger-quiet" aria-label={`Remove ${server.name}`}
                    onClick={() => setServers(servers.filter(other => other.url !== server.url))}>Remove</button>
                </td>
              </tr>
              {detail && <tr class="server-details"><td colSpan={4}>{detail}</td></tr>}
              </Fragment>
            })}
          </tbody>
        </table>
      )}
      <form class="server-form" onSubmit={add} aria-label="Add a server">
        <div class="settings-row">
          <input class="input" aria-label="Server name" placeholder="Name (optional)" value={name} onInput={event => setName(event.currentTarget.value)} />
          <input class="input" aria-label="Server URL" placeholder="https://mlflow.example.com" value={url} onInput={event => setUrl(event.currentTarget.value)} />
          <select class="input" aria-label="Authentication" value={authKind} onChange={event => setAuthKind(event.currentTarget.value as AuthKind)}>
            <option value="none">No authentication</option>
            <option value="basic">Basic (user name and password)</option>
            <option value="bearer">Bearer token</option>
          </select>
          <button type="submit" class="button">Add server</button>
        </div>
        {authKind === 'basic' && (
          <div class="auth-fields">
            <input class="input" aria-label="User name" autocomplete="off" placeholder="User name" value={username} onInput={event => setUsername(event.currentTarget.value)} />
            <input class="input" aria-label="Password" type="password" autocomplete="new-password" placeholder="Password" value={password} onInput={event => setPassword(event.currentTarget.value)} />
          </div>
        )}
        {authKind === 'bearer' && (
          <div class="auth-fields">
            <input class="input" aria-label="Token" type="password" autocomplete="off" placeholder="Token" value={token} onInput={event => setToken(event.currentTarget.value)} />
          </div>
        )}
        {authKind !== 'none' && (
          <p class="muted credential-note">Credentials are stored unencrypted in this browser (its local storage for this site) and sent only to this server. Remove the server to forget them.</p>
        )}
      </form>
      {error && <p class="form-error" role="alert">{error}</p>}
    </div>
  )
}
