// MLflow's scoring protocol, parsed: the four request shapes into model inputs, and MLflow's BAD_REQUEST errors.
import { describe, expect, it } from 'vitest'
import { decodeScoringBody, describeInputSchema, formatPredictions, parseScoringRequest, servingPath, servingRequestExamples } from '../../../src/index.ts'
import type { ModelSignature } from '../../../src/index.ts'
import { IRIS_COLUMN_SIGNATURE, IRIS_ROWS } from './tiny-models.ts'

const TENSOR_SIGNATURE: ModelSignature = { inputs: [{ type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 4] } }] }
const NAMED_TENSORS: ModelSignature = {
  inputs: [
    { type: 'tensor', name: 'a', 'tensor-spec': { dtype: 'float32', shape: [-1, 2] } },
    { type: 'tensor', name: 'b', 'tensor-spec': { dtype: 'float32', shape: [-1, 3] } },
  ],
}
const records = IRIS_ROWS.map(([sepal_length, sepal_width, petal_length, petal_width]) => ({ sepal_length, sepal_width, petal_length, petal_width }))

describe('parseScoringRequest', () => {
  it('reads each of the four shapes for a tensor model as the same matrix', () => {
    expect(parseScoringRequest({ inputs: IRIS_ROWS }, TENSOR_SIGNATURE)).toEqual({ format: 'inputs', inputs: IRIS_ROWS })
    expect(parseScoringRequest({ instances: IRIS_ROWS }, TENSOR_SIGNATURE)).toEqual({ format: 'instances', inputs: IRIS_ROWS })
    expect(parseScoringRequest({ dataframe_split: { columns: ['a', 'b', 'c', 'd'], data: IRIS_ROWS } }, TENSOR_SIGNATURE).inputs).toEqual(IRIS_ROWS)
    expect(parseScoringRequest({ dataframe_split: { data: IRIS_ROWS, index: [0, 1] } }, TENSOR_SIGNATURE).inputs).toEqual(IRIS_ROWS)
    expect(parseScoringRequest({ dataframe_records: records }, TENSOR_SIGNATURE).inputs).toEqual(records)
  })

  it('reads frames for a column model by column name, whatever order the columns come in', () => {
    const shuffled = ['petal_width', 'sepal_length', 'petal_length', 'sepal_width']
    const data = IRIS_ROWS.map(([sl, sw, pl, pw]) => [pw, sl, pl, sw])
    const parsed = parseScoringRequest({ dataframe_split: { columns: shuffled, data } }, IRIS_COLUMN_SIGNATURE)
    expect(parsed.inputs).toEqual({ petal_width: [0.2, 1.3], sepal_length: [5.1, 6.2], petal_length: [1.4, 4.3], sepal_width: [3.5, 2.9] })
    expect(parseScoringRequest({ dataframe_records: records }, IRIS_COLUMN_SIGNATURE).inputs).toEqual(records)
    // instances as records become columns, as MLflow's TF-serving parser does
    expect(parseScoringRequest({ instances: records }, IRIS_COLUMN_SIGNATURE).inputs).toEqual({
      sepal_length: [5.1, 6.2], sepal_width: [3.5, 2.9], petal_length: [1.4, 4.3], petal_width: [0.2, 1.3],
    })
    const columns = { sepal_length: [5.1], sepal_width: [3.5], petal_length: [1.4], petal_width: [0.2] }
    expect(parseScoringRequest({ inputs: columns }, IRIS_COLUMN_SIGNATURE).inputs).toEqual(columns)
  })

  it('reads named tensors from an inputs dictionary, instance records and frame columns', () => {
    const named = { a: [[1, 2]], b: [[3, 4, 5]] }
    expect(parseScoringRequest({ inputs: named }, NAMED_TENSORS).inputs).toEqual(named)
    expect(parseScoringRequest({ instances: [{ a: [1, 2], b: [3, 4, 5] }] }, NAMED_TENSORS).inputs).toEqual(named)
    expect(parseScoringRequest({ dataframe_records: [{ a: [1, 2], b: [3, 4, 5] }] }, NAMED_TENSORS).inputs).toEqual(named)
    expect(parseScoringRequest({ dataframe_split: { columns: ['b', 'a'], data: [[[3, 4, 5], [1, 2]]] } }, NAMED_TENSORS).inputs).toEqual({ b: [[3, 4, 5]], a: [[1, 2]] })
  })

  it('keeps params and ignores keys outside the protocol', () => {
    expect(parseScoringRequest({ inputs: [[1, 2, 3, 4]], params: { temperature: 0.5 }, extra: 1 }, TENSOR_SIGNATURE))
      .toEqual({ format: 'inputs', inputs: [[1, 2, 3, 4]], params: { temperature: 0.5 } })
  })

  it('answers MLflow\'s BAD_REQUEST when not exactly one input field is present', () => {
    for (const body of [{}, { inputs: [], instances: [] }, { data: [[1]] }]) {
      expect(() => parseScoringRequest(body, TENSOR_SIGNATURE)).toThrow(expect.objectContaining({
        errorCode: 'BAD_REQUEST',
        message: expect.stringContaining("The input must be a JSON dictionary with exactly one of the input fields {'dataframe_split', 'dataframe_records', 'instances', 'inputs'}. Received dictionary with input fields: ["),
      }))
    }
  })

  it('names what is wrong with a malformed shape', () => {
    const cases: Array<[unknown, string]> = [
      [{ dataframe_split: { columns: ['a', 'b'], data: [[1, 2], [3]] } }, 'row 1 has 1 values but there are 2 columns'],
      [{ dataframe_split: [[1, 2]] }, '"dataframe_split" must be a dictionary'],
      [{ dataframe_records: [[1, 2]] }, '"dataframe_records" must be a list of {"column": value} rows'],
      [{ instances: { a: [1] } }, '"instances" must be a list of instances'],
      [{ instances: [{ a: [1, 2] }, { a: [3, 4], b: [5, 6, 7] }] }, 'The length of values for each input/column name are not the same'],
      [{ inputs: 'x' }, '"inputs" must be a list'],
      [{ inputs: [[1, 2, 3, 4]], params: [1] }, '"params" must be a dictionary'],
    ]
    for (const [body, message] of cases) {
      expect(() => parseScoringRequest(body, TENSOR_SIGNATURE))
        .toThrow(expect.objectContaining({ errorCode: 'BAD_REQUEST', message: expect.stringContaining(message) }))
    }
  })

  it('refuses a dictionary for an un-named tensor and a list for named tensors, as MLflow does', () => {
    expect(() => parseScoringRequest({ inputs: { x: [[1, 2, 3, 4]] } }, TENSOR_SIGNATURE)).toThrow(expect.objectContaining({
      errorCode: 'BAD_REQUEST', message: expect.stringContaining('un-named model signature which expects a single n-dimensional array'),
    }))
    expect(() => parseScoringRequest({ inputs: [[1, 2], [3, 4, 5]] }, NAMED_TENSORS)).toThrow(expect.objectContaining({
      errorCode: 'BAD_REQUEST', message: expect.stringContaining('with input names (a, b), which suggests a dictionary input'),
    }))
  })
})

