// Baseline comparison and MetricThreshold checks, with MLflow's semantics and messages.
import { beforeEach, describe, expect, it } from 'vitest'
import { checkMetricThresholds, mlflow, type MlflowClient, ModelValidationFailedError, validateEvaluationResults } from '../../../src/index.ts'
import { allRuns, freshStore } from './support.ts'

let client: MlflowClient
beforeEach(() => { client = freshStore() })

describe('checkMetricThresholds (MLflow MetricThreshold semantics)', () => {
  it('threshold: ≥ when greater is better, ≤ when lower is better; equality passes', () => {
    const thresholds = { acc: { threshold: 0.9, greaterIsBetter: true }, loss: { threshold: 0.2, greaterIsBetter: false } }
    expect(checkMetricThresholds(thresholds, { acc: 0.9, loss: 0.2 }).passed).toBe(true)
    const failed = checkMetricThresholds(thresholds, { acc: 0.89, loss: 0.21 })
    expect(failed.failures.map((f) => [f.metric, f.failedChecks])).toEqual([['acc', ['threshold']], ['loss', ['threshold']]])
    expect(failed.failures[0]!.message).toBe('Metric acc value threshold check failed: candidate model acc = 0.89, acc threshold = 0.9.')
  })

  it('minAbsoluteChange and minRelativeChange compare with the baseline in the better direction', () => {
    const t = { acc: { minAbsoluteChange: 0.05, minRelativeChange: 0.1, greaterIsBetter: true } }
    expect(checkMetricThresholds(t, { acc: 0.9 }, { acc: 0.8 }).passed).toBe(true)
    expect(checkMetricThresholds(t, { acc: 0.84 }, { acc: 0.8 }).failures[0]!.failedChecks).toEqual(['min_absolute_change', 'min_relative_change'])
    const lower = { mse: { minRelativeChange: 0.5, greaterIsBetter: false } }
    expect(checkMetricThresholds(lower, { mse: 4 }, { mse: 10 }).passed).toBe(true)
    expect(checkMetricThresholds(lower, { mse: 6 }, { mse: 10 }).passed).toBe(false)
  })

  it('a zero baseline falls back to "at least as good"; missing metrics fail with their own message', () => {
    expect(checkMetricThresholds({ m: { minRelativeChange: 0.5, greaterIsBetter: true } }, { m: 0 }, { m: 0 }).passed).toBe(true)
    const missing = checkMetricThresholds({ m: { threshold: 1, greaterIsBetter: true }, k: { minAbsoluteChange: 1, greaterIsBetter: true } }, { k: 3 }, {})
    expect(missing.message).toBe([
      'Metric validation failed: metric m was missing from the evaluation result of the candidate model.',
      'Model comparison failed: metric k was missing from the evaluation result of the baseline model.',
    ].join('\n'))
  })

  it('rejects malformed thresholds as MLflow does', () => {
    expect(() => checkMetricThresholds({ m: { minAbsoluteChange: -1, greaterIsBetter: true } }, {})).toThrow(/min_absolute_change.*positive/)
    expect(() => checkMetricThresholds({ m: { minRelativeChange: 2, greaterIsBetter: true } }, {})).toThrow(/between 0 and 1/)
    expect(() => checkMetricThresholds({ m: { threshold: 1 } as never }, {})).toThrow(/greater_is_better.*defined/)
  })

  it('validateEvaluationResults throws ModelValidationFailedError (INVALID_STATE) listing each failure', () => {
    const call = () => validateEvaluationResults({
      validationThresholds: { acc: { threshold: 0.95, greaterIsBetter: true } }, candidateResult: { metrics: { acc: 0.9 } },
    })
    expect(call).toThrow(ModelValidationFailedError)
    try { call() } catch (error) {
      expect(error).toMatchObject({ errorCode: 'INVALID_STATE', validationResult: { passed: false, failures: [{ metric: 'acc', candidate: 0.9 }] } })
    }
  })
})

describe('evaluate with a baseline model and validation thresholds', () => {
  const data = { x: [0, 1, 2, 3, 4, 5, 6, 7], label: [0, 0, 0, 0, 1, 1, 1, 1] }
  const good = (f: Record<string, unknown>) => Array.from(f.x as Float64Array, (x) => (x >= 4 ? 1 : 0))
  const weak = (f: Record<string, unknown>) => Array.from(f.x as Float64Array, (x) => (x >= 2 ? 1 : 0))

  it('returns the baseline metrics and the passed validation when the candidate is better enough', async () => {
    const result = await mlflow.evaluate({
      model: good, baselineModel: weak, data, targets: 'label', modelType: 'classifier',
      validationThresholds: { accuracy_score: { minAbsoluteChange: 0.1, greaterIsBetter: true } },
    })
    expect(result.metrics.accuracy_score).toBe(1)
    expect(result.baselineModelMetrics?.accuracy_score).toBe(0.75)
    expect(result.validation?.passed).toBe(true)
    expect(Object.keys((await client.getRun(result.runId)).data.metrics)).not.toContain('baseline_accuracy_score')
  })

  it('fails validation after logging when the candidate is worse than the baseline beyond the threshold; its run ends FAILED', async () => {
    const call = mlflow.evaluate({
      model: weak, baselineModel: good, data, targets: 'label', modelType: 'classifier',
      validationThresholds: { accuracy_score: { minRelativeChange: 0.05, greaterIsBetter: true }, f1_score: { threshold: 0.9, greaterIsBetter: true } },
    })
    const error = await call.catch((e: unknown) => e) as ModelValidationFailedError
    expect(error).toBeInstanceOf(ModelValidationFailedError)
    expect(error.validationResult.failures.map((f) => f.metric)).toEqual(['accuracy_score', 'f1_score'])
    expect(error.message).toMatch(/^Metric accuracy_score minimum relative change check failed: candidate model accuracy_score = 0.75, baseline model accuracy_score = 1/)
    const [run] = await allRuns(client)
    expect(run!.info.status).toBe('FAILED')
    expect(run!.data.metrics.accuracy_score).toBe(0.75)
    expect(error.evaluationResult?.runId).toBe(run!.info.runId)
  })
})
