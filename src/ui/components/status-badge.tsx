/** A run's status as a coloured dot and word (colour is never the only cue). */
import type { RunStatus } from '../../index.ts'

export function StatusBadge({ status }: { status: RunStatus }) {
  return <span class={`status status-${status.toLowerCase()}`}><span class="status-dot" aria-hidden="true" />{status.charAt(0) + status.slice(1).toLowerCase()}</span>
}
