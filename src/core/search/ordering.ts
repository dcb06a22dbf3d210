/**
 * Comparator building blocks for order_by: one key compared in a direction with missing values and
 * NaN last either way, and a chain of such comparators.
 */

/** A sort comparator, as Array.prototype.sort takes it. */
export type Compare<T> = (a: T, b: T) => number

/** What a sort key reads from an item: a number or a string, anything else counts as missing. */
export type SortValue = string | number | null | undefined

/** 0 for a usable value, 1 for NaN, 2 for a missing value (or one of the wrong type). */
function rank(value: SortValue, kind: 'number' | 'string'): number {
  if (typeof value !== kind) return 2
  return kind === 'number' && Number.isNaN(value) ? 1 : 0
}

/**
 * Orders by `get(item)` ascending or descending. Values of the wrong type (missing keys, null)
 * and NaN sort last in both directions, NaN before missing, as MLflow's file store does.
 */
export function compareBy<T>(get: (item: T) => SortValue, kind: 'number' | 'string', ascending: boolean): Compare<T> {
  const sign = ascending ? 1 : -1
  return (a, b) => {
    const x = get(a)
    const y = get(b)
    const rankX = rank(x, kind)
    const rankY = rank(y, kind)
    if (rankX !== 0 || rankY !== 0) return rankX - rankY
    return (x as string | number) < (y as string | number) ? -sign : (x as string | number) > (y as string | number) ? sign : 0
  }
}

/** The first non-zero answer of `comparators`, in order; 0 when all tie. */
export function chain<T>(comparators: readonly Compare<T>[]): Compare<T> {
  if (comparators.length === 1) return comparators[0] as Compare<T>
  return (a, b) => {
    for (const compare of comparators) {
      const order = compare(a, b)
      if (order !== 0) return order
    }
    return 0
  }
}
