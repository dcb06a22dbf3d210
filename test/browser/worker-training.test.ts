// Training in a real Web Worker through comlink: live metrics, cancel, errors with their code, a killed worker.
import { afterEach, describe, expect, it } from 'vitest'
import { MlflowClient, MlflowError, TrainingBridge, mlflow } from '../../src/index.ts'
import type { TrainingProgress, TrainingSpec } from '../../src/index.ts'
import { createTrainingWorker } from '../../workers/create-training-worker.ts'
import { freshTrackingUri } from '../helpers.ts'

const bridges: TrainingBridge[] = []
afterEach(() => { for (const bridge of bridges.splice(0)) bridge.terminate() })

function newBridge(options: { staleAfterMs?: number } = {}): TrainingBridge {
  const bridge = new TrainingBridge({ createWorker: createTrainingWorker, ...options })
  bridges.push(bridge)
  return bridge
}

function irisSpec(trackingUri: string, overrides: Partial<TrainingSpec> = {}): TrainingSpec {
  return {
    dataset: { builtin: 'iris' }, model: { preset: 'mlp', hiddenUnits: [16] }, compile: { learningRate: 0.05 },
    fit: { epochs: 12, batchSize: 16 }, trackingUri, backend: 'cpu', seed: 1, ...overrides,
  }
}

/** Resolves on the first progress event that matches. */
function waitForProgress(events: TrainingProgress[], match: (event: TrainingProgress) => boolean): Promise<TrainingProgress> {
  return new Promise(resolve => {
    const timer = setInterval(() => {
      const found = events.find(match)
      if (found) { clearInterval(timer); resolve(found) }
    }, 5)
  })
}

