// MLmodel files, signatures and model URIs, checked against MLmodel files a real MLflow 2.17 wrote.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { logModelHistoryEntry, mlModelToYaml, parseMlModel, parseRunsUri, signatureToYaml, utcTimeCreated } from '../../../src/models/index.ts'

const FIXTURE_RUN = '/work/shared/fixtures/mlflow-filestore/mlruns/149579244902643197/07193539cd7c428ca2b6f2a3b98e091c'
const fixture = (path: string) => readFileSync(join(FIXTURE_RUN, path), 'utf8')

describe('MLmodel files written by MLflow', () => {
  it('reads flavors, ids, the column signature and the example info of an sklearn model', () => {
    const model = parseMlModel(fixture('artifacts/sklearn_model/MLmodel'))
    expect(Object.keys(model.flavors)).toEqual(['python_function', 'sklearn'])
    expect(model).toMatchObject({
      artifactPath: 'sklearn_model', runId: '07193539cd7c428ca2b6f2a3b98e091c', modelUuid: 'ca99605f9eb94067a018863a274ac65f',
      utcTimeCreated: '2026-11-28 20:04:32.491176', mlflowVersion: '2.17.2', modelSizeBytes: 1203,
      savedInputExampleInfo: { artifact_path: 'input_example.json', pandas_orient: 'split', type: 'dataframe' },
    })
    expect(model.signature?.inputs).toEqual([
      { type: 'double', name: 'sepal length (cm)', required: true },
      { type: 'double', name: 'sepal width (cm)', required: true },
    ])
    expect(model.signature?.outputs).toEqual([{ type: 'tensor', 'tensor-spec': { dtype: 'int64', shape: [-1] } }])
  })

  it('writes back what it read: same keys and values, signature strings byte for byte', () => {
    for (const name of readdirSync(join(FIXTURE_RUN, 'artifacts'))) {
      const text = fixture(`artifacts/${name}/MLmodel`)
      const model = parseMlModel(text)
      expect(parseMlModel(mlModelToYaml(model))).toEqual(model)
      const signatureLines = /signature:\n {2}inputs: '([^']*)'/.exec(text.replace(/\n {4}/g, ' '))?.[1]
      expect(signatureToYaml(model.signature!).inputs).toBe(signatureLines)
    }
  })

  it('makes the same log-model.history entries MLflow made for these models', () => {
    const history = JSON.parse(fixture('tags/mlflow.log-model.history')) as unknown[]
    const entries = ['sklearn_model', 'pyfunc_model'].map(name => logModelHistoryEntry(parseMlModel(fixture(`artifacts/${name}/MLmodel`))))
    expect(entries).toEqual(history)
  })

  it('keeps keys MLflow does not define', () => {
    const model = parseMlModel('flavors:\n  tfjs: {format: layers-model}\nlablog_note: trained in a worker\n')
    expect(model.extraFields).toEqual({ lablog_note: 'trained in a worker' })
    expect(mlModelToYaml(model)).toContain('lablog_note: trained in a worker')
  })

  it('refuses a file without flavors, and a signature mixing tensors and columns', () => {
    expect(() => parseMlModel('run_id: abc\n')).toThrow(expect.objectContaining({ errorCode: 'INVALID_PARAMETER_VALUE' }))
    expect(() => signatureToYaml({ inputs: [{ type: 'double', name: 'a' }, { type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1] } }] as never }))
      .toThrow(/mixes tensor and column specs/)
  })

  it("writes utc_time_created as Python's str(datetime) in UTC", () => {
    expect(utcTimeCreated(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)))).toBe('2026-01-02 03:04:05.678000')
  })
})

describe('runs:/ model URIs', () => {
  it('splits the run id and the artifact path', () => {
    expect(parseRunsUri('runs:/0123456789abcdef0123456789abcdef/model')).toEqual({ runId: '0123456789abcdef0123456789abcdef', artifactPath: 'model' })
    expect(parseRunsUri('runs:/abc/checkpoints/best/')).toEqual({ runId: 'abc', artifactPath: 'checkpoints/best' })
    expect(parseRunsUri('runs:/abc')).toEqual({ runId: 'abc', artifactPath: '' })
  })

  it('refuses URIs without a run id or with an escaping path', () => {
    for (const uri of ['runs:/', 'runs://abc/model', 'runs:/abc/../other', 'runs:/a b/model']) {
      expect(() => parseRunsUri(uri), uri).toThrow(expect.objectContaining({ errorCode: 'INVALID_PARAMETER_VALUE' }))
    }
  })
})
