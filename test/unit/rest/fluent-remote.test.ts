// The user's view: mlflow.setTrackingUri('http://…') sends the fluent API's whole run to the server.
import { afterEach, describe, expect, it } from 'vitest'
import { mlflow } from '../../../src/tracking/index.ts'
import { DEFAULT_TRACKING_URI } from '../../../src/store/uri.ts'
import { type RestHarness, startRestHarness } from '../../support/rest-harness.ts'

let harness: RestHarness
afterEach(async () => { mlflow.setTrackingUri(DEFAULT_TRACKING_URI); await harness.close() })

describe('mlflow.* with an http tracking URI', () => {
  it('records a whole training run on the server', async () => {
    harness = await startRestHarness()
    mlflow.setTrackingUri(harness.server.url)
    const experiment = await mlflow.setExperiment('remote-training')
    await mlflow.withRun({ runName: 'epochs', description: 'trained remotely' }, async () => {
      await mlflow.logParams({ lr: 0.001, layers: [64, 32], optimizer: 'adam' })
      for (let epoch = 0; epoch < 300; epoch++) void mlflow.logMetrics({ loss: 1 / (epoch + 1), acc: epoch / 300 }, { step: epoch })
      await mlflow.logText('notes', 'notes.md')
    })
    const { runs } = await mlflow.searchRuns({ experimentIds: [experiment.experimentId] })
    expect(runs).toHaveLength(1)
    const run = runs[0]!
    expect(run.info).toMatchObject({ runName: 'epochs', status: 'FINISHED' })
    expect(run.data.params).toEqual({ lr: '0.001', layers: '[64, 32]', optimizer: 'adam' })
    expect(run.data.tags['mlflow.note.content']).toBe('trained remotely')
    expect(run.data.metrics.acc).toBeCloseTo(299 / 300)
    expect(await mlflow.getClient().getMetricHistory(run.info.runId, 'loss')).toHaveLength(300)
    expect(await mlflow.listArtifacts(run.info.runId)).toEqual([{ path: 'notes.md', isDir: false, fileSize: 5 }])
    expect(harness.server.violations()).toEqual([])
  })
})
