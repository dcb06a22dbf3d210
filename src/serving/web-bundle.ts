/**
 * "Export as web bundle": a zip that predicts with a tracked model in any browser, from any static
 * host, offline — the MLflow model directory, TensorFlow.js's prebuilt browser file, and a small page.
 */
import { type Zippable, zipSync } from 'fflate'
import { MlflowError, invalidParameter } from '../core/errors.ts'
import { INPUT_EXAMPLE_FILE } from '../models/input-example.ts'
import { modelVersionForUri } from '../models/registry-uri.ts'
import { DEFAULT_TRACKING_URI } from '../store/uri.ts'
import { getModelInfo } from '../tfjs/load-model.ts'
import { MlflowClient } from '../tracking/client.ts'
import { INDEX_HTML, PREDICT_JS, STYLE_CSS, readmeText } from './web-bundle-page.ts'

/** The `format` bundle.json names, and its version (bumped only when readers must change). */
export const WEB_BUNDLE_FORMAT = 'lablog-web-bundle'
export const WEB_BUNDLE_FORMAT_VERSION = 1

/**
 * The tfjs file a bundle ships: the prebuilt ES2017 UMD build that defines the global `tf`. Not
 * tf.min.js: its ES5 polyfills evaluate strings (`Function(…)`), which the page's CSP forbids.
 */
export const TFJS_SCRIPT_MODULE_PATH = '@tensorflow/tfjs/dist/tf.es2017.min.js'
/** Its name inside the bundle. */
export const TFJS_SCRIPT_FILE = 'tf.es2017.min.js'

export interface WebBundleOptions {
  /** Where the model is tracked (default `indexeddb://lablog`). */
  trackingUri?: string
  /**
   * The bytes of `@tensorflow/tfjs/dist/tf.es2017.min.js`. In a browser pass them (the app fetches the file's
   * Vite `?url`, see workers/tfjs-script.ts); in Node they are read from node_modules when omitted.
   */
  tfjsScript?: Blob | ArrayBuffer | Uint8Array
}

/** bundle.json: what the page needs besides the model files. */
export interface WebBundleManifest {
  format: typeof WEB_BUNDLE_FORMAT
  formatVersion: number
  modelUri: string
  name: string | null
  version: string | null
  runId: string
  signature: { inputs: unknown; outputs: unknown } | null
  inputExample: unknown
  tfjsVersion: string
  exportedAt: string
}

async function bytesOf(data: Blob | ArrayBuffer | Uint8Array): Promise<Uint8Array> {
  if (data instanceof Uint8Array) return data
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(await data.arrayBuffer())
}

/** The tfjs script from node_modules, for Node callers. Uses process.getBuiltinModule so browser bundles see no Node import. */
function readTfjsScriptInNode(): Uint8Array {
  const builtin = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process?.getBuiltinModule
  if (!builtin) throw invalidParameter(`exportWebBundle needs options.tfjsScript (the bytes of ${TFJS_SCRIPT_MODULE_PATH}) outside Node.`)
  const { createRequire } = builtin('node:module') as { createRequire(from: string): { resolve(id: string): string } }
  const { readFileSync } = builtin('node:fs') as { readFileSync(path: string): Uint8Array }
  return readFileSync(createRequire(import.meta.url).resolve(TFJS_SCRIPT_MODULE_PATH))
}

/** Every file under the model directory, as paths relative to it. */
async function modelFiles(client: MlflowClient, runId: string, directory: string): Promise<string[]> {
  const files: string[] = []
  const visit = async (path: string): Promise<void> => {
    for (const entry of await client.listArtifacts(runId, path || undefined)) {
      // Stores list paths from the run's artifact root; keep them relative to the model directory.
      const full = entry.path.startsWith(`${path}/`) || path === '' ? entry.path : `${path}/${entry.path}`
      if (entry.isDir) await visit(full)
      else files.push(directory ? full.slice(directory.length + 1) : full)
    }
  }
  await visit(directory)
  return files
}

const textBytes = (text: string) => new TextEncoder().encode(text)

/**
 * Zips a tracked tfjs model as a self-contained web page: `index.html`, `predict.js`, `style.css`,
 * `tf.es2017.min.js`, `bundle.json` (URI, signature, input example) and `model/` (the MLflow model directory).
 * Unzipped on any static host it loads the model with TensorFlow.js and predicts, offline.
 * @example
 * const zip = await exportWebBundle('models:/iris@champion', { tfjsScript: await loadTfjsScript() })
 * @throws MlflowError RESOURCE_DOES_NOT_EXIST for an unknown model; INVALID_PARAMETER_VALUE when it is not a tfjs model.
 */
export async function exportWebBundle(modelUri: string, options: WebBundleOptions = {}): Promise<Blob> {
  const client = new MlflowClient(options.trackingUri ?? DEFAULT_TRACKING_URI)
  const { location, mlModel } = await getModelInfo(modelUri, client)
  const flavor = mlModel.flavors.tfjs
  if (!flavor) throw invalidParameter(`The model at '${modelUri}' has no 'tfjs' flavor, so a web page cannot run it.`)
  if (flavor.format !== undefined && flavor.format !== 'layers-model') {
    throw new MlflowError('NOT_IMPLEMENTED', `The model at '${modelUri}' is a tfjs '${String(flavor.format)}'; web bundles hold layers models only.`)
  }
  const tfjsScript = await bytesOf(options.tfjsScript ?? readTfjsScriptInNode())

  const files: Zippable = {}
  const paths = await modelFiles(client, location.runId, location.artifactPath)
  let inputExample: unknown = null
  for (const path of paths) {
    const bytes = new Uint8Array(await (await client.readArtifact(location.runId, location.artifactPath ? `${location.artifactPath}/${path}` : path)).arrayBuffer())
    // Weights barely compress; storing them keeps export fast for large models.
    files[`model/${path}`] = [bytes, { level: path.endsWith('.bin') ? 0 : 6 }]
    if (path === (mlModel.savedInputExampleInfo?.artifact_path ?? INPUT_EXAMPLE_FILE)) {
      try { inputExample = JSON.parse(new TextDecoder().decode(bytes)) } catch { /* an unreadable example only leaves the input empty */ }
    }
  }

  let name: string | null = null
  let version: string | null = null
  if (modelUri.toLowerCase().startsWith('models:')) {
    // An alias or 'latest' is recorded as the version it named at export time.
    const registered = await modelVersionForUri(modelUri, client)
    name = registered.name
    version = registered.version
  }
  const exportedAt = new Date().toISOString()
  const tfjsVersion = typeof flavor.tfjs_version === 'string' ? flavor.tfjs_version : 'unknown'
  const manifest: WebBundleManifest = {
    format: WEB_BUNDLE_FORMAT,
    formatVersion: WEB_BUNDLE_FORMAT_VERSION,
    modelUri,
    name,
    version,
    runId: location.runId,
    signature: mlModel.signature ? { inputs: mlModel.signature.inputs, outputs: mlModel.signature.outputs ?? null } : null,
    inputExample,
    tfjsVersion,
    exportedAt,
  }
  files['bundle.json'] = textBytes(JSON.stringify(manifest, null, 2))
  files['index.html'] = textBytes(INDEX_HTML)
  files['predict.js'] = textBytes(PREDICT_JS)
  files['style.css'] = textBytes(STYLE_CSS)
  files[TFJS_SCRIPT_FILE] = tfjsScript
  files['README.txt'] = textBytes(readmeText({ modelUri, tfjsVersion, exportedAt }))
  return new Blob([zipSync(files, { level: 6 })], { type: 'application/zip' })
}
