import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')

describe('the library entry', () => {
  it('imports in plain Node 20 without loading TensorFlow.js', () => {
    const script = "const lablog = await import('./src/index.ts'); console.log(JSON.stringify({ tfjsLoaded: '_tfengine' in globalThis, hasMlflow: typeof lablog.mlflow.startRun }))"
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })
    expect(JSON.parse(output.trim().split('\n').pop()!)).toEqual({ tfjsLoaded: false, hasMlflow: 'function' })
  })
})

describe('layers', () => {
  const filesUnder = (dir: string): string[] => readdirSync(dir).flatMap(name => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? filesUnder(full) : /\.tsx?$/.test(name) ? [full] : []
  })

  it('UI code reaches storage, workers and tfjs only through the library API', () => {
    const offenders = filesUnder(path.join(root, 'src/ui')).filter(file =>
      /^import (?!type)[^;]*from '(dexie|comlink|@tensorflow\/tfjs[^']*)'/m.test(readFileSync(file, 'utf8')))
    expect(offenders.map(file => path.relative(root, file))).toEqual([])
  })

  it('core does no I/O and imports nothing above it', () => {
    const offenders = filesUnder(path.join(root, 'src/core')).filter(file =>
      /from '\.\.\/(store|tracking|tfjs|models|evaluate|archive|sync|ui|cli)\//.test(readFileSync(file, 'utf8')) || /from 'dexie'/.test(readFileSync(file, 'utf8')))
    expect(offenders.map(file => path.relative(root, file))).toEqual([])
  })
})
