/** The PWA's entry: styles, theme, the library handle for the console, and the app. */
import { render } from 'preact'
import { MlflowClient, mlflow, setUserName } from '../index.ts'
import { App } from './app.tsx'
import { showError } from './components/toasts.tsx'
import { isQuotaError } from './errors.ts'
import { PREF, readPref } from './prefs.ts'
import { applyTheme } from './theme.ts'
import './styles/base.css'
import './styles/layout.css'
import './styles/runs-table.css'
import './styles/run-page.css'

applyTheme()
setUserName(readPref<string>(PREF.userName, '') || undefined)

// The library, for the browser console and the end-to-end suite (same origin only; nothing new is exposed).
Object.assign(window, { lablog: { mlflow, MlflowClient } })

// Writes that fail for lack of space surface wherever they happened, with the quota explanation.
window.addEventListener('unhandledrejection', event => { if (isQuotaError(event.reason)) showError(event.reason) })

render(<App />, document.getElementById('app')!)
