/**
 * Test data written through the app's own library handle (window.lablog), inside the page: an
 * experiment with params, metrics, nested runs and one artifact of every viewer kind.
 */
import type { Page } from 'playwright-core'

export interface SeedResult { experimentId: string; runIds: string[]; parentRunId: string; artifactRunId: string }

/** Creates experiment `name` with `count` runs (and a parent with two children) and artifacts on the first run. */
export async function seedExperiment(page: Page, name: string, count = 6): Promise<SeedResult> {
  return page.evaluate(async ({ name, count }) => {
    const { MlflowClient } = (window as unknown as { lablog: { MlflowClient: new () => any } }).lablog
    const client = new MlflowClient()
    const experimentId: string = await client.createExperiment(name, { tags: { team: 'vision' } })
    const runIds: string[] = []
    const start = Date.now() - count * 60_000
    for (let i = 0; i < count; i++) {
      const run = await client.createRun(experimentId, { runName: `run-${i}`, startTime: start + i * 60_000, tags: { 'mlflow.user': 'ada', 'mlflow.source.name': 'train.py', phase: i % 2 ? 'tune' : 'base' } })
      const runId = run.info.runId
      runIds.push(runId)
      const lr = [0.1, 0.01, 0.001][i % 3]
      await client.logBatch(runId, {
        params: [{ key: 'lr', value: String(lr) }, { key: 'optimizer', value: i % 2 ? 'adam' : 'sgd' }, { key: 'epochs', value: '20' }],
        metrics: Array.from({ length: 20 }, (_, step) => [
          { key: 'loss', value: 1 / (1 + step * (i + 1) * 0.1) + 0.01 * Math.sin(step), timestamp: start + i * 60_000 + step * 1000, step },
          { key: 'acc', value: 0.5 + 0.45 * (1 - Math.exp(-step * (i + 1) * 0.05)), timestamp: start + i * 60_000 + step * 1000, step },
        ]).flat(),
      })
      await client.setTerminated(runId, i === count - 1 ? 'FAILED' : 'FINISHED', start + i * 60_000 + 20_000 + i * 1000)
    }
    const parent = await client.createRun(experimentId, { runName: 'sweep', startTime: Date.now() - 1000 })
    for (const child of ['trial-a', 'trial-b']) {
      const kid = await client.createRun(experimentId, { runName: child, tags: { 'mlflow.parentRunId': parent.info.runId } })
      await client.logBatch(kid.info.runId, { metrics: [{ key: 'acc', value: child === 'trial-a' ? 0.7 : 0.8, timestamp: Date.now(), step: 0 }] })
    }
    const runId = runIds[0]!
    await client.setTag(runId, 'mlflow.note.content', '# Baseline\nA **plain** run with `sgd`.')
    await client.logText(runId, 'hello from a text artifact\nline 2', 'notes/readme.txt')
    await client.logDict(runId, { layers: [64, 32], dropout: 0.1 }, 'config.json')
    await client.logDict(runId, { layers: [64, 32], dropout: 0.1 }, 'config.yaml')
    await client.logText(runId, 'epoch,loss,acc\n1,0.9,0.5\n2,0.5,0.7\n3,0.3,0.85\n', 'history.csv')
    await client.logFigure(runId, { data: [{ type: 'bar', x: ['a', 'b', 'c'], y: [3, 1, 2] }], layout: { title: { text: 'Counts' } } }, 'plots/counts.plotly.json')
    const png = await (await fetch('/icons/icon-192.png')).blob()
    await client.logArtifact(runId, png, 'images', 'icon.png')
    await client.logText(runId, [
      'artifact_path: model', 'flavors:', '  tfjs:', '    model_format: layers-model', '    tfjs_version: 4.22.0',
      'model_uuid: 0123456789abcdef', `run_id: ${runId}`, 'signature:',
      `  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]'`,
      `  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 3]}}]'`, '  params: null',
    ].join('\n') + '\n', 'model/MLmodel')
    await client.logArtifact(runId, new Blob([new Uint8Array([0, 1, 2, 3, 255])], { type: 'application/octet-stream' }), 'model', 'weights.bin')
    // Hostile content: must render inert (no script runs, no markup injected).
    await client.logText(runId, '<h1>report</h1><script>window.parent.__pwned = "html"</script><img src=x onerror="window.parent.__pwned=\'img\'">', 'report.html')
    await client.logText(runId, '<svg xmlns="http://www.w3.org/2000/svg" onload="window.parent.__pwned=\'svg\'"><script>window.parent.__pwned="svg-script"</script><circle cx="20" cy="20" r="15" fill="teal"/></svg>', 'diagram.svg')
    await client.logInputs(runId, [{ dataset: { name: 'iris', digest: 'abc123', sourceType: 'local', source: 'datasets/iris.csv', schema: '{"mlflow_colspec": []}' }, tags: { 'mlflow.data.context': 'training' } }])
    return { experimentId, runIds, parentRunId: parent.info.runId, artifactRunId: runId }
  }, { name, count })
}
