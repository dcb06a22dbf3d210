/**
 * Which metric points of a source run the target still lacks, counted as multisets of
 * (step, timestamp, value): pushing again after any interruption sends each missing point once.
 */
import type { Metric } from '../core/types.ts'

function identity(point: Metric): string {
  // String(NaN) is "NaN", so NaN points match each other, unlike with ===.
  return `${point.step}\u0000${point.timestamp}\u0000${String(point.value)}`
}

/** The points of `source` not already in `target`, in source order; duplicates count (two equal source points need two). */
export function missingPoints(source: readonly Metric[], target: readonly Metric[]): Metric[] {
  const held = new Map<string, number>()
  for (const point of target) {
    const key = identity(point)
    held.set(key, (held.get(key) ?? 0) + 1)
  }
  const missing: Metric[] = []
  for (const point of source) {
    const key = identity(point)
    const count = held.get(key) ?? 0
    if (count > 0) held.set(key, count - 1)
    else missing.push(point)
  }
  return missing
}
