/**
 * Loaded models for serving, keyed by what a registry version really is (tracking URI, name,
 * version, source, creation time), so a moved alias or a re-created model never serves stale weights.
 */
import type { LayersModel } from '@tensorflow/tfjs'
import type { ModelVersion } from '../core/types.ts'
import type { MlModel } from '../models/mlmodel.ts'
import type { ModelSignature } from '../models/signature.ts'
import { getModelInfo, loadModel, type ResolvedModel } from '../tfjs/load-model.ts'
import { signatureOf } from '../tfjs/model-signature.ts'
import type { MlflowClient } from '../tracking/client.ts'

/** How long an evicted model stays usable by requests already holding it. */
const EVICTED_DISPOSE_DELAY_MS = 10_000

/** A model ready to predict, with what serving needs to know about it. */
export interface ServedModel {
  model: LayersModel
  mlModel: MlModel
  /** The signature requests are checked against: the MLmodel's, or the one inferred from the model. */
  signature: ModelSignature
  /** Output names for several outputs (the signature's names, else the model's own). */
  outputNames: string[]
  /** The `models:/name/version` URI it was loaded from. */
  modelUri: string
  /** serving_input_example.json when the model was logged with an input example: a ready request body. */
  servingInputExample?: unknown
}

/** The URI of exactly this version (aliases are resolved before a model is looked up). */
export const versionUri = (version: Pick<ModelVersion, 'name' | 'version'>) => `models:/${version.name}/${version.version}`

/** Loads one registry version: MLmodel, weights from the artifact store, declared signature. */
async function loadServedModel(client: MlflowClient, version: ModelVersion): Promise<ServedModel> {
  const modelUri = versionUri(version)
  const [model, info] = await Promise.all([loadModel(modelUri, { client }), getModelInfo(modelUri, client)])
  const signature = signatureOf(model)
  const declared = signature.outputs ?? []
  const outputNames = declared.length === model.outputs.length && declared.every(spec => spec.name !== undefined)
    ? declared.map(spec => spec.name!)
    : model.outputNames
  return { model, mlModel: info.mlModel, signature, outputNames, modelUri, ...await servingExample(client, info) }
}

/** The logged serving example, when there is a readable one (a missing or broken file only leaves it out). */
async function servingExample(client: MlflowClient, info: ResolvedModel): Promise<{ servingInputExample?: unknown }> {
  const file = info.mlModel.savedInputExampleInfo?.serving_input_path
  if (typeof file !== 'string') return {}
  const { runId, artifactPath } = info.location
  try {
    return { servingInputExample: JSON.parse(await client.readArtifactText(runId, artifactPath ? `${artifactPath}/${file}` : file)) }
  } catch {
    return {}
  }
}

/**
 * A small LRU of loaded models. Concurrent requests for one version share one load; a failed load
 * is forgotten so the next request retries; evicted models are disposed (their weights are GPU/wasm memory).
 */
export class ServedModelCache {
  private readonly entries = new Map<string, Promise<ServedModel>>()

  /** @param capacity how many models stay loaded at once (default 4). */
  constructor(private readonly capacity = 4) {}

  /** The loaded model for `version` of the registry behind `trackingUri`, loading it on first use. */
  get(trackingUri: string, client: MlflowClient, version: ModelVersion): Promise<ServedModel> {
    const key = [trackingUri, version.name, version.version, version.source, version.creationTimestamp].join('\n')
    const cached = this.entries.get(key)
    if (cached) {
      // Re-insert: Map order is the recency order.
      this.entries.delete(key)
      this.entries.set(key, cached)
      return cached
    }
    const loading = loadServedModel(client, version)
    this.entries.set(key, loading)
    loading.catch(() => { if (this.entries.get(key) === loading) this.entries.delete(key) })
    this.evict()
    return loading
  }

  /** Disposes every loaded model (tests, or a service worker asked to free memory). */
  clear(): void {
    for (const entry of this.entries.values()) void entry.then(served => served.model.dispose(), () => {})
    this.entries.clear()
  }

  /** How many models are loaded or loading. */
  get size(): number { return this.entries.size }

  private evict(): void {
    while (this.entries.size > this.capacity) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Promise<ServedModel>]
      this.entries.delete(oldest)
      // A request may still be predicting with it: free its weights a little later, not under that request.
      const timer = setTimeout(() => void entry.then(served => served.model.dispose(), () => {}), EVICTED_DISPOSE_DELAY_MS)
      // In Node, a pending disposal must not keep the process alive.
      ;(timer as { unref?: () => void }).unref?.()
    }
  }
}
