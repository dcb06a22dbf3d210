// pushRuns and pullRuns carry the model registry: local versions of pushed runs are registered on
// the server (pointing at the pushed runs), server versions of pulled runs arrive locally, with
// aliases and stages, and doing either again creates nothing twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PULLED_MODEL_VERSION_TAG, pullRuns } from '../../../src/sync/pull.ts'
import { SOURCE_MODEL_VERSION_TAG, pushRuns } from '../../../src/sync/push.ts'
import { MlflowClient } from '../../../src/tracking/client.ts'
import { freshTrackingUri } from '../../helpers.ts'
import { type RestHarness, startRestHarness } from '../../support/rest-harness.ts'

const REGISTRY_WRITES = /^(POST|PATCH|DELETE) (registered-models|model-versions)\//

let harness: RestHarness
let uri: string
let local: MlflowClient
let runId: string
let otherRunId: string

/** Locally: run 'trainer' logged a model, registered twice as 'iris' (Production + champion, Staging + challenger) and once as 'digits'. */
beforeEach(async () => {
  harness = await startRestHarness()
  uri = freshTrackingUri('registry-sync')
  local = new MlflowClient(uri)
  const experimentId = await local.createExperiment('models')
  const run = await local.createRun(experimentId, { runName: 'trainer' })
  runId = run.info.runId
  await local.logText(runId, 'flavors: {tfjs: {}}', 'model/MLmodel')
  await local.logArtifact(runId, new Blob([Uint8Array.from([1, 2, 3])]), 'model', 'weights.bin')
  await local.setTerminated(runId, 'FINISHED')
  await local.createRegisteredModel('iris', { description: 'Iris flowers', tags: { team: 'vision' } })
  await local.createModelVersion('iris', `runs:/${runId}/model`, undefined, { tags: { data: 'v1' }, description: 'first' })
  await local.createModelVersion('iris', `runs:/${runId}/model`)
  await local.transitionModelVersionStage('iris', '1', 'Production')
  await local.transitionModelVersionStage('iris', '2', 'Staging')
  await local.setRegisteredModelAlias('iris', 'champion', '1')
  await local.setRegisteredModelAlias('iris', 'challenger', '2')
  await local.createRegisteredModel('digits')
  await local.createModelVersion('digits', `runs:/${runId}/model`)
  // A version of a run that is not pushed stays local.
  otherRunId = (await local.createRun(experimentId, { runName: 'not-pushed' })).info.runId
  await local.createModelVersion('iris', `runs:/${otherRunId}/model`)
})
afterEach(async () => { expect(harness.server.violations()).toEqual([]); await harness.close() })

const registryWrites = () => harness.server.requests.filter(request => REGISTRY_WRITES.test(`${request.method} ${request.endpoint}`))

