/**
 * search_experiments: the filter (name, creation_time, last_update_time, tags.<key>) and order_by
 * (name, experiment_id, creation_time, last_update_time) compiled for Experiment objects.
 */
import type { Experiment } from '../types.ts'
import { failAt, withErrorPrefix } from './errors.ts'
import { chain, compareBy, type Compare } from './ordering.ts'
import { resolveAttributeOrTag } from './attribute-or-tag.ts'
import { parseFilter, parseOrderBy, type ClauseNode } from './parser.ts'
import {
  checkComparator, numberTest, NUMERIC_COMPARATORS, numericValue, recordStringTest, STRING_COMPARATORS, stringTest, stringValue,
} from './predicates.ts'

/** A compiled experiment filter. */
export type ExperimentPredicate = (experiment: Experiment) => boolean
/** Orders experiments; pass it to `Array.prototype.sort`. */
export type ExperimentComparator = Compare<Experiment>

type ExperimentAttribute = 'name' | 'experiment_id' | 'creation_time' | 'last_update_time'

const GETTERS: { readonly [K in ExperimentAttribute]: (experiment: Experiment) => string | number } = {
  name: experiment => experiment.name,
  experiment_id: experiment => experiment.experimentId,
  creation_time: experiment => experiment.creationTime,
  last_update_time: experiment => experiment.lastUpdateTime,
}
const FILTER_ATTRIBUTES: readonly ExperimentAttribute[] = ['name', 'creation_time', 'last_update_time']
const ORDER_ATTRIBUTES: readonly ExperimentAttribute[] = ['name', 'experiment_id', 'creation_time', 'last_update_time']

function compileClause(clause: ClauseNode): ExperimentPredicate {
  const field = resolveAttributeOrTag(clause.identifier, FILTER_ATTRIBUTES)
  const comparator = clause.comparator.value
  if (field.entity === 'tag') {
    checkComparator(clause.comparator, STRING_COMPARATORS)
    const test = recordStringTest(field.key, stringTest(comparator, stringValue(clause, 'tag')))
    return experiment => test(experiment.tags)
  }
  if (field.key === 'name') {
    checkComparator(clause.comparator, STRING_COMPARATORS)
    const test = stringTest(comparator, stringValue(clause, 'attribute name'))
    return experiment => typeof experiment.name === 'string' && test(experiment.name)
  }
  checkComparator(clause.comparator, NUMERIC_COMPARATORS)
  const test = numberTest(comparator, numericValue(clause.value, `numeric attribute: ${field.key}`))
  const get = GETTERS[field.key]
  return experiment => {
    const value = get(experiment)
    return typeof value === 'number' && test(value)
  }
}

/**
 * Compiles an MLflow search_experiments filter: `name` (= != LIKE ILIKE), `creation_time` and
 * `last_update_time` (= != < <= > >=, milliseconds), `tags.<key>` (= != LIKE ILIKE; an experiment
 * without the tag never matches), joined by AND. Undefined or blank matches every experiment.
 *
 * @example
 * experiments.filter(compileExperimentFilter("name LIKE 'demo-%' AND tags.team = 'vision'"))
 * @throws FilterSyntaxError (INVALID_PARAMETER_VALUE) naming the problem and its position.
 */
export function compileExperimentFilter(filter: string | undefined): ExperimentPredicate {
  if (!filter) return () => true
  const predicates = parseFilter(filter).map(compileClause)
  return experiment => {
    for (const predicate of predicates) if (!predicate(experiment)) return false
    return true
  }
}

const INTEGER = /^\d+$/

/**
 * Orders experiment ids: numerically (BigInt, ids can exceed 2^53) when both are integer strings;
 * integer ids before other ids; other ids as strings. Equal numbers ("07", "7") fall back to the string.
 */
export function compareExperimentIds(a: string, b: string): number {
  const aInteger = INTEGER.test(a)
  const bInteger = INTEGER.test(b)
  if (aInteger && bInteger) {
    const x = BigInt(a)
    const y = BigInt(b)
    if (x !== y) return x < y ? -1 : 1
  } else if (aInteger !== bInteger) {
    return aInteger ? -1 : 1
  }
  return a < b ? -1 : a > b ? 1 : 0
}

const byExperimentId = (ascending: boolean): ExperimentComparator =>
  ascending ? (a, b) => compareExperimentIds(a.experimentId, b.experimentId) : (a, b) => compareExperimentIds(b.experimentId, a.experimentId)

const defaultOrder = chain([compareBy<Experiment>(GETTERS.creation_time, 'number', false), byExperimentId(true)])

/**
 * Compiles search_experiments order_by clauses (`name`, `experiment_id`, `creation_time`,
 * `last_update_time`, each `[ASC|DESC]`). Without clauses: creation_time DESC, experiment_id ASC.
 * When the clauses do not mention experiment_id, ties fall back to experiment_id DESC, as MLflow's
 * stores do.
 *
 * @example
 * experiments.sort(compileExperimentOrderBy(['name ASC']))
 * @throws FilterSyntaxError (INVALID_PARAMETER_VALUE) whose message names the bad clause.
 */
export function compileExperimentOrderBy(orderBy: string[] | undefined): ExperimentComparator {
  if (!orderBy || orderBy.length === 0) return defaultOrder
  let hasExperimentId = false
  const comparators = orderBy.map(clause => withErrorPrefix(`Invalid order_by clause '${clause}': `, () => {
    const { identifier, ascending } = parseOrderBy(clause)
    const field = resolveAttributeOrTag(identifier, ORDER_ATTRIBUTES)
    if (field.entity === 'tag') return failAt('Invalid order_by entity: tag; experiments can only be ordered by attributes', identifier.entitySpan ?? identifier)
    if (field.key === 'experiment_id') {
      hasExperimentId = true
      return byExperimentId(ascending)
    }
    return compareBy(GETTERS[field.key], field.key === 'name' ? 'string' : 'number', ascending)
  }))
  return chain(hasExperimentId ? comparators : [...comparators, byExperimentId(false)])
}
