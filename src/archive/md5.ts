/**
 * MD5 of a UTF-8 text as lowercase hex. MLflow names dataset and input folders of the file
 * store by MD5 (dataset_id = md5(name + digest)); Web Crypto has no MD5, so it lives here.
 */

const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]
const CONSTANTS = Array.from({ length: 64 }, (_, index) => Math.floor(Math.abs(Math.sin(index + 1)) * 2 ** 32) >>> 0)

/** Hex MD5 of `text` encoded as UTF-8. */
export function md5Hex(text: string): string {
  const bytes = new TextEncoder().encode(text)
  const padded = new Uint8Array(((bytes.length + 8) >> 6) * 64 + 64)
  padded.set(bytes)
  padded[bytes.length] = 0x80
  const view = new DataView(padded.buffer)
  view.setUint32(padded.length - 8, (bytes.length * 8) >>> 0, true)
  view.setUint32(padded.length - 4, Math.floor(bytes.length / 2 ** 29), true)
  let a0 = 0x67452301, b0 = 0xefcdab89, c0 = 0x98badcfe, d0 = 0x10325476
  for (let block = 0; block < padded.length; block += 64) {
    let a = a0, b = b0, c = c0, d = d0
    for (let round = 0; round < 64; round++) {
      let f: number, word: number
      if (round < 16) { f = (b & c) | (~b & d); word = round }
      else if (round < 32) { f = (d & b) | (~d & c); word = (5 * round + 1) % 16 }
      else if (round < 48) { f = b ^ c ^ d; word = (3 * round + 5) % 16 }
      else { f = c ^ (b | ~d); word = (7 * round) % 16 }
      const shift = SHIFTS[(round >> 4) * 4 + (round % 4)]!
      const sum = (a + f + CONSTANTS[round]! + view.getUint32(block + word * 4, true)) >>> 0
      a = d; d = c; c = b
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) >>> 0
    }
    a0 = (a0 + a) >>> 0; b0 = (b0 + b) >>> 0; c0 = (c0 + c) >>> 0; d0 = (d0 + d) >>> 0
  }
  const out = new DataView(new ArrayBuffer(16))
  ;[a0, b0, c0, d0].forEach((word, index) => out.setUint32(index * 4, word, true))
  return Array.from(new Uint8Array(out.buffer), byte => byte.toString(16).padStart(2, '0')).join('')
}
