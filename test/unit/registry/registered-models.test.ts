import { beforeEach, describe, expect, it } from 'vitest'
import { MlflowClient, RegistryClient } from '../../../src/index.ts'
import { storesFor } from '../../../src/store/uri.ts'
import { freshTrackingUri } from '../../helpers.ts'

let client: MlflowClient
beforeEach(() => { client = new MlflowClient(freshTrackingUri('registry')) })

const allModels = async () => (await client.searchRegisteredModels()).registeredModels

describe('registered models', () => {
  it('creates a model with tags and a description, and gets it back', async () => {
    const created = await client.createRegisteredModel('iris-classifier', { tags: { team: 'vision', size: 3 }, description: 'Iris flowers' })
    expect(created).toMatchObject({
      name: 'iris-classifier', description: 'Iris flowers', tags: { team: 'vision', size: '3' }, latestVersions: [], aliases: [],
    })
    expect(created.creationTimestamp).toBe(created.lastUpdatedTimestamp)
    expect(await client.getRegisteredModel('iris-classifier')).toEqual(created)
  })

  it('a duplicate name is RESOURCE_ALREADY_EXISTS with MLflow\'s message, and the first model stays as it was', async () => {
    const first = await client.createRegisteredModel('dup', { description: 'first' })
    await expect(client.createRegisteredModel('dup', { description: 'second' }))
      .rejects.toMatchObject({ errorCode: 'RESOURCE_ALREADY_EXISTS', message: 'Registered Model (name=dup) already exists.' })
    expect(await client.getRegisteredModel('dup')).toEqual(first)
  })

  it.each([
    ['', "Missing value for required parameter 'name'."],
    ['a/b', "Invalid name: 'a/b'. Registered model name cannot contain path separator"],
    ['100%', "Invalid name: '100%'. Registered model name cannot contain '%' character"],
  ])('refuses the name %j (INVALID_PARAMETER_VALUE) and writes nothing', async (name, message) => {
    await expect(client.createRegisteredModel(name)).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message })
    expect(await allModels()).toEqual([])
  })

  it('refuses bad tags before writing anything', async () => {
    await expect(client.createRegisteredModel('m', { tags: { 'bad,key': 'x' } })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await expect(client.createRegisteredModel('m', { tags: { k: 'x'.repeat(5001) } }))
      .rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: "'value' exceeds the maximum length of 5000 characters" })
    expect(await allModels()).toEqual([])
  })

  it('an unknown model is RESOURCE_DOES_NOT_EXIST everywhere', async () => {
    const missing = { errorCode: 'RESOURCE_DOES_NOT_EXIST', message: 'Registered Model with name=nope not found' }
    await expect(client.getRegisteredModel('nope')).rejects.toMatchObject(missing)
    await expect(client.updateRegisteredModel('nope', 'x')).rejects.toMatchObject(missing)
    await expect(client.renameRegisteredModel('nope', 'other')).rejects.toMatchObject(missing)
    await expect(client.deleteRegisteredModel('nope')).rejects.toMatchObject(missing)
    await expect(client.setRegisteredModelTag('nope', 'k', 'v')).rejects.toMatchObject(missing)
    await expect(client.deleteRegisteredModelTag('nope', 'k')).rejects.toMatchObject(missing)
    await expect(client.getLatestVersions('nope')).rejects.toMatchObject(missing)
    await expect(client.createModelVersion('nope', 'indexeddb://x/0/r/artifacts/model')).rejects.toMatchObject(missing)
    expect(await allModels()).toEqual([])
  })

  it('updates the description and moves lastUpdatedTimestamp', async () => {
    const created = await client.createRegisteredModel('m')
    await new Promise(resolve => setTimeout(resolve, 2))
    const updated = await client.updateRegisteredModel('m', 'now described')
    expect(updated.description).toBe('now described')
    expect(updated.lastUpdatedTimestamp).toBeGreaterThan(created.lastUpdatedTimestamp)
    expect(updated.creationTimestamp).toBe(created.creationTimestamp)
  })

  it('sets, overwrites and deletes tags; deleting an absent tag is not an error (as in MLflow)', async () => {
    await client.createRegisteredModel('m')
    await client.setRegisteredModelTag('m', 'stage', 'dev')
    await client.setRegisteredModelTag('m', 'stage', 'prod')
    await client.setRegisteredModelTag('m', 'flag', true)
    expect((await client.getRegisteredModel('m')).tags).toEqual({ stage: 'prod', flag: 'True' })
    await client.deleteRegisteredModelTag('m', 'stage')
    await client.deleteRegisteredModelTag('m', 'never-set')
    expect((await client.getRegisteredModel('m')).tags).toEqual({ flag: 'True' })
    await expect(client.setRegisteredModelTag('m', '../up', 'x')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    expect((await client.getRegisteredModel('m')).tags).toEqual({ flag: 'True' })
  })

  it('rename carries versions, their tags and stages, tags and aliases; numbering goes on', async () => {
    await client.createRegisteredModel('old', { tags: { team: 'a' } })
    await client.createModelVersion('old', 'indexeddb://x/0/r1/artifacts/model', undefined, { tags: { note: 'v1' } })
    await client.createModelVersion('old', 'indexeddb://x/0/r2/artifacts/model')
    await client.transitionModelVersionStage('old', '2', 'Production')
    await client.setRegisteredModelAlias('old', 'champion', '2')
    const renamed = await client.renameRegisteredModel('old', 'new')
    expect(renamed).toMatchObject({ name: 'new', tags: { team: 'a' }, aliases: [{ alias: 'champion', version: '2' }] })
    expect(renamed.latestVersions.map(version => [version.name, version.version, version.currentStage]))
      .toEqual([['new', '1', 'None'], ['new', '2', 'Production']])
    expect((await client.getModelVersion('new', '1')).tags).toEqual({ note: 'v1' })
    expect((await client.getModelVersionByAlias('new', 'champion')).version).toBe('2')
    await expect(client.getRegisteredModel('old')).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
    await expect(client.getModelVersion('old', '1')).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
    expect((await client.createModelVersion('new', 'indexeddb://x/0/r3/artifacts/model')).version).toBe('3')
  })

  it('renaming onto a taken name is RESOURCE_ALREADY_EXISTS and changes nothing; a bad new name is refused', async () => {
    await client.createRegisteredModel('a')
    await client.createModelVersion('a', 'indexeddb://x/0/r/artifacts/model')
    await client.createRegisteredModel('b')
    const before = await allModels()
    await expect(client.renameRegisteredModel('a', 'b'))
      .rejects.toMatchObject({ errorCode: 'RESOURCE_ALREADY_EXISTS', message: 'Registered Model (name=b) already exists.' })
    await expect(client.renameRegisteredModel('a', '')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: "Missing value for required parameter 'new_name'." })
    await expect(client.renameRegisteredModel('a', 'x/y')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    expect(await allModels()).toEqual(before)
  })

  it('delete removes the model and its versions; a new model of that name counts from 1', async () => {
    await client.createRegisteredModel('gone')
    await client.createModelVersion('gone', 'indexeddb://x/0/r/artifacts/model')
    await client.createModelVersion('gone', 'indexeddb://x/0/r/artifacts/model')
    await client.deleteRegisteredModel('gone')
    expect(await allModels()).toEqual([])
    expect((await client.searchModelVersions()).modelVersions).toEqual([])
    await client.createRegisteredModel('gone')
    expect((await client.createModelVersion('gone', 'indexeddb://x/0/r/artifacts/model')).version).toBe('1')
  })

  it('stores without a registry answer NOT_IMPLEMENTED as a rejection', async () => {
    // http(s) tracking URIs have one now (test/unit/registry-rest); a backend may still lack it.
    const { registry: _registry, ...withoutRegistry } = storesFor(freshTrackingUri('no-registry'))
    await expect(new RegistryClient(withoutRegistry).getRegisteredModel('m')).rejects.toMatchObject({ errorCode: 'NOT_IMPLEMENTED' })
  })
})
