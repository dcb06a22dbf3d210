#!/usr/bin/env node
// npm run bench [-- name ...]: runs test/bench/*.node.bench.ts in Node and the other
// test/bench/*.bench.ts in Debian's Chromium, then prints one table of figures with the machine.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { tsImport } from 'tsx/esm/api'
import { createServer } from 'vite'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const benchDir = path.join(root, 'test/bench')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--js-flags=--expose-gc',
  '--enable-precise-memory-info']
const wanted = process.argv.slice(2)
const nameOf = file => file.replace(/\.node\.bench\.ts$|\.bench\.ts$/, '')
const selected = file => wanted.length === 0 || wanted.includes(nameOf(file))

const files = readdirSync(benchDir).filter(file => file.endsWith('.bench.ts') && selected(file))
const nodeFiles = files.filter(file => file.endsWith('.node.bench.ts'))
const browserFiles = files.filter(file => !file.endsWith('.node.bench.ts'))
const results = []
const errors = []

for (const file of nodeFiles) {
  process.stderr.write(`node: ${file}\n`)
  try {
    const module = await tsImport(pathToFileURL(path.join(benchDir, file)).href, import.meta.url)
    for (const result of await module.run()) results.push({ ...result, module: `${nameOf(file)} (node)` })
  } catch (error) {
    errors.push(`${file}: ${error.stack ?? error}`)
  }
}

let chromiumVersion = 'not run'
if (browserFiles.length > 0) {
  process.stderr.write(`chromium: ${browserFiles.join(', ')}\n`)
  const server = await createServer({ root, configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, hmr: false } })
  await server.listen()
  const address = server.httpServer.address()
  const profile = mkdtempSync(path.join(os.tmpdir(), 'lablog-bench-profile-'))
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  chromiumVersion = context.browser()?.version() ?? 'unknown'
  try {
    const page = await context.newPage()
    page.on('pageerror', error => errors.push(`page: ${error.message}`))
    const modules = browserFiles.map(nameOf).join(',')
    await page.goto(`http://127.0.0.1:${address.port}/test/bench/index.html?modules=${modules}`)
    await page.waitForFunction(() => window.benchDone === true, null, { timeout: 25 * 60_000, polling: 500 })
    const page_results = await page.evaluate(() => ({ results: window.benchResults, errors: window.benchErrors }))
    results.push(...page_results.results.map(result => ({ ...result, module: `${result.module} (chromium)` })))
    errors.push(...page_results.errors)
  } finally {
    await context.close()
    await server.close()
    rmSync(profile, { recursive: true, force: true })
  }
}

const format = value => (Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2))
const rows = results.map(result => [result.module, result.name, format(result.value), result.unit, result.target ?? ''])
const header = ['suite', 'measure', 'value', 'unit', 'target']
const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column].length)))
const line = cells => `| ${cells.map((cell, column) => (column === 2 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join(' | ')} |`

const cpu = os.cpus()[0]?.model ?? 'unknown cpu'
console.log(`Machine: ${cpu}, ${os.cpus().length} logical cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()}`)
console.log(`Node ${process.version}; Chromium ${chromiumVersion}; ${new Date().toISOString()}`)
console.log()
console.log(line(header))
console.log(`|${widths.map(width => '-'.repeat(width + 2)).join('|')}|`)
for (const row of rows) console.log(line(row))
if (errors.length > 0) {
  console.log('\nErrors:')
  for (const error of errors) console.log(`- ${error}`)
  process.exitCode = 1
}
