#!/usr/bin/env node
// npm test: the type check, then every vitest project (unit in Node, browser in
// Debian's Chromium, e2e against the built app), then one plain closing line
// "N passed, N failed" counted from vitest's JSON report, so a run that executed
// no test is visible.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit', shell: false }).status ?? 1

mkdirSync('test-results', { recursive: true })
const report = 'test-results/vitest.json'
rmSync(report, { force: true })

const typecheck = run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'])
const vitest = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)])

let passed = 0, failed = 0, skipped = 0
if (existsSync(report)) {
  const results = JSON.parse(readFileSync(report, 'utf8'))
  passed = results.numPassedTests
  failed = results.numFailedTests
  skipped = results.numPendingTests + results.numTodoTests
}
if (typecheck !== 0) { failed += 1; console.log('type check: failed') }
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(typecheck !== 0 || vitest !== 0 || passed === 0 ? 1 : 0)
