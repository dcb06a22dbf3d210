/** JSON for people to read and edit: indented objects, but arrays of plain values kept on one line (rows of numbers). */

/** Like JSON.stringify(value, null, 2), with every array that holds no object or array written inline. */
export function compactJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s*\n([^[\]{}]*?)\n\s*\]/g, (_match, inner: string) => `[${inner.trim().split(/,\s*\n\s*/).join(', ')}]`)
}
