// The Node CLI: `lablog convert` between layouts, from files on disk, through bin/lablog.js as a
// user runs it; usage mistakes exit 2, refused archives exit 1 and leave no output file.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { openAsBlob } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'
import { readArchive } from '../../../src/archive/index.ts'
import { main } from '../../../src/cli/main.ts'
import { bytesOf, fixtureZip } from './helpers.ts'

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/lablog.js')

function captureIo() {
  let stdout = '', stderr = ''
  return {
    io: { stdout: { write: (chunk: string) => { stdout += chunk; return true } }, stderr: { write: (chunk: string) => { stderr += chunk; return true } } } as never,
    out: () => stdout, err: () => stderr,
  }
}

test('bin/lablog.js converts the MLflow fixture to export-import and back to mlruns, with every run', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lablog-cli-'))
  writeFileSync(path.join(dir, 'in.zip'), await bytesOf(fixtureZip()))
  const run = promisify(execFile)
  const first = await run(process.execPath, [bin, 'convert', 'in.zip', '--to', 'export-import', '-o', 'exim.zip'], { cwd: dir })
  expect(first.stdout).toContain('Converted mlruns → export-import: 4 experiments, 13 runs')
  expect(first.stderr).toContain('done runs 13/13')
  await run(process.execPath, [bin, 'convert', 'exim.zip', '--to', 'mlruns', '-o', 'back.zip', '--quiet'], { cwd: dir })
  const back = await readArchive(await openAsBlob(path.join(dir, 'back.zip')))
  expect(back.format).toBe('mlruns')
  expect(back.contents.experiments.flatMap(item => item.runs)).toHaveLength(13)
}, 60_000)

test('usage mistakes exit 2 with the usage; a refused archive exits 1 and writes no output', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lablog-cli-'))
  const usage = captureIo()
  expect(await main(['convert', 'in.zip', '--to', 'tarball', '-o', 'x.zip'], usage.io)).toBe(2)
  expect(usage.err()).toContain("--to must be 'mlruns' or 'export-import'")
  const unknown = captureIo()
  expect(await main(['frobnicate'], unknown.io)).toBe(2)
  expect(unknown.err()).toContain("unknown command 'frobnicate'")
  writeFileSync(path.join(dir, 'bad.zip'), 'not a zip at all, just text')
  const refused = captureIo()
  const output = path.join(dir, 'out.zip')
  expect(await main(['convert', path.join(dir, 'bad.zip'), '--to', 'mlruns', '-o', output, '-q'], refused.io)).toBe(1)
  expect(refused.err()).toContain('INVALID_PARAMETER_VALUE')
  expect(existsSync(output)).toBe(false)
  expect(existsSync(`${output}.partial`)).toBe(false)
})
