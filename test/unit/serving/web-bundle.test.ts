// exportWebBundle: what the zip holds (the model directory, tfjs, a CSP-friendly page) and its errors.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as tf from '@tensorflow/tfjs'
import { strFromU8, unzipSync } from 'fflate'
import { beforeAll, describe, expect, it } from 'vitest'
import { MlflowClient, exportWebBundle, mlflow } from '../../../src/index.ts'
import { freshTrackingUri } from '../../helpers.ts'
import { IRIS_ROWS, irisTensorModel } from './tiny-models.ts'

let trackingUri: string
let files: Record<string, Uint8Array>

beforeAll(async () => {
  await tf.setBackend('cpu')
  trackingUri = freshTrackingUri('bundle')
  mlflow.setTrackingUri(trackingUri)
  const run = await new MlflowClient(trackingUri).createRun('0')
  await mlflow.tfjs.logModel(irisTensorModel(tf), 'model', { runId: run.info.runId, registeredModelName: 'iris', inputExample: IRIS_ROWS })
  await new MlflowClient(trackingUri).setRegisteredModelAlias('iris', 'champion', '1')
  files = unzipSync(new Uint8Array(await (await exportWebBundle('models:/iris@champion', { trackingUri })).arrayBuffer()))
})

describe('exportWebBundle', () => {
  it('holds the page, tfjs, bundle.json and the MLflow model directory', () => {
    expect(Object.keys(files).sort()).toEqual([
      'README.txt', 'bundle.json', 'index.html', 'model/MLmodel', 'model/group1-shard1of1.bin', 'model/input_example.json',
      'model/model.json', 'model/serving_input_example.json', 'predict.js', 'style.css', 'tf.es2017.min.js',
    ])
    const tfMin = readFileSync(createRequire(import.meta.url).resolve('@tensorflow/tfjs/dist/tf.es2017.min.js'))
    expect(Buffer.from(files['tf.es2017.min.js']!).equals(tfMin)).toBe(true)
    const manifest = JSON.parse(strFromU8(files['bundle.json']!)) as Record<string, unknown>
    expect(manifest).toMatchObject({
      format: 'lablog-web-bundle', formatVersion: 1, modelUri: 'models:/iris@champion', name: 'iris', version: '1',
      inputExample: IRIS_ROWS, signature: { inputs: [{ type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 4] } }] },
    })
  })

  it('has no inline script or style and never writes HTML from data', () => {
    const html = strFromU8(files['index.html']!)
    for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/ src="[^"]+"/)
    expect(html).not.toMatch(/<style|style="| on[a-z]+="/)
    expect(html).toContain('Content-Security-Policy')
    expect(strFromU8(files['predict.js']!)).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/)
  })

  it('refuses unknown models', async () => {
    await expect(exportWebBundle('models:/nope/1', { trackingUri })).rejects.toMatchObject({ errorCode: 'RESOURCE_DOES_NOT_EXIST' })
  })
})
