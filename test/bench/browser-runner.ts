// Runs the Chromium bench modules named in ?modules=a,b one after another and publishes their figures.
import type { BenchResult } from './types.ts'

const modules = import.meta.glob<{ run: () => Promise<BenchResult[]> }>(['./*.bench.ts', '!./*.node.bench.ts'])
const wanted = new URLSearchParams(location.search).get('modules')?.split(',')
const output = document.getElementById('out')!

const state = window as unknown as { benchDone?: boolean; benchResults?: Array<BenchResult & { module: string }>; benchErrors?: string[] }
state.benchResults = []
state.benchErrors = []
for (const [path, load] of Object.entries(modules)) {
  const name = path.replace('./', '').replace('.bench.ts', '')
  if (wanted && !wanted.includes(name)) continue
  try {
    const results = await (await load()).run()
    state.benchResults.push(...results.map(result => ({ ...result, module: name })))
  } catch (error) {
    state.benchErrors.push(`${name}: ${(error as Error).stack ?? error}`)
  }
  output.textContent = JSON.stringify(state.benchResults, null, 1)
}
state.benchDone = true
