import { beforeEach, describe, expect, it } from 'vitest'
import { MlflowClient, parseModelsUri, resolveModelsUri } from '../../../src/index.ts'
import { freshTrackingUri } from '../../helpers.ts'

let client: MlflowClient
let runIds: string[]
beforeEach(async () => {
  client = new MlflowClient(freshTrackingUri('registry'))
  runIds = []
  await client.createRegisteredModel('iris')
  for (let i = 1; i <= 3; i++) {
    const runId = (await client.createRun('0')).info.runId
    await client.logText(runId, 'flavors: {}', `model${i}/MLmodel`)
    runIds.push(runId)
    await client.createModelVersion('iris', `runs:/${runId}/model${i}`)
  }
  await client.transitionModelVersionStage('iris', '1', 'Production')
  await client.transitionModelVersionStage('iris', '2', 'Production')
  await client.transitionModelVersionStage('iris', '3', 'Staging')
  await client.setRegisteredModelAlias('iris', 'champion', '1')
})

const at = (index: number) => ({ runId: runIds[index], artifactPath: `model${index + 1}` })

describe('parseModelsUri', () => {
  it('reads versions, stages, latest and aliases as MLflow does', () => {
    expect(parseModelsUri('models:/iris/3')).toEqual({ name: 'iris', kind: 'version', version: '3' })
    expect(parseModelsUri('models:/iris/Production')).toEqual({ name: 'iris', kind: 'stage', stage: 'Production' })
    expect(parseModelsUri('models:/iris/LATEST')).toEqual({ name: 'iris', kind: 'latest' })
    expect(parseModelsUri('models:/iris@champion')).toEqual({ name: 'iris', kind: 'alias', alias: 'champion' })
    expect(parseModelsUri('models:/my model@v-2')).toEqual({ name: 'my model', kind: 'alias', alias: 'v-2' })
  })

  it.each(['models:/', 'models:/iris', 'models:/iris/', 'models:/iris/1/extra', 'models://profile/iris/1', 'models:/@champion',
    'models:/iris@', 'models:/iris@v1', 'models:/iris@latest', 'runs:/abc/model', 'iris/1'])('refuses %j with INVALID_PARAMETER_VALUE', uri => {
    expect(() => parseModelsUri(uri)).toThrow(expect.objectContaining({ errorCode: 'INVALID_PARAMETER_VALUE' }))
  })
})

describe('resolveModelsUri', () => {
  it('resolves a version number to its run and path in the run\'s artifacts', async () => {
    expect(await resolveModelsUri('models:/iris/3', client)).toEqual(at(2))
    expect(await resolveModelsUri('models:/iris/1', client)).toEqual(at(0))
  })

  it('resolves an alias, following it when it moves', async () => {
    expect(await resolveModelsUri('models:/iris@champion', client)).toEqual(at(0))
    await client.setRegisteredModelAlias('iris', 'champion', '3')
    expect(await resolveModelsUri('models:/iris@champion', client)).toEqual(at(2))
  })

  it('resolves a stage (any case) to its highest version, and latest to the highest version overall', async () => {
    expect(await resolveModelsUri('models:/iris/Production', client)).toEqual(at(1))
    expect(await resolveModelsUri('models:/iris/staging', client)).toEqual(at(2))
    expect(await resolveModelsUri('models:/iris/latest', client)).toEqual(at(2))
    await client.deleteModelVersion('iris', '3')
    expect(await resolveModelsUri('models:/iris/latest', client)).toEqual(at(1))
  })

  it('resolves a model registered at the run\'s artifact root to an empty path', async () => {
    const runId = (await client.createRun('0')).info.runId
    await client.createModelVersion('iris', `runs:/${runId}`)
    expect(await resolveModelsUri('models:/iris/4', client)).toEqual({ runId, artifactPath: '' })
  })

  it('an unknown model, version or alias, or an empty stage, is RESOURCE_DOES_NOT_EXIST', async () => {
    const missing = { errorCode: 'RESOURCE_DOES_NOT_EXIST' }
    await expect(resolveModelsUri('models:/nope/1', client)).rejects.toMatchObject(missing)
    await expect(resolveModelsUri('models:/nope@champion', client)).rejects.toMatchObject(missing)
    await expect(resolveModelsUri('models:/iris/9', client)).rejects.toMatchObject(missing)
    await expect(resolveModelsUri('models:/iris@challenger', client))
      .rejects.toMatchObject({ ...missing, message: 'Registered model alias challenger not found.' })
    await expect(resolveModelsUri('models:/iris/Archived', client))
      .rejects.toMatchObject({ ...missing, message: "No versions of model with name 'iris' and stage 'Archived' found" })
  })

  it('a bad URI or an unknown stage is INVALID_PARAMETER_VALUE', async () => {
    await expect(resolveModelsUri('models:/iris', client)).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await expect(resolveModelsUri('models:/iris/Gold', client)).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })

  it('a version whose source is not in a run\'s artifacts cannot be resolved to a run', async () => {
    await client.createModelVersion('iris', 's3://bucket/model')
    await client.createModelVersion('iris', 's3://bucket/model', runIds[0])
    await expect(resolveModelsUri('models:/iris/4', client)).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await expect(resolveModelsUri('models:/iris/5', client)).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })
})
