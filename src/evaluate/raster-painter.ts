/**
 * A pure-JS `Painter` for where no canvas exists (Node): an RGB pixel buffer, thick lines, markers, and a
 * tiny bitmap font for numbers only (tick labels, matrix cells), encoded as PNG with fflate's zlib.
 * Deterministic: the same figure gives the same bytes.
 */
import { zlibSync } from 'fflate'
import { crc32 } from '../archive/crc32.ts'
import type { Painter, Rgba, TextStyle } from './figure-painter.ts'

/** 3×5 glyphs, one string per row: enough for numbers and the cells of a confusion matrix. */
const GLYPHS: Record<string, readonly string[]> = {
  '0': ['111', '101', '101', '101', '111'], '1': ['010', '110', '010', '010', '111'], '2': ['111', '001', '111', '100', '111'],
  '3': ['111', '001', '111', '001', '111'], '4': ['101', '101', '111', '001', '001'], '5': ['111', '100', '111', '001', '111'],
  '6': ['111', '100', '111', '101', '111'], '7': ['111', '001', '001', '001', '001'], '8': ['111', '101', '111', '101', '111'],
  '9': ['111', '101', '111', '001', '111'], '.': ['000', '000', '000', '000', '010'], '-': ['000', '000', '111', '000', '000'],
  '+': ['000', '010', '111', '010', '000'], 'e': ['000', '011', '111', '100', '011'], '(': ['001', '010', '010', '010', '001'],
  ')': ['100', '010', '010', '010', '100'], ' ': ['000', '000', '000', '000', '000'], '%': ['101', '001', '010', '100', '101'],
}

/** An RGB image drawn in memory. */
export class RasterPainter implements Painter {
  readonly pixels: Uint8Array
  readonly drawsWords = false

  constructor(readonly width: number, readonly height: number) {
    this.pixels = new Uint8Array(width * height * 3).fill(255)
  }

  private blend(x: number, y: number, c: Rgba): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return
    const i = (y * this.width + x) * 3, a = c[3]
    const px = this.pixels
    px[i] = Math.round(px[i]! + (c[0] - px[i]!) * a)
    px[i + 1] = Math.round(px[i + 1]! + (c[1] - px[i + 1]!) * a)
    px[i + 2] = Math.round(px[i + 2]! + (c[2] - px[i + 2]!) * a)
  }

  fillRect(x: number, y: number, w: number, h: number, color: Rgba): void {
    const x0 = Math.max(0, Math.round(x)), y0 = Math.max(0, Math.round(y))
    const x1 = Math.min(this.width, Math.round(x + w)), y1 = Math.min(this.height, Math.round(y + h))
    for (let py = y0; py < y1; py++) for (let px = x0; px < x1; px++) this.blend(px, py, color)
  }

  polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, color: Rgba, width: number, dash?: readonly number[]): void {
    const r = Math.max(1, Math.round(width)), half = Math.floor((r - 1) / 2)
    const period = dash ? dash[0]! + dash[1]! : 0
    // Each pixel is painted at most once per line, so translucent lines do not darken where stamps overlap.
    const painted = new Set<number>()
    let travelled = 0
    for (let i = 1; i < xs.length; i++) {
      const ax = xs[i - 1]!, ay = ys[i - 1]!, bx = xs[i]!, by = ys[i]!
      const length = Math.hypot(bx - ax, by - ay)
      const steps = Math.max(1, Math.ceil(length * 2))
      for (let s = 0; s <= steps; s++) {
        const t = s / steps
        if (dash && (travelled + t * length) % period >= dash[0]!) continue
        const cx = Math.round(ax + (bx - ax) * t) - half, cy = Math.round(ay + (by - ay) * t) - half
        for (let dy = 0; dy < r; dy++) {
          for (let dx = 0; dx < r; dx++) {
            const key = (cy + dy) * this.width + cx + dx
            if (painted.has(key)) continue
            painted.add(key)
            this.blend(cx + dx, cy + dy, color)
          }
        }
      }
      travelled += length
    }
  }

  marker(x: number, y: number, size: number, color: Rgba, shape: 'square' | 'circle'): void {
    const r = size / 2
    for (let dy = -Math.ceil(r); dy <= Math.ceil(r); dy++) {
      for (let dx = -Math.ceil(r); dx <= Math.ceil(r); dx++) {
        if (shape === 'circle' && dx * dx + dy * dy > r * r) continue
        if (shape === 'square' && (Math.abs(dx) > r || Math.abs(dy) > r)) continue
        this.blend(Math.round(x) + dx, Math.round(y) + dy, color)
      }
    }
  }

  private scale(size: number): number { return Math.max(1, Math.round(size / 6)) }

  measure(text: string, size: number): number { return text.length * 4 * this.scale(size) }

  /** Draws numbers only (the font has no letters); other text is skipped and reported as such. */
  text(text: string, x: number, y: number, style: TextStyle): boolean {
    if (style.vertical || [...text].some((ch) => !GLYPHS[ch])) return false
    const s = this.scale(style.size)
    const w = this.measure(text, style.size) - s, h = 5 * s
    const left = Math.round(style.align === 'left' ? x : style.align === 'center' ? x - w / 2 : x - w)
    const top = Math.round(style.baseline === 'top' ? y : style.baseline === 'middle' ? y - h / 2 : y - h)
    ;[...text].forEach((ch, index) => {
      GLYPHS[ch]!.forEach((row, gy) => {
        for (let gx = 0; gx < 3; gx++) if (row[gx] === '1') this.fillRect(left + (index * 4 + gx) * s, top + gy * s, s, s, style.color)
      })
    })
    return true
  }

  /** The image as PNG bytes (8-bit RGB, "Sub" row filter, zlib level 6). */
  toPng(): Uint8Array {
    return encodePngRgb(this.pixels, this.width, this.height)
  }
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

/** Encodes packed 8-bit RGB pixels as a PNG file. */
export function encodePngRgb(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const stride = width * 3
  const filtered = new Uint8Array(height * (stride + 1))
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1), src = y * stride
    filtered[row] = 1 // Sub: each byte minus the same channel of the pixel to its left
    for (let i = 0; i < stride; i++) filtered[row + 1 + i] = (rgb[src + i]! - (i >= 3 ? rgb[src + i - 3]! : 0)) & 0xff
  }
  const header = new Uint8Array(13)
  const view = new DataView(header.buffer)
  view.setUint32(0, width)
  view.setUint32(4, height)
  header.set([8, 2, 0, 0, 0], 8) // bit depth 8, color type RGB, deflate, adaptive filtering, no interlace
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', zlibSync(filtered, { level: 6 })), chunk('IEND', new Uint8Array(0)),
  ]
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0))
  let offset = 0
  for (const p of parts) { out.set(p, offset); offset += p.length }
  return out
}
