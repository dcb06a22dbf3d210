import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MlflowClient, mlflow } from '../../../src/index.ts'
import { freshTrackingUri } from '../../helpers.ts'

let client: MlflowClient
let runId: string
let artifactUri: string
beforeEach(async () => {
  client = new MlflowClient(freshTrackingUri('registry'))
  const run = await client.createRun('0')
  runId = run.info.runId
  artifactUri = run.info.artifactUri
  await client.logText(runId, 'flavors: {}', 'model/MLmodel')
  await client.createRegisteredModel('iris')
})

const versionsOf = async (name: string) =>
  (await client.searchModelVersions({ filter: `name = '${name}'`, orderBy: ['version_number ASC'] })).modelVersions

describe('model versions', () => {
  it('a version from runs:/ keeps the run id and stores the resolved artifact location, as MLflow writes it', async () => {
    const version = await client.createModelVersion('iris', `runs:/${runId}/model`, undefined, { tags: { data: 'v2' }, description: 'first' })
    expect(version).toMatchObject({
      name: 'iris', version: '1', source: `${artifactUri}/model`, runId, status: 'READY', statusMessage: '',
      currentStage: 'None', description: 'first', tags: { data: 'v2' }, aliases: [],
    })
    expect(await client.getModelVersion('iris', '1')).toEqual(version)
    expect(await client.getModelVersion('iris', 1)).toEqual(version)
    expect(await client.getModelVersionDownloadUri('iris', '1')).toBe(`${artifactUri}/model`)
    expect((await client.getRegisteredModel('iris')).latestVersions).toEqual([version])
  })

  it('a plain source is kept as given, with the optional run id', async () => {
    const version = await client.createModelVersion('iris', 's3://bucket/model', runId)
    expect(version).toMatchObject({ source: 's3://bucket/model', runId })
    expect((await client.createModelVersion('iris', 's3://bucket/other')).runId).toBe('')
  })

  it('refuses a bad source, an unknown run and a mismatched run id, writing nothing', async () => {
    await expect(client.createModelVersion('iris', '')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await expect(client.createModelVersion('iris', 'runs:/')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await expect(client.createModelVersion('iris', `runs:/${runId}/../escape`)).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await expect(client.createModelVersion('iris', 'runs:/00000000000000000000000000000000/model'))
      .rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
    await expect(client.createModelVersion('iris', `runs:/${runId}/model`, 'ffffffffffffffffffffffffffffffff'))
      .rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await expect(client.createModelVersion('iris', `runs:/${runId}/model`, undefined, { tags: { 'a=b': 'x' } }))
      .rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    expect(await versionsOf('iris')).toEqual([])
    expect((await client.getRegisteredModel('iris')).latestVersions).toEqual([])
  })

  it('numbers versions 1, 2, 3 and keeps counting after deletes, like MLflow (numbers are never reused)', async () => {
    for (let i = 0; i < 3; i++) await client.createModelVersion('iris', `runs:/${runId}/model`)
    await client.deleteModelVersion('iris', '3')
    expect((await client.createModelVersion('iris', `runs:/${runId}/model`)).version).toBe('4')
    await client.deleteModelVersion('iris', '2')
    await client.deleteModelVersion('iris', '4')
    expect((await versionsOf('iris')).map(version => version.version)).toEqual(['1'])
    expect((await client.createModelVersion('iris', `runs:/${runId}/model`)).version).toBe('5')
  })

  it('an unknown or malformed version fails with MLflow\'s codes and messages', async () => {
    await client.createModelVersion('iris', `runs:/${runId}/model`)
    const missing = { errorCode: 'RESOURCE_DOES_NOT_EXIST', message: 'Model Version (name=iris, version=7) not found' }
    await expect(client.getModelVersion('iris', '7')).rejects.toMatchObject(missing)
    await expect(client.updateModelVersion('iris', '7', 'x')).rejects.toMatchObject(missing)
    await expect(client.deleteModelVersion('iris', '7')).rejects.toMatchObject(missing)
    await expect(client.transitionModelVersionStage('iris', '7', 'Staging')).rejects.toMatchObject(missing)
    await expect(client.setModelVersionTag('iris', '7', 'k', 'v')).rejects.toMatchObject(missing)
    await expect(client.getModelVersion('iris', 'one'))
      .rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: "Parameter 'version' must be an integer, got 'one'." })
    await expect(client.getModelVersion('other', '1')).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST', message: 'Registered Model with name=other not found' })
  })

  it('updates the description; sets and deletes version tags', async () => {
    const created = await client.createModelVersion('iris', `runs:/${runId}/model`)
    await new Promise(resolve => setTimeout(resolve, 2))
    const updated = await client.updateModelVersion('iris', '1', 'better')
    expect(updated.description).toBe('better')
    expect(updated.lastUpdatedTimestamp).toBeGreaterThan(created.lastUpdatedTimestamp)
    await client.setModelVersionTag('iris', '1', 'validated', true)
    await client.setModelVersionTag('iris', '1', 'owner', 'ana')
    await client.deleteModelVersionTag('iris', '1', 'owner')
    await client.deleteModelVersionTag('iris', '1', 'absent')
    expect((await client.getModelVersion('iris', '1')).tags).toEqual({ validated: 'True' })
    await expect(client.setModelVersionTag('iris', '1', 'k', 'x'.repeat(5001))).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    expect((await client.getModelVersion('iris', '1')).tags).toEqual({ validated: 'True' })
  })
})

