/**
 * The serving endpoint: `POST <base>/<name>/<version | @alias>/invocations` answers MLflow's scoring
 * protocol from the registry of a tracking URI, with no network. A service worker or a test calls it.
 */
import { HTTP_STATUS, MlflowError, isMlflowError } from '../core/errors.ts'
import type { ModelVersion } from '../core/types.ts'
import { DEFAULT_TRACKING_URI } from '../store/uri.ts'
import { predict } from '../tfjs/predict.ts'
import { MlflowClient } from '../tracking/client.ts'
import { ServedModelCache, type ServedModel } from './model-cache.ts'
import { decodeScoringBody, describeInputSchema, formatPredictions, parseScoringRequest } from './scoring.ts'
import { ServedVersionResolver } from './version-resolver.ts'

/** Where serving reads models, and under which path it answers. */
export interface ServingOptions {
  /** The tracking URI whose registry is served (default `indexeddb://lablog`). */
  trackingUri?: string
  /** The path prefix of the endpoint, ending in '/' (default '/serve/'; a service worker passes its scope's). */
  basePath?: string
  /** Loaded models; by default one cache shared by every call. */
  cache?: ServedModelCache
}

/** What a serving path names: a registered model, a version or alias of it, and the endpoint. */
export interface ServingTarget {
  name: string
  /** A version number (or `latest`, or a stage), or an alias when `byAlias`. */
  reference: string
  byAlias: boolean
  /** `invocations` scores; `info` (the bare path) describes the model; `ping` answers health checks. */
  endpoint: 'invocations' | 'info' | 'ping'
}

const sharedCache = new ServedModelCache()
const versions = new ServedVersionResolver()
const clients = new Map<string, MlflowClient>()
const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' }

const clientFor = (trackingUri: string) => {
  let client = clients.get(trackingUri)
  if (!client) clients.set(trackingUri, client = new MlflowClient(trackingUri))
  return client
}

/**
 * Reads `<base><name>/<version | @alias>/<endpoint>`; undefined for any other path. Segments are
 * URL-decoded, so a model name with spaces or slashes arrives encoded (`my%20model`).
 */
export function parseServingPath(pathname: string, basePath = '/serve/'): ServingTarget | undefined {
  if (!pathname.startsWith(basePath)) return undefined
  const parts = pathname.slice(basePath.length).split('/')
  const [rawName, rawReference, rawEndpoint = '', ...rest] = parts
  // '<name>/invocations' lacks the version: never read the endpoint's name as a version or stage.
  if (!rawName || !rawReference || rest.length > 0 || rawReference === 'invocations' || rawReference === 'ping') return undefined
  const endpoint = rawEndpoint === '' ? 'info' : rawEndpoint
  if (endpoint !== 'invocations' && endpoint !== 'info' && endpoint !== 'ping') return undefined
  let name: string, reference: string
  try {
    name = decodeURIComponent(rawName)
    reference = decodeURIComponent(rawReference)
  } catch { return undefined }
  const byAlias = reference.startsWith('@')
  return { name, reference: byAlias ? reference.slice(1) : reference, byAlias, endpoint }
}

/** The `models:/` URI a target names (`models:/name/3` or `models:/name@alias`). */
export const targetUri = (target: ServingTarget) =>
  (target.byAlias ? `models:/${target.name}@${target.reference}` : `models:/${target.name}/${target.reference}`)

/** MLflow's error body and status for an error: its code when it has one, INTERNAL_ERROR otherwise. */
export function errorResponse(error: unknown): Response {
  const mlflowError = isMlflowError(error) ? error : new MlflowError('INTERNAL_ERROR', error instanceof Error ? error.message : String(error))
  return new Response(JSON.stringify({ error_code: mlflowError.errorCode, message: mlflowError.message }), {
    status: HTTP_STATUS[mlflowError.errorCode] ?? 500, headers: JSON_HEADERS,
  })
}

/**
 * MLflow's content-type rule: JSON in UTF-8, nothing else (it also reads CSV; we do not). Returns
 * the 415 plain-text answer MLflow gives, or undefined when the type is fine.
 */
function unsupportedContentType(header: string | null): Response | undefined {
  const [mime = '', ...parameters] = (header ?? '').split(';').map(part => part.trim())
  const values = Object.fromEntries(parameters.filter(Boolean).map(pair => {
    const at = pair.indexOf('=')
    return at < 0 ? [pair.toLowerCase(), ''] : [pair.slice(0, at).toLowerCase(), pair.slice(at + 1).replace(/^"|"$/g, '')]
  }))
  let message: string | undefined
  if (mime.toLowerCase() !== 'application/json') message = `This predictor only supports the following content types: Types: ['application/json']. Got '${header ?? ''}'.`
  else if ((values.charset ?? 'utf-8').toLowerCase() !== 'utf-8') message = 'The scoring server only supports UTF-8'
  else if (Object.keys(values).some(key => key !== 'charset')) message = `Unrecognized content type parameters: ${Object.keys(values).filter(key => key !== 'charset').join(', ')}.`
  return message === undefined ? undefined : new Response(message, { status: 415, headers: { 'content-type': 'text/plain' } })
}

