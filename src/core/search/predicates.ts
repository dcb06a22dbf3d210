/**
 * Compile-time building blocks shared by the run and experiment filters: comparator sets per type,
 * LIKE patterns as RegExps, value-shape checks, and the small closures that test one value.
 */
import { failAt } from './errors.ts'
import type { ClauseNode, ValueNode } from './parser.ts'

/** Comparators for metrics and numeric attributes (MLflow's VALID_METRIC_COMPARATORS). */
export const NUMERIC_COMPARATORS = ['>', '>=', '!=', '=', '<', '<='] as const
/** Comparators for params, tags and other string targets that take no list. */
export const STRING_COMPARATORS = ['!=', '=', 'LIKE', 'ILIKE'] as const
/** Comparators for string attributes and datasets (lists only where noted). */
export const LIST_COMPARATORS = ['!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'] as const

/** A test of one string value. */
export type StringTest = (value: string) => boolean
/** A test of one number. */
export type NumberTest = (value: number) => boolean

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/

/**
 * SQL LIKE as an anchored RegExp: `%` is any run of characters (newlines too), `_` exactly one
 * character; everything else is literal, regex metacharacters included. There is no escape
 * character (as in SQLite, MLflow's default SQL store).
 */
export function likeToRegExp(pattern: string, ignoreCase: boolean): RegExp {
  let source = '^'
  for (const ch of pattern) {
    if (ch === '%') source += '.*'
    else if (ch === '_') source += '.'
    else source += REGEX_SPECIAL.test(ch) ? `\\${ch}` : ch
  }
  return new RegExp(`${source}$`, ignoreCase ? 'isu' : 'su')
}

/** Rejects a comparator that `allowed` does not list, with MLflow's wording. */
export function checkComparator(comparator: ClauseNode['comparator'], allowed: readonly string[]): void {
  if (!allowed.includes(comparator.value)) {
    failAt(`Invalid comparator '${comparator.value}' not one of '[${allowed.map(op => `'${op}'`).join(', ')}]'`, comparator)
  }
}

/** The number of a numeric clause, or MLflow's "Expected numeric value type" error. */
export function numericValue(value: ValueNode, what: string): number {
  if (value.kind !== 'number') failAt(`Expected numeric value type for ${what}. Found ${value.text}`, value)
  return value.value
}

/**
 * The string of a string clause, or its list of strings after IN / NOT IN. Rejects bare words with
 * MLflow's "not quoted" message, numbers, a list after another comparator, and a lone string after
 * IN / NOT IN. When `listError` is given, IN and NOT IN are refused with that message.
 */
export function stringValue(clause: ClauseNode, what: string, listError?: string): string | string[] {
  const { value, comparator } = clause
  const isIn = comparator.value === 'IN' || comparator.value === 'NOT IN'
  if (isIn && listError !== undefined) failAt(listError, value)
  switch (value.kind) {
    case 'unquoted':
      return failAt(`Parameter value is either not quoted or unidentified quote types used for string value ${value.text}. Use either single or double quotes.`, value)
    case 'number':
      return failAt(`Expected a quoted string value for ${what} (e.g. 'my-value'). Got value ${value.text}`, value)
    case 'list':
      if (!isIn) failAt(`A list of values can only follow IN or NOT IN, not '${comparator.value}'`, value)
      return value.values
    case 'string':
      if (isIn) failAt(`${comparator.value} needs a list of quoted strings, e.g. ('a', 'b')`, value)
      return value.value
  }
}

/** A test of a number against `target` with a numeric comparator. NaN fails all but `!=`. */
export function numberTest(comparator: string, target: number): NumberTest {
  switch (comparator) {
    case '=': return value => value === target
    case '!=': return value => value !== target
    case '<': return value => value < target
    case '<=': return value => value <= target
    case '>': return value => value > target
    case '>=': return value => value >= target
    default: throw new Error(`unreachable numeric comparator ${comparator}`)
  }
}

/** A test of a string against `target` (a list for IN and NOT IN). Built once, regexes included. */
export function stringTest(comparator: string, target: string | string[]): StringTest {
  if (Array.isArray(target)) {
    const set = new Set(target)
    return comparator === 'IN' ? value => set.has(value) : value => !set.has(value)
  }
  switch (comparator) {
    case '=': return value => value === target
    case '!=': return value => value !== target
    case 'LIKE':
    case 'ILIKE': {
      const regex = likeToRegExp(target, comparator === 'ILIKE')
      return value => regex.test(value)
    }
    default: throw new Error(`unreachable string comparator ${comparator}`)
  }
}

/** A test of `record[key]` that fails when the key is absent (even for `!=`). */
export function recordStringTest(key: string, test: StringTest): (record: Record<string, string>) => boolean {
  return record => {
    const value = record[key]
    return typeof value === 'string' && test(value)
  }
}
