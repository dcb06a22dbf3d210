/**
 * Classifier label handling as MLflow's default evaluator does it: label list (given or sorted distinct
 * targets ∪ predictions), binary vs multiclass, positive label; and encoding the labels as class indices.
 */
import { invalidParameter } from '../core/errors.ts'
import type { Label } from './types.ts'

/** Labels resolved for one evaluation; rows are encoded as indices into `sorted`. */
export interface LabelSetup {
  /** Whether the labels are numbers or strings. */
  kind: 'number' | 'string'
  /** The label list sorted ascending: the class order of probability columns and per-class rows. */
  sorted: Label[]
  /** MLflow's `label_list`: `sorted`, with a binary problem's positive label moved to the end. */
  labelList: Label[]
  /** Two labels (MLflow: `len(label_list) <= 2`; fewer than two is an error). */
  isBinary: boolean
  /** Binary: the positive label (given, or the largest). Multiclass: `posLabel` as configured, else null. */
  posLabel: Label | null
  /** Binary: index of `posLabel` in `sorted`; multiclass: -1. */
  posIndex: number
  /** Each target's index in `sorted`. */
  yTrue: Int32Array
  /** Each prediction's index in `sorted`. */
  yPred: Int32Array
}

/** Order of labels as numpy sorts them: numbers numerically, strings by Unicode code point. */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0
  const sa = String(a), sb = String(b)
  const n = Math.min(sa.length, sb.length)
  for (let i = 0; i < n; i++) {
    const ca = sa.codePointAt(i)!, cb = sb.codePointAt(i)!
    if (ca !== cb) return ca - cb
    if (ca > 0xffff) i++
  }
  return sa.length - sb.length
}

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v)
}

/**
 * Checks one label value; returns its kind. NaN, missing, infinite or non-integer numbers (sklearn calls
 * those continuous) and other types are INVALID_PARAMETER_VALUE naming the column and row.
 */
function labelKind(v: unknown, column: string, row: number): 'number' | 'string' {
  if (typeof v === 'string') return 'string'
  if (typeof v === 'number') {
    if (Number.isNaN(v)) throw invalidParameter(`Column '${column}' contains NaN at row ${row} (0-based); classifier labels cannot be missing.`)
    if (!Number.isFinite(v)) throw invalidParameter(`Column '${column}' contains ${v} at row ${row} (0-based); classifier labels must be finite.`)
    if (!Number.isInteger(v)) {
      throw invalidParameter(`Column '${column}' has the non-integer value ${v} at row ${row} (0-based): classifier labels must be integers or strings (sklearn treats such values as continuous targets).`)
    }
    return 'number'
  }
  throw invalidParameter(`Column '${column}' has ${v === null || v === undefined ? 'a missing value' : `the unsupported value ${describe(v)}`} at row ${row} (0-based); classifier labels must be numbers or strings.`)
}

/** Validates a column and adds its distinct labels to `seen`; returns the column's kind (null when empty). */
function scan(values: ArrayLike<Label>, column: string, seen: Set<Label> | null, kind: 'number' | 'string' | null) {
  let k = kind
  let last: Label | undefined
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (v === last) continue
    const vk = labelKind(v, column, i)
    if (k === null) k = vk
    else if (vk !== k) {
      throw invalidParameter(`Mix of label input types (string and number): '${column}' row ${i} (0-based) is ${describe(v)}, other labels are ${k}s.`)
    }
    seen?.add(v)
    last = v
  }
  return k
}

/** Encodes each value as its index in `sorted` (all values are known to be there). */
function encode(values: ArrayLike<Label>, index: Map<Label, number>, column: string, labelList: readonly Label[]): Int32Array {
  const n = values.length
  const out = new Int32Array(n)
  let last: Label | undefined
  let lastCode = -1
  for (let i = 0; i < n; i++) {
    const v = values[i]!
    if (v !== last) {
      const code = index.get(v)
      if (code === undefined) {
        throw invalidParameter(`Column '${column}' has the label ${describe(v)} at row ${i} (0-based), which is not in label_list ${JSON.stringify(labelList)}.`)
      }
      last = v
      lastCode = code
    }
    out[i] = lastCode
  }
  return out
}

/**
 * Resolves the label list, binary/multiclass and the positive label exactly as MLflow's
 * `_validate_label_list`, then encodes targets and predictions.
 *
 * - `labelList` given: it is sorted ascending (duplicates are an error); every target and prediction must
 *   be in it. Otherwise it is the sorted distinct values of targets ∪ predictions.
 * - Binary (two labels): `posLabel` defaults to the largest label; a given one must be in the list and is
 *   moved to the end of `labelList`. Multiclass keeps a given `posLabel` only for figure axis titles.
 * - Fewer than two labels: INVALID_PARAMETER_VALUE (MLflow raises too); pass `labelList` with both classes
 *   to evaluate data where a single class occurs.
 */
export function resolveLabels(
  targets: ArrayLike<Label>,
  predictions: ArrayLike<Label>,
  options: { labelList?: readonly Label[] | undefined; posLabel?: Label | undefined; columns?: { targets: string; predictions: string } } = {},
): LabelSetup {
  const columns = options.columns ?? { targets: 'targets', predictions: 'predictions' }
  if (targets.length !== predictions.length) {
    throw invalidParameter(`'${columns.targets}' has ${targets.length} rows but '${columns.predictions}' has ${predictions.length}.`)
  }
  if (targets.length === 0) throw invalidParameter('The evaluation dataset is empty.')
  let kind: 'number' | 'string' | null = null
  let sorted: Label[]
  if (options.labelList !== undefined) {
    const given = new Set<Label>()
    kind = scan(options.labelList, 'label_list', given, null)
    if (given.size !== options.labelList.length) throw invalidParameter(`label_list ${JSON.stringify(options.labelList)} has duplicate labels.`)
    sorted = [...given].sort(compareLabels)
    scan(targets, columns.targets, null, kind)
    scan(predictions, columns.predictions, null, kind)
  } else {
    const seen = new Set<Label>()
    kind = scan(targets, columns.targets, seen, null)
    kind = scan(predictions, columns.predictions, seen, kind)
    sorted = [...seen].sort(compareLabels)
  }
  const index = new Map<Label, number>()
  sorted.forEach((l, i) => index.set(l, i))
  const pos = options.posLabel
  if (pos !== undefined && pos !== null) {
    if (typeof pos !== kind || !index.has(pos)) {
      throw invalidParameter(`'pos_label' ${describe(pos)} must exist in 'label_list' ${JSON.stringify(sorted)}.`)
    }
  }
  if (sorted.length < 2) {
    throw invalidParameter(
      `Evaluation dataset for classification must contain at least two unique labels, but only ${sorted.length} unique labels were found. ` +
      'Pass evaluator_config label_list with every class to evaluate data that holds a single class.',
    )
  }
  const isBinary = sorted.length === 2
  let posLabel: Label | null = pos ?? null
  let posIndex = -1
  let labelList = sorted.slice()
  if (isBinary) {
    posLabel = pos ?? sorted[1]!
    posIndex = index.get(posLabel)!
    labelList = [sorted[1 - posIndex]!, posLabel]
  }
  const labelListForErrors = options.labelList !== undefined ? sorted : labelList
  return {
    kind: kind ?? 'number',
    sorted,
    labelList,
    isBinary,
    posLabel,
    posIndex,
    yTrue: encode(targets, index, columns.targets, labelListForErrors),
    yPred: encode(predictions, index, columns.predictions, labelListForErrors),
  }
}
