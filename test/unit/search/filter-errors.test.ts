import { describe, it, expect } from 'vitest'
import { compileRunFilter, FilterSyntaxError } from '../../../src/core/search/index.ts'
import { isMlflowError, MlflowError } from '../../../src/core/errors.ts'

/** The error `compileRunFilter(filter)` throws; fails the test when it throws none. */
function errorOf(filter: string): FilterSyntaxError {
  try {
    compileRunFilter(filter)
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error
    throw error
  }
  throw new Error(`expected ${JSON.stringify(filter)} to be rejected`)
}

/** The text the error underlines. */
const underlined = (filter: string) => {
  const error = errorOf(filter)
  return filter.slice(error.position, error.position + error.length)
}

describe('FilterSyntaxError', () => {
  it('is an MlflowError with INVALID_PARAMETER_VALUE, HTTP 400 and name MlflowError', () => {
    const error = errorOf('foo.bar = 1')
    expect(error).toBeInstanceOf(MlflowError)
    expect(error.name).toBe('MlflowError')
    expect(error.errorCode).toBe('INVALID_PARAMETER_VALUE')
    expect(error.httpStatus).toBe(400)
    expect(isMlflowError(error, 'INVALID_PARAMETER_VALUE')).toBe(true)
  })

  it('carries the position and length of the offending token, also in the message', () => {
    const error = errorOf("params.lr = '1' AND foo.bar = 1")
    expect(error.position).toBe(20)
    expect(error.length).toBe(3)
    expect(error.message).toBe("Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset'] (at position 20)")
    expect(error.problem).toBe("Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']")
  })

  it('serialises like MLflow error bodies', () => {
    expect(errorOf('foo.bar = 1').toJSON().error_code).toBe('INVALID_PARAMETER_VALUE')
  })
})

describe('compileRunFilter errors: identifiers', () => {
  it('rejects an unknown entity, underlining it', () => {
    expect(underlined('foo.bar = 1')).toBe('foo')
    expect(errorOf('foo.bar = 1').position).toBe(0)
  })

  it('treats entity names case-sensitively, as MLflow does', () => {
    expect(errorOf('Metrics.loss > 1').message).toContain("Invalid entity type 'Metrics'")
  })

  it('rejects an unknown attribute, underlining the key', () => {
    const error = errorOf("attributes.colour = 'red'")
    expect(error.message).toContain("Invalid attribute key 'colour' specified")
    expect(underlined("attributes.colour = 'red'")).toBe('colour')
  })

  it('rejects attributes that MLflow does not filter on', () => {
    expect(errorOf("lifecycle_stage = 'active'").message).toContain("Invalid attribute key 'lifecycle_stage'")
    expect(errorOf("experiment_id = '1'").message).toContain("Invalid attribute key 'experiment_id'")
  })

  it('accepts the run name aliases only as written', () => {
    expect(errorOf("\"run Name\" = 'x'").message).toContain("Invalid attribute key 'run Name'")
  })

  it('rejects an unknown dataset key', () => {
    expect(errorOf("datasets.size = 'big'").message).toBe(
      "Invalid dataset key 'size' specified. Valid keys are '['name', 'digest', 'context']' (at position 9)")
  })

  it('rejects an empty quoted key', () => {
    expect(errorOf('metrics."" > 1').message).toContain("Missing key in 'metrics.\"\"'")
  })

  it('rejects a dot with no key after it', () => {
    expect(errorOf('metrics. > 1').message).toContain("Expected a key after 'metrics.'")
    expect(errorOf('metrics. > 1').position).toBe(8)
  })

  it('suggests quoting a key that holds - : or /', () => {
    const error = errorOf('metrics.val-loss < 1')
    expect(error.message).toContain("Unexpected character '-'")
    expect(error.message).toContain('must be quoted')
    expect(error.position).toBe(11)
    expect(errorOf('metrics.a/b < 1').position).toBe(9)
  })

  it('rejects a quoted string where an identifier belongs', () => {
    expect(errorOf("'status' = 'x'").message).toContain('Expected an identifier')
  })
})

describe('compileRunFilter errors: comparators by type', () => {
  it('lists the allowed comparators for params, like MLflow', () => {
    const error = errorOf('params.x > 1')
    expect(error.message).toBe("Invalid comparator '>' not one of '['!=', '=', 'LIKE', 'ILIKE']' (at position 9)")
    expect(error.length).toBe(1)
  })

  it('rejects LIKE and IN on metrics', () => {
    expect(errorOf("metrics.x LIKE '1'").message).toContain("Invalid comparator 'LIKE' not one of '['>', '>=', '!=', '=', '<', '<=']'")
    expect(errorOf("metrics.x IN ('1')").message).toContain("Invalid comparator 'IN'")
  })

  it('rejects order comparisons and IN on tags', () => {
    expect(errorOf("tags.x <= 'a'").message).toContain("Invalid comparator '<='")
    expect(underlined("tags.x NOT IN ('a')")).toBe('NOT IN')
  })

  it('rejects LIKE on numeric attributes and < on string attributes', () => {
    expect(errorOf("start_time LIKE '17%'").message).toContain("Invalid comparator 'LIKE'")
    expect(errorOf("status > 'A'").message).toBe(
      "Invalid comparator '>' not one of '['!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN']' (at position 7)")
  })

  it('rejects == and <>, which are not MLflow comparators', () => {
    expect(underlined('metrics.x == 1')).toBe('==')
    expect(errorOf("params.x <> 'a'").message).toContain("Invalid comparator '<>'")
  })

  it('rejects NOT other than in NOT IN', () => {
    expect(errorOf("params.x NOT LIKE 'a'").message).toContain("NOT is only supported as 'NOT IN'")
  })

  it('rejects a word where the comparator belongs', () => {
    expect(errorOf('params.x IS NULL').message).toContain("Expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN) after 'params.x', got 'IS'")
  })
})

