import { describe, it, expect } from 'vitest'
import { compileRunFilter } from '../../../src/core/search/index.ts'
import type { DatasetInput, Run, RunStatus } from '../../../src/core/types.ts'

interface RunSpec {
  runId?: string
  runName?: string
  status?: RunStatus
  userId?: string
  startTime?: number
  endTime?: number | null
  artifactUri?: string
  metrics?: Record<string, number>
  params?: Record<string, string>
  tags?: Record<string, string>
  datasets?: { name: string; digest: string; context?: string }[]
}

function makeRun(spec: RunSpec = {}): Run {
  const runId = spec.runId ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
  return {
    info: {
      runId,
      runName: spec.runName ?? 'brave-owl-7',
      experimentId: '1',
      userId: spec.userId ?? 'ada',
      status: spec.status ?? 'FINISHED',
      startTime: spec.startTime ?? 1_700_000_000_000,
      endTime: spec.endTime === undefined ? 1_700_000_060_000 : spec.endTime,
      artifactUri: spec.artifactUri ?? `mlflow-artifacts:/1/${runId}/artifacts`,
      lifecycleStage: 'active',
    },
    data: { metrics: spec.metrics ?? {}, params: spec.params ?? {}, tags: spec.tags ?? {} },
    inputs: {
      datasetInputs: (spec.datasets ?? []).map((d): DatasetInput => ({
        dataset: { name: d.name, digest: d.digest, sourceType: 'local', source: '{}' },
        tags: d.context === undefined ? {} : { 'mlflow.data.context': d.context },
      })),
    },
  }
}

const matches = (filter: string, run: Run) => compileRunFilter(filter)(run)

describe('compileRunFilter: empty filters', () => {
  it('matches every run when the filter is undefined, empty or blank', () => {
    const run = makeRun()
    expect(compileRunFilter(undefined)(run)).toBe(true)
    expect(compileRunFilter('')(run)).toBe(true)
    expect(compileRunFilter('   \n\t')(run)).toBe(true)
  })
})

describe('compileRunFilter: metrics', () => {
  const run = makeRun({ metrics: { loss: 0.5 } })

  it.each([
    ['metrics.loss = 0.5', true], ['metrics.loss = 0.4', false],
    ['metrics.loss != 0.4', true], ['metrics.loss != 0.5', false],
    ['metrics.loss < 0.6', true], ['metrics.loss < 0.5', false],
    ['metrics.loss <= 0.5', true], ['metrics.loss <= 0.49', false],
    ['metrics.loss > 0.4', true], ['metrics.loss > 0.5', false],
    ['metrics.loss >= 0.5', true], ['metrics.loss >= 0.51', false],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter, run)).toBe(expected)
  })

  it('accepts the metric. alias', () => {
    expect(matches('metric.loss < 1', run)).toBe(true)
    expect(matches('metric.loss > 1', run)).toBe(false)
  })

  it('compares numbers, not text: 10 > 9', () => {
    expect(matches('metrics.epochs > 9', makeRun({ metrics: { epochs: 10 } }))).toBe(true)
  })

  it('reads negative, fractional and exponent literals', () => {
    const r = makeRun({ metrics: { delta: -0.25 } })
    expect(matches('metrics.delta = -0.25', r)).toBe(true)
    expect(matches('metrics.delta < -.2', r)).toBe(true)
    expect(matches('metrics.delta > -2.5e-1', r)).toBe(false)
    expect(matches('metrics.delta >= -25E-2', r)).toBe(true)
    expect(matches('metrics.delta<0', r)).toBe(true)
  })

  it('never matches a run that lacks the metric, even with !=', () => {
    const other = makeRun({ metrics: { accuracy: 0.9 } })
    expect(matches('metrics.loss != 0.5', other)).toBe(false)
    expect(matches('metrics.loss < 100', other)).toBe(false)
    expect(matches('metrics.loss >= -100', other)).toBe(false)
  })

  it('fails every comparison of a NaN value except !=', () => {
    const r = makeRun({ metrics: { loss: Number.NaN } })
    for (const op of ['=', '<', '<=', '>', '>=']) expect(matches(`metrics.loss ${op} 1`, r)).toBe(false)
    expect(matches('metrics.loss != 1', r)).toBe(true)
  })

  it('compares infinite values like any number', () => {
    const r = makeRun({ metrics: { loss: Number.POSITIVE_INFINITY } })
    expect(matches('metrics.loss > 1e308', r)).toBe(true)
    expect(matches('metrics.loss < 0', r)).toBe(false)
  })

  it('does not mistake inherited object properties for metric keys', () => {
    expect(matches('metrics.constructor != 1', run)).toBe(false)
    expect(matches('metrics.toString != 1', run)).toBe(false)
  })
})

