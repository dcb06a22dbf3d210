/**
 * The MLmodel file (mlflow-compat §6.1): read and write its YAML, and the entry a logged model
 * adds to the run's `mlflow.log-model.history` tag. YAML is written as PyYAML would read it.
 */
import { parse as parseYaml, stringify as toYaml } from 'yaml'
import { invalidParameter } from '../core/errors.ts'
import { type ModelSignature, signatureFromYaml, signatureToYaml } from './signature.ts'

/** The file name MLflow looks for at a model directory's root. */
export const MLMODEL_FILE = 'MLmodel'

/** An MLmodel file in camelCase; keys MLflow does not define are kept in `extraFields`. */
export interface MlModel {
  /** Path of the model inside the run's artifacts. */
  artifactPath?: string
  /** Flavor name → free-form config. At least one flavor. */
  flavors: Record<string, Record<string, unknown>>
  runId?: string
  /** Python's str(datetime) in UTC: '2026-11-28 20:04:32.491176'. */
  utcTimeCreated?: string
  /** uuid4 as 32 hex characters. */
  modelUuid?: string
  mlflowVersion?: string
  signature?: ModelSignature
  /** `artifact_path`, `type`, `serving_input_path`, `pandas_orient`… as MLflow writes them. */
  savedInputExampleInfo?: Record<string, unknown>
  modelSizeBytes?: number
  metadata?: Record<string, unknown>
  /** Top-level keys this type does not name, kept as read and written back (MLflow keeps them too). */
  extraFields?: Record<string, unknown>
}

const NAMED_KEYS = {
  artifact_path: 'artifactPath', flavors: 'flavors', run_id: 'runId', utc_time_created: 'utcTimeCreated',
  model_uuid: 'modelUuid', mlflow_version: 'mlflowVersion', signature: 'signature',
  saved_input_example_info: 'savedInputExampleInfo', model_size_bytes: 'modelSizeBytes', metadata: 'metadata',
} as const satisfies Record<string, keyof MlModel>

/** MLflow's utc_time_created: UTC, a space, microseconds, no zone. */
export function utcTimeCreated(date: Date = new Date()): string {
  const iso = date.toISOString() // 2026-11-28T20:04:32.491Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`
}

/** A model uuid: uuid4 without dashes, as MLflow's `uuid.uuid4().hex`. */
export function newModelUuid(): string {
  return crypto.randomUUID().replaceAll('-', '')
}

/** The MLmodel YAML text: keys sorted, YAML 1.1 quoting so PyYAML reads every string back as a string. */
export function mlModelToYaml(model: MlModel): string {
  if (!model.flavors || Object.keys(model.flavors).length === 0) throw invalidParameter('An MLmodel needs at least one flavor.')
  const document: Record<string, unknown> = { ...model.extraFields }
  for (const [yamlKey, field] of Object.entries(NAMED_KEYS)) {
    const value = model[field]
    if (value === undefined) continue
    document[yamlKey] = field === 'signature' ? signatureToYaml(value as ModelSignature) : value
  }
  return toYaml(document, { sortMapEntries: true, version: '1.1', singleQuote: true })
}

/** Parses an MLmodel file; INVALID_PARAMETER_VALUE when it is not YAML or has no flavors. */
export function parseMlModel(text: string): MlModel {
  let document: unknown
  try { document = parseYaml(text, { version: '1.1' }) } catch (error) {
    throw invalidParameter(`The MLmodel file is not valid YAML: ${(error as Error).message}`)
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw invalidParameter('The MLmodel file is not a YAML mapping.')
  const fields = document as Record<string, unknown>
  const flavors = fields.flavors
  if (typeof flavors !== 'object' || flavors === null || Array.isArray(flavors)) throw invalidParameter('The MLmodel file has no "flavors" mapping.')
  const model: MlModel = { flavors: flavors as MlModel['flavors'] }
  const extraFields: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) {
    const field = (NAMED_KEYS as Record<string, keyof MlModel>)[key]
    if (!field) extraFields[key] = value
    else if (field === 'signature') model.signature = signatureFromYaml(value)
    else if (field === 'utcTimeCreated' || field === 'modelUuid' || field === 'runId' || field === 'artifactPath' || field === 'mlflowVersion') {
      // PyYAML may have written these unquoted; keep them as text whatever YAML made of them.
      if (value !== null && value !== undefined) model[field] = String(value)
    } else if (field !== 'flavors') (model as unknown as Record<string, unknown>)[field] = value
  }
  if (Object.keys(extraFields).length > 0) model.extraFields = extraFields
  return model
}

/**
 * The entry logging a model appends to the run's `mlflow.log-model.history` tag: the ids, the
 * time and the flavors, each flavor without its `config` key (as MLflow's get_tags_dict does).
 */
export function logModelHistoryEntry(model: MlModel): Record<string, unknown> {
  const flavors: Record<string, unknown> = {}
  for (const [name, config] of Object.entries(model.flavors)) {
    const { config: _dropped, ...rest } = config
    flavors[name] = rest
  }
  return {
    ...(model.runId !== undefined ? { run_id: model.runId } : {}),
    ...(model.artifactPath !== undefined ? { artifact_path: model.artifactPath } : {}),
    ...(model.utcTimeCreated !== undefined ? { utc_time_created: model.utcTimeCreated } : {}),
    ...(model.modelUuid !== undefined ? { model_uuid: model.modelUuid } : {}),
    flavors,
  }
}
