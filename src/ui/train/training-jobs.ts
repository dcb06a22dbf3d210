/**
 * Trainings the user started from the Train page, as a small observable store that outlives the page:
 * each job is one run or a sweep (a parent run with nested child runs), run through TrainingBridge
 * workers a few at a time, with per-run progress and stop.
 */
import { useEffect, useState } from 'preact/hooks'
import { TrainingBridge, type TrainingProgress, type TrainingSpec } from '../../index.ts'
import { createTrainingWorker } from '../../../workers/create-training-worker.ts'
import { describeError } from '../errors.ts'
import { client } from '../lablog.ts'

/** Where one training is: waiting for a worker, in one, or ended (skipped = stopped before it started). */
export type RunPhase = 'queued' | 'starting' | 'running' | 'FINISHED' | 'FAILED' | 'KILLED' | 'skipped'

export interface TrackedRun {
  key: string
  label: string
  /** A short name for chart legends ("#2 lr=0.01" in a sweep). */
  shortLabel: string
  phase: RunPhase
  runId?: string
  /** Completed epochs, plus the fraction of the current one (from batch events). */
  progress: number
  epochs: number
  /** The last epoch's metrics, under tfjs's names. */
  metrics: Record<string, number>
  /** Epoch metric keys seen so far, for the live charts. */
  metricKeys: string[]
  error?: string
  /** A stop was asked for and the run has not ended yet. */
  stopping?: boolean
}

export interface TrainingJob {
  id: string
  kind: 'single' | 'sweep'
  name: string
  experimentId: string
  parentRunId?: string
  concurrency: number
  runs: TrackedRun[]
  done: boolean
  stopped: boolean
}

/** One training of a job: its display label (the run name), a short one for legends, and its spec. */
export interface PlannedRun {
  label: string
  shortLabel?: string
  spec: TrainingSpec
  /** Tags the run is created with (added to the spec's own). */
  tags?: Record<string, string>
}

export interface StartJobOptions {
  kind: 'single' | 'sweep'
  name: string
  experimentId: string
  runs: PlannedRun[]
  /** Trainings at once (workers in flight). */
  concurrency: number
  /** Rows seen per epoch, for progress within an epoch: training rows / batch size, per run. */
  batchesPerEpoch: (spec: TrainingSpec) => number
  /** Params logged on a sweep's parent run (the search space and how it was searched). */
  sweepParams?: Record<string, string>
}

let jobs: TrainingJob[] = []
const controllers = new Map<string, AbortController>()
const listeners = new Set<() => void>()
let bridge: TrainingBridge | undefined
let nextId = 0

const ENDED: ReadonlySet<RunPhase> = new Set(['FINISHED', 'FAILED', 'KILLED', 'skipped'])
/** Whether a run has ended (or will never start). */
export const hasEnded = (run: TrackedRun) => ENDED.has(run.phase)

function publish(): void {
  jobs = [...jobs]
  listeners.forEach(listener => listener())
}

function update(job: TrainingJob, key: string, patch: Partial<TrackedRun>): void {
  job.runs = job.runs.map(run => (run.key === key ? { ...run, ...patch } : run))
  publish()
}

/** The jobs, newest first, re-rendering on every change. */
export function useTrainingJobs(): TrainingJob[] {
  const [, setTick] = useState(0)
  useEffect(() => {
    const listener = () => setTick(tick => tick + 1)
    listeners.add(listener)
    return () => { listeners.delete(listener) }
  }, [])
  return jobs
}

/** The live job record for an id (jobs are replaced on change, so look it up each time). */
const jobById = (id: string) => jobs.find(job => job.id === id)

/** The workers are started on the first training and reused while trainings keep coming. */
function trainingBridge(): TrainingBridge {
  bridge ??= new TrainingBridge({ createWorker: createTrainingWorker })
  return bridge
}

