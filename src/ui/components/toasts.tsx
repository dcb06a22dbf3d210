/** Transient notifications (saved, failed, storage full) in one live region screen readers announce. */
import { useEffect, useState } from 'preact/hooks'
import { describeError } from '../errors.ts'

export interface Toast { id: number; kind: 'info' | 'error'; message: string }

let toasts: Toast[] = []
let nextId = 1
const subscribers = new Set<(toasts: Toast[]) => void>()

function publish(next: Toast[]) {
  toasts = next
  subscribers.forEach(subscriber => subscriber(toasts))
}

/** Shows a message for a few seconds (errors stay longer). */
export function showToast(message: string, kind: Toast['kind'] = 'info'): void {
  const toast = { id: nextId++, kind, message }
  publish([...toasts, toast].slice(-4))
  setTimeout(() => publish(toasts.filter(other => other.id !== toast.id)), kind === 'error' ? 9000 : 3500)
}

/** Shows an error's message; storage-full errors get the quota explanation. */
export function showError(error: unknown): void {
  console.error(error)
  showToast(describeError(error), 'error')
}

/** The toast stack; mounted once by the app shell. */
export function Toasts() {
  const [items, setItems] = useState(toasts)
  useEffect(() => {
    subscribers.add(setItems)
    return () => { subscribers.delete(setItems) }
  }, [])
  return (
    <div class="toasts" role="status" aria-live="polite">
      {items.map(toast => (
        <div key={toast.id} class={`toast toast-${toast.kind}`}>
          <span>{toast.message}</span>
          <button type="button" class="icon-button" aria-label="Dismiss" onClick={() => publish(toasts.filter(other => other.id !== toast.id))}>×</button>
        </div>
      ))}
    </div>
  )
}
