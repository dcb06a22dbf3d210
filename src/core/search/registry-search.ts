/**
 * search_registered_models and search_model_versions: MLflow's filter and order_by grammar for the
 * registry, compiled with the same parser and predicates as the run and experiment searches.
 */
import type { ModelVersion, RegisteredModel } from '../types.ts'
import { failAt, withErrorPrefix } from './errors.ts'
import { chain, compareBy, type Compare } from './ordering.ts'
import { resolveAttributeOrTag } from './attribute-or-tag.ts'
import { parseFilter, parseOrderBy, type ClauseNode } from './parser.ts'
import {
  checkComparator, numberTest, NUMERIC_COMPARATORS, numericValue, recordStringTest, STRING_COMPARATORS, stringTest, stringValue,
} from './predicates.ts'

/** A compiled registered-model filter. */
export type RegisteredModelPredicate = (model: RegisteredModel) => boolean
/** A compiled model-version filter. */
export type ModelVersionPredicate = (version: ModelVersion) => boolean

/** run_id also takes IN (a list); MLflow's registry has no NOT IN. */
const RUN_ID_COMPARATORS = [...STRING_COMPARATORS, 'IN'] as const


function allOf<T>(predicates: ((item: T) => boolean)[]): (item: T) => boolean {
  return item => {
    for (const predicate of predicates) if (!predicate(item)) return false
    return true
  }
}

function tagPredicate(clause: ClauseNode, key: string): (tags: Record<string, string>) => boolean {
  checkComparator(clause.comparator, STRING_COMPARATORS)
  return recordStringTest(key, stringTest(clause.comparator.value, stringValue(clause, 'tag')))
}

function stringAttributePredicate(clause: ClauseNode, key: string, allowed: readonly string[]): (value: string) => boolean {
  checkComparator(clause.comparator, allowed)
  const listError = key === 'run_id' ? undefined : "Only the 'run_id' attribute supports comparison with a list of quoted string values."
  return stringTest(clause.comparator.value, stringValue(clause, `attribute ${key}`, listError))
}

/**
 * Compiles a search_registered_models filter: `name` (= != LIKE ILIKE) and `tags.<key>`
 * (= != LIKE ILIKE; a model without the tag never matches), joined by AND.
 *
 * @example
 * models.filter(compileRegisteredModelFilter("name LIKE 'iris-%' AND tags.team = 'vision'"))
 * @throws FilterSyntaxError (INVALID_PARAMETER_VALUE) naming the problem and its position.
 */
export function compileRegisteredModelFilter(filter: string | undefined): RegisteredModelPredicate {
  if (!filter) return () => true
  return allOf(parseFilter(filter).map((clause): RegisteredModelPredicate => {
    const field = resolveAttributeOrTag(clause.identifier, ['name'] as const)
    if (field.entity === 'tag') {
      const test = tagPredicate(clause, field.key)
      return model => test(model.tags)
    }
    const test = stringAttributePredicate(clause, 'name', STRING_COMPARATORS)
    return model => test(model.name)
  }))
}

type ModelVersionFilterKey = 'name' | 'version_number' | 'run_id' | 'source_path'
const VERSION_FILTER_KEYS: readonly ModelVersionFilterKey[] = ['name', 'version_number', 'run_id', 'source_path']

/**
 * Compiles a search_model_versions filter: `name`, `source_path` (= != LIKE ILIKE), `run_id`
 * (also IN ('…', …)), `version_number` (= != < <= > >=) and `tags.<key>`, joined by AND.
 *
 * @example
 * versions.filter(compileModelVersionFilter("name = 'iris' AND version_number > 2"))
 * @throws FilterSyntaxError (INVALID_PARAMETER_VALUE) naming the problem and its position.
 */
export function compileModelVersionFilter(filter: string | undefined): ModelVersionPredicate {
  if (!filter) return () => true
  return allOf(parseFilter(filter).map((clause): ModelVersionPredicate => {
    const field = resolveAttributeOrTag(clause.identifier, VERSION_FILTER_KEYS)
    if (field.entity === 'tag') {
      const test = tagPredicate(clause, field.key)
      return version => test(version.tags)
    }
    switch (field.key) {
      case 'version_number': {
        checkComparator(clause.comparator, NUMERIC_COMPARATORS)
        const test = numberTest(clause.comparator.value, numericValue(clause.value, 'numeric attribute: version_number'))
        return version => test(Number(version.version))
      }
      case 'run_id': {
        const test = stringAttributePredicate(clause, 'run_id', RUN_ID_COMPARATORS)
        return version => version.runId !== '' && test(version.runId)
      }
      case 'source_path': {
        const test = stringAttributePredicate(clause, 'source_path', STRING_COMPARATORS)
        return version => test(version.source)
      }
      case 'name': {
        const test = stringAttributePredicate(clause, 'name', STRING_COMPARATORS)
        return version => test(version.name)
      }
    }
  }))
}

