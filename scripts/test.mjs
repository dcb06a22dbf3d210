#!/usr/bin/env node
// npm test: the type check, then every vitest project (unit in Node, browser in
// Debian's Chromium, e2e against the built app), then one plain closing line
// "N passed, N failed" counted from vitest's JSON report, so a run that executed
// no test is visible.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit', shell: false }).status ?? 1

mkdirSync('test-results', { recursive: true })
const suites = [
  // unit (Node) and browser (Chromium) projects of vitest.config.ts
  { report: 'test-results/vitest.json', args: [] },
  // e2e: builds the app, serves it with vite preview, one Chromium at a time
  { report: 'test-results/e2e.json', args: ['--config', 'test/e2e/vitest.config.ts'] },
]

const typecheck = run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'])
let passed = 0, failed = 0, skipped = 0, exitCode = typecheck
for (const suite of suites) {
  rmSync(suite.report, { force: true })
  const status = run('npx', ['vitest', 'run', ...suite.args, '--reporter=default', '--reporter=json', `--outputFile.json=${suite.report}`])
  if (status !== 0) exitCode = status
  if (!existsSync(suite.report)) { failed += 1; continue }
  const results = JSON.parse(readFileSync(suite.report, 'utf8'))
  passed += results.numPassedTests
  failed += results.numFailedTests
  skipped += results.numPendingTests + results.numTodoTests
}
if (typecheck !== 0) { failed += 1; console.log('type check: failed') }
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(exitCode !== 0 || passed === 0 ? 1 : 0)