describe('compileRunFilter: params and tags', () => {
  const run = makeRun({ params: { optimizer: 'Adam', lr: '0.01' }, tags: { stage: 'dev', 'mlflow.runName': 'first', 'user-name': 'ada' } })

  it.each([
    ["params.optimizer = 'Adam'", true], ["params.optimizer = 'adam'", false],
    ["params.optimizer != 'SGD'", true], ["params.optimizer != 'Adam'", false],
    ["params.optimizer LIKE 'Ad%'", true], ["params.optimizer LIKE 'ad%'", false],
    ["params.optimizer ILIKE 'ADAM'", true], ["params.optimizer ILIKE 'sgd'", false],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter, run)).toBe(expected)
  })

  it('accepts the param., parameter. and parameters. aliases', () => {
    expect(matches("param.lr = '0.01'", run)).toBe(true)
    expect(matches("parameter.lr = '0.01'", run)).toBe(true)
    expect(matches("parameters.lr = '0.01'", run)).toBe(true)
  })

  it('compares param values as text: 0.01 is not 0.010', () => {
    expect(matches("params.lr = '0.010'", run)).toBe(false)
  })

  it.each([
    ["tags.stage = 'dev'", true], ["tags.stage != 'dev'", false],
    ["tags.stage LIKE 'd_v'", true], ["tags.stage ILIKE 'DEV'", true],
    ["tag.stage = 'dev'", true],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter, run)).toBe(expected)
  })

  it('never matches a run that lacks the param or tag, even with !=', () => {
    expect(matches("params.momentum != '0.9'", run)).toBe(false)
    expect(matches("tags.owner != 'bob'", run)).toBe(false)
    expect(matches("tags.owner LIKE '%'", run)).toBe(false)
  })

  it('matches an empty value that is present', () => {
    const r = makeRun({ params: { note: '' } })
    expect(matches("params.note = ''", r)).toBe(true)
    expect(matches("params.note LIKE '%'", r)).toBe(true)
  })

  it('does not mistake inherited object properties for keys', () => {
    expect(matches("params.constructor != 'x'", run)).toBe(false)
    expect(matches("tags.__proto__ != 'x'", run)).toBe(false)
  })

  it('treats keyword-like keys after a dot as keys', () => {
    const r = makeRun({ params: { in: 'yes' }, tags: { and: 'both' } })
    expect(matches("params.in = 'yes' AND tags.and = 'both'", r)).toBe(true)
  })
})

describe('compileRunFilter: quoting', () => {
  const run = makeRun({
    metrics: { 'val loss': 0.2, 'loss/val': 0.3 },
    params: { lr: '0.01' },
    tags: { 'mlflow.runName': 'first', 'user-name': 'ada', quote: "it's" },
  })

  it('reads keys in double quotes or backticks', () => {
    expect(matches('metrics."val loss" <= 0.25', run)).toBe(true)
    expect(matches('metrics.`val loss` <= 0.25', run)).toBe(true)
    expect(matches('metrics."loss/val" = 0.3', run)).toBe(true)
    expect(matches("tags.`user-name` = 'ada'", run)).toBe(true)
  })

  it('splits the entity at the first dot, so dotted keys work bare or quoted', () => {
    expect(matches("tags.mlflow.runName = 'first'", run)).toBe(true)
    expect(matches("tags.\"mlflow.runName\" = 'first'", run)).toBe(true)
    expect(matches("tags.`mlflow.runName` = 'first'", run)).toBe(true)
  })

  it('accepts an entity name in backticks or double quotes', () => {
    expect(matches("`params`.lr = '0.01'", run)).toBe(true)
    expect(matches("\"params\".lr = '0.01'", run)).toBe(true)
  })

  it('accepts values in single or double quotes', () => {
    expect(matches("params.lr = '0.01'", run)).toBe(true)
    expect(matches('params.lr = "0.01"', run)).toBe(true)
  })

  it('reads a doubled quote inside a value as one quote', () => {
    expect(matches("tags.quote = 'it''s'", run)).toBe(true)
    expect(matches('tags.quote = "it\'s"', run)).toBe(true)
  })

  it('keeps backslashes literal', () => {
    const r = makeRun({ artifactUri: 'C:\\runs\\1' })
    expect(matches("artifact_uri = 'C:\\runs\\1'", r)).toBe(true)
  })

  it('takes AND in any case, with or without whitespace between tokens', () => {
    expect(matches("params.lr='0.01'and metrics.`val loss`<1", run)).toBe(true)
    expect(matches("params.lr='0.01'and metrics.`val loss`>1", run)).toBe(false)
    expect(matches("params.lr = '0.01'\n  And\tmetrics.\"val loss\" < 1", run)).toBe(true)
  })
})

