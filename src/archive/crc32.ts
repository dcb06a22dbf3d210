/**
 * CRC-32 (the zip polynomial), slicing-by-8: the zip reader checks every entry and the
 * writer stamps every entry, so this runs over every artifact byte and must be fast.
 */

const TABLES: Uint32Array[] = (() => {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256))
  const base = tables[0]!
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1
    base[byte] = crc >>> 0
  }
  for (let byte = 0; byte < 256; byte++) {
    let crc = base[byte]!
    for (let slice = 1; slice < 8; slice++) {
      crc = base[crc & 0xff]! ^ (crc >>> 8)
      tables[slice]![byte] = crc >>> 0
    }
  }
  return tables
})()

/** Continues a running CRC-32 over `data`; start with `crc32(data)` (previous = 0). */
export function crc32(data: Uint8Array, previous = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array]
  let crc = ~previous >>> 0
  let index = 0
  const end8 = data.length - (data.length % 8)
  for (; index < end8; index += 8) {
    const low = crc ^ (data[index]! | (data[index + 1]! << 8) | (data[index + 2]! << 16) | (data[index + 3]! << 24))
    crc = t7[low & 0xff]! ^ t6[(low >>> 8) & 0xff]! ^ t5[(low >>> 16) & 0xff]! ^ t4[low >>> 24]!
      ^ t3[data[index + 4]!]! ^ t2[data[index + 5]!]! ^ t1[data[index + 6]!]! ^ t0[data[index + 7]!]!
  }
  for (; index < data.length; index++) crc = t0[(crc ^ data[index]!) & 0xff]! ^ (crc >>> 8)
  return ~crc >>> 0
}
