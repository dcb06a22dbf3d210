/**
 * compileRunOrderBy: MLflow search_runs order_by clauses compiled into one comparator, with
 * MLflow's tie-breakers (start_time DESC, then run_id ASC).
 */
import type { Run } from '../types.ts'
import { failAt, withErrorPrefix } from './errors.ts'
import { chain, compareBy, type Compare } from './ordering.ts'
import { parseOrderBy } from './parser.ts'
import { NUMERIC_RUN_ATTRIBUTES, resolveRunField, RUN_ATTRIBUTE_GETTERS } from './run-fields.ts'

/** Orders runs; pass it to `Array.prototype.sort`. */
export type RunComparator = Compare<Run>

const byStartTimeDesc = compareBy<Run>(run => run.info.startTime, 'number', false)
const byRunIdAsc = compareBy<Run>(run => run.info.runId, 'string', true)
const defaultOrder = chain([byStartTimeDesc, byRunIdAsc])

function compileClause(clause: string): RunComparator {
  const { identifier, ascending } = parseOrderBy(clause)
  const field = resolveRunField(identifier)
  switch (field.entity) {
    case 'metric': {
      const key = field.key
      return compareBy(run => run.data.metrics[key], 'number', ascending)
    }
    case 'parameter': {
      const key = field.key
      return compareBy(run => run.data.params[key], 'string', ascending)
    }
    case 'tag': {
      const key = field.key
      return compareBy(run => run.data.tags[key], 'string', ascending)
    }
    case 'attribute':
      return compareBy(RUN_ATTRIBUTE_GETTERS[field.key], NUMERIC_RUN_ATTRIBUTES.has(field.key) ? 'number' : 'string', ascending)
    case 'dataset':
      return failAt("Invalid order_by entity type 'dataset': runs cannot be ordered by dataset", identifier.entitySpan ?? identifier)
  }
}

/**
 * Compiles MLflow order_by clauses (`"<identifier> [ASC|DESC]"`, ASC by default) into a run
 * comparator. Identifiers are those of the filter: metrics (numeric), params and tags (strings),
 * and the attributes start_time, end_time, run_name, status, user_id, artifact_uri, run_id.
 * Missing keys and NaN sort last in both directions. Ties, and an empty or undefined list, fall
 * back to start_time DESC, then run_id ASC.
 *
 * @example
 * runs.sort(compileRunOrderBy(['metrics.acc DESC', 'params.lr']))
 * @throws FilterSyntaxError (INVALID_PARAMETER_VALUE) whose message names the bad clause; its
 * position is within that clause.
 */
export function compileRunOrderBy(orderBy: string[] | undefined): RunComparator {
  if (!orderBy || orderBy.length === 0) return defaultOrder
  const comparators = orderBy.map(clause => withErrorPrefix(`Invalid order_by clause '${clause}': `, () => compileClause(clause)))
  return chain([...comparators, byStartTimeDesc, byRunIdAsc])
}
