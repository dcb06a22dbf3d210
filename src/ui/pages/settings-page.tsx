/** Settings: theme, the user name written to mlflow.user, chart defaults and remote MLflow servers. */
import { useState } from 'preact/hooks'
import { setUserName } from '../../index.ts'
import { showToast } from '../components/toasts.tsx'
import { PREF, usePref } from '../prefs.ts'
import { ServerList } from '../sync/server-list.tsx'
import { type ThemeChoice, applyTheme } from '../theme.ts'

/** The list moved to sync/servers.ts (Settings and Sync share it); re-exported for existing importers. */
export type { RemoteServer } from '../sync/servers.ts'

export function SettingsPage() {
  const [theme, setTheme] = usePref<ThemeChoice>(PREF.theme, 'system')
  const [userName, setUserNamePref] = usePref<string>(PREF.userName, '')
  const [draftUser, setDraftUser] = useState(userName)

  const chooseTheme = (choice: ThemeChoice) => { setTheme(choice); applyTheme(choice) }
  const saveUser = (event: Event) => {
    event.preventDefault()
    setUserNamePref(draftUser.trim())
    setUserName(draftUser.trim() || undefined)
    showToast(draftUser.trim() ? `New runs will be logged as “${draftUser.trim()}”.` : 'User name cleared.')
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
        <ServerList />
        <p class="muted">Test connections, push and pull runs, and see the outbox on the <a href="#/sync">Sync</a> page.</p>
      </div>
    </section>
  )
}