describe('pushRuns with the registry', () => {
  it('registers the pushed run\'s versions on the server, pointing at the remote run, with tags, stages and aliases', async () => {
    const [pushed] = await pushRuns({ runIds: [runId], from: uri, to: harness.server.url })
    expect(pushed!.modelVersions).toEqual([
      { name: 'digits', sourceVersion: '1', targetVersion: '1', created: true },
      { name: 'iris', sourceVersion: '1', targetVersion: '1', created: true },
      { name: 'iris', sourceVersion: '2', targetVersion: '2', created: true },
    ])
    const remote = harness.client
    const remoteRun = await remote.getRun(pushed!.remoteRunId)
    expect(await remote.getRegisteredModel('iris')).toMatchObject({
      description: 'Iris flowers', tags: { team: 'vision' }, aliases: [{ alias: 'challenger', version: '2' }, { alias: 'champion', version: '1' }],
    })
    const champion = await remote.getModelVersionByAlias('iris', 'champion')
    expect(champion).toMatchObject({
      version: '1', runId: pushed!.remoteRunId, source: `${remoteRun.info.artifactUri}/model`, currentStage: 'Production', description: 'first',
      tags: { data: 'v1', [SOURCE_MODEL_VERSION_TAG]: 'iris/1' },
    })
    expect(champion.source).toMatch(/^mlflow-artifacts:\//)
    expect((await remote.getModelVersion('iris', '2')).currentStage).toBe('Staging')
    // The model files the source names went to the server with the run.
    expect(await (await remote.readArtifact(pushed!.remoteRunId, 'model/weights.bin')).arrayBuffer()).toEqual(Uint8Array.from([1, 2, 3]).buffer)
    expect((await remote.searchModelVersions()).modelVersions).toHaveLength(3)
  })

  it('pushing again creates nothing twice and sends only what changed locally', async () => {
    await pushRuns({ runIds: [runId], from: uri, to: harness.server.url })
    const writesAfterFirst = registryWrites().length
    const [again] = await pushRuns({ runIds: [runId], from: uri, to: harness.server.url })
    expect(again!.modelVersions!.map(version => version.created)).toEqual([false, false, false])
    expect(registryWrites()).toHaveLength(writesAfterFirst)

    await local.transitionModelVersionStage('iris', '2', 'Production', true)
    await local.setRegisteredModelAlias('iris', 'champion', '2')
    await local.setModelVersionTag('iris', '2', 'validated', 'yes')
    await pushRuns({ runIds: [runId], from: uri, to: harness.server.url })
    const sent = registryWrites().slice(writesAfterFirst).map(request => `${request.method} ${request.endpoint}`)
    // iris/1 was archived by the local transition; iris/2 gets its tag, stage and the moved alias.
    expect(sent).toEqual(['POST model-versions/transition-stage', 'POST model-versions/set-tag', 'POST model-versions/transition-stage', 'POST registered-models/alias'])
    expect(harness.server.requestsTo('model-versions/create')).toHaveLength(3)
    expect(harness.server.requestsTo('registered-models/create')).toHaveLength(2)
    const remote = harness.client
    expect((await remote.getModelVersionByAlias('iris', 'champion')).version).toBe('2')
    expect((await remote.getModelVersion('iris', '2')).tags).toMatchObject({ validated: 'yes' })
    expect((await remote.getLatestVersions('iris')).map(version => [version.version, version.currentStage])).toEqual([['2', 'Production'], ['1', 'Archived']])
  })

  it('a create whose answer was lost is found by its tag, not made twice', async () => {
    harness.server.inject({ kind: 'drop', when: 'after' }, { match: request => request.endpoint === 'model-versions/create' })
    const [pushed] = await pushRuns({ runIds: [runId], from: uri, to: harness.server.url })
    expect(harness.server.pendingFaults()).toEqual([])
    expect(pushed!.modelVersions).toHaveLength(3)
    expect(harness.server.requestsTo('model-versions/create')).toHaveLength(3)
    expect((await harness.client.searchModelVersions()).modelVersions).toHaveLength(3)
  })

  it('joins a model that already exists on the server, and stays out of the registry with includeRegistry: false', async () => {
    await harness.client.createRegisteredModel('iris', { description: 'theirs' })
    await harness.client.createModelVersion('iris', 's3://team/iris')
    await pushRuns({ runIds: [runId], from: uri, to: harness.server.url, includeRegistry: false })
    expect(harness.server.requestsTo('model-versions/create')).toHaveLength(1)
    await pushRuns({ runIds: [runId], from: uri, to: harness.server.url })
    const iris = await harness.client.getRegisteredModel('iris')
    expect(iris.description).toBe('theirs')
    expect(iris.aliases).toEqual([{ alias: 'challenger', version: '3' }, { alias: 'champion', version: '2' }])
  })
})

describe('pullRuns with the registry', () => {
  it('push then pull elsewhere: versions arrive with their numbers, stages, aliases and a source in the local run', async () => {
    await pushRuns({ runIds: [runId], from: uri, to: harness.server.url })
    const elsewhere = freshTrackingUri('registry-pull')
    const pulled = await pullRuns({ from: harness.server.url, to: elsewhere, experimentNames: ['models'] })
    expect(pulled).toHaveLength(1)
    expect(pulled[0]!.modelVersions!.map(version => [version.name, version.sourceVersion, version.targetVersion, version.created]))
      .toEqual([['digits', '1', '1', true], ['iris', '1', '1', true], ['iris', '2', '2', true]])
    const copy = new MlflowClient(elsewhere)
    const pulledRun = await copy.getRun(pulled[0]!.runId)
    expect(await copy.getRegisteredModel('iris')).toMatchObject({
      description: 'Iris flowers', tags: { team: 'vision' }, aliases: [{ alias: 'challenger', version: '2' }, { alias: 'champion', version: '1' }],
    })
    expect(await copy.getModelVersionByAlias('iris', 'champion')).toMatchObject({
      version: '1', runId: pulledRun.info.runId, currentStage: 'Production', description: 'first', source: `${pulledRun.info.artifactUri}/model`,
      tags: { data: 'v1', [SOURCE_MODEL_VERSION_TAG]: 'iris/1', [PULLED_MODEL_VERSION_TAG]: 'iris/1' },
    })
    expect((await copy.getModelVersion('iris', '2')).currentStage).toBe('Staging')
    // The source names files that came with the run, so the model loads offline.
    const source = await copy.getModelVersionDownloadUri('iris', '1')
    expect(source.startsWith(pulledRun.info.artifactUri)).toBe(true)
    expect((await copy.listArtifacts(pulledRun.info.runId, 'model')).map(file => file.path)).toEqual(['model/MLmodel', 'model/weights.bin'])

    const again = await pullRuns({ from: harness.server.url, to: elsewhere, experimentNames: ['models'] })
    expect(again[0]!.modelVersions!.map(version => version.created)).toEqual([false, false, false])
    expect((await copy.searchModelVersions()).modelVersions).toHaveLength(3)
  })

  it('takes the next local numbers when the server\'s are taken, and aliases follow the copies', async () => {
    const remote = harness.client
    const remoteRun = await remote.createRun(await remote.createExperiment('team'), { runName: 'remote-trainer' })
    await remote.createRegisteredModel('iris')
    await remote.createModelVersion('iris', `runs:/${remoteRun.info.runId}/model`)
    await remote.createModelVersion('iris', `runs:/${remoteRun.info.runId}/model`)
    await remote.setRegisteredModelAlias('iris', 'champion', '2')
    await remote.transitionModelVersionStage('iris', '2', 'Production')
    // The local store already has iris versions 1, 2 (trainer) and 3 (the not-pushed run): the copies take 4 and 5.
    const pulled = await pullRuns({ from: harness.server.url, to: uri, experimentNames: ['team'] })
    expect(pulled[0]!.modelVersions!.map(version => [version.sourceVersion, version.targetVersion])).toEqual([['1', '4'], ['2', '5']])
    const champion = await local.getModelVersionByAlias('iris', 'champion')
    expect(champion).toMatchObject({ version: '5', currentStage: 'Production', tags: { [PULLED_MODEL_VERSION_TAG]: 'iris/2' } })
    await pullRuns({ from: harness.server.url, to: uri, experimentNames: ['team'] })
    expect((await local.searchModelVersions({ filter: "name = 'iris'" })).modelVersions).toHaveLength(5)
  })

  it('with includeRegistry: false, asks the server\'s registry nothing', async () => {
    await pushRuns({ runIds: [runId], from: uri, to: harness.server.url })
    const before = harness.server.requests.length
    await pullRuns({ from: harness.server.url, to: freshTrackingUri('registry-pull'), experimentNames: ['models'], includeRegistry: false })
    expect(harness.server.requests.slice(before).filter(request => /^(registered-models|model-versions)\//.test(request.endpoint))).toEqual([])
  })
})
