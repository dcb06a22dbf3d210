import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mlflow } from '../../../src/index.ts'
import { freshTrackingUri } from '../../helpers.ts'

beforeEach(() => mlflow.setTrackingUri(freshTrackingUri()))
afterEach(async () => { while (await mlflow.activeRun()) await mlflow.endRun() })

describe('startRun and endRun', () => {
  it('starts a RUNNING run with a generated name, stored as attribute and tag', async () => {
    const run = await mlflow.startRun()
    expect(run.info.status).toBe('RUNNING')
    expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/)
    expect(run.info.runName).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/)
    expect(run.info.runName.length).toBeLessThanOrEqual(20)
    expect(run.data.tags['mlflow.runName']).toBe(run.info.runName)
    expect(run.info.endTime).toBeNull()
    expect(run.info.experimentId).toBe('0')
  })

  it('sets the system tags MLflow sets, and the description as mlflow.note.content', async () => {
    const run = await mlflow.startRun({ runName: 'baseline', description: '# Baseline\nfirst try', codeVersion: 'abc123' })
    expect(run.data.tags).toMatchObject({
      'mlflow.runName': 'baseline',
      'mlflow.source.type': 'LOCAL',
      'mlflow.note.content': '# Baseline\nfirst try',
      'mlflow.source.git.commit': 'abc123',
    })
    expect(run.data.tags['mlflow.user']).toBeTruthy()
    expect(run.data.tags['mlflow.source.name']).toBeTruthy()
  })

  it('derives the code version from the training script text (SHA-256) when no commit is given', async () => {
    const run = await mlflow.startRun({ sourceCode: 'abc' })
    expect(run.data.tags['mlflow.source.git.commit']).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('endRun sets status and end time; a finished run still accepts logging', async () => {
    const run = await mlflow.startRun()
    await mlflow.endRun('FAILED')
    const ended = await mlflow.getRun(run.info.runId)
    expect(ended.info.status).toBe('FAILED')
    expect(ended.info.endTime).toBeGreaterThanOrEqual(ended.info.startTime)
    expect(await mlflow.activeRun()).toBeNull()
    await mlflow.getClient().logParam(run.info.runId, 'late', 1)
    expect((await mlflow.getRun(run.info.runId)).data.params).toEqual({ late: '1' })
  })

  it('a second top-level run while one is active is refused', async () => {
    await mlflow.startRun()
    await expect(mlflow.startRun()).rejects.toMatchObject({ errorCode: 'INVALID_STATE' })
  })

  it('nested runs carry mlflow.parentRunId and the stack unwinds in order', async () => {
    const parent = await mlflow.startRun({ runName: 'sweep' })
    const child = await mlflow.startRun({ runName: 'trial-1', nested: true })
    expect(child.data.tags['mlflow.parentRunId']).toBe(parent.info.runId)
    expect((await mlflow.activeRun())!.info.runId).toBe(child.info.runId)
    await mlflow.endRun()
    expect((await mlflow.activeRun())!.info.runId).toBe(parent.info.runId)
    await mlflow.endRun()
    expect(await mlflow.activeRun()).toBeNull()
  })

  it('fluent logging starts a run when none is active, as MLflow does', async () => {
    await mlflow.logParam('lr', 0.01)
    const run = await mlflow.activeRun()
    expect(run!.data.params).toEqual({ lr: '0.01' })
  })

  it('resumes an existing run by id', async () => {
    const run = await mlflow.startRun()
    await mlflow.endRun()
    const resumed = await mlflow.startRun({ runId: run.info.runId })
    expect(resumed.info.status).toBe('RUNNING')
    expect(resumed.info.runId).toBe(run.info.runId)
  })
})

describe('withRun and await using', () => {
  it('withRun ends FINISHED when the body returns', async () => {
    const runId = await mlflow.withRun({ runName: 'ok' }, async run => {
      await mlflow.logMetric('loss', 0.5)
      return run.info.runId
    })
    const run = await mlflow.getRun(runId)
    expect(run.info.status).toBe('FINISHED')
    expect(run.data.metrics).toEqual({ loss: 0.5 })
  })

  it('withRun ends FAILED and rethrows when the body throws', async () => {
    let runId = ''
    await expect(mlflow.withRun({}, async run => { runId = run.info.runId; throw new Error('diverged') })).rejects.toThrow('diverged')
    expect((await mlflow.getRun(runId)).info.status).toBe('FAILED')
    expect(await mlflow.activeRun()).toBeNull()
  })

  it('`await using` ends the run when the scope exits', async () => {
    let runId = ''
    {
      await using run = await mlflow.startRun()
      runId = run.info.runId
      mlflow.logMetric('acc', 0.9, { step: 1 })
    }
    const run = await mlflow.getRun(runId)
    expect(run.info.status).toBe('FINISHED')
    expect(run.data.metrics.acc).toBe(0.9)
  })
})

describe('runs through the client', () => {
  it('getRun of an unknown id is RESOURCE_DOES_NOT_EXIST', async () => {
    await expect(mlflow.getRun('00000000000000000000000000000000')).rejects.toMatchObject({
      errorCode: 'RESOURCE_DOES_NOT_EXIST', message: 'Run with id=00000000000000000000000000000000 not found',
    })
  })

  it('a run name and a different mlflow.runName tag on create are refused', async () => {
    const client = mlflow.getClient()
    await expect(client.createRun('0', { runName: 'a', tags: { 'mlflow.runName': 'b' } })).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    expect((await client.searchRuns({ experimentIds: ['0'] })).runs).toHaveLength(0)
  })

  it('setting the mlflow.runName tag renames the run, and updateRun renames the tag', async () => {
    const client = mlflow.getClient()
    const run = await client.createRun('0', { runName: 'first' })
    await client.setTag(run.info.runId, 'mlflow.runName', 'second')
    expect((await client.getRun(run.info.runId)).info.runName).toBe('second')
    await client.updateRun(run.info.runId, { name: 'third' })
    expect((await client.getRun(run.info.runId)).data.tags['mlflow.runName']).toBe('third')
  })

  it('delete and restore a run; writes to a deleted run are INVALID_PARAMETER_VALUE and change nothing', async () => {
    const client = mlflow.getClient()
    const run = await client.createRun('0')
    await client.deleteRun(run.info.runId)
    expect((await client.getRun(run.info.runId)).info.lifecycleStage).toBe('deleted')
    await expect(client.logParam(run.info.runId, 'p', 1)).rejects.toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE', message: `The run ${run.info.runId} must be in the 'active' state. Current state is deleted.`,
    })
    await expect(client.logMetric(run.info.runId, 'm', 1)).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await expect(client.flush()).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    await client.restoreRun(run.info.runId)
    const restored = await client.getRun(run.info.runId)
    expect(restored.info.lifecycleStage).toBe('active')
    expect(restored.data.params).toEqual({})
    expect(restored.data.metrics).toEqual({})
  })

  it('an invalid status is refused', async () => {
    const client = mlflow.getClient()
    const run = await client.createRun('0')
    await expect(client.setTerminated(run.info.runId, 'DONE' as never)).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' })
    expect((await client.getRun(run.info.runId)).info.status).toBe('RUNNING')
  })
})