describe('decodeScoringBody', () => {
  it('refuses text that is not a JSON object', () => {
    expect(() => decodeScoringBody('{"inputs": [')).toThrow(expect.objectContaining({ errorCode: 'BAD_REQUEST', message: expect.stringContaining('Invalid input. Ensure that input is a valid JSON formatted string.') }))
    expect(() => decodeScoringBody('[[1, 2]]')).toThrow(expect.objectContaining({ errorCode: 'BAD_REQUEST', message: expect.stringContaining('Received a list.') }))
    expect(decodeScoringBody('{"inputs": [[1]]}')).toEqual({ inputs: [[1]] })
  })
})

describe('formatPredictions and describeInputSchema', () => {
  it('wraps one output as it is and several by name', () => {
    expect(formatPredictions([[[0.1, 0.9]]])).toEqual({ predictions: [[0.1, 0.9]] })
    expect(formatPredictions([[[1]], [[2, 3]]], ['score', 'probs'])).toEqual({ predictions: { score: [[1]], probs: [[2, 3]] } })
    expect(JSON.stringify(formatPredictions([[Number.NaN, 1]]))).toBe('{"predictions":[null,1]}')
  })

  it('prints a schema the way MLflow\'s messages do', () => {
    expect(describeInputSchema(TENSOR_SIGNATURE)).toBe("[Tensor('float32', (-1, 4))]")
    expect(describeInputSchema(IRIS_COLUMN_SIGNATURE)).toBe("['sepal_length': double (required), 'sepal_width': double (required), 'petal_length': double (required), 'petal_width': double (required)]")
  })
})

describe('servingPath and servingRequestExamples', () => {
  it('encodes names and aliases, and quotes the body for a shell', () => {
    expect(servingPath('my model', '@champion')).toBe('/serve/my%20model/@champion/invocations')
    expect(servingPath('iris', '3')).toBe('/serve/iris/3/invocations')
    const examples = servingRequestExamples('http://127.0.0.1:4173/serve/iris/1/invocations', { inputs: [["it's"]] })
    expect(examples.curl).toBe(`curl -X POST 'http://127.0.0.1:4173/serve/iris/1/invocations' \\\n  -H 'Content-Type: application/json' \\\n  -d '{"inputs":[["it'\\''s"]]}'`)
    expect(examples.fetch).toContain('body: JSON.stringify({"inputs":[["it\'s"]]})')
  })
})
