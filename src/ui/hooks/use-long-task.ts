/**
 * A long job a panel starts and the user may cancel (export, import, push, pull): its progress, whether
 * it runs or is being cancelled, and how it ended. A job ends 'cancelled' when it rejects with CANCELLED.
 */
import { useRef, useState } from 'preact/hooks'
import { isMlflowError } from '../../core/errors.ts'
import { describeError } from '../errors.ts'

export type TaskOutcome<Result> =
  | { kind: 'done'; value: Result }
  | { kind: 'cancelled' }
  | { kind: 'error'; error: unknown; message: string }

export interface LongTask<Progress, Result> {
  progress: Progress | undefined
  running: boolean
  cancelling: boolean
  outcome: TaskOutcome<Result> | undefined
  /** Runs `job` unless one is running; the last outcome and progress are cleared first. */
  start(job: (signal: AbortSignal, onProgress: (progress: Progress) => void) => Promise<Result>): Promise<void>
  cancel(): void
}

export function useLongTask<Progress, Result>(): LongTask<Progress, Result> {
  const [progress, setProgress] = useState<Progress>()
  const [running, setRunning] = useState(false)
  const [cancelling, setCancelling] = useState(false)
  const [outcome, setOutcome] = useState<TaskOutcome<Result>>()
  const controller = useRef<AbortController>()
  // A ref, not the state: two starts in one render (a double click) must not both run.
  const busy = useRef(false)

  const start: LongTask<Progress, Result>['start'] = async job => {
    if (busy.current) return
    busy.current = true
    const abort = controller.current = new AbortController()
    setRunning(true); setCancelling(false); setOutcome(undefined); setProgress(undefined)
    try {
      setOutcome({ kind: 'done', value: await job(abort.signal, setProgress) })
    } catch (error) {
      setOutcome(isMlflowError(error, 'CANCELLED') ? { kind: 'cancelled' } : { kind: 'error', error, message: describeError(error) })
    } finally {
      busy.current = false
      setRunning(false)
    }
  }
  const cancel = () => { setCancelling(true); controller.current?.abort() }
  return { progress, running, cancelling, outcome, start, cancel }
}
