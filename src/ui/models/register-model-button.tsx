/** The run page's "Register model" button beside an MLmodel file; the dialog (registry UI) loads on first click. */
import type { ComponentType } from 'preact'
import { useState } from 'preact/hooks'
import { showError, showToast } from '../components/toasts.tsx'
import { navigate } from '../router.ts'
import type { RegisterDialogProps } from './register-dialog.tsx'

/** `mlmodelPath` is the MLmodel file's path; its directory is what gets registered. */
export function RegisterModelButton({ runId, mlmodelPath }: { runId: string; mlmodelPath: string }) {
  const [Dialog, setDialog] = useState<ComponentType<RegisterDialogProps>>()
  const open = async () => {
    try {
      const module = await import('./register-dialog.tsx')
      setDialog(() => module.RegisterDialog)
    } catch (error) { showError(error) }
  }
  const directory = mlmodelPath.includes('/') ? mlmodelPath.slice(0, mlmodelPath.lastIndexOf('/')) : ''
  return <>
    <button type="button" class="button button-small button-primary" onClick={open}>Register model</button>
    {Dialog && <Dialog runId={runId} artifactPath={directory} onClose={() => setDialog(undefined)} onRegistered={version => {
      setDialog(undefined)
      showToast(`Registered “${version.name}” version ${version.version}.`)
      navigate({ page: 'models', name: version.name })
    }} />}
  </>
}
