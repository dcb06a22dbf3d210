// The Train and Evaluate pages' pure parts: sweep expansion, layers-JSON checks, the confusion matrix's counts.
import { describe, expect, it } from 'vitest'
import { confusionCounts } from '../../../src/ui/evaluate/confusion-matrix.tsx'
import { checkLayersJson, exampleLayersJson } from '../../../src/ui/train/layers-json.ts'
import { type ParsedValues, type SweepParam, gridTrials, parseSweepValues, randomTrials } from '../../../src/ui/train/sweep.ts'

describe('sweeps', () => {
  it('expands a grid into every combination, in order', () => {
    const space = new Map<SweepParam, ParsedValues>([['learningRate', parseSweepValues('learningRate', '0.1, 0.01')], ['optimizer', parseSweepValues('optimizer', 'adam, sgd')]])
    expect(gridTrials(space)).toEqual([
      { learningRate: 0.1, optimizer: 'adam' }, { learningRate: 0.1, optimizer: 'sgd' }, { learningRate: 0.01, optimizer: 'adam' }, { learningRate: 0.01, optimizer: 'sgd' },
    ])
  })

  it('draws random trials reproducibly, within ranges (whole numbers for batch size)', () => {
    const space = new Map<SweepParam, ParsedValues>([['learningRate', parseSweepValues('learningRate', '0.0001..0.1')], ['batchSize', parseSweepValues('batchSize', '8..64')]])
    const trials = randomTrials(space, 20, 7)
    expect(randomTrials(space, 20, 7)).toEqual(trials)
    for (const trial of trials) {
      expect(trial.learningRate).toBeGreaterThanOrEqual(0.0001)
      expect(trial.learningRate).toBeLessThanOrEqual(0.1)
      expect(Number.isInteger(trial.batchSize)).toBe(true)
    }
  })

  it('explains bad values', () => {
    expect(() => parseSweepValues('batchSize', '16, 0.5')).toThrow('whole numbers')
    expect(() => parseSweepValues('optimizer', 'adam, lion')).toThrow("Unknown optimizer 'lion'")
    expect(() => parseSweepValues('hiddenUnits', '64,32 | x')).toThrow('layer sizes')
    expect(() => gridTrials(new Map([['learningRate', parseSweepValues('learningRate', '0.01..0.1')]]))).toThrow('a grid needs listed values')
  })
})

describe('layers JSON', () => {
  it('accepts the example for the data and names the line of a syntax error', () => {
    expect(checkLayersJson(exampleLayersJson(4, 3), 4, 3)).toMatchObject({ ok: true, layerCount: 3 })
    expect(checkLayersJson('{\n  "class_name": "Sequential",\n  "config": [}\n}', 4, 3)).toEqual({ ok: false, problem: { message: "Not valid JSON: unexpected '}'.", line: 3 } })
  })

  it('checks the input and output widths against the data', () => {
    const json = exampleLayersJson(4, 3)
    expect(checkLayersJson(json, 5, 3)).toMatchObject({ ok: false, problem: { message: expect.stringContaining('the data has 5 feature columns') } })
    expect(checkLayersJson(json, 4, 2)).toMatchObject({ ok: false, problem: { message: expect.stringContaining('the data needs 2') } })
    expect(checkLayersJson('{"class_name": "Sequential", "config": {"layers": [{"class_name": "Eval", "config": {}}]}}', 4, 3))
      .toMatchObject({ ok: false, problem: { message: 'Layer 1: unknown layer class "Eval".' } })
  })
})

describe('confusion matrix', () => {
  it('counts (true, predicted) pairs over every listed label', () => {
    const table = { columns: ['x', 'target', 'outputs'], data: [[1, 0, 0], [2, 1, 2], [3, 1, 1], [4, 0, 0]] }
    const { labels, counts } = confusionCounts(table, 'target', 'outputs', [0, 1, 2])
    expect(labels).toEqual(['0', '1', '2'])
    expect(counts).toEqual([[2, 0, 0], [0, 1, 1], [0, 0, 0]])
  })
})
