import { describe, it, expect } from 'vitest'
import {
  compareExperimentIds, compileExperimentFilter, compileExperimentOrderBy, FilterSyntaxError,
} from '../../../src/core/search/index.ts'
import type { Experiment } from '../../../src/core/types.ts'

function makeExperiment(experimentId: string, spec: Partial<Omit<Experiment, 'experimentId'>> = {}): Experiment {
  return {
    experimentId,
    name: spec.name ?? `exp-${experimentId}`,
    artifactLocation: `mlflow-artifacts:/${experimentId}`,
    lifecycleStage: spec.lifecycleStage ?? 'active',
    tags: spec.tags ?? {},
    creationTime: spec.creationTime ?? 1000,
    lastUpdateTime: spec.lastUpdateTime ?? 2000,
  }
}

const matches = (filter: string, experiment: Experiment) => compileExperimentFilter(filter)(experiment)
const order = (experiments: Experiment[], orderBy: string[] | undefined) =>
  [...experiments].sort(compileExperimentOrderBy(orderBy)).map(e => e.experimentId)

function errorOf(fn: () => unknown): FilterSyntaxError {
  try {
    fn()
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error
    throw error
  }
  throw new Error('expected an error')
}

describe('compileExperimentFilter', () => {
  const experiment = makeExperiment('7', { name: 'Demo-vision', creationTime: 1500, lastUpdateTime: 2500, tags: { team: 'cv', 'mlflow.note': 'x' } })

  it('matches everything when undefined or blank', () => {
    expect(compileExperimentFilter(undefined)(experiment)).toBe(true)
    expect(compileExperimentFilter(' ')(experiment)).toBe(true)
  })

  it.each([
    ["name = 'Demo-vision'", true], ["name = 'demo-vision'", false],
    ["name != 'other'", true], ["name LIKE 'Demo-%'", true], ["name LIKE 'demo-%'", false],
    ["name ILIKE 'demo-%'", true], ["attribute.name = 'Demo-vision'", true],
  ])('name: %s → %s', (filter, expected) => {
    expect(matches(filter, experiment)).toBe(expected)
  })

  it.each([
    ['creation_time = 1500', true], ['creation_time != 1500', false], ['creation_time < 1501', true],
    ['creation_time <= 1499', false], ['creation_time > 1000', true], ['creation_time >= 1501', false],
    ['last_update_time > 2000', true], ['last_update_time < 2000', false],
  ])('times: %s → %s', (filter, expected) => {
    expect(matches(filter, experiment)).toBe(expected)
  })

  it.each([
    ["tags.team = 'cv'", true], ["tags.team != 'cv'", false], ["tag.team LIKE 'c%'", true],
    ["tags.team ILIKE 'CV'", true], ["tags.`mlflow.note` = 'x'", true], ["tags.mlflow.note = 'x'", true],
  ])('tags: %s → %s', (filter, expected) => {
    expect(matches(filter, experiment)).toBe(expected)
  })

  it('never matches an experiment without the tag, even with !=', () => {
    expect(matches("tags.owner != 'bob'", experiment)).toBe(false)
  })

  it('needs every AND-ed clause to match', () => {
    expect(matches("name LIKE 'Demo%' and tags.team = 'cv' and creation_time > 1000", experiment)).toBe(true)
    expect(matches("name LIKE 'Demo%' and tags.team = 'nlp'", experiment)).toBe(false)
  })

  it('rejects entity prefixes MLflow does not accept for experiments', () => {
    expect(errorOf(() => compileExperimentFilter("attributes.name = 'x'")).message)
      .toContain("Invalid entity type 'attributes'. Valid entity types are ['attribute', 'tag', 'tags']")
    expect(errorOf(() => compileExperimentFilter('metrics.x > 1')).position).toBe(0)
  })

  it('rejects attributes that are not filterable', () => {
    expect(errorOf(() => compileExperimentFilter("experiment_id = '1'")).message)
      .toContain("Invalid attribute key 'experiment_id' specified. Valid keys are '['name', 'creation_time', 'last_update_time']'")
  })

  it('rejects comparators and values of the wrong type', () => {
    expect(errorOf(() => compileExperimentFilter("name > 'a'")).message).toContain("Invalid comparator '>'")
    expect(errorOf(() => compileExperimentFilter("name IN ('a')")).message).toContain("Invalid comparator 'IN'")
    expect(errorOf(() => compileExperimentFilter("tags.team < 'a'")).message).toContain("Invalid comparator '<'")
    expect(errorOf(() => compileExperimentFilter("creation_time LIKE '1%'")).message).toContain("Invalid comparator 'LIKE'")
    expect(errorOf(() => compileExperimentFilter("creation_time > 'x'")).message).toContain('Expected numeric value type for numeric attribute: creation_time')
    expect(errorOf(() => compileExperimentFilter('name = demo')).message).toContain('Parameter value is either not quoted')
  })
})

