/**
 * numpy-exact summation of float64 arrays (np.add.reduce: pairwise sums inside 8192-element buffers,
 * added left to right), and the means sklearn builds on it. Matching it keeps metrics bit-identical.
 */

const BUFFER = 8192
const BLOCK = 128

/** numpy's pairwise_sum of `n` values from `start` (no buffering). */
function pairwise(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = 0
    for (let i = 0; i < n; i++) res += a[start + i]!
    return res
  }
  if (n <= BLOCK) {
    let r0 = a[start]!, r1 = a[start + 1]!, r2 = a[start + 2]!, r3 = a[start + 3]!
    let r4 = a[start + 4]!, r5 = a[start + 5]!, r6 = a[start + 6]!, r7 = a[start + 7]!
    const end = n - (n % 8)
    let i = 8
    for (; i < end; i += 8) {
      const p = start + i
      r0 += a[p]!; r1 += a[p + 1]!; r2 += a[p + 2]!; r3 += a[p + 3]!
      r4 += a[p + 4]!; r5 += a[p + 5]!; r6 += a[p + 6]!; r7 += a[p + 7]!
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for (; i < n; i++) res += a[start + i]!
    return res
  }
  let n2 = Math.floor(n / 2)
  n2 -= n2 % 8
  return pairwise(a, start, n2) + pairwise(a, start + n2, n - n2)
}

/**
 * `np.sum(a[start:start+n])` for a contiguous float64 array, bit for bit: pairwise within each
 * 8192-element buffer, buffers added left to right.
 */
export function npSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  if (n <= BUFFER) return 0 + pairwise(a, start, n)
  let res = 0
  for (let s = 0; s < n; s += BUFFER) res += pairwise(a, start + s, Math.min(BUFFER, n - s))
  return res
}

/** `np.mean(a)`: numpy sum divided by the count (NaN when empty). */
export function npMean(a: ArrayLike<number>): number {
  return npSum(a) / a.length
}

/**
 * `np.average(a, weights=w)`: `sum(a*w) / sum(w)` with numpy sums; `np.mean(a)` when `w` is null.
 * Returns NaN when the weights sum to zero (numpy raises there).
 */
export function npAverage(a: ArrayLike<number>, w: ArrayLike<number> | null | undefined): number {
  if (!w) return npMean(a)
  const n = a.length
  const prod = new Float64Array(n)
  for (let i = 0; i < n; i++) prod[i] = a[i]! * w[i]!
  const scale = npSum(w)
  return scale === 0 ? NaN : npSum(prod) / scale
}
