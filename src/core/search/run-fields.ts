/**
 * What a run identifier names: entity prefixes and their aliases, attribute keys and their
 * aliases, and how to read each attribute from a Run. Shared by the run filter and order_by.
 */
import type { Run } from '../types.ts'
import { failAt } from './errors.ts'
import type { IdentifierNode } from './parser.ts'

/** The five kinds of thing a run identifier can name (MLflow's canonical entity names). */
export type RunEntity = 'metric' | 'parameter' | 'tag' | 'attribute' | 'dataset'

/** The run attributes a filter or order_by can name, by their canonical MLflow names. */
export type RunAttribute = 'run_id' | 'run_name' | 'status' | 'user_id' | 'artifact_uri' | 'start_time' | 'end_time'

/** Dataset fields a filter can name: the dataset's name and digest, and its input's context tag. */
export type DatasetKey = 'name' | 'digest' | 'context'

/** An identifier resolved: its entity, and its key (canonical for attributes and datasets). */
export type RunField =
  | { entity: 'metric' | 'parameter' | 'tag'; key: string }
  | { entity: 'attribute'; key: RunAttribute }
  | { entity: 'dataset'; key: DatasetKey }

const ENTITIES = new Map<string, RunEntity>([
  ['metric', 'metric'], ['metrics', 'metric'],
  ['parameter', 'parameter'], ['parameters', 'parameter'], ['param', 'parameter'], ['params', 'parameter'],
  ['tag', 'tag'], ['tags', 'tag'],
  ['attribute', 'attribute'], ['attributes', 'attribute'], ['attr', 'attribute'], ['run', 'attribute'],
  ['dataset', 'dataset'], ['datasets', 'dataset'],
])

/** Canonical attribute names in MLflow's order, for messages. */
export const RUN_ATTRIBUTES: readonly RunAttribute[] = ['run_id', 'run_name', 'status', 'user_id', 'artifact_uri', 'start_time', 'end_time']

const ATTRIBUTES = new Map<string, RunAttribute>([
  ...RUN_ATTRIBUTES.map(name => [name, name] as const),
  ['created', 'start_time'], ['Created', 'start_time'],
  ['run name', 'run_name'], ['Run name', 'run_name'], ['Run Name', 'run_name'],
])

const DATASET_KEYS: readonly DatasetKey[] = ['name', 'digest', 'context']

/** Attributes compared as numbers (milliseconds); the others are strings. */
export const NUMERIC_RUN_ATTRIBUTES: ReadonlySet<RunAttribute> = new Set(['start_time', 'end_time'])

/** Reads each attribute from a run; null (a running run's end_time) counts as missing. */
export const RUN_ATTRIBUTE_GETTERS: { readonly [K in RunAttribute]: (run: Run) => string | number | null } = {
  run_id: run => run.info.runId,
  run_name: run => run.info.runName,
  status: run => run.info.status,
  user_id: run => run.info.userId,
  artifact_uri: run => run.info.artifactUri,
  start_time: run => run.info.startTime,
  end_time: run => run.info.endTime,
}

const list = (names: readonly string[]) => `[${names.map(name => `'${name}'`).join(', ')}]`

/**
 * Resolves an identifier: the entity prefix through its aliases (a bare key is an attribute), and
 * attribute and dataset keys against the known ones (`created` is start_time, `run name` is run_name).
 * @throws FilterSyntaxError pointing at the unknown entity or key.
 */
export function resolveRunField(identifier: IdentifierNode): RunField {
  const entity = identifier.entity === undefined ? 'attribute' : ENTITIES.get(identifier.entity)
  if (entity === undefined) {
    return failAt(`Invalid entity type '${identifier.entity}'. Valid values are ${list(['metric', 'parameter', 'tag', 'attribute', 'dataset'])}`,
      identifier.entitySpan ?? identifier)
  }
  const { key } = identifier
  if (key === '') failAt(`Missing key in '${identifier.text}'`, identifier.keySpan)
  if (entity === 'attribute') {
    const attribute = ATTRIBUTES.get(key)
    if (attribute === undefined) failAt(`Invalid attribute key '${key}' specified. Valid keys are '${list(RUN_ATTRIBUTES)}'`, identifier.keySpan)
    return { entity, key: attribute }
  }
  if (entity === 'dataset') {
    const datasetKey = DATASET_KEYS.find(name => name === key)
    if (datasetKey === undefined) failAt(`Invalid dataset key '${key}' specified. Valid keys are '${list(DATASET_KEYS)}'`, identifier.keySpan)
    return { entity, key: datasetKey }
  }
  return { entity, key }
}