async function trainOne(jobId: string, key: string, planned: PlannedRun, options: StartJobOptions): Promise<void> {
  const job = jobById(jobId)!
  const controller = controllers.get(key)!
  if (controller.signal.aborted) { update(job, key, { phase: 'skipped' }); return }
  update(job, key, { phase: 'starting' })
  const perEpoch = Math.max(1, options.batchesPerEpoch(planned.spec))
  const onProgress = (event: TrainingProgress) => {
    const current = jobById(jobId)!
    const run = current.runs.find(item => item.key === key)!
    if (event.type === 'started') {
      update(current, key, { phase: 'running', runId: event.runId, epochs: event.epochs })
    } else if (event.type === 'epoch') {
      const keys = Object.keys(event.metrics)
      update(current, key, { progress: event.epoch + 1, metrics: event.metrics, metricKeys: keys.length > run.metricKeys.length ? keys : run.metricKeys })
    } else {
      update(current, key, { progress: Math.max(run.progress, event.epoch + Math.min(1, (event.batch + 1) / perEpoch)) })
    }
  }
  try {
    const parentRunId = jobById(jobId)?.parentRunId
    const spec = { ...planned.spec, tags: { ...planned.spec.tags, ...planned.tags }, ...(parentRunId ? { parentRunId } : {}) }
    const result = await trainingBridge().train(spec, { signal: controller.signal, onProgress })
    const current = jobById(jobId)!
    update(current, key, { phase: result.status, stopping: false, runId: result.runId, metrics: Object.keys(result.metrics).length ? result.metrics : current.runs.find(run => run.key === key)!.metrics,
      ...(result.status === 'FINISHED' ? { progress: result.epochs, epochs: result.epochs } : {}) })
  } catch (error) {
    const cancelled = controller.signal.aborted
    // Stopped before the worker created a run: nothing ran, so nothing was killed.
    const started = jobById(jobId)!.runs.find(run => run.key === key)?.runId !== undefined
    update(jobById(jobId)!, key, cancelled ? { phase: started ? 'KILLED' : 'skipped', stopping: false } : { phase: 'FAILED', stopping: false, error: describeError(error) })
  } finally {
    controllers.delete(key)
  }
}

/** Runs `tasks` with at most `limit` in flight, in order. */
async function pool(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0
  const worker = async () => { while (next < tasks.length) await tasks[next++]!() }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker))
}

/**
 * Starts a job: for a sweep, first the parent run (FINISHED when every child finished, KILLED when stopped,
 * FAILED when a child failed), then the trainings `concurrency` at a time. Resolves with the job's id once
 * it is registered; the trainings go on in the background.
 */
export async function startJob(options: StartJobOptions): Promise<string> {
  const id = `job-${++nextId}`
  let parentRunId: string | undefined
  if (options.kind === 'sweep') {
    const parent = await client.createRun(options.experimentId, { runName: options.name, tags: { 'lablog.sweep': 'parent' } })
    parentRunId = parent.info.runId
    await client.logBatch(parentRunId, { params: Object.entries(options.sweepParams ?? {}).map(([key, value]) => ({ key, value })) })
  }
  const runs: TrackedRun[] = options.runs.map((planned, index) => {
    const key = `${id}-${index}`
    controllers.set(key, new AbortController())
    return { key, label: planned.label, shortLabel: planned.shortLabel ?? planned.label, phase: 'queued', progress: 0, epochs: planned.spec.fit?.epochs ?? 20, metrics: {}, metricKeys: [] }
  })
  jobs = [{ id, kind: options.kind, name: options.name, experimentId: options.experimentId, ...(parentRunId ? { parentRunId } : {}), concurrency: options.concurrency, runs, done: false, stopped: false }, ...jobs]
  publish()
  void pool(options.runs.map((planned, index) => () => trainOne(id, runs[index]!.key, planned, options)), options.concurrency).then(async () => {
    const job = jobById(id)!
    if (parentRunId) {
      const status = job.stopped ? 'KILLED' : job.runs.some(run => run.phase === 'FAILED') ? 'FAILED' : 'FINISHED'
      await client.setTerminated(parentRunId, status).catch(() => {})
    }
    job.done = true
    publish()
  })
  return id
}

/** Stops one training: a running one ends KILLED after its current batch; a queued one never starts. */
export function stopRun(jobId: string, key: string): void {
  const job = jobById(jobId)
  const run = job?.runs.find(item => item.key === key)
  if (!job || !run || hasEnded(run)) return
  controllers.get(key)?.abort()
  update(job, key, run.phase === 'queued' ? { phase: 'skipped' } : { stopping: true })
}

/** Stops every training of a job (the sweep's "Stop all"). */
export function stopJob(jobId: string): void {
  const job = jobById(jobId)
  if (!job) return
  job.stopped = true
  for (const run of job.runs) if (!hasEnded(run)) stopRun(jobId, run.key)
}

/** Forgets ended jobs (the runs stay in the store). */
export function clearEndedJobs(): void {
  jobs = jobs.filter(job => !job.done)
  publish()
}
