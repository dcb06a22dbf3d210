/**
 * The options of `mlflow.autolog()` / `mlflow.tfjs.autolog()`, with their defaults in one place,
 * and the settings currently in force (one per JS realm: a window and each worker have their own).
 */
import { invalidParameter } from '../core/errors.ts'

/** Options of TensorFlow.js autologging. Every field is optional; its default is stated. */
export interface AutologOptions {
  /** Log the trained model under `model/` (MLmodel + model.json + weights) when fit ends. Default `true`. */
  logModels?: boolean
  /** Save the first 5 rows of fit's `x` tensor as the logged model's `input_example.json` (fitDataset: none). Default `false`. */
  logInputExamples?: boolean
  /**
   * Log per-batch metrics every N batches, as `batch_<name>` with the global batch index as step
   * (epoch metrics keep tfjs's names with step = epoch). `0` or absent: off. Default off.
   */
  logEveryNSteps?: number
  /** Stop autologging: later fits run untracked. Default `false`. */
  disable?: boolean
  /** Do not print Lablog's warnings (a failed metric write, a model that could not be saved). Default `false`. */
  silent?: boolean
}

/** Options with every default filled in. */
export type ResolvedAutologOptions = Required<AutologOptions>

export const AUTOLOG_DEFAULTS: ResolvedAutologOptions = {
  logModels: true,
  logInputExamples: false,
  logEveryNSteps: 0,
  disable: false,
  silent: false,
}

/** Fills in defaults and checks the one numeric option. */
export function resolveAutologOptions(options: AutologOptions = {}): ResolvedAutologOptions {
  const resolved: ResolvedAutologOptions = { ...AUTOLOG_DEFAULTS }
  for (const key of Object.keys(AUTOLOG_DEFAULTS) as (keyof AutologOptions)[]) {
    if (options[key] !== undefined) (resolved as unknown as Record<string, unknown>)[key] = options[key]
  }
  const steps = resolved.logEveryNSteps
  if (!Number.isInteger(steps) || steps < 0) {
    throw invalidParameter(`autolog logEveryNSteps must be a whole number ≥ 0 (0 turns per-batch logging off); got ${String(steps)}.`)
  }
  return resolved
}

let current: ResolvedAutologOptions | undefined

/** The settings in force, or undefined when autolog was never turned on here. */
export function currentAutologOptions(): ResolvedAutologOptions | undefined { return current }
export function setCurrentAutologOptions(options: ResolvedAutologOptions | undefined): void { current = options }

/** A warning from autologging; quiet when `silent` is set. Logging problems never fail training. */
export function autologWarning(options: ResolvedAutologOptions, message: string, error?: unknown): void {
  if (options.silent) return
  console.warn(`lablog autolog: ${message}${error ? `: ${(error as Error)?.message ?? String(error)}` : ''}`)
}
