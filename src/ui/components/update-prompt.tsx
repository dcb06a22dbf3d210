/**
 * Registers the service worker and offers a reload when a new version is waiting ("update
 * available"); tells the user once the app is cached for offline use.
 */
import { useEffect, useState } from 'preact/hooks'
import { registerSW } from 'virtual:pwa-register'
import { showToast } from './toasts.tsx'

export function UpdatePrompt() {
  const [update, setUpdate] = useState<((reload?: boolean) => Promise<void>) | undefined>()
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return
    const updateServiceWorker = registerSW({
      immediate: true,
      onNeedRefresh: () => setUpdate(() => updateServiceWorker),
      onOfflineReady: () => showToast('Lablog is ready to work offline.'),
      onRegisterError: error => console.warn('Service worker registration failed', error),
    })
  }, [])
  if (!update) return null
  return (
    <div class="update-prompt" role="alert">
      <span>A new version of Lablog is available.</span>
      <button type="button" class="button button-small button-primary" onClick={() => void update(true)}>Reload</button>
      <button type="button" class="button button-small button-quiet" onClick={() => setUpdate(undefined)}>Later</button>
    </div>
  )
}
