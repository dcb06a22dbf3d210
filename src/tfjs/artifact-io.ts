/**
 * tfjs IOHandlers over a run's artifacts: `model.save()` writes model.json and weight shards in
 * tfjs's own layout, and loading reads them back from the artifact store, never the network.
 */
import type { io } from '@tensorflow/tfjs'
import { MlflowError } from '../core/errors.ts'
import type { MlflowClient } from '../tracking/client.ts'
import type { Tf } from './load-tf.ts'

/** The file tfjs's topology and weights manifest live in. */
export const MODEL_JSON_FILE = 'model.json'

/** Weight files are split like tensorflowjs_converter does (4 MiB shards), so large models stay cacheable. */
const SHARD_BYTES = 4 * 1024 * 1024

/** A directory of files, addressed relative to the model directory. */
export interface ModelFiles {
  write(relativePath: string, data: Blob): Promise<void>
  read(relativePath: string): Promise<Blob>
}

/** The model directory `directory` of a run, through the client's artifact store. */
export function runArtifactFiles(client: MlflowClient, runId: string, directory: string): ModelFiles {
  const full = (relativePath: string) => (directory ? `${directory}/${relativePath}` : relativePath)
  return {
    write: (relativePath, data) => {
      const path = full(relativePath)
      const slash = path.lastIndexOf('/')
      return client.logArtifact(runId, data, slash < 0 ? '' : path.slice(0, slash), path.slice(slash + 1))
    },
    read: relativePath => client.readArtifact(runId, full(relativePath)),
  }
}

/** Shard file names as the converter writes them: group1-shard1of3.bin, … */
function shardNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `group1-shard${index + 1}of${count}.bin`)
}

/** An IOHandler whose save() writes model.json and its weight shards; resolves with the bytes written. */
export function artifactSaveHandler(tf: Tf, files: ModelFiles, onSaved?: (bytesWritten: number) => void): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      const topology = artifacts.modelTopology
      if (topology === undefined || topology instanceof ArrayBuffer) {
        throw new MlflowError('NOT_IMPLEMENTED', 'Only models with a JSON topology (tfjs layers models) can be saved as artifacts.')
      }
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData)
      const shardCount = Math.max(1, Math.ceil(weights.byteLength / SHARD_BYTES))
      const paths = shardNames(shardCount)
      const modelJson: io.ModelJSON = {
        modelTopology: topology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths, weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.signature ? { signature: artifacts.signature } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      }
      const topologyText = JSON.stringify(modelJson)
      for (const [index, path] of paths.entries()) {
        const shard = weights.slice(index * SHARD_BYTES, (index + 1) * SHARD_BYTES)
        await files.write(path, new Blob([shard], { type: 'application/octet-stream' }))
      }
      await files.write(MODEL_JSON_FILE, new Blob([topologyText], { type: 'application/json' }))
      onSaved?.(weights.byteLength + new TextEncoder().encode(topologyText).byteLength)
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: topologyText.length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes: weights.byteLength,
        },
      }
    },
  }
}

/** An IOHandler whose load() reads model.json and the weight files it names from the artifacts. */
export function artifactLoadHandler(tf: Tf, files: ModelFiles): io.IOHandler {
  return {
    async load(): Promise<io.ModelArtifacts> {
      const modelJson = JSON.parse(await (await files.read(MODEL_JSON_FILE)).text()) as io.ModelJSON
      return tf.io.getModelArtifactsForJSON(modelJson, async manifest => {
        const specs = manifest.flatMap(group => group.weights)
        const buffers: ArrayBuffer[] = []
        for (const group of manifest) {
          for (const path of group.paths) buffers.push(await (await files.read(path)).arrayBuffer())
        }
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)]
      })
    },
  }
}
