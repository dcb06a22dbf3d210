import { beforeEach, describe, expect, it } from 'vitest'
import { MlflowClient } from '../../../src/index.ts'
import { freshTrackingUri } from '../../helpers.ts'

let client: MlflowClient
beforeEach(async () => {
  client = new MlflowClient(freshTrackingUri('registry'))
  await client.createRegisteredModel('iris')
  for (let i = 0; i < 3; i++) await client.createModelVersion('iris', `indexeddb://x/0/run${i}/artifacts/model`)
})

const aliasesOf = async () => (await client.getRegisteredModel('iris')).aliases

describe('aliases', () => {
  it('set, read on the model and the version, and get the version by alias', async () => {
    await client.setRegisteredModelAlias('iris', 'champion', '2')
    await client.setRegisteredModelAlias('iris', 'challenger', 3)
    await client.setRegisteredModelAlias('iris', 'stable', '2')
    expect(await aliasesOf()).toEqual([
      { alias: 'challenger', version: '3' }, { alias: 'champion', version: '2' }, { alias: 'stable', version: '2' },
    ])
    expect((await client.getModelVersion('iris', '2')).aliases).toEqual(['champion', 'stable'])
    const champion = await client.getModelVersionByAlias('iris', 'champion')
    expect(champion).toMatchObject({ version: '2', aliases: ['champion', 'stable'] })
  })

  it('an alias set on another version moves there', async () => {
    await client.setRegisteredModelAlias('iris', 'champion', '1')
    await client.setRegisteredModelAlias('iris', 'champion', '3')
    expect(await aliasesOf()).toEqual([{ alias: 'champion', version: '3' }])
    expect((await client.getModelVersion('iris', '1')).aliases).toEqual([])
    expect((await client.getModelVersionByAlias('iris', 'champion')).version).toBe('3')
  })

  it('deleting an alias removes it; deleting an absent one is not an error (as in MLflow)', async () => {
    await client.setRegisteredModelAlias('iris', 'champion', '1')
    await client.deleteRegisteredModelAlias('iris', 'champion')
    await client.deleteRegisteredModelAlias('iris', 'never-set')
    expect(await aliasesOf()).toEqual([])
    await expect(client.deleteRegisteredModelAlias('nope', 'champion')).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
  })

  it('deleting a version drops its aliases and keeps the others', async () => {
    await client.setRegisteredModelAlias('iris', 'champion', '2')
    await client.setRegisteredModelAlias('iris', 'challenger', '3')
    await client.deleteModelVersion('iris', '2')
    expect(await aliasesOf()).toEqual([{ alias: 'challenger', version: '3' }])
    await expect(client.getModelVersionByAlias('iris', 'champion')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })

  it('an unset alias is MLflow\'s INVALID_PARAMETER_VALUE "Registered model alias … not found."', async () => {
    await expect(client.getModelVersionByAlias('iris', 'champion'))
      .rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: 'Registered model alias champion not found.' })
    await expect(client.getModelVersionByAlias('nope', 'champion')).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
  })

  it('an alias pointing at an unknown version or model is RESOURCE_DOES_NOT_EXIST and is not written', async () => {
    await expect(client.setRegisteredModelAlias('iris', 'champion', '9'))
      .rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST', message: 'Model Version (name=iris, version=9) not found' })
    await expect(client.setRegisteredModelAlias('nope', 'champion', '1')).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
    expect(await aliasesOf()).toEqual([])
  })

  it.each([
    ['', 'Registered model alias name cannot be empty.'],
    ['v1', "Version alias name 'v1' is reserved."],
    ['V22', "Version alias name 'V22' is reserved."],
    ['latest', "'latest' alias name (case insensitive) is reserved."],
    ['LaTeSt', "'latest' alias name (case insensitive) is reserved."],
    ['has space', "Invalid alias name: 'has space'. Names may only contain alphanumerics, underscores (_), and dashes (-)."],
    ['a.b', "Invalid alias name: 'a.b'. Names may only contain alphanumerics, underscores (_), and dashes (-)."],
    ['x'.repeat(256), "'Registered model alias name' exceeds the maximum length of 255 characters"],
  ])('refuses the alias %j (INVALID_PARAMETER_VALUE) and writes nothing', async (alias, message) => {
    await expect(client.setRegisteredModelAlias('iris', alias, '1')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message })
    expect(await aliasesOf()).toEqual([])
  })

  it('accepts word characters in any script, dashes and underscores, and version-like words that are not v<digits>', async () => {
    for (const alias of ['prod_2024-01', 'générique', 'v1beta', 'version1']) await client.setRegisteredModelAlias('iris', alias, '1')
    expect((await client.getModelVersion('iris', '1')).aliases).toEqual(['générique', 'prod_2024-01', 'v1beta', 'version1'].sort())
  })
})
