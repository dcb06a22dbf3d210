/**
 * The model registry endpoints of the test MLflow server ("METHOD name" → request fields), from
 * MLflow's model_registry.proto: methods, snake_case fields, which are required (validate_required).
 * As with the tracking rules, an unknown field is refused (MLflow would ignore it silently).
 */
import type { FieldRule } from './mlflow-request-rules.ts'

const name: FieldRule = { kind: 'string', required: true }
// The proto's version is a string field: a JSON number is refused, as protobuf's ParseDict refuses it.
const version: FieldRule = { kind: 'string', required: true }
const tags: FieldRule = { kind: 'tags' }
const search: Record<string, FieldRule> = {
  filter: { kind: 'string' }, max_results: { kind: 'int64' }, order_by: { kind: 'string[]' }, page_token: { kind: 'string' },
}
const latest: Record<string, FieldRule> = { name, stages: { kind: 'string[]' } }

export const REGISTRY_ENDPOINT_FIELDS: Record<string, Record<string, FieldRule>> = {
  'POST registered-models/create': { name, tags, description: { kind: 'string' } },
  'POST registered-models/rename': { name, new_name: { kind: 'string' } },
  'PATCH registered-models/update': { name, description: { kind: 'string' } },
  'DELETE registered-models/delete': { name },
  'GET registered-models/get': { name },
  'GET registered-models/search': search,
  'POST registered-models/get-latest-versions': latest,
  'GET registered-models/get-latest-versions': latest,
  'POST registered-models/set-tag': { name, key: { kind: 'string', required: true }, value: { kind: 'string', required: true } },
  'DELETE registered-models/delete-tag': { name, key: { kind: 'string', required: true } },
  'POST registered-models/alias': { name, alias: { kind: 'string', required: true }, version },
  'DELETE registered-models/alias': { name, alias: { kind: 'string', required: true } },
  'GET registered-models/alias': { name, alias: { kind: 'string', required: true } },
  'POST model-versions/create': {
    name, source: { kind: 'string', required: true }, run_id: { kind: 'string' }, tags, run_link: { kind: 'string' }, description: { kind: 'string' },
  },
  'GET model-versions/get': { name, version },
  'PATCH model-versions/update': { name, version, description: { kind: 'string' } },
  'DELETE model-versions/delete': { name, version },
  'GET model-versions/search': search,
  'GET model-versions/get-download-uri': { name, version },
  'POST model-versions/transition-stage': {
    name, version, stage: { kind: 'string', required: true }, archive_existing_versions: { kind: 'bool', required: true },
  },
  'POST model-versions/set-tag': { name, version, key: { kind: 'string', required: true }, value: { kind: 'string', required: true } },
  'DELETE model-versions/delete-tag': { name, version, key: { kind: 'string', required: true } },
}
