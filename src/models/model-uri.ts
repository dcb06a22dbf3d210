/**
 * Model URIs to a place in a run's artifacts. One explicit table maps each scheme to its
 * resolver: `runs:/<runId>/<path>`, and the registry's `models:/name/version` and `models:/name@alias`.
 */
import { invalidParameter } from '../core/errors.ts'
import { validateArtifactPath, validateRunId } from '../core/validation.ts'
import type { MlflowClient } from '../tracking/client.ts'
import { resolveModelsUri } from './registry-uri.ts'

/** Where a model directory lives: a run and a path inside its artifacts ('' for the root). */
export interface ModelLocation { runId: string; artifactPath: string }

/** What a resolver may use: the client of the tracking URI (the registry's resolver looks versions up through it). */
export interface ModelUriContext { client: MlflowClient }

type ModelUriResolver = (uri: string, context: ModelUriContext) => Promise<ModelLocation>

/** `runs:/<runId>/<path>` → the run and the path, checked as artifact paths are. */
export function parseRunsUri(uri: string): ModelLocation {
  const match = /^runs:\/(\/)?([^/]*)(?:\/(.*))?$/.exec(uri)
  if (!match || match[1] !== undefined) {
    throw invalidParameter(`Invalid model URI '${uri}': expected runs:/<run_id>/<artifact_path>.`)
  }
  const runId = match[2] ?? ''
  if (!runId) throw invalidParameter(`Invalid model URI '${uri}': the run id is missing (runs:/<run_id>/<artifact_path>).`)
  validateRunId(runId)
  return { runId, artifactPath: validateArtifactPath(match[3] ?? '', { allowEmpty: true }) }
}

const RESOLVERS: Record<string, ModelUriResolver> = {
  'runs:': async uri => parseRunsUri(uri),
  'models:': (uri, { client }) => resolveModelsUri(uri, client),
}

/** The schemes `resolveModelUri` understands, for error messages and the UI. */
export const MODEL_URI_SCHEMES = Object.keys(RESOLVERS)

/** Resolves a model URI to a run and artifact path; INVALID_PARAMETER_VALUE for an unknown scheme. */
export function resolveModelUri(uri: string, context: ModelUriContext): Promise<ModelLocation> {
  if (typeof uri !== 'string') return Promise.reject(invalidParameter(`A model URI must be a string; got ${typeof uri}.`))
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(uri)?.[0].toLowerCase()
  const resolver = scheme ? RESOLVERS[scheme] : undefined
  if (!resolver) {
    return Promise.reject(invalidParameter(`Unsupported model URI '${uri}'. Supported: ${MODEL_URI_SCHEMES.map(known => `${known}/…`).join(', ')}.`))
  }
  return resolver(uri, context)
}

/** The `runs:/` URI of a model logged in a run. */
export function runsUri(location: ModelLocation): string {
  return `runs:/${location.runId}${location.artifactPath ? `/${location.artifactPath}` : ''}`
}
