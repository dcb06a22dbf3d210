/**
 * `models:/` URIs (MLflow's registry model URIs) to a run and a path in its artifacts:
 * `models:/name/3`, `models:/name@champion`, `models:/name/Production` and `models:/name/latest`.
 */
import { MlflowError, doesNotExist, invalidParameter, isMlflowError } from '../core/errors.ts'
import { validateAliasName, validateModelName } from '../core/registry-validation.ts'
import type { ModelVersion } from '../core/types.ts'
import { type ModelLocation, parseRunsUri } from './model-uri.ts'

/** What a `models:/` URI names: one version, a stage's latest version, the latest version, or an alias. */
export type ModelsUri =
  | { name: string; kind: 'version'; version: string }
  | { name: string; kind: 'stage'; stage: string }
  | { name: string; kind: 'latest' }
  | { name: string; kind: 'alias'; alias: string }

/** The registry lookups resolution needs; an MlflowClient provides them all. */
export interface ModelsUriRegistry {
  getModelVersion(name: string, version: string): Promise<ModelVersion>
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>
  getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]>
  getRun(runId: string): Promise<{ info: { artifactUri: string } }>
}

function badUri(uri: string): MlflowError {
  return invalidParameter(`Not a proper models:/ URI: ${uri}. Models URIs must be of the form 'models:/model_name/suffix' or 'models:/model_name@alias' where suffix is a model version, stage, or the string 'latest' and where alias is a registered model alias. Only one of suffix or alias can be defined at a time.`)
}

/**
 * Parses a `models:/` URI as MLflow does: `models:/<name>/<version | stage | latest>` or
 * `models:/<name>@<alias>`. A suffix of digits is a version; `latest` (any case) the latest
 * version; any other suffix a stage (checked when resolved).
 * @throws MlflowError INVALID_PARAMETER_VALUE for any other shape, a bad name or a bad alias.
 */
export function parseModelsUri(uri: string): ModelsUri {
  if (typeof uri !== 'string' || !uri.toLowerCase().startsWith('models:/') || uri.toLowerCase().startsWith('models://')) {
    throw badUri(String(uri))
  }
  const parts = uri.slice('models:/'.length).split('/')
  const [first = '', suffix] = parts
  if (parts.length > 2 || first.trim() === '') throw badUri(uri)
  if (suffix !== undefined) {
    if (suffix.trim() === '') throw badUri(uri)
    validateModelName(first)
    if (/^\d+$/.test(suffix)) return { name: first, kind: 'version', version: suffix }
    if (suffix.toLowerCase() === 'latest') return { name: first, kind: 'latest' }
    return { name: first, kind: 'stage', stage: suffix }
  }
  // An alias holds no '@', so the last '@' separates it from the name.
  const at = first.lastIndexOf('@')
  if (at <= 0 || at === first.length - 1) throw badUri(uri)
  const name = first.slice(0, at)
  const alias = first.slice(at + 1)
  validateModelName(name)
  validateAliasName(alias)
  return { name, kind: 'alias', alias }
}

async function versionOf(parsed: ModelsUri, registry: ModelsUriRegistry): Promise<ModelVersion> {
  switch (parsed.kind) {
    case 'version': return registry.getModelVersion(parsed.name, parsed.version)
    case 'alias':
      try {
        return await registry.getModelVersionByAlias(parsed.name, parsed.alias)
      } catch (error) {
        // The alias was checked above, so this is MLflow's "alias … not found": for a URI, the model does not exist.
        if (isMlflowError(error, 'INVALID_PARAMETER_VALUE')) throw doesNotExist(error.message)
        throw error
      }
    case 'stage':
    case 'latest': {
      const stages = parsed.kind === 'stage' ? [parsed.stage] : undefined
      const candidates = await registry.getLatestVersions(parsed.name, stages)
      const latest = candidates.reduce<ModelVersion | undefined>((best, version) =>
        (best === undefined || Number(version.version) > Number(best.version) ? version : best), undefined)
      if (!latest) throw doesNotExist(`No versions of model with name '${parsed.name}' and stage '${parsed.kind === 'stage' ? parsed.stage : 'None'}' found`)
      return latest
    }
  }
}

/**
 * The model version a `models:/` URI names (see {@link resolveModelsUri} for the forms and errors).
 */
export function modelVersionForUri(uri: string, registry: ModelsUriRegistry): Promise<ModelVersion> {
  return versionOf(parseModelsUri(uri), registry)
}

/**
 * The run and artifact path of a model version: its `runs:/` source as it is, or its source made
 * relative to its run's artifact root (how MLflow stores a version registered from `runs:/`).
 * @throws MlflowError INVALID_PARAMETER_VALUE when the version has no run or lies outside the run's artifacts.
 */
export async function modelVersionLocation(version: ModelVersion, registry: Pick<ModelsUriRegistry, 'getRun'>): Promise<ModelLocation> {
  const label = `Model version ${version.version} of '${version.name}'`
  if (version.source.startsWith('runs:/')) return parseRunsUri(version.source)
  if (!version.runId) throw invalidParameter(`${label} has no source run, so its source '${version.source}' cannot be read from run artifacts.`)
  const root = (await registry.getRun(version.runId)).info.artifactUri.replace(/\/+$/, '')
  if (version.source === root) return { runId: version.runId, artifactPath: '' }
  if (!version.source.startsWith(`${root}/`)) {
    throw invalidParameter(`${label} has source '${version.source}', which is not inside the artifacts of run ${version.runId} (${root}).`)
  }
  return { runId: version.runId, artifactPath: version.source.slice(root.length + 1).replace(/\/+$/, '') }
}

/**
 * Resolves `models:/name/3`, `models:/name@alias`, `models:/name/<stage>` (the stage's highest
 * version) and `models:/name/latest` (the highest version) to a run and artifact path.
 *
 * @example
 * const { runId, artifactPath } = await resolveModelsUri('models:/iris@champion', client)
 * @throws MlflowError INVALID_PARAMETER_VALUE for a malformed URI or stage; RESOURCE_DOES_NOT_EXIST
 * for an unknown model, version or alias, or a stage without versions.
 */
export async function resolveModelsUri(uri: string, registry: ModelsUriRegistry): Promise<ModelLocation> {
  return modelVersionLocation(await modelVersionForUri(uri, registry), registry)
}
