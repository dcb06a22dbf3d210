/** Issue 5's evaluate figures in Chromium (real IndexedDB; PNGs drawn on OffscreenCanvas). */
import type { BenchResult } from './types.ts'
import { runEvaluateBench } from './evaluate-cases.ts'

export async function run(): Promise<BenchResult[]> {
  return runEvaluateBench()
}
