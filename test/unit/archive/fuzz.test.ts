// Fuzz: 1,000+ archives mutated from the real-MLflow fixture (both layouts). Each must either
// import fully or be refused with INVALID_PARAMETER_VALUE and nothing written — never crash.
import path from 'node:path'
import { expect, test } from 'vitest'
import { archiveStream, importArchive, readArchive, streamToBlob } from '../../../src/archive/index.ts'
import { isMlflowError } from '../../../src/core/errors.ts'
import { FILESTORE, bytesOf, filesUnder, freshStore, rawZip, rowCounts, zipFiles } from './helpers.ts'

const ITERATIONS = 1200
const SEED = Number(process.env.LABLOG_FUZZ_SEED ?? 20260101)

/** mulberry32: a small seeded PRNG, so a failing case can be replayed with LABLOG_FUZZ_SEED. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The fixture's mlruns tree without its large binaries, so 1,000 imports fit the time budget. */
function slimFixtureFiles(): Record<string, Uint8Array> {
  const files = filesUnder(path.join(FILESTORE, 'mlruns'))
  return Object.fromEntries(Object.entries(files).filter(([name, bytes]) => bytes.length < 8192 && !/\.(png|webp|pkl)$/.test(name)).map(([name, bytes]) => [`mlruns/${name}`, bytes]))
}

type Mutation = (random: () => number) => Uint8Array

test(`${ITERATIONS} mutated archives each import fully or are refused with nothing written`, async () => {
  const random = prng(SEED)
  const files = slimFixtureFiles()
  const mlrunsStored = await bytesOf(zipFiles(files, 0))
  const mlrunsDeflated = await bytesOf(zipFiles(files, 6))
  const parsed = await readArchive(new Blob([mlrunsDeflated as Uint8Array<ArrayBuffer>]))
  const exportImport = await bytesOf(await streamToBlob(archiveStream(parsed.contents, { format: 'export-import' })))
  const bases = [mlrunsStored, mlrunsDeflated, exportImport]
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!
  const int = (limit: number) => Math.floor(random() * limit)
  const names = Object.keys(files)

  const byteMutations: Mutation[] = [
    () => { const bytes = pick(bases).slice(); for (let count = 1 + int(8); count > 0; count--) bytes[int(bytes.length)] = int(256); return bytes },
    () => { const bytes = pick(bases); return bytes.slice(0, int(bytes.length)) },
    () => { const bytes = pick(bases); const at = int(bytes.length); return concat(bytes.slice(0, at), randomBytes(1 + int(16)), bytes.slice(at)) },
    () => { const bytes = pick(bases).slice(); const at = int(bytes.length); bytes.fill(0, at, at + 1 + int(64)); return bytes },
    // The central directory and end record sit in the last part: aim there too.
    () => { const bytes = pick(bases).slice(); const tail = Math.floor(bytes.length * 0.85); for (let count = 1 + int(4); count > 0; count--) bytes[tail + int(bytes.length - tail)] = int(256); return bytes },
  ]
  const contentMutations: Mutation[] = [
    () => { const copy = { ...files }; copy[pick(names)] = randomBytes(int(64)); return rezip(copy) },
    () => { const copy = { ...files }; const name = pick(names.filter(n => n.includes('/metrics/'))); copy[name] = corruptText(copy[name]!); return rezip(copy) },
    () => { const copy = { ...files }; const name = pick(names.filter(n => n.endsWith('meta.yaml'))); copy[name] = corruptText(copy[name]!); return rezip(copy) },
    () => { const copy = { ...files }; delete copy[pick(names)]; return rezip(copy) },
    () => rawZip([...Object.entries(files).map(([name, data]) => ({ name, data })), { name: pick(['../x', '/abs', 'a\\b', 'mlruns/./x', 'mlruns//x', pick(names)]), data: 'x' }]),
  ]
  function randomBytes(length: number): Uint8Array { return Uint8Array.from({ length }, () => int(256)) }
  function corruptText(bytes: Uint8Array): Uint8Array {
    const text = new TextDecoder().decode(bytes)
    const at = int(text.length + 1)
    return new TextEncoder().encode(text.slice(0, at) + pick([' ', '\n', 'x', ':', '- ', '{', "'", 'nan', '-1', '9'.repeat(20)]) + text.slice(at + int(3)))
  }
  function rezip(copy: Record<string, Uint8Array>): Uint8Array { return rawZip(Object.entries(copy).map(([name, data]) => ({ name, data, method: random() < 0.5 ? 8 : 0 }))) }

  let target = freshStore()
  const outcomes = { imported: 0, refused: 0 }
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const mutate = random() < 0.6 ? pick(byteMutations) : pick(contentMutations)
    const zip = new Blob([mutate(random) as Uint8Array<ArrayBuffer>])
    const before = await rowCounts(target.store)
    try {
      const result = await importArchive(zip, { trackingUri: target.uri })
      const after = await rowCounts(target.store)
      expect(after.runs - before.runs, `iteration ${iteration} (seed ${SEED})`).toBe(result.runsImported.length)
      expect(after.experiments - before.experiments, `iteration ${iteration} (seed ${SEED})`).toBe(result.experimentsCreated.length)
      expect(after.artifacts - before.artifacts, `iteration ${iteration} (seed ${SEED})`).toBe(result.artifacts)
      outcomes.imported++
      target = freshStore()
    } catch (error) {
      if (!isMlflowError(error, 'INVALID_PARAMETER_VALUE')) throw new Error(`iteration ${iteration} (seed ${SEED}) failed with something other than a refusal: ${String(error)}`, { cause: error })
      expect(await rowCounts(target.store), `iteration ${iteration} (seed ${SEED})`).toEqual(before)
      outcomes.refused++
    }
  }
  // Both outcomes occur: the mutations are neither all harmless nor all fatal.
  expect(outcomes.imported).toBeGreaterThan(20)
  expect(outcomes.refused).toBeGreaterThan(ITERATIONS / 2)
}, 120_000)

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) { out.set(part, at); at += part.length }
  return out
}