/** Named phases of one request, in milliseconds, as a Server-Timing header value. */
class ServerTiming {
  private last = performance.now()
  private readonly phases: string[] = []
  mark(name: string): void {
    const now = performance.now()
    this.phases.push(`${name};dur=${(now - this.last).toFixed(2)}`)
    this.last = now
  }
  header(): string { return this.phases.join(', ') }
}

/** Predicts, turning a signature mismatch into MLflow's schema-enforcement error and anything else into its BAD_REQUEST. */
async function score(served: ServedModel, body: unknown): Promise<unknown> {
  const request = parseScoringRequest(body, served.signature)
  let outputs
  try {
    outputs = await predict(served.model, request.inputs, { signature: served.signature })
  } catch (error) {
    if (isMlflowError(error, 'INVALID_PARAMETER_VALUE')) {
      throw new MlflowError('INVALID_PARAMETER_VALUE', `Failed to enforce schema of data with schema '${describeInputSchema(served.signature)}'. Error: ${error.message}`)
    }
    throw new MlflowError('BAD_REQUEST', `Encountered an unexpected error while evaluating the model. Verify that the serialized input Dataframe is compatible with the model for inference. Error: ${error instanceof Error ? error.message : String(error)}`)
  }
  const tensors = Array.isArray(outputs) ? outputs : [outputs]
  try {
    const values = await Promise.all(tensors.map(tensor => tensor.array()))
    return formatPredictions(values, served.outputNames)
  } finally {
    for (const tensor of tensors) tensor.dispose()
  }
}

/** The model description answered on `GET <base>/<name>/<ref>/`: what a client needs to build a request. */
function describe(version: ModelVersion, served: ServedModel, target: ServingTarget) {
  return {
    name: version.name,
    version: version.version,
    ...(target.byAlias ? { alias: target.reference } : {}),
    model_uri: served.modelUri,
    run_id: version.runId,
    source: version.source,
    signature: { inputs: served.signature.inputs, outputs: served.signature.outputs ?? null, params: served.signature.params ?? null },
    saved_input_example_info: served.mlModel.savedInputExampleInfo ?? null,
    serving_input_example: served.servingInputExample ?? null,
  }
}

/**
 * Answers one serving request: `POST …/invocations` with `{"inputs"|"instances"|"dataframe_split"|
 * "dataframe_records": …}` → `{"predictions": …}`; `GET …/` → the model's signature; `GET …/ping` → 200.
 * Errors are MLflow's JSON (`{"error_code", "message"}`): 400 BAD_REQUEST for a malformed body,
 * 400 INVALID_PARAMETER_VALUE when inputs do not fit the signature, 404 for an unknown model, version or alias.
 * @example
 * const response = await handleInvocation(new Request('https://app/serve/iris/@champion/invocations',
 *   { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"inputs": [[5.1, 3.5, 1.4, 0.2]]}' }))
 */
export async function handleInvocation(request: Request, options: ServingOptions = {}): Promise<Response> {
  const trackingUri = options.trackingUri ?? DEFAULT_TRACKING_URI
  const target = parseServingPath(new URL(request.url).pathname, options.basePath)
  if (!target) return errorResponse(new MlflowError('ENDPOINT_NOT_FOUND', `No serving endpoint at ${new URL(request.url).pathname}: use ${options.basePath ?? '/serve/'}<name>/<version | @alias>/invocations.`))
  const expected = target.endpoint === 'invocations' ? 'POST' : 'GET'
  if (request.method !== expected) {
    return new Response(JSON.stringify({ error_code: 'BAD_REQUEST', message: `${request.method} is not allowed here; use ${expected}.` }), {
      status: 405, headers: { ...JSON_HEADERS, allow: expected },
    })
  }
  if (target.endpoint === 'invocations') {
    const refused = unsupportedContentType(request.headers.get('content-type'))
    if (refused) return refused
  }
  try {
    // Server-Timing shows where a request's time went (DevTools, and the serving benchmark).
    const timing = new ServerTiming()
    const client = clientFor(trackingUri)
    const version = await versions.resolve(trackingUri, client, targetUri(target))
    timing.mark('resolve')
    if (target.endpoint === 'ping') return new Response('\n', { status: 200, headers: JSON_HEADERS })
    const served = await (options.cache ?? sharedCache).get(trackingUri, client, version)
    timing.mark('load')
    let body: unknown
    if (target.endpoint === 'info') body = describe(version, served, target)
    else {
      const decoded = decodeScoringBody(await request.text())
      timing.mark('read')
      body = await score(served, decoded)
      timing.mark('predict')
    }
    const text = JSON.stringify(body)
    timing.mark('write')
    return new Response(text, { status: 200, headers: { ...JSON_HEADERS, 'server-timing': timing.header() } })
  } catch (error) {
    return errorResponse(error)
  }
}