describe('training in a worker', () => {
  it('trains with autolog in the worker while the window sees progress and the metrics land in IndexedDB', async () => {
    const trackingUri = freshTrackingUri('worker')
    const client = new MlflowClient(trackingUri)
    const events: TrainingProgress[] = []
    let seenLiveInWindow = -1
    const bridge = newBridge()
    const result = await bridge.train(irisSpec(trackingUri, { fit: { epochs: 30, batchSize: 16 } }), {
      onProgress: event => {
        events.push(event)
        // Mid-training, the window reads the metrics the worker logged so far from its own IndexedDB connection.
        if (event.type === 'epoch' && event.epoch === 10) {
          void client.getMetricHistory(event.runId, 'loss').then(points => { seenLiveInWindow = points.length })
        }
      },
    })
    expect(result).toMatchObject({ status: 'FINISHED', epochs: 30, backend: 'cpu' })
    expect(events[0]).toMatchObject({ type: 'started', runId: result.runId })
    expect(events.filter(event => event.type === 'epoch')).toHaveLength(30)
    const lastEpoch = events.filter(event => event.type === 'epoch').at(-1) as Extract<TrainingProgress, { type: 'epoch' }>
    expect(lastEpoch.metrics).toEqual(result.metrics)
    expect(seenLiveInWindow).toBeGreaterThan(0)
    expect(seenLiveInWindow).toBeLessThan(30)

    const run = await client.getRun(result.runId)
    expect(run.info.status).toBe('FINISHED')
    expect(run.data.tags).toMatchObject({ 'mlflow.autologging': 'tfjs', 'lablog.training.context': 'worker', 'lablog.tfjs.backend': 'cpu' })
    expect(run.data.tags['lablog.device.user_agent']).toContain('Chrome')
    expect((await client.getMetricHistory(result.runId, 'val_acc')).map(point => point.step)).toEqual([...Array(30).keys()])

    // The model the worker logged loads in the window and predicts raw iris rows.
    mlflow.setTrackingUri(trackingUri)
    const model = await mlflow.tfjs.loadModel(result.modelUri!)
    const output = await mlflow.tfjs.predict(model, [[5.1, 3.5, 1.4, 0.2], [7.7, 3.0, 6.1, 2.3]])
    expect(await (output as import('@tensorflow/tfjs').Tensor).argMax(1).array()).toEqual([0, 2])
  })

  it('cancels a training: the run ends KILLED and keeps the epochs logged before the cancel', async () => {
    const trackingUri = freshTrackingUri('worker-cancel')
    const client = new MlflowClient(trackingUri)
    const controller = new AbortController()
    const result = await newBridge().train(irisSpec(trackingUri, { fit: { epochs: 10_000, batchSize: 8 } }), {
      signal: controller.signal,
      onProgress: event => { if (event.type === 'epoch' && event.epoch === 2) controller.abort() },
    })
    expect(result.status).toBe('KILLED')
    expect(result.modelUri).toBeUndefined()
    const run = await client.getRun(result.runId)
    expect(run.info.status).toBe('KILLED')
    const steps = (await client.getMetricHistory(result.runId, 'loss')).map(point => point.step)
    expect(steps.slice(0, 3)).toEqual([0, 1, 2])
    expect(steps.length).toBeLessThan(100)
  })

  it("rejects with the worker's MlflowError, errorCode intact", async () => {
    const trackingUri = freshTrackingUri('worker-error')
    const error = await newBridge().train(irisSpec(trackingUri, { model: { preset: 'cnn' } })).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(MlflowError)
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('cnn preset needs image data') })
    const unknownExperiment = await newBridge().train(irisSpec(trackingUri, { experiment: { id: '424242' } })).catch((caught: unknown) => caught)
    expect(unknownExperiment).toMatchObject({ name: 'MlflowError', errorCode: 'RESOURCE_DOES_NOT_EXIST' })
  })

  it('leaves the metrics of a worker killed mid-run, and the next start marks its run KILLED', async () => {
    const trackingUri = freshTrackingUri('worker-killed')
    const client = new MlflowClient(trackingUri)
    const events: TrainingProgress[] = []
    const bridge = newBridge()
    const training = bridge.train(irisSpec(trackingUri, { fit: { epochs: 10_000, batchSize: 8 }, heartbeatIntervalMs: 100 }), { onProgress: event => events.push(event) })
    const outcome = training.catch((caught: unknown) => caught)
    const { runId } = await waitForProgress(events, event => event.type === 'started')
    // Kill the worker once the window has seen a few epochs' metrics land in IndexedDB.
    let durable = await client.getMetricHistory(runId, 'loss')
    while (durable.length < 3) {
      await new Promise(resolve => setTimeout(resolve, 10))
      durable = await client.getMetricHistory(runId, 'loss')
    }
    bridge.terminate()
    expect(await outcome).toMatchObject({ errorCode: 'CANCELLED' })

    const orphan = await client.getRun(runId)
    expect(orphan.info.status).toBe('RUNNING')
    const afterKill = await client.getMetricHistory(runId, 'loss')
    expect(afterKill.slice(0, durable.length)).toEqual(durable)
    expect(afterKill.map(point => point.step)).toEqual([...afterKill.keys()])

    await new Promise(resolve => setTimeout(resolve, 400))
    const nextStart = newBridge({ staleAfterMs: 300 })
    expect(await nextStart.recoverAbandonedRuns(trackingUri)).toEqual([runId])
    const recovered = await client.getRun(runId)
    expect(recovered.info.status).toBe('KILLED')
    expect(recovered.info.endTime).toBeGreaterThanOrEqual(recovered.info.startTime)
    expect(await client.getMetricHistory(runId, 'loss')).toEqual(afterKill)
  })

  it('runs two trainings side by side in two workers, and reuses an idle worker', async () => {
    const trackingUri = freshTrackingUri('worker-pool')
    const bridge = newBridge()
    const [first, second] = await Promise.all([
      bridge.train(irisSpec(trackingUri, { fit: { epochs: 3 } })),
      bridge.train(irisSpec(trackingUri, { fit: { epochs: 3 }, seed: 2 })),
    ])
    expect([first.status, second.status]).toEqual(['FINISHED', 'FINISHED'])
    expect(first.runId).not.toBe(second.runId)
    expect(bridge.workerCount).toBe(2)
    await bridge.train(irisSpec(trackingUri, { fit: { epochs: 1 } }))
    expect(bridge.workerCount).toBe(2)
  })
})

describe('backends in a worker', () => {
  it('trains on the wasm backend, served locally', async () => {
    const trackingUri = freshTrackingUri('worker-wasm')
    const result = await newBridge().train(irisSpec(trackingUri, { backend: 'wasm', fit: { epochs: 3 } }))
    expect(result).toMatchObject({ status: 'FINISHED', backend: 'wasm' })
    const run = await new MlflowClient(trackingUri).getRun(result.runId)
    expect(run.data.tags['lablog.tfjs.backend']).toBe('wasm')
  })

  it('picks wasm automatically in a worker', async () => {
    const trackingUri = freshTrackingUri('worker-auto')
    const result = await newBridge().train(irisSpec(trackingUri, { backend: 'auto', fit: { epochs: 1 } }))
    expect(result.backend).toBe('wasm')
  })

  it('trains on webgl through OffscreenCanvas', async () => {
    const trackingUri = freshTrackingUri('worker-webgl')
    const result = await newBridge().train(irisSpec(trackingUri, { backend: 'webgl', fit: { epochs: 2 } }))
    expect(result).toMatchObject({ status: 'FINISHED', backend: 'webgl' })
  })

  it('refuses webgpu with a clear error while its backend package is not bundled', async () => {
    const trackingUri = freshTrackingUri('worker-webgpu')
    await expect(newBridge().train(irisSpec(trackingUri, { backend: 'webgpu' }))).rejects.toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('@tensorflow/tfjs-backend-webgpu'),
    })
  })
})
