// The panels' long-task hook (src/ui/hooks/use-long-task.ts) rendered in Chromium: progress while a job
// runs, Cancel ending it as 'cancelled', a failure's message, and a second start ignored while one runs.
import { h, render } from 'preact'
import { act } from 'preact/test-utils'
import { afterEach, expect, test } from 'vitest'
import { MlflowError } from '../../src/core/errors.ts'
import { type LongTask, useLongTask } from '../../src/ui/hooks/use-long-task.ts'

let task: LongTask<number, string>
const root = document.createElement('div')
document.body.append(root)

function Harness() {
  task = useLongTask<number, string>()
  return h('p', null, `${task.running ? 'running' : 'idle'} ${task.cancelling ? 'cancelling' : ''} ${task.progress ?? '-'}`)
}
afterEach(() => render(null, root))

/** A job that reports 1, then finishes when `finish` is called or rejects CANCELLED when aborted. */
function controllable() {
  let finish!: (value: string) => void, fail!: (error: Error) => void
  let calls = 0
  const job = (signal: AbortSignal, onProgress: (progress: number) => void) => new Promise<string>((resolve, reject) => {
    calls++
    onProgress(1)
    finish = resolve; fail = reject
    signal.addEventListener('abort', () => reject(new MlflowError('CANCELLED', 'Export cancelled.')))
  })
  return { job, finish: (value: string) => finish(value), fail: (error: Error) => fail(error), calls: () => calls }
}

test('a job shows its progress while it runs and its value when done; a second start meanwhile is ignored', async () => {
  await act(() => render(h(Harness, null), root))
  const { job, finish, calls } = controllable()
  let ended!: Promise<void>
  await act(() => { ended = task.start(job) })
  expect(root.textContent).toBe('running  1')
  await act(() => task.start(job))
  expect(calls()).toBe(1)
  await act(async () => { finish('saved.zip'); await ended })
  expect(root.textContent).toBe('idle  1')
  expect(task.outcome).toEqual({ kind: 'done', value: 'saved.zip' })
})

test('Cancel aborts the job, which ends as cancelled, not as an error', async () => {
  await act(() => render(h(Harness, null), root))
  const { job } = controllable()
  let ended!: Promise<void>
  await act(() => { ended = task.start(job) })
  await act(() => task.cancel())
  expect(root.textContent).toBe('running cancelling 1')
  await act(() => ended)
  expect(task.outcome).toEqual({ kind: 'cancelled' })
  expect(task.running).toBe(false)
})

test('a failed job ends with its message, and a new start clears it', async () => {
  await act(() => render(h(Harness, null), root))
  const first = controllable()
  let ended!: Promise<void>
  await act(() => { ended = task.start(first.job) })
  await act(async () => { first.fail(new MlflowError('INVALID_PARAMETER_VALUE', "Invalid archive entry 'mlruns/1/meta.yaml': malformed YAML")); await ended })
  expect(task.outcome).toMatchObject({ kind: 'error', message: expect.stringContaining('mlruns/1/meta.yaml') })
  const second = controllable()
  await act(() => { ended = task.start(second.job) })
  expect(task.outcome).toBeUndefined()
  await act(async () => { second.finish('ok'); await ended })
  expect(task.outcome).toEqual({ kind: 'done', value: 'ok' })
})
