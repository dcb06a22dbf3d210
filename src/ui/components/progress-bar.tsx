/** A labelled progress bar with an optional Cancel button, shared by export, import, push and pull. */

export interface ProgressBarProps {
  /** What is in progress, e.g. "Export"; names the bar for screen readers. */
  label: string
  /** 0…1, or undefined while the total is not known yet (an indeterminate bar). */
  fraction: number | undefined
  /** One line under the bar: what is being done, counts. */
  detail: string
  onCancel?: () => void
  cancelling?: boolean
}

/** The bar is a native role="progressbar" element, so its value is announced without extra work. */
export function ProgressBar({ label, fraction, detail, onCancel, cancelling }: ProgressBarProps) {
  const percent = fraction === undefined ? undefined : Math.round(Math.min(1, Math.max(0, fraction)) * 100)
  return (
    <div class="progress">
      <div class="progress-row">
        <div class={`progress-track ${percent === undefined ? 'progress-indeterminate' : ''}`} role="progressbar" aria-label={label}
          aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={detail}>
          <div class="progress-fill" style={{ width: `${percent ?? 30}%` }} />
        </div>
        {onCancel && <button type="button" class="button button-small" onClick={onCancel} disabled={cancelling}>{cancelling ? 'Cancelling…' : 'Cancel'}</button>}
      </div>
      <p class="progress-detail muted" aria-live="polite">{detail}</p>
    </div>
  )
}
