/**
 * Behaviour every model registry backend shares, run through the public client: the local
 * IndexedDB registry and the REST registry (against the test MLflow server) pass the same checks.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isMlflowError } from '../../src/core/errors.ts'
import type { MlflowClient } from '../../src/tracking/client.ts'

export interface RegistryContractTarget { client: MlflowClient; close(): Promise<void> }

async function failure(promise: Promise<unknown>): Promise<{ errorCode: string; message: string } | undefined> {
  try { await promise } catch (error) {
    return isMlflowError(error) ? { errorCode: error.errorCode, message: error.message } : { errorCode: `not an MlflowError: ${String(error)}`, message: '' }
  }
  return undefined
}

/** Registers the contract's tests for one backend; `open` gives a fresh, empty store each time. */
export function describeRegistryStoreContract(label: string, open: () => Promise<RegistryContractTarget>): void {
  describe(`${label} meets the model registry contract`, () => {
    let target: RegistryContractTarget
    let client: MlflowClient
    let runId: string
    let artifactUri: string
    beforeEach(async () => {
      target = await open()
      client = target.client
      const run = await client.createRun(await client.createExperiment(`registry-${crypto.randomUUID()}`), { runName: 'trainer' })
      runId = run.info.runId
      artifactUri = run.info.artifactUri
    })
    afterEach(async () => { await target.close() })

    const modelNames = async (filter?: string, orderBy?: string[]) =>
      (await client.searchRegisteredModels({ filter, orderBy })).registeredModels.map(model => model.name)
    const versionIds = async (filter?: string, orderBy?: string[]) =>
      (await client.searchModelVersions({ filter, orderBy })).modelVersions.map(version => `${version.name}/${version.version}`)

    it('creates a model with tags and a description, gets it back, refuses a taken name', async () => {
      const created = await client.createRegisteredModel('iris', { tags: { team: 'vision', size: 3 }, description: 'Iris flowers' })
      expect(created).toMatchObject({ name: 'iris', description: 'Iris flowers', tags: { team: 'vision', size: '3' }, latestVersions: [], aliases: [] })
      expect(await client.getRegisteredModel('iris')).toEqual(created)
      const duplicate = await failure(client.createRegisteredModel('iris', { description: 'second' }))
      expect(duplicate?.errorCode).toBe('RESOURCE_ALREADY_EXISTS')
      expect(duplicate?.message).toMatch(/^Registered Model \(name=iris\) already exists\./)
      expect((await client.getRegisteredModel('iris')).description).toBe('Iris flowers')
    })

    it('refuses bad names and tags with INVALID_PARAMETER_VALUE, writing nothing', async () => {
      for (const name of ['', 'a/b', '100%']) expect((await failure(client.createRegisteredModel(name)))?.errorCode).toBe('INVALID_PARAMETER_VALUE')
      expect((await failure(client.createRegisteredModel('m', { tags: { 'bad,key': 'x' } }))) ?.errorCode).toBe('INVALID_PARAMETER_VALUE')
      expect(await failure(client.createRegisteredModel('m', { tags: { k: 'x'.repeat(5001) } })))
        .toEqual({ errorCode: 'INVALID_PARAMETER_VALUE', message: "'value' exceeds the maximum length of 5000 characters" })
      expect(await modelNames()).toEqual([])
    })

    it('an unknown model is RESOURCE_DOES_NOT_EXIST with MLflow\'s message everywhere', async () => {
      const missing = { errorCode: 'RESOURCE_DOES_NOT_EXIST', message: 'Registered Model with name=nope not found' }
      expect(await failure(client.getRegisteredModel('nope'))).toEqual(missing)
      expect(await failure(client.updateRegisteredModel('nope', 'x'))).toEqual(missing)
      expect(await failure(client.renameRegisteredModel('nope', 'other'))).toEqual(missing)
      expect(await failure(client.deleteRegisteredModel('nope'))).toEqual(missing)
      expect(await failure(client.setRegisteredModelTag('nope', 'k', 'v'))).toEqual(missing)
      expect(await failure(client.deleteRegisteredModelTag('nope', 'k'))).toEqual(missing)
      expect(await failure(client.getLatestVersions('nope'))).toEqual(missing)
      expect(await failure(client.createModelVersion('nope', 's3://bucket/model'))).toEqual(missing)
      expect(await failure(client.getModelVersionByAlias('nope', 'champion'))).toEqual(missing)
    })

    it('updates the description, sets, overwrites and deletes tags (an absent tag is no error)', async () => {
      await client.createRegisteredModel('m')
      expect((await client.updateRegisteredModel('m', 'now described')).description).toBe('now described')
      await client.setRegisteredModelTag('m', 'stage', 'dev')
      await client.setRegisteredModelTag('m', 'stage', 'prod')
      await client.setRegisteredModelTag('m', 'flag', true)
      await client.deleteRegisteredModelTag('m', 'never-set')
      await client.deleteRegisteredModelTag('m', 'stage')
      expect((await client.getRegisteredModel('m')).tags).toEqual({ flag: 'True' })
    })

    it('versions from runs:/ store the run\'s artifact location and run id; numbers are never reused', async () => {
      await client.createRegisteredModel('iris')
      const first = await client.createModelVersion('iris', `runs:/${runId}/model`, undefined, { tags: { data: 'v2' }, description: 'first' })
      expect(first).toMatchObject({
        name: 'iris', version: '1', source: `${artifactUri}/model`, runId, status: 'READY', currentStage: 'None', description: 'first', tags: { data: 'v2' }, aliases: [],
      })
      expect(await client.getModelVersion('iris', 1)).toEqual(first)
      expect(await client.getModelVersionDownloadUri('iris', '1')).toBe(`${artifactUri}/model`)
      expect((await client.createModelVersion('iris', 's3://bucket/model', runId)).runId).toBe(runId)
      expect((await client.createModelVersion('iris', 's3://bucket/other')).runId).toBe('')
      await client.deleteModelVersion('iris', '3')
      expect((await client.createModelVersion('iris', 's3://bucket/again')).version).toBe('4')
      expect(await versionIds("name = 'iris'", ['version_number ASC'])).toEqual(['iris/1', 'iris/2', 'iris/4'])
    })

    it('refuses a bad source, an unknown run and a mismatched run id, writing nothing', async () => {
      await client.createRegisteredModel('iris')
      expect((await failure(client.createModelVersion('iris', '')))?.errorCode).toBe('INVALID_PARAMETER_VALUE')
      expect((await failure(client.createModelVersion('iris', 'runs:/')))?.errorCode).toBe('INVALID_PARAMETER_VALUE')
      expect((await failure(client.createModelVersion('iris', `runs:/${runId}/../escape`)))?.errorCode).toBe('INVALID_PARAMETER_VALUE')
      expect((await failure(client.createModelVersion('iris', `runs:/${'0'.repeat(32)}/model`)))?.errorCode).toBe('RESOURCE_DOES_NOT_EXIST')
      expect((await failure(client.createModelVersion('iris', `runs:/${runId}/model`, 'f'.repeat(32))))?.errorCode).toBe('INVALID_PARAMETER_VALUE')
      expect(await versionIds()).toEqual([])
    })

    it('an unknown or malformed version fails with MLflow\'s codes and messages', async () => {
      await client.createRegisteredModel('iris')
      await client.createModelVersion('iris', 's3://bucket/model')
      const missing = { errorCode: 'RESOURCE_DOES_NOT_EXIST', message: 'Model Version (name=iris, version=7) not found' }
      expect(await failure(client.getModelVersion('iris', '7'))).toEqual(missing)
      expect(await failure(client.updateModelVersion('iris', '7', 'x'))).toEqual(missing)
      expect(await failure(client.deleteModelVersion('iris', '7'))).toEqual(missing)
      expect(await failure(client.transitionModelVersionStage('iris', '7', 'Staging'))).toEqual(missing)
      expect(await failure(client.setModelVersionTag('iris', '7', 'k', 'v'))).toEqual(missing)
      expect(await failure(client.setRegisteredModelAlias('iris', 'champion', '7'))).toEqual(missing)
      expect((await failure(client.getModelVersion('iris', 'one')))?.errorCode).toBe('INVALID_PARAMETER_VALUE')
    })

    it('describes versions and sets and deletes their tags', async () => {
      await client.createRegisteredModel('iris')
      await client.createModelVersion('iris', 's3://bucket/model')
      expect((await client.updateModelVersion('iris', '1', 'better')).description).toBe('better')
      await client.setModelVersionTag('iris', '1', 'validated', true)
      await client.setModelVersionTag('iris', '1', 'owner', 'ana')
      await client.deleteModelVersionTag('iris', '1', 'owner')
      await client.deleteModelVersionTag('iris', '1', 'absent')
      expect((await client.getModelVersion('iris', '1')).tags).toEqual({ validated: 'True' })
    })

    it('stages: any letter case, archiving the others on request, latest versions per stage', async () => {
      await client.createRegisteredModel('iris')
      for (let i = 0; i < 3; i++) await client.createModelVersion('iris', `s3://bucket/model-${i}`)
      expect((await client.transitionModelVersionStage('iris', '1', 'production')).currentStage).toBe('Production')
      expect((await client.transitionModelVersionStage('iris', '2', 'STAGING')).currentStage).toBe('Staging')
      expect(await failure(client.transitionModelVersionStage('iris', '3', 'Live'))).toEqual({
        errorCode: 'INVALID_PARAMETER_VALUE', message: 'Invalid Model Version stage: Live. Value must be one of None, Staging, Production, Archived.',
      })
      expect((await failure(client.transitionModelVersionStage('iris', '3', 'None', true)))?.errorCode).toBe('INVALID_PARAMETER_VALUE')
      await client.transitionModelVersionStage('iris', '3', 'Production', true)
      const stages = (await client.searchModelVersions({ filter: "name = 'iris'", orderBy: ['version_number ASC'] })).modelVersions.map(version => version.currentStage)
      expect(stages).toEqual(['Archived', 'Staging', 'Production'])
      const pick = (versions: { version: string; currentStage: string }[]) => versions.map(version => [version.version, version.currentStage])
      expect(pick(await client.getLatestVersions('iris'))).toEqual([['2', 'Staging'], ['3', 'Production'], ['1', 'Archived']])
      expect(pick(await client.getLatestVersions('iris', ['production']))).toEqual([['3', 'Production']])
      expect(pick((await client.getRegisteredModel('iris')).latestVersions)).toEqual([['2', 'Staging'], ['3', 'Production'], ['1', 'Archived']])
    })

    it('aliases: set, move, read, delete; an unset alias is INVALID_PARAMETER_VALUE; bad names are refused', async () => {
      await client.createRegisteredModel('iris')
      for (let i = 0; i < 3; i++) await client.createModelVersion('iris', `s3://bucket/model-${i}`)
      await client.setRegisteredModelAlias('iris', 'champion', '1')
      await client.setRegisteredModelAlias('iris', 'champion', 2)
      await client.setRegisteredModelAlias('iris', 'stable', '2')
      await client.setRegisteredModelAlias('iris', 'challenger', '3')
      expect((await client.getRegisteredModel('iris')).aliases).toEqual([
        { alias: 'challenger', version: '3' }, { alias: 'champion', version: '2' }, { alias: 'stable', version: '2' },
      ])
      expect(await client.getModelVersionByAlias('iris', 'champion')).toMatchObject({ version: '2', aliases: ['champion', 'stable'] })
      await client.deleteRegisteredModelAlias('iris', 'stable')
      await client.deleteRegisteredModelAlias('iris', 'never-set')
      expect(await failure(client.getModelVersionByAlias('iris', 'stable')))
        .toEqual({ errorCode: 'INVALID_PARAMETER_VALUE', message: 'Registered model alias stable not found.' })
      await client.deleteModelVersion('iris', '3')
      expect((await client.getRegisteredModel('iris')).aliases).toEqual([{ alias: 'champion', version: '2' }])
      for (const alias of ['', 'v1', 'latest', 'has space']) {
        expect((await failure(client.setRegisteredModelAlias('iris', alias, '1')))?.errorCode).toBe('INVALID_PARAMETER_VALUE')
      }
    })

    it('rename carries versions, tags, stages and aliases; a taken name is refused; delete counts from 1 again', async () => {
      await client.createRegisteredModel('old', { tags: { team: 'a' } })
      await client.createModelVersion('old', 's3://bucket/one', undefined, { tags: { note: 'v1' } })
      await client.createModelVersion('old', 's3://bucket/two')
      await client.transitionModelVersionStage('old', '2', 'Production')
      await client.setRegisteredModelAlias('old', 'champion', '2')
      await client.createRegisteredModel('taken')
      expect((await failure(client.renameRegisteredModel('old', 'taken')))?.errorCode).toBe('RESOURCE_ALREADY_EXISTS')
      const renamed = await client.renameRegisteredModel('old', 'new')
      expect(renamed).toMatchObject({ name: 'new', tags: { team: 'a' }, aliases: [{ alias: 'champion', version: '2' }] })
      expect((await client.getModelVersion('new', '1')).tags).toEqual({ note: 'v1' })
      expect((await client.getModelVersionByAlias('new', 'champion')).currentStage).toBe('Production')
      expect((await failure(client.getRegisteredModel('old')))?.errorCode).toBe('RESOURCE_DOES_NOT_EXIST')
      await client.deleteRegisteredModel('new')
      expect(await versionIds()).toEqual([])
      await client.createRegisteredModel('new')
      expect((await client.createModelVersion('new', 's3://bucket/fresh')).version).toBe('1')
    })

    it('searches models and versions with MLflow filters, orders and page tokens', async () => {
      await client.createRegisteredModel('iris-small', { tags: { team: 'vision' } })
      await client.createRegisteredModel('iris-large', { tags: { team: 'Vision' } })
      await client.createRegisteredModel('wine')
      await client.createModelVersion('iris-small', 's3://models/iris/1', runId, { tags: { validated: 'yes' } })
      await client.createModelVersion('iris-small', 's3://models/iris/2')
      await client.createModelVersion('wine', 's3://models/wine/1', runId)
      expect(await modelNames("name LIKE 'iris-%'")).toEqual(['iris-large', 'iris-small'])
      expect(await modelNames("tags.team ILIKE 'vision'", ['name DESC'])).toEqual(['iris-small', 'iris-large'])
      expect(await versionIds(`run_id = '${runId}'`, ['name ASC'])).toEqual(['iris-small/1', 'wine/1'])
      expect(await versionIds("tags.validated = 'yes'")).toEqual(['iris-small/1'])
      expect(await versionIds("source_path LIKE 's3://models/wine/%'")).toEqual(['wine/1'])
      const first = await client.searchRegisteredModels({ maxResults: 2 })
      expect(first.registeredModels.map(model => model.name)).toEqual(['iris-large', 'iris-small'])
      expect(atob(first.nextPageToken!)).toBe('{"offset": 2}')
      expect(await client.searchRegisteredModels({ maxResults: 2, pageToken: first.nextPageToken })).toEqual({ registeredModels: [expect.objectContaining({ name: 'wine' })] })
      const versionPage = await client.searchModelVersions({ maxResults: 3, orderBy: ['name', 'version_number'] })
      expect(versionPage.nextPageToken).toBeUndefined()
      for (const bad of [{ filter: "name IN ('a')" }, { orderBy: ['tags.team'] }, { maxResults: 1001 }, { pageToken: 'not a token' }]) {
        expect((await failure(client.searchRegisteredModels(bad)))?.errorCode).toBe('INVALID_PARAMETER_VALUE')
      }
      expect((await failure(client.searchModelVersions({ filter: "current_stage = 'None'" })))?.errorCode).toBe('INVALID_PARAMETER_VALUE')
    })
  })
}
