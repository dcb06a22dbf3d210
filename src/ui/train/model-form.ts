/** The Train page's model and hyperparameter choices as plain state, and how they become a ModelSpec and fit/compile settings. */
import type { CompileSpec, ModelSpec } from '../../index.ts'
import type { DatasetShape } from './dataset-choice.ts'
import { checkLayersJson } from './layers-json.ts'

export type ModelKind = 'logistic-regression' | 'mlp' | 'cnn' | 'layers-json'
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'elu'
export type OptimizerName = NonNullable<CompileSpec['optimizer']>

export interface ModelState {
  kind: ModelKind
  /** MLP hidden layer sizes, "64, 32". */
  hiddenUnits: string
  activation: Activation
  dropout: number
  /** CNN filters per conv block, "16, 32". */
  filters: string
  denseUnits: number
  /** The layers JSON editor's text. */
  layersJson: string
}

export interface HyperState { epochs: number; batchSize: number; learningRate: number; optimizer: OptimizerName; seed: number }

export const DEFAULT_MODEL: ModelState = { kind: 'mlp', hiddenUnits: '64, 32', activation: 'relu', dropout: 0, filters: '16, 32', denseUnits: 64, layersJson: '' }
export const DEFAULT_HYPER: HyperState = { epochs: 30, batchSize: 16, learningRate: 0.01, optimizer: 'adam', seed: 0 }
export const OPTIMIZERS: readonly OptimizerName[] = ['adam', 'sgd', 'rmsprop', 'adagrad', 'adadelta', 'adamax']

export const MODEL_LABELS: Record<ModelKind, string> = { 'logistic-regression': 'Logistic regression', mlp: 'MLP', cnn: 'Small CNN', 'layers-json': 'Layers JSON' }

/** "64, 32" → [64, 32]; undefined when it is not a list of whole numbers ≥ 1. */
export function parseUnits(text: string): number[] | undefined {
  const parts = text.split(',').map(part => part.trim()).filter(Boolean)
  if (parts.length === 0) return undefined
  const units = parts.map(Number)
  return units.every(unit => Number.isInteger(unit) && unit >= 1) ? units : undefined
}

/** The model spec, or the reason it cannot be built for this data (shown inline). */
export function modelSpecOf(state: ModelState, shape: DatasetShape, hiddenUnitsOverride?: string, dropoutOverride?: number): { spec: ModelSpec } | { problem: string } {
  switch (state.kind) {
    case 'logistic-regression':
      if (shape.task !== 'classification') return { problem: 'Logistic regression predicts classes: choose a classification dataset, or an MLP for regression.' }
      return { spec: { preset: 'logistic-regression' } }
    case 'mlp': {
      const hiddenUnits = parseUnits(hiddenUnitsOverride ?? state.hiddenUnits)
      if (!hiddenUnits) return { problem: 'Hidden units must be layer sizes such as "64, 32".' }
      const dropout = dropoutOverride ?? state.dropout
      return { spec: { preset: 'mlp', hiddenUnits, activation: state.activation, ...(dropout > 0 ? { dropout } : {}) } }
    }
    case 'cnn': {
      if (!shape.imageShape) return { problem: 'The small CNN reads 8×8 images: choose the digits dataset.' }
      const filters = parseUnits(state.filters)
      if (!filters) return { problem: 'Filters must be counts per convolution block, such as "16, 32".' }
      return { spec: { preset: 'cnn', filters, denseUnits: state.denseUnits } }
    }
    case 'layers-json': {
      const check = checkLayersJson(state.layersJson, shape.featureCount, shape.outputUnits)
      if (!check.ok) return { problem: check.problem.line ? `Line ${check.problem.line}: ${check.problem.message}` : check.problem.message }
      return { spec: { layersJson: check.topology } }
    }
  }
}
