/**
 * The e2e harness: builds nothing, serves dist/ with `vite preview` on a free port, launches Debian's
 * Chromium through playwright-core, and stops both. Used by the suite, the benchmark and dev scripts.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots')

/** Keeps Chromium off the network it must not touch (same flags as vitest.config.ts). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** Runs `vite build` (the suite tests what users get). */
export async function buildApp(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
    child.once('exit', code => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))))
  })
}

export interface PreviewServer { url: string; stop(): Promise<void> }

/** Serves the built app from dist/ with `vite preview` on a free port; resolves once it answers. */
export async function startPreview(): Promise<PreviewServer> {
  const port = await freePort()
  const child: ChildProcess = spawn(process.execPath,
    [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', chunk => { output += chunk })
  child.stderr?.on('data', chunk => { output += chunk })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited early:\n${output}`)
    try { if ((await fetch(url)).ok) break } catch { /* not up yet */ }
    if (Date.now() > deadline) { child.kill(); throw new Error(`vite preview did not start:\n${output}`) }
    await new Promise(resolve => setTimeout(resolve, 150))
  }
  return {
    url,
    stop: () => new Promise<void>(resolve => {
      if (child.exitCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    }),
  }
}

/** Chromium from Debian (or CHROMIUM_PATH), headless, with a fresh profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
}

/** Where screenshots go; created on demand. */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  return join(SCREENSHOT_DIR, `${name}.png`)
}
