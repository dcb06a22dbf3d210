import { beforeEach, describe, expect, it } from 'vitest'
import { MlflowClient } from '../../../src/index.ts'
import { freshTrackingUri } from '../../helpers.ts'

let client: MlflowClient
const runA = 'a'.repeat(32)
const runB = 'b'.repeat(32)

beforeEach(async () => {
  client = new MlflowClient(freshTrackingUri('registry'))
  await client.createRegisteredModel('iris-small', { tags: { team: 'vision', kind: 'tree' } })
  await client.createRegisteredModel('iris-large', { tags: { team: 'Vision' } })
  await client.createRegisteredModel('wine', { tags: { team: 'cellar' } })
  await client.createModelVersion('iris-small', 's3://models/iris/small-1', runA, { tags: { validated: 'yes' } })
  await client.createModelVersion('iris-small', 's3://models/iris/small-2', runB)
  await client.createModelVersion('iris-small', 's3://models/iris/small-3', runA)
  await client.createModelVersion('wine', 's3://models/wine/1', runB, { tags: { validated: 'no' } })
})

/** Lets the clock move, so a later write has a later timestamp. */
const pause = () => new Promise(resolve => setTimeout(resolve, 2))
const modelNames = async (filter?: string, orderBy?: string[]) =>
  (await client.searchRegisteredModels({ filter, orderBy })).registeredModels.map(model => model.name)
const versionIds = async (filter?: string, orderBy?: string[]) =>
  (await client.searchModelVersions({ filter, orderBy })).modelVersions.map(version => `${version.name}/${version.version}`)

describe('searchRegisteredModels', () => {
  it('filters on name with = != LIKE ILIKE, and on tags', async () => {
    expect(await modelNames()).toEqual(['iris-large', 'iris-small', 'wine'])
    expect(await modelNames("name = 'wine'")).toEqual(['wine'])
    expect(await modelNames("name != 'wine'")).toEqual(['iris-large', 'iris-small'])
    expect(await modelNames("name LIKE 'iris-%'")).toEqual(['iris-large', 'iris-small'])
    expect(await modelNames("name ILIKE 'IRIS-S%'")).toEqual(['iris-small'])
    expect(await modelNames("tags.team = 'vision'")).toEqual(['iris-small'])
    expect(await modelNames("tags.team ILIKE 'vision'")).toEqual(['iris-large', 'iris-small'])
    expect(await modelNames("tag.kind != 'forest'")).toEqual(['iris-small'])
    expect(await modelNames("name LIKE 'iris%' AND tags.`team` = 'Vision'")).toEqual(['iris-large'])
    expect(await modelNames("attribute.name = 'wine'")).toEqual(['wine'])
  })

  it('orders by name, creation_timestamp or last_updated_timestamp, ties by name', async () => {
    expect(await modelNames(undefined, ['name DESC'])).toEqual(['wine', 'iris-small', 'iris-large'])
    await pause()
    await client.updateRegisteredModel('wine', 'touched')
    expect((await modelNames(undefined, ['last_updated_timestamp DESC']))[0]).toBe('wine')
    expect((await modelNames(undefined, ['last_updated_timestamp ASC']))[2]).toBe('wine')
    const byCreation = await modelNames(undefined, ['creation_timestamp ASC'])
    expect(byCreation).toHaveLength(3)
  })

  it('pages with MLflow tokens; the last page has no token', async () => {
    const first = await client.searchRegisteredModels({ maxResults: 2 })
    expect(first.registeredModels.map(model => model.name)).toEqual(['iris-large', 'iris-small'])
    expect(atob(first.nextPageToken!)).toBe('{"offset": 2}')
    const second = await client.searchRegisteredModels({ maxResults: 2, pageToken: first.nextPageToken })
    expect(second).toEqual({ registeredModels: [expect.objectContaining({ name: 'wine' })] })
  })

  it('refuses bad filters, order_by, max_results and page tokens with INVALID_PARAMETER_VALUE', async () => {
    const bad = { errorCode: 'INVALID_PARAMETER_VALUE' }
    await expect(client.searchRegisteredModels({ filter: "version_number = 1" })).rejects.toMatchObject(bad)
    await expect(client.searchRegisteredModels({ filter: "creation_timestamp > 1" })).rejects.toMatchObject(bad)
    await expect(client.searchRegisteredModels({ filter: "params.x = '1'" })).rejects.toMatchObject(bad)
    await expect(client.searchRegisteredModels({ filter: "name > 'a'" })).rejects.toMatchObject(bad)
    await expect(client.searchRegisteredModels({ filter: "name IN ('a')" })).rejects.toMatchObject(bad)
    await expect(client.searchRegisteredModels({ filter: 'name = wine' })).rejects.toMatchObject(bad)
    await expect(client.searchRegisteredModels({ orderBy: ['tags.team'] })).rejects.toMatchObject(bad)
    await expect(client.searchRegisteredModels({ orderBy: ['version_number'] })).rejects.toMatchObject(bad)
    await expect(client.searchRegisteredModels({ maxResults: 1001 })).rejects.toMatchObject({
      ...bad, message: 'Invalid value for request parameter max_results. It must be at most 1000, but got value 1001',
    })
    await expect(client.searchRegisteredModels({ maxResults: 0 })).rejects.toMatchObject(bad)
    await expect(client.searchRegisteredModels({ pageToken: 'not a token' })).rejects.toMatchObject(bad)
  })
})

