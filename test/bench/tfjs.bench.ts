/**
 * Benchmarks for TensorFlow.js tracking, run in Chromium by scripts/bench.mjs: autolog's overhead on
 * a real fit, and how long the window's main thread is blocked while a worker trains.
 */
import * as tf from '@tensorflow/tfjs'
import { MlflowClient, TrainingBridge, loadBuiltinDataset, mlflow } from '../../src/index.ts'
import { useBackend } from '../../src/training/backend.ts'
import { createTrainingWorker } from '../../workers/create-training-worker.ts'
import { wasmPaths } from '../../workers/wasm-paths.ts'

interface BenchFigure { name: string; value: number; unit: string; target?: string }

const EPOCHS = 20
const REPEATS = 5
const SEED = 7

function digitsMlp(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 64, inputShape: [64], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: SEED }) }),
      tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: SEED + 1 }) }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: SEED + 2 }) }),
    ],
  })
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] })
  return model
}

// The fastest of several interleaved repeats: on a shared machine, noise only ever adds time.
const fastest = (values: number[]) => Math.min(...values)

/** Wall time of one fit (model built outside the timing), with the given autolog setting. */
async function timedFit(x: tf.Tensor, y: tf.Tensor, mode: 'off' | 'epoch' | 'every-batch'): Promise<number> {
  if (mode === 'off') await mlflow.autolog({ disable: true })
  else await mlflow.autolog({ logEveryNSteps: mode === 'every-batch' ? 1 : 0 })
  const model = digitsMlp()
  const started = performance.now()
  await model.fit(x, y, { epochs: EPOCHS, batchSize: 32, validationSplit: 0.2, shuffle: false, verbose: 0 })
  await mlflow.flush()
  const elapsed = performance.now() - started
  model.dispose()
  return elapsed
}

/** Autolog overhead: the same seeded fit without autolog, with it, and with per-batch logging, interleaved, fastest of each. */
async function autologOverhead(): Promise<BenchFigure[]> {
  const backend = await useBackend(tf, 'wasm', wasmPaths).catch(() => useBackend(tf, 'cpu'))
  mlflow.setTrackingUri(`indexeddb://bench-tfjs-${crypto.randomUUID()}`)
  const digits = await loadBuiltinDataset('digits')
  const x = tf.tensor2d(digits.features)
  const y = tf.oneHot(tf.tensor1d(digits.targets, 'int32'), 10)
  await timedFit(x, y, 'off') // warm-up: kernels, IndexedDB
  const times = { off: [] as number[], epoch: [] as number[], 'every-batch': [] as number[] }
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (const mode of ['off', 'epoch', 'every-batch'] as const) times[mode].push(await timedFit(x, y, mode))
  }
  await mlflow.autolog({ disable: true })
  tf.dispose([x, y])
  const plain = fastest(times.off)
  // Overhead as the median of per-repeat ratios: neighbouring fits share the machine's load, so a
  // busy neighbour process skews a ratio less than it skews either time.
  const overhead = (mode: 'epoch' | 'every-batch') => {
    const ratios = times[mode].map((time, repeat) => time / times.off[repeat]!).sort((a, b) => a - b)
    return +((ratios[Math.floor(ratios.length / 2)]! - 1) * 100).toFixed(1)
  }
  return [
    { name: `digits MLP ${EPOCHS} epochs, no autolog (${backend}, fastest of ${REPEATS})`, value: Math.round(plain), unit: 'ms' },
    { name: `digits MLP ${EPOCHS} epochs, autolog (${backend}, fastest of ${REPEATS})`, value: Math.round(fastest(times.epoch)), unit: 'ms' },
    { name: 'autolog overhead (median of paired ratios)', value: overhead('epoch'), unit: '%', target: '≤ 3%' },
    { name: 'autolog overhead, per-batch metrics every step', value: overhead('every-batch'), unit: '%', target: '≤ 10%' },
  ]
}

/**
 * How long the main thread was unavailable while `work` ran: the longest long-task entry (a task
 * that really ran > 50 ms on it), and the longest gap a MessageChannel ping loop saw (which also
 * counts time the OS gave the thread to others: on a loaded machine, the gap exceeds the tasks).
 */
async function mainThreadBlocking(work: () => Promise<unknown>): Promise<{ longestTask: number; longestGap: number }> {
  let longestTask = 0
  let longestGap = 0
  let running = true
  const observer = typeof PerformanceObserver !== 'undefined' && PerformanceObserver.supportedEntryTypes?.includes('longtask')
    ? new PerformanceObserver(list => { for (const entry of list.getEntries()) longestTask = Math.max(longestTask, entry.duration) }) : undefined
  observer?.observe({ entryTypes: ['longtask'] })
  const channel = new MessageChannel()
  let last = performance.now()
  channel.port1.onmessage = () => {
    const now = performance.now()
    longestGap = Math.max(longestGap, now - last)
    last = now
    if (running) channel.port2.postMessage(0)
  }
  channel.port2.postMessage(0)
  try { await work() } finally {
    running = false
    observer?.disconnect()
    channel.port1.close()
  }
  return { longestTask, longestGap }
}

/** Main-thread blocking while a worker trains, against the same training in the window. */
async function workerVersusWindow(): Promise<BenchFigure[]> {
  const trackingUri = `indexeddb://bench-worker-${crypto.randomUUID()}`
  const spec = { dataset: { builtin: 'digits' as const }, model: { preset: 'mlp' as const, hiddenUnits: [64, 32] }, fit: { epochs: EPOCHS }, trackingUri, backend: 'wasm' as const, seed: SEED }
  const bridge = new TrainingBridge({ createWorker: createTrainingWorker })
  try {
    await bridge.train({ ...spec, fit: { epochs: 1 } }) // warm-up: worker start, tfjs and wasm load
    // Let the previous phase's garbage be collected first: a GC pause is not the worker's doing.
    await new Promise(resolve => setTimeout(resolve, 1000))
    const idle = await mainThreadBlocking(() => new Promise(resolve => setTimeout(resolve, 2000)))
    const inWorker = await mainThreadBlocking(() => bridge.train(spec))
    const { train } = await import('../../src/training/train.ts')
    const inWindow = await mainThreadBlocking(() => train(spec, { wasmPaths }))
    await new MlflowClient(trackingUri).flush()
    return [
      { name: `longest main-thread task while a worker trains (digits MLP, ${EPOCHS} epochs; 0 = none over 50 ms)`, value: Math.round(inWorker.longestTask), unit: 'ms', target: '≤ 50 ms' },
      { name: 'longest main-thread gap while a worker trains (includes OS scheduling)', value: Math.round(inWorker.longestGap), unit: 'ms' },
      { name: 'longest main-thread task, same training in the window (for contrast)', value: Math.round(inWindow.longestTask), unit: 'ms' },
      { name: 'longest main-thread gap, same training in the window', value: Math.round(inWindow.longestGap), unit: 'ms' },
      { name: 'longest main-thread gap over 2 s of idle page (baseline)', value: Math.round(idle.longestGap), unit: 'ms' },
    ]
  } finally {
    bridge.terminate()
  }
}

/** Every figure of this file; the lead's runner prints them. */
export async function run(): Promise<BenchFigure[]> {
  return [...await autologOverhead(), ...await workerVersusWindow()]
}