describe('compileRunFilter errors: values', () => {
  it('rejects an unquoted string with MLflow\'s message', () => {
    const error = errorOf('params.model = ridge')
    expect(error.message).toBe('Parameter value is either not quoted or unidentified quote types used for string value ridge. Use either single or double quotes. (at position 15)')
    expect(error.length).toBe(5)
  })

  it('rejects a backtick-quoted value as unquoted', () => {
    expect(errorOf('params.model = `ridge`').message).toContain('Parameter value is either not quoted')
  })

  it('rejects a number for a string target', () => {
    expect(errorOf('params.lr = 0.01').message).toContain("Expected a quoted string value for parameter (e.g. 'my-value'). Got value 0.01")
    expect(errorOf('run_name = 3').message).toContain('Got value 3')
  })

  it('rejects a string for a numeric target', () => {
    expect(errorOf("metrics.loss < '1'").message).toContain("Expected numeric value type for metric. Found '1'")
    expect(errorOf("start_time > 'yesterday'").message).toContain('Expected numeric value type for numeric attribute: start_time.')
    expect(errorOf('metrics.loss < NaN').message).toContain('Found NaN')
  })

  it('rejects a list for any attribute but run_id', () => {
    const error = errorOf("status IN ('FINISHED', 'FAILED')")
    expect(error.message).toContain("Only the 'run_id' attribute supports comparison with a list of quoted string values.")
    expect(error.position).toBe(10)
    expect(error.length).toBe(22)
  })

  it('rejects a list after = and a single string after IN', () => {
    expect(errorOf("run_id = ('a', 'b')").message).toContain("A list of values can only follow IN or NOT IN, not '='")
    expect(errorOf("run_id IN 'a'").message).toContain("IN needs a list of quoted strings")
  })

  it('rejects empty, unclosed and ill-formed lists', () => {
    expect(errorOf('run_id IN ()').message).toContain('expected a non-empty list of string values, but got empty list')
    expect(errorOf("run_id IN ('a', 1)").message).toContain("Expected a quoted string in the list, got '1'")
    expect(errorOf("run_id IN ('a' 'b')").message).toContain("Expected ',' or ')' in the list, got ''b''")
    expect(errorOf("run_id IN ('a',)").message).toContain("Expected a quoted string in the list, got ')'")
    const unclosed = errorOf("run_id IN ('a', 'b'")
    expect(unclosed.message).toContain("Unclosed '('")
    expect(unclosed.position).toBe(10)
  })

  it('rejects a malformed number', () => {
    expect(underlined('metrics.x > 1abc')).toBe('1abc')
    expect(errorOf('metrics.x > 1abc').message).toContain("Invalid number '1abc'")
  })

  it('reports a missing value at the end of the filter with length 0', () => {
    const error = errorOf('metrics.loss <')
    expect(error.message).toBe("Missing value after '<' (at position 14)")
    expect(error.position).toBe(14)
    expect(error.length).toBe(0)
  })

  it('reports a missing value before AND', () => {
    const error = errorOf("params.a = AND params.b = 'x'")
    expect(error.message).toContain("Missing value after '='")
    expect(error.position).toBe(11)
  })

  it('reports a missing comparator', () => {
    expect(errorOf('metrics.loss').message).toBe("Missing comparator after 'metrics.loss' (at position 12)")
  })
})

describe('compileRunFilter errors: structure', () => {
  it('rejects OR, pointing at it', () => {
    const error = errorOf("params.a = 'x' OR params.b = 'y'")
    expect(error.message).toContain('OR is not supported')
    expect(error.position).toBe(15)
    expect(error.length).toBe(2)
  })

  it('rejects parentheses around clauses', () => {
    expect(errorOf("(params.a = 'x')").message).toContain('Parentheses are not supported')
    expect(errorOf("(params.a = 'x')").position).toBe(0)
    expect(errorOf("params.a = 'x' AND (params.b = 'y')").position).toBe(19)
  })

  it('rejects NOT before a clause', () => {
    expect(errorOf("NOT params.a = 'x'").message).toContain("NOT is not supported, except in 'NOT IN'")
  })

  it('rejects trailing garbage, underlining it to the end', () => {
    const error = errorOf("params.a = 'x' extra stuff ")
    expect(error.message).toContain("Invalid clause(s) in filter string: unexpected 'extra'")
    expect(error.position).toBe(15)
    expect(error.length).toBe(11)
  })

  it('rejects a clause missing after AND, and AND with no clause before it', () => {
    expect(errorOf("params.a = 'x' AND").message).toBe("Missing clause after 'AND' (at position 18)")
    expect(errorOf("AND params.a = 'x'").message).toContain("Expected an identifier such as metrics.<key>, params.<key> or status, got 'AND'")
    expect(errorOf("params.a = 'x' AND AND params.b = 'y'").position).toBe(19)
  })

  it('rejects an unterminated string, underlining from the opening quote', () => {
    const error = errorOf("params.a = 'abc")
    expect(error.message).toBe("Unterminated string: missing closing ' (at position 11)")
    expect(error.length).toBe(4)
  })

  it('rejects unterminated quoted keys', () => {
    expect(errorOf('metrics."val loss < 1').message).toContain('Unterminated double-quoted text: missing closing "')
    expect(errorOf('metrics.`val loss < 1').message).toContain('Unterminated quoted name: missing closing `')
  })

  it('rejects characters the grammar does not use', () => {
    expect(errorOf("params.a = 'x' && params.b = 'y'").message).toContain("Unexpected character '&'")
    expect(errorOf("params.a = 'x';").position).toBe(14)
  })
})