function orderClauses<T, K extends string>(
  orderBy: string[], attributes: readonly K[], comparatorFor: (key: K, ascending: boolean) => Compare<T>,
): { comparators: Compare<T>[]; keys: Set<K> } {
  const keys = new Set<K>()
  const comparators = orderBy.map(clause => withErrorPrefix(`Invalid order_by clause '${clause}': `, () => {
    const { identifier, ascending } = parseOrderBy(clause)
    const field = resolveAttributeOrTag(identifier, attributes)
    if (field.entity === 'tag') return failAt('Invalid order_by entity: tag', identifier.entitySpan ?? identifier)
    keys.add(field.key)
    return comparatorFor(field.key, ascending)
  }))
  return { comparators, keys }
}

type RegisteredModelOrderKey = 'name' | 'creation_timestamp' | 'last_updated_timestamp'
const MODEL_ORDER_KEYS: readonly RegisteredModelOrderKey[] = ['name', 'creation_timestamp', 'last_updated_timestamp']

const byModelKey = (key: RegisteredModelOrderKey, ascending: boolean): Compare<RegisteredModel> =>
  key === 'name' ? compareBy(model => model.name, 'string', ascending)
    : compareBy(model => (key === 'creation_timestamp' ? model.creationTimestamp : model.lastUpdatedTimestamp), 'number', ascending)

/**
 * Compiles search_registered_models order_by clauses (`name`, `creation_timestamp`,
 * `last_updated_timestamp`, each `[ASC|DESC]`). Ties, and no clauses, fall back to name ASC.
 * @throws FilterSyntaxError (INVALID_PARAMETER_VALUE) whose message names the bad clause.
 */
export function compileRegisteredModelOrderBy(orderBy: string[] | undefined): Compare<RegisteredModel> {
  const { comparators, keys } = orderClauses(orderBy ?? [], MODEL_ORDER_KEYS, byModelKey)
  return chain(keys.has('name') ? comparators : [...comparators, byModelKey('name', true)])
}

type ModelVersionOrderKey = 'name' | 'version_number' | 'creation_timestamp' | 'last_updated_timestamp'
const VERSION_ORDER_KEYS: readonly ModelVersionOrderKey[] = ['name', 'version_number', 'creation_timestamp', 'last_updated_timestamp']

function byVersionKey(key: ModelVersionOrderKey, ascending: boolean): Compare<ModelVersion> {
  switch (key) {
    case 'name': return compareBy(version => version.name, 'string', ascending)
    case 'version_number': return compareBy(version => Number(version.version), 'number', ascending)
    case 'creation_timestamp': return compareBy(version => version.creationTimestamp, 'number', ascending)
    case 'last_updated_timestamp': return compareBy(version => version.lastUpdatedTimestamp, 'number', ascending)
  }
}

/**
 * Compiles search_model_versions order_by clauses (`name`, `version_number`, `creation_timestamp`,
 * `last_updated_timestamp`). Ties fall back to name ASC, then version_number DESC; without clauses
 * the order is last_updated_timestamp DESC, name ASC, version_number DESC, as MLflow's stores sort.
 * @throws FilterSyntaxError (INVALID_PARAMETER_VALUE) whose message names the bad clause.
 */
export function compileModelVersionOrderBy(orderBy: string[] | undefined): Compare<ModelVersion> {
  const clauses = orderBy && orderBy.length > 0 ? orderBy : ['last_updated_timestamp DESC']
  const { comparators, keys } = orderClauses(clauses, VERSION_ORDER_KEYS, byVersionKey)
  if (!keys.has('name')) comparators.push(byVersionKey('name', true))
  if (!keys.has('version_number')) comparators.push(byVersionKey('version_number', false))
  return chain(comparators)
}
