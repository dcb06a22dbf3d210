import { beforeEach, describe, expect, it } from 'vitest'
import { MlflowClient, mlflow } from '../../../src/index.ts'
import { freshTrackingUri } from '../../helpers.ts'

let client: MlflowClient
beforeEach(() => { client = new MlflowClient(freshTrackingUri()) })

describe('experiments', () => {
  it('every new store has the Default experiment with id "0"', async () => {
    const experiment = await client.getExperiment('0')
    expect(experiment).toMatchObject({ experimentId: '0', name: 'Default', lifecycleStage: 'active' })
  })

  it('createExperiment returns a string id and keeps artifact location and tags', async () => {
    const id = await client.createExperiment('GradientBoss', { artifactLocation: 's3://bucket/gb', tags: { team: 'vision', epochs: 3 } })
    expect(typeof id).toBe('string')
    const experiment = await client.getExperiment(id)
    expect(experiment).toMatchObject({ name: 'GradientBoss', artifactLocation: 's3://bucket/gb', tags: { team: 'vision', epochs: '3' } })
    expect(experiment.creationTime).toBeGreaterThan(0)
  })

  it('ids count up and are distinct', async () => {
    const first = await client.createExperiment('a')
    const second = await client.createExperiment('b')
    expect(BigInt(second)).toBe(BigInt(first) + 1n)
  })

  it('a duplicate name is RESOURCE_ALREADY_EXISTS, also for a deleted experiment, and writes nothing', async () => {
    const id = await client.createExperiment('dup')
    await expect(client.createExperiment('dup')).rejects.toMatchObject({ errorCode: 'RESOURCE_ALREADY_EXISTS' })
    await client.deleteExperiment(id)
    await expect(client.createExperiment('dup')).rejects.toMatchObject({ errorCode: 'RESOURCE_ALREADY_EXISTS', message: expect.stringContaining('deleted') })
    const all = await client.searchExperiments({ viewType: 'ALL' })
    expect(all.experiments.filter(experiment => experiment.name === 'dup')).toHaveLength(1)
  })

  it('an empty name is INVALID_PARAMETER_VALUE', async () => {
    await expect(client.createExperiment('')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })

  it('getExperiment of an unknown id is RESOURCE_DOES_NOT_EXIST; getExperimentByName is null', async () => {
    await expect(client.getExperiment('987654321')).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST', message: 'No Experiment with id=987654321 exists' })
    expect(await client.getExperimentByName('no-such-experiment')).toBeNull()
  })

  it('rename keeps the id; renaming onto a taken name fails and changes nothing', async () => {
    const id = await client.createExperiment('old')
    await client.createExperiment('taken')
    await client.renameExperiment(id, 'new')
    expect((await client.getExperiment(id)).name).toBe('new')
    await expect(client.renameExperiment(id, 'taken')).rejects.toMatchObject({ errorCode: 'RESOURCE_ALREADY_EXISTS' })
    expect((await client.getExperiment(id)).name).toBe('new')
  })

  it('delete marks the experiment and its runs deleted; restore brings both back', async () => {
    const id = await client.createExperiment('to-delete')
    const run = await client.createRun(id)
    await client.deleteExperiment(id)
    expect((await client.getExperiment(id)).lifecycleStage).toBe('deleted')
    expect((await client.getRun(run.info.runId)).info.lifecycleStage).toBe('deleted')
    await client.restoreExperiment(id)
    expect((await client.getExperiment(id)).lifecycleStage).toBe('active')
    expect((await client.getRun(run.info.runId)).info.lifecycleStage).toBe('active')
  })

  it('restore does not revive a run that was deleted before its experiment', async () => {
    const id = await client.createExperiment('mixed')
    const deletedEarlier = await client.createRun(id)
    await client.deleteRun(deletedEarlier.info.runId)
    await new Promise(resolve => setTimeout(resolve, 2))
    await client.deleteExperiment(id)
    await client.restoreExperiment(id)
    expect((await client.getRun(deletedEarlier.info.runId)).info.lifecycleStage).toBe('deleted')
  })

  it('the Default experiment cannot be deleted', async () => {
    await expect(client.deleteExperiment('0')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    expect((await client.getExperiment('0')).lifecycleStage).toBe('active')
  })

  it('creating a run in a deleted experiment is INVALID_STATE', async () => {
    const id = await client.createExperiment('gone')
    await client.deleteExperiment(id)
    await expect(client.createRun(id)).rejects.toMatchObject({ errorCode: 'INVALID_STATE' })
    expect((await client.searchRuns({ experimentIds: [id], runViewType: 'ALL' })).runs).toHaveLength(0)
  })

  it('a run refused in an experiment deleted after runs were made there leaves no row behind', async () => {
    const id = await client.createExperiment('deleted-later')
    await client.createRun(id)
    await client.deleteExperiment(id)
    await expect(client.createRun(id)).rejects.toMatchObject({ errorCode: 'INVALID_STATE' })
    expect((await client.searchRuns({ experimentIds: [id], runViewType: 'ALL' })).runs).toHaveLength(1)
  })

  it('experiment tags are set, overwritten and deleted; a bad key is refused', async () => {
    const id = await client.createExperiment('tagged')
    await client.setExperimentTag(id, 'owner', 'ana')
    await client.setExperimentTag(id, 'owner', 'bo')
    expect((await client.getExperiment(id)).tags).toEqual({ owner: 'bo' })
    await expect(client.setExperimentTag(id, 'bad,key', 'x')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await client.deleteExperimentTag(id, 'owner')
    expect((await client.getExperiment(id)).tags).toEqual({})
  })

  it('tagging a deleted experiment is INVALID_PARAMETER_VALUE', async () => {
    const id = await client.createExperiment('deleted-tags')
    await client.deleteExperiment(id)
    await expect(client.setExperimentTag(id, 'k', 'v')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })
})

describe('searchExperiments', () => {
  it('filters on name and tags, orders, pages and honours the view type', async () => {
    for (const name of ['alpha', 'beta', 'gamma', 'delta']) {
      await client.createExperiment(name, { tags: { kind: name.length === 5 ? 'five' : 'other' } })
    }
    const five = await client.searchExperiments({ filter: "tags.kind = 'five'", orderBy: ['name ASC'] })
    expect(five.experiments.map(experiment => experiment.name)).toEqual(['alpha', 'delta', 'gamma'])
    const like = await client.searchExperiments({ filter: "name LIKE '%ta'" })
    expect(like.experiments.map(experiment => experiment.name).sort()).toEqual(['beta', 'delta'])

    const page1 = await client.searchExperiments({ orderBy: ['name ASC'], maxResults: 2 })
    expect(page1.experiments.map(experiment => experiment.name)).toEqual(['Default', 'alpha'])
    const page2 = await client.searchExperiments({ orderBy: ['name ASC'], maxResults: 2, pageToken: page1.nextPageToken })
    expect(page2.experiments.map(experiment => experiment.name)).toEqual(['beta', 'delta'])

    const gamma = await client.getExperimentByName('gamma')
    await client.deleteExperiment(gamma!.experimentId)
    const active = await client.searchExperiments()
    expect(active.experiments.map(experiment => experiment.name)).not.toContain('gamma')
    const deleted = await client.searchExperiments({ viewType: 'DELETED_ONLY' })
    expect(deleted.experiments.map(experiment => experiment.name)).toEqual(['gamma'])
  })

  it('by default lists the newest first', async () => {
    await client.createExperiment('first')
    await new Promise(resolve => setTimeout(resolve, 2))
    await client.createExperiment('second')
    const { experiments } = await client.searchExperiments()
    expect(experiments[0]!.name).toBe('second')
  })
})

describe('fluent setExperiment', () => {
  beforeEach(() => mlflow.setTrackingUri(freshTrackingUri()))

  it('creates the experiment when absent, then new runs go into it', async () => {
    const experiment = await mlflow.setExperiment('GradientBoss')
    expect(experiment.name).toBe('GradientBoss')
    expect((await mlflow.setExperiment('GradientBoss')).experimentId).toBe(experiment.experimentId)
    const run = await mlflow.startRun()
    await mlflow.endRun()
    expect(run.info.experimentId).toBe(experiment.experimentId)
  })

  it('refuses a deleted experiment', async () => {
    const id = await mlflow.createExperiment('old')
    await mlflow.deleteExperiment(id)
    await expect(mlflow.setExperiment('old')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })

  it('an unknown tracking URI scheme is a clear error', () => {
    expect(() => mlflow.setTrackingUri('ftp://example/x')).toThrow(/Unsupported tracking URI scheme 'ftp:'/)
    expect(mlflow.getTrackingUri()).toMatch(/^indexeddb:\/\//)
  })
})