describe('compareExperimentIds', () => {
  it('compares integer ids numerically', () => {
    expect(compareExperimentIds('2', '10')).toBeLessThan(0)
    expect(compareExperimentIds('10', '2')).toBeGreaterThan(0)
    expect(compareExperimentIds('0', '0')).toBe(0)
  })

  it('stays exact beyond 2^53', () => {
    expect(compareExperimentIds('9007199254740993', '9007199254740992')).toBeGreaterThan(0)
    expect(compareExperimentIds('123456789012345678', '123456789012345679')).toBeLessThan(0)
  })

  it('puts integer ids before other ids, and compares other ids as strings', () => {
    expect(compareExperimentIds('99', 'abc')).toBeLessThan(0)
    expect(compareExperimentIds('abc', '99')).toBeGreaterThan(0)
    expect(compareExperimentIds('abc', 'abd')).toBeLessThan(0)
  })

  it('orders equal numbers written differently by their text', () => {
    expect(compareExperimentIds('007', '7')).toBeLessThan(0)
  })
})

describe('compileExperimentOrderBy', () => {
  const experiments = [
    makeExperiment('10', { name: 'b', creationTime: 5, lastUpdateTime: 9 }),
    makeExperiment('2', { name: 'a', creationTime: 5, lastUpdateTime: 7 }),
    makeExperiment('3', { name: 'c', creationTime: 8, lastUpdateTime: 8 }),
    makeExperiment('0', { name: 'Default', creationTime: 1, lastUpdateTime: 1 }),
  ]

  it('defaults to creation_time DESC, then experiment_id ASC (numerically)', () => {
    expect(order(experiments, undefined)).toEqual(['3', '2', '10', '0'])
    expect(order(experiments, [])).toEqual(['3', '2', '10', '0'])
  })

  it('orders by name, case-sensitively', () => {
    expect(order(experiments, ['name'])).toEqual(['0', '2', '10', '3'])
    expect(order(experiments, ['name DESC'])).toEqual(['3', '10', '2', '0'])
  })

  it('orders by experiment_id numerically in both directions', () => {
    expect(order(experiments, ['experiment_id'])).toEqual(['0', '2', '3', '10'])
    expect(order(experiments, ['experiment_id DESC'])).toEqual(['10', '3', '2', '0'])
  })

  it('orders by last_update_time and creation_time', () => {
    expect(order(experiments, ['last_update_time DESC'])).toEqual(['10', '3', '2', '0'])
    expect(order(experiments, ['attribute.last_update_time'])).toEqual(['0', '2', '3', '10'])
  })

  it('breaks ties by experiment_id DESC when the clauses do not name it, as MLflow does', () => {
    expect(order(experiments, ['creation_time DESC'])).toEqual(['3', '10', '2', '0'])
    expect(order(experiments, ['creation_time ASC'])).toEqual(['0', '10', '2', '3'])
  })

  it('uses the given experiment_id direction for ties when named', () => {
    expect(order(experiments, ['creation_time', 'experiment_id ASC'])).toEqual(['0', '2', '10', '3'])
  })

  it('rejects tags, unknown attributes and bad directions, naming the clause', () => {
    expect(errorOf(() => compileExperimentOrderBy(['tags.team'])).message).toContain("Invalid order_by clause 'tags.team': Invalid order_by entity: tag")
    expect(errorOf(() => compileExperimentOrderBy(['lifecycle_stage'])).message).toContain("Invalid attribute key 'lifecycle_stage'")
    expect(errorOf(() => compileExperimentOrderBy(['name UP'])).message).toContain('expected ASC or DESC')
    expect(errorOf(() => compileExperimentOrderBy(['name UP'])).errorCode).toBe('INVALID_PARAMETER_VALUE')
  })
})
