/** Settings: theme, the user name written to mlflow.user, chart defaults and remote MLflow servers. */
import { useState } from 'preact/hooks'
import { setUserName } from '../../index.ts'
import { showToast } from '../components/toasts.tsx'
import { PREF, usePref } from '../prefs.ts'
import { type ThemeChoice, applyTheme } from '../theme.ts'

/** A remote MLflow tracking server the sync feature can push to and pull from. */
export interface RemoteServer { name: string; url: string }

export function SettingsPage() {
  const [theme, setTheme] = usePref<ThemeChoice>(PREF.theme, 'system')
  const [userName, setUserNamePref] = usePref<string>(PREF.userName, '')
  const [servers, setServers] = usePref<RemoteServer[]>(PREF.remoteServers, [])
  const [draftUser, setDraftUser] = useState(userName)
  const [serverName, setServerName] = useState('')
  const [serverUrl, setServerUrl] = useState('')
  const [serverError, setServerError] = useState<string>()

  const chooseTheme = (choice: ThemeChoice) => { setTheme(choice); applyTheme(choice) }
  const saveUser = (event: Event) => {
    event.preventDefault()
    setUserNamePref(draftUser.trim())
    setUserName(draftUser.trim() || undefined)
    showToast(draftUser.trim() ? `New runs will be logged as “${draftUser.trim()}”.` : 'User name cleared.')
  }
  const addServer = (event: Event) => {
    event.preventDefault()
    let url: URL
    try { url = new URL(serverUrl.trim()) } catch { return setServerError('Enter a full URL, such as http://127.0.0.1:5000') }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return setServerError('Only http:// and https:// servers are supported.')
    const normalized = url.href.replace(/\/+$/, '')
    if (servers.some(server => server.url === normalized)) return setServerError('That server is already in the list.')
    setServers([...servers, { name: serverName.trim() || url.host, url: normalized }])
    setServerName(''); setServerUrl(''); setServerError(undefined)
  }

  return (
    <section class="page" aria-labelledby="settings-title">
      <header class="page-header"><h1 id="settings-title">Settings</h1></header>

      <div class="settings-section card">
        <h2 id="theme-title">Theme</h2>
        <div class="segmented" role="radiogroup" aria-labelledby="theme-title">
          {(['light', 'dark', 'system'] as const).map(choice => (
            <button key={choice} type="button" role="radio" aria-checked={theme === choice} onClick={() => chooseTheme(choice)}>
              {choice === 'system' ? 'System' : choice === 'light' ? 'Light' : 'Dark'}
            </button>
          ))}
        </div>
      </div>

      <form class="settings-section card" onSubmit={saveUser}>
        <h2>User</h2>
        <label class="field">
          <span class="field-label">User name (stored on new runs as the <code>mlflow.user</code> tag)</span>
          <div class="settings-row">
            <input class="input" name="userName" value={draftUser} placeholder="e.g. ada" onInput={event => setDraftUser(event.currentTarget.value)} />
            <button type="submit" class="button button-primary">Save</button>
          </div>
        </label>
      </form>

      <div class="settings-section card">
        <h2>Remote MLflow servers</h2>
        <p class="muted">Tracking servers to push runs to and pull runs from. The browser can reach a server only if it allows this app's origin (CORS).</p>
        {servers.length > 0 && (
          <table class="data-table" aria-label="Remote servers">
            <thead><tr><th scope="col">Name</th><th scope="col">URL</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {servers.map(server => (
                <tr key={server.url}>
                  <td>{server.name}</td><td><code>{server.url}</code></td>
                  <td class="kv-actions"><button type="button" class="button button-small button-danger-quiet" aria-label={`Remove ${server.name}`}
                    onClick={() => setServers(servers.filter(other => other.url !== server.url))}>Remove</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form class="inline-form" onSubmit={addServer}>
          <input class="input" aria-label="Server name" placeholder="Name (optional)" value={serverName} onInput={event => setServerName(event.currentTarget.value)} />
          <input class="input" aria-label="Server URL" placeholder="https://mlflow.example.com" value={serverUrl} onInput={event => setServerUrl(event.currentTarget.value)} />
          <button type="submit" class="button">Add server</button>
        </form>
        {serverError && <p class="form-error" role="alert">{serverError}</p>}
      </div>
    </section>
  )
}