describe('compileRunFilter: AND', () => {
  const run = makeRun({ metrics: { rmse: 0.8 }, params: { model: 'ridge' }, tags: { stage: 'prod' } })

  it('needs every clause to match', () => {
    expect(matches("metrics.rmse < 1 and params.model = 'ridge'", run)).toBe(true)
    expect(matches("metrics.rmse < 1 and params.model = 'lasso'", run)).toBe(false)
    expect(matches("metrics.rmse < 1 AND params.model = 'ridge' AND tags.stage != 'prod'", run)).toBe(false)
    expect(matches("metrics.rmse < 1 AND params.model = 'ridge' AND tags.stage = 'prod' AND status = 'FINISHED'", run)).toBe(true)
  })
})

describe('compileRunFilter: attributes', () => {
  const run = makeRun({
    runId: 'abc123', runName: 'child-3', status: 'FINISHED', userId: 'ada',
    startTime: 1_735_689_600_500, endTime: 1_735_689_700_000, artifactUri: 'mlflow-artifacts:/1/abc123/artifacts',
  })

  it('reads bare names and every attribute prefix', () => {
    for (const prefix of ['', 'attributes.', 'attribute.', 'attr.', 'run.']) {
      expect(matches(`${prefix}status = 'FINISHED'`, run)).toBe(true)
      expect(matches(`${prefix}status = 'RUNNING'`, run)).toBe(false)
    }
  })

  it.each([
    ["run_id = 'abc123'", true], ["run_id != 'abc123'", false],
    ["run_name = 'child-3'", true], ["run_name LIKE 'child-%'", true], ["run_name ILIKE 'CHILD-_'", true],
    ["user_id = 'ada'", true], ["user_id != 'bob'", true],
    ["artifact_uri LIKE 'mlflow-artifacts:/1/%'", true], ["artifact_uri LIKE 's3://%'", false],
    ["status ILIKE 'finished'", true], ["status = 'finished'", false],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter, run)).toBe(expected)
  })

  it('names run_name also "run name", "Run name" and "Run Name" when quoted', () => {
    expect(matches("\"run name\" = 'child-3'", run)).toBe(true)
    expect(matches("`Run name` = 'child-3'", run)).toBe(true)
    expect(matches("attributes.\"Run Name\" LIKE 'child%'", run)).toBe(true)
  })

  it.each([
    ['start_time = 1735689600500', true], ['start_time != 1735689600500', false],
    ['start_time > 1735689600000', true], ['start_time >= 1735689600501', false],
    ['start_time < 1735689600501', true], ['start_time <= 1735689600499', false],
    ['end_time > 1735689600500', true], ['end_time < 1735689600500', false],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter, run)).toBe(expected)
  })

  it('names start_time also created and Created', () => {
    expect(matches('created > 1735689600000', run)).toBe(true)
    expect(matches('attributes.Created < 1735689600000', run)).toBe(false)
  })

  it('never matches end_time on a run that has not ended, even with !=', () => {
    const running = makeRun({ status: 'RUNNING', endTime: null })
    expect(matches('end_time != 0', running)).toBe(false)
    expect(matches('end_time > 0', running)).toBe(false)
  })

  it('matches run_id IN and NOT IN lists', () => {
    expect(matches("run_id IN ('abc123', 'def456')", run)).toBe(true)
    expect(matches("run_id IN ('def456')", run)).toBe(false)
    expect(matches("run_id NOT IN ('def456', \"ghi789\")", run)).toBe(true)
    expect(matches("attributes.run_id not in ('abc123')", run)).toBe(false)
  })
})

