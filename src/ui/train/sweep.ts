/**
 * Hyperparameter sweeps as pure functions: parse the values a user typed per parameter, then expand
 * them into trials by grid (every combination) or random search (N seeded draws).
 */

/** The hyperparameters a sweep may vary. */
export type SweepParam = 'learningRate' | 'batchSize' | 'epochs' | 'optimizer' | 'hiddenUnits' | 'dropout'

/** One trial: the values it overrides, by parameter. */
export type Trial = Partial<Record<SweepParam, string | number>>

export const SWEEP_PARAM_LABELS: Record<SweepParam, string> = {
  learningRate: 'Learning rate', batchSize: 'Batch size', epochs: 'Epochs', optimizer: 'Optimizer', hiddenUnits: 'Hidden units (MLP)', dropout: 'Dropout (MLP)',
}

/** Short names for run names and the parent run's params (MLflow-style snake_case). */
export const SWEEP_PARAM_KEYS: Record<SweepParam, string> = {
  learningRate: 'lr', batchSize: 'batch_size', epochs: 'epochs', optimizer: 'optimizer', hiddenUnits: 'hidden_units', dropout: 'dropout',
}

const OPTIMIZERS = ['adam', 'sgd', 'rmsprop', 'adagrad', 'adadelta', 'adamax']

/** What a user typed for one parameter: a list of values, or (random search, numbers) a range. */
export type ParsedValues = { kind: 'list'; values: Array<string | number> } | { kind: 'range'; min: number; max: number; log: boolean }

/**
 * Parses "0.1, 0.01" (a list) or "0.0001..0.1" (a range, random search only; log-uniform for the learning
 * rate). Hidden units take lists of layer sizes separated by `|`: "64,32 | 32". Throws an Error whose
 * message says what is wrong, for inline display.
 */
export function parseSweepValues(param: SweepParam, text: string): ParsedValues {
  const trimmed = text.trim()
  if (trimmed === '') throw new Error('Enter at least one value.')
  if (param === 'hiddenUnits') {
    const values = trimmed.split('|').map(part => part.trim()).filter(Boolean)
    for (const value of values) {
      if (!/^\d+(\s*,\s*\d+)*$/.test(value)) throw new Error(`'${value}' is not a list of layer sizes such as 64,32 (separate alternatives with |).`)
    }
    return { kind: 'list', values: values.map(value => value.replace(/\s+/g, '')) }
  }
  if (param === 'optimizer') {
    const values = trimmed.split(',').map(part => part.trim().toLowerCase()).filter(Boolean)
    const unknown = values.find(value => !OPTIMIZERS.includes(value))
    if (unknown !== undefined) throw new Error(`Unknown optimizer '${unknown}'. Choose from ${OPTIMIZERS.join(', ')}.`)
    return { kind: 'list', values }
  }
  const range = trimmed.split('..')
  if (range.length === 2) {
    const min = Number(range[0]!.trim() || NaN), max = Number(range[1]!.trim() || NaN)
    if (!Number.isFinite(min) || !Number.isFinite(max) || min >= max) throw new Error(`A range needs two numbers, the smaller first: '${trimmed}'.`)
    checkNumber(param, min); checkNumber(param, max)
    return { kind: 'range', min, max, log: param === 'learningRate' }
  }
  const values = trimmed.split(',').map(part => part.trim()).filter(Boolean).map(part => {
    const value = Number(part)
    if (!Number.isFinite(value)) throw new Error(`'${part}' is not a number.`)
    checkNumber(param, value)
    return value
  })
  return { kind: 'list', values }
}

function checkNumber(param: SweepParam, value: number): void {
  if ((param === 'batchSize' || param === 'epochs') && (!Number.isInteger(value) || value < 1)) throw new Error(`${SWEEP_PARAM_LABELS[param]} must be whole numbers ≥ 1.`)
  if (param === 'learningRate' && value <= 0) throw new Error('Learning rates must be greater than 0.')
  if (param === 'dropout' && (value < 0 || value >= 1)) throw new Error('Dropout must be in [0, 1).')
}

/** Every combination of the listed values (ranges are not allowed in a grid). */
export function gridTrials(space: ReadonlyMap<SweepParam, ParsedValues>): Trial[] {
  let trials: Trial[] = [{}]
  for (const [param, parsed] of space) {
    if (parsed.kind === 'range') throw new Error(`${SWEEP_PARAM_LABELS[param]}: a grid needs listed values, not a range.`)
    trials = trials.flatMap(trial => parsed.values.map(value => ({ ...trial, [param]: value })))
  }
  return trials
}

/** `count` trials drawn with a seeded generator: lists uniformly, ranges uniformly (or log-uniformly). */
export function randomTrials(space: ReadonlyMap<SweepParam, ParsedValues>, count: number, seed = 1): Trial[] {
  let state = seed >>> 0
  const random = () => {
    // mulberry32: small, seeded, good enough to spread trials.
    state = (state + 0x6d2b79f5) >>> 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return Array.from({ length: count }, () => {
    const trial: Trial = {}
    for (const [param, parsed] of space) {
      if (parsed.kind === 'list') trial[param] = parsed.values[Math.floor(random() * parsed.values.length)]!
      else {
        const value = parsed.log ? Math.exp(Math.log(parsed.min) + random() * (Math.log(parsed.max) - Math.log(parsed.min))) : parsed.min + random() * (parsed.max - parsed.min)
        trial[param] = param === 'batchSize' || param === 'epochs' ? Math.round(value) : Number(value.toPrecision(3))
      }
    }
    return trial
  })
}

/** "lr=0.01 batch_size=16": a trial as a short run-name suffix. */
export function describeTrial(trial: Trial): string {
  return Object.entries(trial).map(([param, value]) => `${SWEEP_PARAM_KEYS[param as SweepParam]}=${value}`).join(' ')
}
