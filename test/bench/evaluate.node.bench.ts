/** Issue 5's evaluate figures in Node (fake-indexeddb for the end-to-end line; PNGs by the pure rasterizer). */
import 'fake-indexeddb/auto'
import type { BenchResult } from './types.ts'
import { runEvaluateBench } from './evaluate-cases.ts'

export async function run(): Promise<BenchResult[]> {
  return runEvaluateBench()
}