describe('compileRunFilter: LIKE and ILIKE', () => {
  const named = (runName: string) => makeRun({ runName })

  it('lets % match any run of characters, including none', () => {
    expect(matches("run_name LIKE 'a%'", named('a'))).toBe(true)
    expect(matches("run_name LIKE '%b%'", named('abc'))).toBe(true)
    expect(matches("run_name LIKE '%'", named(''))).toBe(true)
  })

  it('lets % match across newlines', () => {
    expect(matches("run_name LIKE 'a%z'", named('a\nb\nz'))).toBe(true)
  })

  it('lets _ match exactly one character', () => {
    expect(matches("run_name LIKE 'a_c'", named('abc'))).toBe(true)
    expect(matches("run_name LIKE 'a_c'", named('ac'))).toBe(false)
    expect(matches("run_name LIKE 'a_c'", named('abbc'))).toBe(false)
    expect(matches("run_name LIKE 'a_c'", named('a😀c'))).toBe(true)
  })

  it('matches the whole value, not a part of it', () => {
    expect(matches("run_name LIKE 'child'", named('child-1'))).toBe(false)
    expect(matches("run_name LIKE '1'", named('child-1'))).toBe(false)
  })

  it('is case-sensitive with LIKE and case-insensitive with ILIKE', () => {
    expect(matches("run_name LIKE 'Child%'", named('child-1'))).toBe(false)
    expect(matches("run_name ilike 'Child%'", named('child-1'))).toBe(true)
    expect(matches("run_name like 'child%'", named('child-1'))).toBe(true)
  })

  it.each([
    ['a.c', 'abc'], ['a+', 'aa'], ['a*', 'aaa'], ['(a)', 'a'], ['[ab]', 'a'], ['a|b', 'a'],
    ['a?', 'a'], ['a{2}', 'aa'], ['^a', 'a'], ['a$', 'a'], ['a\\d', 'a1'], ['a/b', 'ab'],
  ])('treats the regex metacharacters in %s literally (no match for %s)', (pattern, value) => {
    expect(matches(`run_name LIKE '${pattern}'`, named(value))).toBe(false)
    expect(matches(`run_name LIKE '${pattern}'`, named(pattern))).toBe(true)
  })

  it('mixes wildcards with literal metacharacters', () => {
    expect(matches("params.path LIKE '%.csv'", makeRun({ params: { path: 'data/train.csv' } }))).toBe(true)
    expect(matches("params.path LIKE '%.csv'", makeRun({ params: { path: 'data/trainXcsv' } }))).toBe(false)
  })
})

describe('compileRunFilter: datasets', () => {
  const run = makeRun({
    datasets: [
      { name: 'iris', digest: 'd1', context: 'training' },
      { name: 'iris-test', digest: 'd2', context: 'eval' },
    ],
  })

  it('matches when any input dataset matches', () => {
    expect(matches("datasets.name = 'iris'", run)).toBe(true)
    expect(matches("datasets.name = 'wine'", run)).toBe(false)
    expect(matches("dataset.digest = 'd2'", run)).toBe(true)
    expect(matches("datasets.context = 'training'", run)).toBe(true)
    expect(matches("datasets.context = 'test'", run)).toBe(false)
  })

  it('supports LIKE, ILIKE, IN and NOT IN on name, digest and context', () => {
    expect(matches("datasets.name LIKE 'iris-%'", run)).toBe(true)
    expect(matches("datasets.name ILIKE 'IRIS'", run)).toBe(true)
    expect(matches("datasets.digest IN ('d9', 'd2')", run)).toBe(true)
    expect(matches("datasets.context IN ('test')", run)).toBe(false)
    expect(matches("datasets.name NOT IN ('iris', 'iris-test')", run)).toBe(false)
    expect(matches("datasets.name NOT IN ('iris')", run)).toBe(true)
  })

  it('uses any-input semantics for != as well', () => {
    expect(matches("datasets.name != 'iris'", run)).toBe(true)
    const single = makeRun({ datasets: [{ name: 'iris', digest: 'd1' }] })
    expect(matches("datasets.name != 'iris'", single)).toBe(false)
  })

  it('never matches a run without dataset inputs, even with != or NOT IN', () => {
    const bare = makeRun()
    expect(matches("datasets.name != 'x'", bare)).toBe(false)
    expect(matches("datasets.name NOT IN ('x')", bare)).toBe(false)
  })

  it('never matches context on inputs that have no context tag', () => {
    const untagged = makeRun({ datasets: [{ name: 'iris', digest: 'd1' }] })
    expect(matches("datasets.context != 'training'", untagged)).toBe(false)
  })
})

describe('compileRunFilter: reuse', () => {
  it('returns a predicate that can be reused across runs with Array.filter', () => {
    const runs = [1, 2, 3, 4].map(i => makeRun({ runId: `run${i}`, metrics: { step: i } }))
    const keep = compileRunFilter('metrics.step >= 2 and metrics.step < 4')
    expect(runs.filter(keep).map(r => r.info.runId)).toEqual(['run2', 'run3'])
  })
})
