/**
 * Behaviour every tracking backend shares, run against any store through the public client:
 * the local IndexedDB store and the REST store must pass the same checks, errors included.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isMlflowError } from '../../src/core/errors.ts'
import type { MlflowClient } from '../../src/tracking/client.ts'

export interface ContractTarget { client: MlflowClient; close(): Promise<void> }

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try { await promise } catch (error) { return isMlflowError(error) ? error.errorCode : `not an MlflowError: ${String(error)}` }
  return undefined
}

/** Registers the contract's tests for one backend; `open` gives a fresh, empty store each time. */
export function describeTrackingStoreContract(label: string, open: () => Promise<ContractTarget>): void {
  describe(`${label} meets the tracking store contract`, () => {
    let target: ContractTarget
    let client: MlflowClient
    beforeEach(async () => { target = await open(); client = target.client })
    afterEach(async () => { await target.close() })

    async function newRun(name = 'run') {
      const experimentId = await client.createExperiment(`exp-${crypto.randomUUID()}`)
      return { experimentId, run: await client.createRun(experimentId, { runName: name, startTime: 1_735_689_600_000 }) }
    }

    it('creates, finds and renames experiments, with tags', async () => {
      const id = await client.createExperiment('contract', { tags: { team: 'ml' } })
      const experiment = await client.getExperiment(id)
      expect(experiment).toMatchObject({ experimentId: id, name: 'contract', lifecycleStage: 'active', tags: { team: 'ml' } })
      expect((await client.getExperimentByName('contract'))?.experimentId).toBe(id)
      expect(await client.getExperimentByName('absent')).toBeNull()
      await client.renameExperiment(id, 'contract-renamed')
      expect((await client.getExperiment(id)).name).toBe('contract-renamed')
      await client.setExperimentTag(id, 'stage', 'demo')
      expect((await client.getExperiment(id)).tags).toEqual({ team: 'ml', stage: 'demo' })
    })

    it('refuses a taken experiment name, also a deleted one, and reports unknown ids', async () => {
      const id = await client.createExperiment('taken')
      expect(await codeOf(client.createExperiment('taken'))).toBe('RESOURCE_ALREADY_EXISTS')
      await client.deleteExperiment(id)
      expect((await client.getExperiment(id)).lifecycleStage).toBe('deleted')
      expect(await codeOf(client.createExperiment('taken'))).toBe('RESOURCE_ALREADY_EXISTS')
      expect(await codeOf(client.createRun(id))).toBe('INVALID_STATE')
      await client.restoreExperiment(id)
      expect((await client.getExperiment(id)).lifecycleStage).toBe('active')
      expect(await codeOf(client.getExperiment('987654321'))).toBe('RESOURCE_DOES_NOT_EXIST')
      expect(await codeOf(client.createExperiment(''))).toBe('INVALID_PARAMETER_VALUE')
    })

    it('logs params, metrics and tags, and reads the latest metric values back', async () => {
      const { run } = await newRun('logging')
      const runId = run.info.runId
      expect(run.info).toMatchObject({ runName: 'logging', status: 'RUNNING', endTime: null, lifecycleStage: 'active' })
      expect(run.data.tags['mlflow.runName']).toBe('logging')
      await client.logBatch(runId, {
        params: [{ key: 'lr', value: 0.01 }, { key: 'layers', value: [64, 32] }],
        tags: [{ key: 'phase', value: 'train' }],
        metrics: [0, 1, 2].map(step => ({ key: 'loss', value: 1 / (step + 1), timestamp: 1_735_689_600_000 + step, step })),
      })
      await client.logMetric(runId, 'val/acc', 0.9, { step: 4, timestamp: 1_735_689_600_100 })
      await client.setTag(runId, 'phase', 'eval')
      const read = await client.getRun(runId)
      expect(read.data.params).toEqual({ lr: '0.01', layers: '[64, 32]' })
      expect(read.data.metrics).toEqual({ loss: 1 / 3, 'val/acc': 0.9 })
      expect(read.data.tags).toMatchObject({ phase: 'eval', 'mlflow.runName': 'logging' })
    })

    it('keeps params immutable: the same value again is fine, another is INVALID_PARAMETER_VALUE', async () => {
      const { run } = await newRun()
      await client.logParam(run.info.runId, 'lr', '0.01')
      await client.logParam(run.info.runId, 'lr', '0.01')
      expect(await codeOf(client.logParam(run.info.runId, 'lr', '0.02'))).toBe('INVALID_PARAMETER_VALUE')
      expect((await client.getRun(run.info.runId)).data.params.lr).toBe('0.01')
    })

    it('refuses bad keys and over-long values before writing anything', async () => {
      const { run } = await newRun()
      expect(await codeOf(client.logBatch(run.info.runId, { params: [{ key: 'ok', value: '1' }, { key: 'bad key!', value: '2' }] }))).toBe('INVALID_PARAMETER_VALUE')
      expect(await codeOf(client.logParam(run.info.runId, 'long', 'x'.repeat(6001)))).toBe('INVALID_PARAMETER_VALUE')
      expect(await codeOf(client.setTag(run.info.runId, 'a/../b', 'v'))).toBe('INVALID_PARAMETER_VALUE')
      expect((await client.getRun(run.info.runId)).data.params).toEqual({})
    })

    it('returns metric history in step order with NaN and infinities intact, also as columns', async () => {
      const { run } = await newRun()
      const runId = run.info.runId
      const t = 1_735_689_600_000
      await client.logBatch(runId, { metrics: [
        { key: 'm', value: 3, timestamp: t + 3, step: 2 }, { key: 'm', value: NaN, timestamp: t, step: 0 },
        { key: 'm', value: Infinity, timestamp: t + 1, step: 1 }, { key: 'm', value: -Infinity, timestamp: t + 4, step: 2 ** 40 },
        { key: 'm', value: -1.5, timestamp: t + 2, step: -1 },
      ] })
      const history = await client.getMetricHistory(runId, 'm')
      expect(history.map(point => point.step)).toEqual([-1, 0, 1, 2, 2 ** 40])
      expect(history.map(point => point.value)).toEqual([-1.5, NaN, Infinity, 3, -Infinity])
      const columns = await client.getMetricColumns(runId, 'm')
      expect(columns.steps).toBeInstanceOf(Float64Array)
      expect(Array.from(columns.timestamps)).toEqual([t + 2, t, t + 1, t + 3, t + 4])
      expect(await client.getMetricHistory(runId, 'never-logged')).toEqual([])
      expect(await codeOf(client.getMetricHistory('0'.repeat(32), 'm'))).toBe('RESOURCE_DOES_NOT_EXIST')
    })

    it('ends, deletes and restores runs; a deleted run refuses writes', async () => {
      const { run } = await newRun()
      const runId = run.info.runId
      const info = await client.setTerminated(runId, 'FAILED', 1_735_689_660_000)
      expect(info).toMatchObject({ status: 'FAILED', endTime: 1_735_689_660_000 })
      await client.logMetric(runId, 'after_end', 1, { timestamp: 1_735_689_600_000 })
      await client.deleteRun(runId)
      expect((await client.getRun(runId)).info.lifecycleStage).toBe('deleted')
      expect(await codeOf(client.logParam(runId, 'k', 'v'))).toBe('INVALID_PARAMETER_VALUE')
      await client.restoreRun(runId)
      await client.logParam(runId, 'k', 'v')
      expect(await codeOf(client.getRun('0'.repeat(32)))).toBe('RESOURCE_DOES_NOT_EXIST')
      expect(await codeOf(client.deleteTag(runId, 'nope'))).toBe('RESOURCE_DOES_NOT_EXIST')
    })

    it('searches runs with a filter and an order, page by page', async () => {
      const { experimentId } = await newRun('seed')
      for (let index = 0; index < 5; index++) {
        const run = await client.createRun(experimentId, { runName: `r${index}`, startTime: 1_735_689_600_000 + index })
        await client.logBatch(run.info.runId, { metrics: [{ key: 'acc', value: index / 10, timestamp: 1_735_689_600_000, step: 0 }], params: [{ key: 'i', value: index }] })
      }
      const best = await client.searchRuns({ experimentIds: [experimentId], filter: 'metrics.acc > 0.15', orderBy: ['metrics.acc DESC'] })
      expect(best.runs.map(run => run.info.runName)).toEqual(['r4', 'r3', 'r2'])
      const names: string[] = []
      let pageToken: string | undefined
      let pages = 0
      do {
        const page = await client.searchRuns({ experimentIds: [experimentId], orderBy: ['attributes.run_name ASC'], maxResults: 2, pageToken })
        names.push(...page.runs.map(run => run.info.runName))
        pageToken = page.nextPageToken
        pages++
      } while (pageToken && pages < 10)
      expect(names).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'seed'])
    })

    it('finds experiments by filter, and deleted ones only when asked', async () => {
      const keep = await client.createExperiment('search-keep')
      const drop = await client.createExperiment('search-drop')
      await client.deleteExperiment(drop)
      const active = await client.searchExperiments({ filter: "name LIKE 'search-%'" })
      expect(active.experiments.map(experiment => experiment.experimentId)).toEqual([keep])
      const deleted = await client.searchExperiments({ filter: "name LIKE 'search-%'", viewType: 'DELETED_ONLY' })
      expect(deleted.experiments.map(experiment => experiment.experimentId)).toEqual([drop])
    })

    it('logs dataset inputs', async () => {
      const { run } = await newRun()
      await client.logInputs(run.info.runId, [{ dataset: { name: 'iris', digest: 'abc123', sourceType: 'local', source: '{"uri": "iris.csv"}' }, tags: { 'mlflow.data.context': 'training' } }])
      const read = await client.getRun(run.info.runId)
      expect(read.inputs.datasetInputs).toEqual([{ dataset: { name: 'iris', digest: 'abc123', sourceType: 'local', source: '{"uri": "iris.csv"}' }, tags: { 'mlflow.data.context': 'training' } }])
    })

    it('stores, lists, reads and deletes artifacts', async () => {
      const { run } = await newRun()
      const runId = run.info.runId
      await client.logText(runId, 'hello artifact\n', 'notes/hello.txt')
      await client.logDict(runId, { a: 1 }, 'deep/er/config.json')
      const png = new Blob([Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 255, 128])], { type: 'image/png' })
      await client.logArtifact(runId, png, 'images', 'pixel.png')
      expect(await client.listArtifacts(runId)).toEqual([
        { path: 'deep', isDir: true }, { path: 'images', isDir: true }, { path: 'notes', isDir: true },
      ])
      expect(await client.listArtifacts(runId, 'notes')).toEqual([{ path: 'notes/hello.txt', isDir: false, fileSize: 15 }])
      expect(await client.readArtifactText(runId, 'notes/hello.txt')).toBe('hello artifact\n')
      expect(await client.readArtifactJson(runId, 'deep/er/config.json')).toEqual({ a: 1 })
      expect(new Uint8Array(await (await client.readArtifact(runId, 'images/pixel.png')).arrayBuffer())).toEqual(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 255, 128]))
      expect(await codeOf(client.readArtifact(runId, 'notes/missing.txt'))).toBe('RESOURCE_DOES_NOT_EXIST')
      expect(await codeOf(client.logText(runId, 'x', '../escape.txt'))).toBe('INVALID_PARAMETER_VALUE')
      await client.deleteArtifacts(runId, 'notes')
      expect((await client.listArtifacts(runId)).map(entry => entry.path)).toEqual(['deep', 'images'])
    })
  })
}
