import { beforeEach, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { MlflowClient, mlflow } from '../../../src/index.ts'
import { freshTrackingUri } from '../../helpers.ts'

let client: MlflowClient
let runId: string
beforeEach(async () => {
  client = new MlflowClient(freshTrackingUri())
  runId = (await client.createRun('0')).info.runId
})

describe('artifacts', () => {
  it('logArtifact stores a File under a directory with its name; listArtifacts shows directories and sizes', async () => {
    await client.logArtifact(runId, new File(['hello world'], 'notes.txt'), 'docs')
    await client.logArtifact(runId, new Blob([new Uint8Array(2048)]), 'docs/deep', 'zeros.bin')
    await client.logText(runId, 'top', 'readme.md')
    expect(await client.listArtifacts(runId)).toEqual([
      { path: 'docs', isDir: true },
      { path: 'readme.md', isDir: false, fileSize: 3 },
    ])
    expect(await client.listArtifacts(runId, 'docs')).toEqual([
      { path: 'docs/deep', isDir: true },
      { path: 'docs/notes.txt', isDir: false, fileSize: 11 },
    ])
    expect(await client.listArtifacts(runId, 'docs/deep')).toEqual([{ path: 'docs/deep/zeros.bin', isDir: false, fileSize: 2048 }])
    expect(await (await client.readArtifact(runId, 'docs/notes.txt')).text()).toBe('hello world')
  })

  it('logDict writes JSON, or YAML by extension', async () => {
    await client.logDict(runId, { lr: 0.01, layers: [64, 32] }, 'config.json')
    await client.logDict(runId, { lr: 0.01, layers: [64, 32] }, 'config/model.yaml')
    expect(await client.readArtifactJson(runId, 'config.json')).toEqual({ lr: 0.01, layers: [64, 32] })
    expect(parseYaml(await client.readArtifactText(runId, 'config/model.yaml'))).toEqual({ lr: 0.01, layers: [64, 32] })
  })

  it('logFigure stores plotly JSON; logImage keeps a PNG Blob and refuses other types', async () => {
    await client.logFigure(runId, { data: [{ type: 'scatter', x: [1, 2], y: [3, 4] }], layout: { title: 'loss' } }, 'plots/loss.json')
    expect(await client.readArtifactJson(runId, 'plots/loss.json')).toEqual({ data: [{ type: 'scatter', x: [1, 2], y: [3, 4] }], layout: { title: 'loss' } })
    const png = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' })
    await client.logImage(runId, png, 'images/sample.png')
    expect((await client.readArtifact(runId, 'images/sample.png')).size).toBe(4)
    await expect(client.logImage(runId, new Blob(['x'], { type: 'image/jpeg' }), 'images/x.png')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await expect(client.logFigure(runId, { layout: {} } as never, 'plots/bad.json')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })

  it.each(['../escape.txt', 'a/../../b', '/etc/passwd', 'C:/x', 'dir\\file', 'nul\0byte', 'a/./b', 'a//b'])('refuses the path %j and writes nothing', async path => {
    await expect(client.logText(runId, 'x', path)).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    expect(await client.listArtifacts(runId)).toEqual([])
  })

  it('reading a missing artifact is RESOURCE_DOES_NOT_EXIST; listing a missing directory is empty', async () => {
    await expect(client.readArtifact(runId, 'nope.txt')).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
    expect(await client.listArtifacts(runId, 'nothing/here')).toEqual([])
  })

  it('a file cannot replace a directory of the same name', async () => {
    await client.logText(runId, 'x', 'model/MLmodel')
    await expect(client.logText(runId, 'y', 'model')).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })

  it('a plain Blob needs a file name', async () => {
    await expect(client.logArtifact(runId, new Blob(['x']))).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
  })

  it('artifacts of an unknown run are RESOURCE_DOES_NOT_EXIST', async () => {
    await expect(client.logText('a'.repeat(32), 'x', 'f.txt')).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
  })

  it('the fluent API logs into the active run', async () => {
    mlflow.setTrackingUri(client.trackingUri)
    await mlflow.withRun({}, async run => {
      await mlflow.logText('fluent', 'out/fluent.txt')
      expect(await mlflow.listArtifacts(run.info.runId, 'out')).toEqual([{ path: 'out/fluent.txt', isDir: false, fileSize: 6 }])
    })
  })
})
