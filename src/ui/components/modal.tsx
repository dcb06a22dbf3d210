/** A modal dialog on the native <dialog>: focus is trapped, Escape closes, the title labels it. */
import type { ComponentChildren } from 'preact'
import { useEffect, useId, useRef } from 'preact/hooks'

export interface ModalProps {
  title: string
  onClose: () => void
  children: ComponentChildren
  /** Buttons for the dialog's footer; put the primary action last. */
  footer?: ComponentChildren
  /** Submitting the dialog's form (Enter in a field) calls this. */
  onSubmit?: () => void
  wide?: boolean
}

/** Opens as soon as it mounts; unmount it to close. */
export function Modal({ title, onClose, children, footer, onSubmit, wide }: ModalProps) {
  const dialog = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const element = dialog.current
    if (element && !element.open) element.showModal()
    return () => element?.close()
  }, [])
  return (
    <dialog ref={dialog} class={wide ? 'modal modal-wide' : 'modal'} aria-labelledby={titleId}
      onCancel={event => { event.preventDefault(); onClose() }}>
      <form method="dialog" onSubmit={event => { event.preventDefault(); onSubmit?.() }}>
        <header class="modal-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" class="icon-button" aria-label="Close" onClick={onClose}>×</button>
        </header>
        <div class="modal-body">{children}</div>
        {footer && <footer class="modal-footer">{footer}</footer>}
      </form>
    </dialog>
  )
}

/** A yes/no question for destructive actions. */
export function ConfirmDialog({ title, message, confirmLabel, onConfirm, onClose }: {
  title: string; message: ComponentChildren; confirmLabel: string; onConfirm: () => void; onClose: () => void
}) {
  return (
    <Modal title={title} onClose={onClose} onSubmit={() => { onConfirm(); onClose() }} footer={<>
      <button type="button" class="button" onClick={onClose}>Cancel</button>
      <button type="submit" class="button button-danger" autoFocus>{confirmLabel}</button>
    </>}>
      <p>{message}</p>
    </Modal>
  )
}
