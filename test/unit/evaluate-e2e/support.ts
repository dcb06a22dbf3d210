/** Helpers of the end-to-end evaluate tests: a fresh store per test, fixture CSV text, and PNG checks. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { unzlibSync } from 'fflate'
import { mlflow, MlflowClient } from '../../../src/index.ts'
import { freshTrackingUri } from '../../helpers.ts'
import { FIXTURE_DIR } from '../evaluate/golden-fixtures.ts'

/** Points the fluent API at a new empty store and returns a client on it. */
export function freshStore(): MlflowClient {
  const uri = freshTrackingUri('evaluate')
  mlflow.setTrackingUri(uri)
  return new MlflowClient(uri)
}

/** A golden case's CSV, as text exactly as MLflow's script wrote it. */
export function fixtureCsv(name: string): string {
  return readFileSync(path.join(FIXTURE_DIR, `${name}.csv`), 'utf8')
}

/** Every run in the default experiment, active and deleted. */
export async function allRuns(client: MlflowClient) {
  return (await client.searchRuns({ experimentIds: ['0'], runViewType: 'ALL' })).runs
}

/** Decodes a PNG's header and pixels (8-bit RGB or RGBA, any filter); throws when it is not a valid PNG. */
export function decodePng(bytes: Uint8Array): { width: number; height: number; colorType: number; distinctColors: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (!signature.every((b, i) => bytes[i] === b)) throw new Error('not a PNG signature')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let offset = 8, width = 0, height = 0, colorType = -1
  const idat: Uint8Array[] = []
  while (offset < bytes.length) {
    const length = view.getUint32(offset)
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8))
    const data = bytes.subarray(offset + 8, offset + 8 + length)
    if (type === 'IHDR') { width = view.getUint32(offset + 8); height = view.getUint32(offset + 12); colorType = data[9]! }
    if (type === 'IDAT') idat.push(data)
    offset += 12 + length
    if (type === 'IEND') break
  }
  const joined = new Uint8Array(idat.reduce((n, d) => n + d.length, 0))
  let at = 0
  for (const d of idat) { joined.set(d, at); at += d.length }
  const raw = unzlibSync(joined)
  const bpp = colorType === 6 ? 4 : 3
  if (raw.length !== height * (width * bpp + 1)) throw new Error(`pixel data has ${raw.length} bytes, expected ${height * (width * bpp + 1)}`)
  const stride = width * bpp
  const prev = new Uint8Array(stride), cur = new Uint8Array(stride)
  const colors = new Set<number>()
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!
      const a = i >= bpp ? cur[i - bpp]! : 0, b = prev[i]!, c = i >= bpp ? prev[i - bpp]! : 0
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c)
      const predictor = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      cur[i] = (x + predictor) & 0xff
    }
    for (let i = 0; i < stride; i += bpp) colors.add((cur[i]! << 16) | (cur[i + 1]! << 8) | cur[i + 2]!)
    prev.set(cur)
  }
  return { width, height, colorType, distinctColors: colors.size }
}
