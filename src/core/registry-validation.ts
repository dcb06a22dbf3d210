/**
 * MLflow's model registry rules (mlflow/utils/validation.py and the registry stores): model names,
 * version numbers, stages, alias names and tags, checked before anything is written.
 */
import { invalidParameter } from './errors.ts'
import { MODEL_VERSION_STAGES, type ModelVersionStage } from './types.ts'
import { validateArtifactPath, validateKey, validateRunId } from './validation.ts'

/** MLflow's registry limits (validation.py and mlflow/store/model_registry/__init__.py). */
export const REGISTRY_LIMITS = {
  tagKeyLength: 250,
  tagValueLength: 5000,
  aliasLength: 255,
  /** MLflow's search_registered_models: default page and largest max_results. */
  registeredModelsDefaultResults: 100,
  registeredModelsMaxResults: 1000,
  /** MLflow 2.x search_model_versions: default page and largest max_results. */
  modelVersionsDefaultResults: 10_000,
  modelVersionsMaxResults: 200_000,
} as const

/** The stages `archiveExistingVersions` may be used with (MLflow's DEFAULT_STAGES_FOR_GET_LATEST_VERSIONS). */
export const ACTIVE_STAGES: readonly ModelVersionStage[] = ['Staging', 'Production']

const missingValue = (parameter: string) => invalidParameter(`Missing value for required parameter '${parameter}'.`)

/**
 * A registered model name: a non-empty string without '/' or '%'. MLflow's server only requires
 * a name; its file store (mlruns, which our archives write) also refuses '/' and '%', since the
 * name becomes a folder, so we apply the stricter rule everywhere.
 */
export function validateModelName(name: unknown, parameter = 'name'): asserts name is string {
  if (typeof name !== 'string' || name === '') throw missingValue(parameter)
  if (name.includes('/')) throw invalidParameter(`Invalid name: '${name}'. Registered model name cannot contain path separator`)
  if (name.includes('%')) throw invalidParameter(`Invalid name: '${name}'. Registered model name cannot contain '%' character`)
}

/** A version as Python's int() reads it ('3', ' 3', 3); returns the number. */
export function parseModelVersion(version: unknown): number {
  const text = typeof version === 'number' ? String(version) : version
  if (typeof text !== 'string' || !/^\s*[+-]?\d+\s*$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw invalidParameter(`Parameter 'version' must be an integer, got '${String(version)}'.`)
  }
  return Number(text)
}

/** A stage in any letter case, as MLflow's canonical name ('production' → 'Production'). */
export function canonicalStage(stage: unknown): ModelVersionStage {
  const found = typeof stage === 'string' ? MODEL_VERSION_STAGES.find(known => known.toLowerCase() === stage.toLowerCase()) : undefined
  if (!found) throw invalidParameter(`Invalid Model Version stage: ${String(stage)}. Value must be one of ${MODEL_VERSION_STAGES.join(', ')}.`)
  return found
}

// Python's Unicode \w plus '-'.
const ALIAS_CHARACTERS = /^[\p{L}\p{N}\p{Mn}\p{Pc}-]*$/u
const VERSION_LIKE_ALIAS = /^[vV]\d+$/

/**
 * An alias name: word characters and '-', at most 255 long, and neither 'latest' (any case) nor
 * shaped like a version ('v1', 'V12'), which MLflow reserves for its URIs.
 */
export function validateAliasName(alias: unknown): asserts alias is string {
  if (alias === undefined || alias === null || alias === '') throw invalidParameter('Registered model alias name cannot be empty.')
  if (typeof alias !== 'string' || !ALIAS_CHARACTERS.test(alias)) {
    throw invalidParameter(`Invalid alias name: '${String(alias)}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`)
  }
  if (alias.length > REGISTRY_LIMITS.aliasLength) {
    throw invalidParameter(`'Registered model alias name' exceeds the maximum length of ${REGISTRY_LIMITS.aliasLength} characters`)
  }
  if (alias.toLowerCase() === 'latest') throw invalidParameter("'latest' alias name (case insensitive) is reserved.")
  if (VERSION_LIKE_ALIAS.test(alias)) throw invalidParameter(`Version alias name '${alias}' is reserved.`)
}

/** A registered-model or model-version tag: a tag key (run-tag rules), key ≤ 250, value a string ≤ 5000. */
export function validateRegistryTag(key: unknown, value: unknown): void {
  validateKey('tag', key)
  if (key.length > REGISTRY_LIMITS.tagKeyLength) throw invalidParameter(`'key' exceeds the maximum length of ${REGISTRY_LIMITS.tagKeyLength} characters`)
  if (value === undefined || value === null) throw invalidParameter('Tag value cannot be None')
  if (typeof value !== 'string') throw invalidParameter(`Tag '${key}' must have a string value.`)
  if (value.length > REGISTRY_LIMITS.tagValueLength) throw invalidParameter(`'value' exceeds the maximum length of ${REGISTRY_LIMITS.tagValueLength} characters`)
}

/** A `max_results` for a registry search: an integer from 1 to `limit`; `defaultMax` when undefined. */
export function registryMaxResults(maxResults: number | undefined, defaultMax: number, limit: number): number {
  if (maxResults === undefined) return defaultMax
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    throw invalidParameter(`Invalid value for max_results. It must be a positive integer, but got ${maxResults}`)
  }
  if (maxResults > limit) {
    throw invalidParameter(`Invalid value for request parameter max_results. It must be at most ${limit}, but got value ${maxResults}`)
  }
  return maxResults
}

const RUNS_URI = /^runs:\/([^/]+)(?:\/(.*))?$/

/** A model version's `runs:/<runId>/<path>` source → its run and path; undefined for any other source. */
export function parseRunsSource(source: string): { runId: string; path: string } | undefined {
  if (!source.startsWith('runs:')) return undefined
  const match = RUNS_URI.exec(source)
  if (!match) throw invalidParameter(`Invalid model URI '${source}': expected runs:/<run_id>/<artifact_path>.`)
  const runId = match[1] as string
  validateRunId(runId)
  return { runId, path: validateArtifactPath(match[2] ?? '', { allowEmpty: true }) }
}