describe('stages', () => {
  beforeEach(async () => { for (let i = 0; i < 3; i++) await client.createModelVersion('iris', `runs:/${runId}/model`) })

  it('transitions in any letter case to the canonical stage; an unknown stage is INVALID_PARAMETER_VALUE', async () => {
    expect((await client.transitionModelVersionStage('iris', '1', 'production')).currentStage).toBe('Production')
    expect((await client.transitionModelVersionStage('iris', '2', 'STAGING')).currentStage).toBe('Staging')
    await expect(client.transitionModelVersionStage('iris', '3', 'Live')).rejects.toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE', message: 'Invalid Model Version stage: Live. Value must be one of None, Staging, Production, Archived.',
    })
    expect((await client.getModelVersion('iris', '3')).currentStage).toBe('None')
  })

  it('without archiveExistingVersions, several versions share a stage', async () => {
    await client.transitionModelVersionStage('iris', '1', 'Production')
    await client.transitionModelVersionStage('iris', '2', 'Production')
    expect((await versionsOf('iris')).map(version => version.currentStage)).toEqual(['Production', 'Production', 'None'])
  })

  it('archiveExistingVersions archives the other versions of that stage only', async () => {
    await client.transitionModelVersionStage('iris', '1', 'Production')
    await client.transitionModelVersionStage('iris', '2', 'Staging')
    await client.transitionModelVersionStage('iris', '3', 'Production', true)
    expect((await versionsOf('iris')).map(version => version.currentStage)).toEqual(['Archived', 'Staging', 'Production'])
  })

  it('archiveExistingVersions is refused for None and Archived, before anything changes', async () => {
    await client.transitionModelVersionStage('iris', '1', 'Production')
    for (const stage of ['None', 'Archived']) {
      await expect(client.transitionModelVersionStage('iris', '2', stage, true)).rejects.toMatchObject({
        errorCode: 'INVALID_PARAMETER_VALUE',
        message: `Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are ['Staging', 'Production']`,
      })
    }
    expect((await versionsOf('iris')).map(version => version.currentStage)).toEqual(['Production', 'None', 'None'])
  })

  it('getLatestVersions gives the highest version per stage, for the stages asked or all of them', async () => {
    await client.transitionModelVersionStage('iris', '1', 'Production')
    await client.transitionModelVersionStage('iris', '2', 'Production')
    const pick = (versions: { version: string; currentStage: string }[]) => versions.map(version => [version.version, version.currentStage])
    expect(pick(await client.getLatestVersions('iris'))).toEqual([['3', 'None'], ['2', 'Production']])
    expect(pick(await client.getLatestVersions('iris', ['production']))).toEqual([['2', 'Production']])
    expect(pick(await client.getLatestVersions('iris', ['Staging']))).toEqual([])
    await expect(client.getLatestVersions('iris', ['Gold'])).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    expect(pick((await client.getRegisteredModel('iris')).latestVersions)).toEqual([['3', 'None'], ['2', 'Production']])
  })
})

describe('mlflow.registerModel', () => {
  beforeEach(() => mlflow.setTrackingUri(client.trackingUri))
  afterEach(async () => { while (await mlflow.activeRun()) await mlflow.endRun() })

  it('registers a runs:/ model of a real run, creating the registered model when absent', async () => {
    const run = await mlflow.startRun()
    await mlflow.logText('flavors: {}', 'clf/MLmodel')
    await mlflow.endRun()
    const first = await mlflow.registerModel(`runs:/${run.info.runId}/clf`, 'new-model', { tags: { source: 'unit' } })
    expect(first).toMatchObject({
      name: 'new-model', version: '1', runId: run.info.runId, source: `${run.info.artifactUri}/clf`, tags: { source: 'unit' }, status: 'READY',
    })
    expect((await client.getRegisteredModel('new-model')).tags).toEqual({})
    expect((await mlflow.registerModel(`runs:/${run.info.runId}/clf`, 'new-model')).version).toBe('2')
  })

  it('registers from a models:/ URI by copying that version\'s source and run', async () => {
    await client.createModelVersion('iris', `runs:/${runId}/model`)
    await client.setRegisteredModelAlias('iris', 'champion', '1')
    const copy = await mlflow.registerModel('models:/iris@champion', 'iris-copy')
    expect(copy).toMatchObject({ name: 'iris-copy', version: '1', runId, source: `${artifactUri}/model` })
  })

  it('a bad name fails before anything is created', async () => {
    await expect(mlflow.registerModel(`runs:/${runId}/model`, 'a/b')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    expect((await client.searchRegisteredModels()).registeredModels.map(model => model.name)).toEqual(['iris'])
  })
})
