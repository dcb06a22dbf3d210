/**
 * compileRunFilter: an MLflow search_runs filter compiled once into a predicate over Run objects
 * (parse, type-check and build regexes up front; per run only property reads and closure calls).
 */
import type { Run } from '../types.ts'
import type { ClauseNode } from './parser.ts'
import { parseFilter } from './parser.ts'
import {
  checkComparator, LIST_COMPARATORS, numberTest, NUMERIC_COMPARATORS, numericValue, recordStringTest,
  STRING_COMPARATORS, stringTest, stringValue, type StringTest,
} from './predicates.ts'
import { NUMERIC_RUN_ATTRIBUTES, resolveRunField, RUN_ATTRIBUTE_GETTERS, type DatasetKey } from './run-fields.ts'

/** A compiled filter: true when the run matches every clause. */
export type RunPredicate = (run: Run) => boolean

/** The run-input tag MLflow stores a dataset's context in (`training`, `eval`, …). */
export const DATASET_CONTEXT_TAG = 'mlflow.data.context'

const matchAll: RunPredicate = () => true

function datasetPredicate(key: DatasetKey, test: StringTest): RunPredicate {
  if (key === 'context') {
    return run => {
      const inputs = run.inputs?.datasetInputs
      if (!inputs) return false
      for (const input of inputs) {
        const value = input.tags?.[DATASET_CONTEXT_TAG]
        if (typeof value === 'string' && test(value)) return true
      }
      return false
    }
  }
  return run => {
    const inputs = run.inputs?.datasetInputs
    if (!inputs) return false
    for (const input of inputs) {
      const value = input.dataset?.[key]
      if (typeof value === 'string' && test(value)) return true
    }
    return false
  }
}

function compileClause(clause: ClauseNode): RunPredicate {
  const field = resolveRunField(clause.identifier)
  const comparator = clause.comparator.value
  switch (field.entity) {
    case 'metric': {
      checkComparator(clause.comparator, NUMERIC_COMPARATORS)
      const test = numberTest(comparator, numericValue(clause.value, 'metric'))
      const key = field.key
      return run => {
        const value = run.data.metrics[key]
        return typeof value === 'number' && test(value)
      }
    }
    case 'parameter':
    case 'tag': {
      checkComparator(clause.comparator, STRING_COMPARATORS)
      const test = recordStringTest(field.key, stringTest(comparator, stringValue(clause, field.entity)))
      return field.entity === 'parameter' ? run => test(run.data.params) : run => test(run.data.tags)
    }
    case 'attribute': {
      const get = RUN_ATTRIBUTE_GETTERS[field.key]
      if (NUMERIC_RUN_ATTRIBUTES.has(field.key)) {
        checkComparator(clause.comparator, NUMERIC_COMPARATORS)
        const test = numberTest(comparator, numericValue(clause.value, `numeric attribute: ${field.key}`))
        return run => {
          const value = get(run)
          return typeof value === 'number' && test(value)
        }
      }
      checkComparator(clause.comparator, LIST_COMPARATORS)
      const listError = field.key === 'run_id' ? undefined : "Only the 'run_id' attribute supports comparison with a list of quoted string values."
      const test = stringTest(comparator, stringValue(clause, `attribute ${field.key}`, listError))
      return run => {
        const value = get(run)
        return typeof value === 'string' && test(value)
      }
    }
    case 'dataset': {
      checkComparator(clause.comparator, LIST_COMPARATORS)
      return datasetPredicate(field.key, stringTest(comparator, stringValue(clause, `dataset ${field.key}`)))
    }
  }
}

/**
 * Compiles an MLflow search_runs filter (§5 of docs/mlflow-compat.md) into a predicate.
 *
 * `<identifier> <comparator> <value> [AND …]`, keywords in any case. Identifiers are
 * `metrics.<key>`, `params.<key>`, `tags.<key>`, `attributes.<name>` (or a bare name) and
 * `datasets.name|digest|context`, with keys quoted in double quotes or backticks when needed.
 * A run lacking the key never matches, even for `!=`. Metrics compare the latest value; NaN
 * fails every comparison except `!=`. An undefined, empty or blank filter matches every run.
 *
 * @example
 * const keep = compileRunFilter("metrics.rmse < 1 and params.model = 'ridge'")
 * const hits = runs.filter(keep)
 * @throws FilterSyntaxError (an MlflowError, INVALID_PARAMETER_VALUE) naming the problem and its position.
 */
export function compileRunFilter(filter: string | undefined): RunPredicate {
  if (!filter) return matchAll
  const predicates = parseFilter(filter).map(compileClause)
  const [first, second] = predicates
  if (first === undefined) return matchAll
  if (predicates.length === 1) return first
  if (predicates.length === 2 && second !== undefined) return run => first(run) && second(run)
  return run => {
    for (const predicate of predicates) if (!predicate(run)) return false
    return true
  }
}
