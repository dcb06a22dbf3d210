// Draws Lablog's PNG app icons (a rising chart line on a blue tile) with no dependency but zlib.
// Run: node scripts/make-icons.mjs  → public/icons/icon-{192,512}.png, maskable-512.png, apple-touch-icon.png
import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const LINE = [[0.2, 0.68], [0.4, 0.5], [0.56, 0.6], [0.8, 0.3]] // in tile units
const BG_TOP = [59, 130, 246], BG_BOTTOM = [29, 78, 216]

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax, dy = by - ay
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy))
}

/** RGBA pixels: `inset` shrinks the artwork (maskable icons keep it in the safe zone), `radius` rounds the tile. */
function draw(size, { inset = 0, radius = 0.22, fullBleed = false }) {
  const pixels = new Uint8Array(size * size * 4)
  const samples = 4
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    let tile = 0, line = 0
    for (let sy = 0; sy < samples; sy++) for (let sx = 0; sx < samples; sx++) {
      const u = (x + (sx + 0.5) / samples) / size, v = (y + (sy + 0.5) / samples) / size
      const cx = Math.min(Math.max(u, radius), 1 - radius), cy = Math.min(Math.max(v, radius), 1 - radius)
      if (fullBleed || Math.hypot(u - cx, v - cy) <= radius) tile++
      const au = (u - inset) / (1 - 2 * inset), av = (v - inset) / (1 - 2 * inset)
      let near = Infinity
      for (let i = 0; i < LINE.length - 1; i++) near = Math.min(near, distanceToSegment(au, av, LINE[i], LINE[i + 1]))
      for (const [px, py] of [LINE[0], LINE[LINE.length - 1]]) near = Math.min(near, Math.hypot(au - px, av - py) - 0.03)
      if (near <= 0.045) line++
    }
    const coverage = tile / samples ** 2, ink = line / samples ** 2
    const t = y / size
    const offset = (y * size + x) * 4
    for (let c = 0; c < 3; c++) {
      const background = BG_TOP[c] + (BG_BOTTOM[c] - BG_TOP[c]) * t
      pixels[offset + c] = Math.round(background * (1 - ink) + 255 * ink)
    }
    pixels[offset + 3] = Math.round(255 * coverage)
  }
  return pixels
}

function crc32(bytes) {
  let crc = ~0
  for (const byte of bytes) { crc ^= byte; for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1)) }
  return ~crc >>> 0
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'ascii')
  data.copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

function png(size, pixels) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0); header.writeUInt32BE(size, 4)
  header[8] = 8; header[9] = 6 // 8-bit RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) Buffer.from(pixels.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1)
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))])
}

const out = new URL('../public/icons/', import.meta.url)
writeFileSync(new URL('icon-192.png', out), png(192, draw(192, {})))
writeFileSync(new URL('icon-512.png', out), png(512, draw(512, {})))
writeFileSync(new URL('maskable-512.png', out), png(512, draw(512, { inset: 0.12, fullBleed: true })))
writeFileSync(new URL('apple-touch-icon.png', out), png(180, draw(180, { inset: 0.06, fullBleed: true })))
console.log('icons written to public/icons/')
