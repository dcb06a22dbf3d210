// The zip CRC-32 every entry is checked and stamped with: the standard check value, and the same
// result as zlib's for every length (the 16-byte blocks and the tail) and when continued piecewise.
import zlib from 'node:zlib'
import { expect, test } from 'vitest'
import { crc32 } from '../../../src/archive/crc32.ts'

test('the standard check value', () => {
  expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
  expect(crc32(new Uint8Array(0))).toBe(0)
})

test('matches zlib for every length up to 100, unaligned views, and piecewise continuation', () => {
  const bytes = Uint8Array.from({ length: 5000 }, (_, index) => (index * 2654435761) >>> 24)
  for (let length = 0; length <= 100; length++) {
    const view = bytes.subarray(3, 3 + length)
    expect(crc32(view), `length ${length}`).toBe(zlib.crc32(view))
  }
  let running = 0
  for (let at = 0; at < bytes.length; at += 37) running = crc32(bytes.subarray(at, at + 37), running)
  expect(running).toBe(zlib.crc32(bytes))
})