describe('searchModelVersions', () => {
  it('filters on name, run_id (= and IN), source_path, version_number and tags', async () => {
    expect(await versionIds("name = 'iris-small'", ['version_number ASC'])).toEqual(['iris-small/1', 'iris-small/2', 'iris-small/3'])
    expect(await versionIds(`run_id = '${runA}'`, ['version_number ASC'])).toEqual(['iris-small/1', 'iris-small/3'])
    expect(await versionIds(`run_id IN ('${runB}')`, ['name ASC'])).toEqual(['iris-small/2', 'wine/1'])
    expect(await versionIds("source_path LIKE 's3://models/wine/%'")).toEqual(['wine/1'])
    expect(await versionIds("name = 'iris-small' AND version_number >= 2", ['version_number DESC'])).toEqual(['iris-small/3', 'iris-small/2'])
    expect(await versionIds('version_number = 1', ['name ASC'])).toEqual(['iris-small/1', 'wine/1'])
    expect(await versionIds("tags.validated = 'yes'")).toEqual(['iris-small/1'])
    expect(await versionIds("tags.validated != 'yes'")).toEqual(['wine/1'])
  })

  it('orders by last_updated_timestamp DESC, name ASC, version_number DESC when no order is given', async () => {
    await pause()
    await client.updateModelVersion('iris-small', '1', 'touched last')
    expect((await versionIds())[0]).toBe('iris-small/1')
    expect(await versionIds(undefined, ['name DESC'])).toEqual(['wine/1', 'iris-small/3', 'iris-small/2', 'iris-small/1'])
  })

  it('pages through every version exactly once', async () => {
    const seen: string[] = []
    let pageToken: string | undefined
    do {
      const page = await client.searchModelVersions({ maxResults: 3, pageToken, orderBy: ['name', 'version_number'] })
      seen.push(...page.modelVersions.map(version => `${version.name}/${version.version}`))
      pageToken = page.nextPageToken
    } while (pageToken)
    expect(seen).toEqual(['iris-small/1', 'iris-small/2', 'iris-small/3', 'wine/1'])
  })

  it('refuses filters MLflow refuses', async () => {
    const bad = { errorCode: 'INVALID_PARAMETER_VALUE' }
    await expect(client.searchModelVersions({ filter: "version_number = '1'" })).rejects.toMatchObject(bad)
    await expect(client.searchModelVersions({ filter: "name IN ('wine')" })).rejects.toMatchObject(bad)
    await expect(client.searchModelVersions({ filter: `run_id NOT IN ('${runA}')` })).rejects.toMatchObject(bad)
    await expect(client.searchModelVersions({ filter: "current_stage = 'None'" })).rejects.toMatchObject(bad)
    await expect(client.searchModelVersions({ filter: "name = 'a' OR name = 'b'" })).rejects.toMatchObject(bad)
    await expect(client.searchModelVersions({ orderBy: ['run_id'] })).rejects.toMatchObject(bad)
    await expect(client.searchModelVersions({ maxResults: 200_001 })).rejects.toMatchObject(bad)
  })
})
