/** The meta.yaml files of MLflow's file store, read as MLflow's Python writes them (YAML 1.1) and refused with the entry's path. */
import { parse as parseYaml } from 'yaml'
import { badEntry } from './archive-errors.ts'
import type { TextReader, ZipEntry } from './zip-reader.ts'

/** No meta.yaml MLflow writes comes near this; a larger one is refused before it is parsed. */
const MAX_META_BYTES = 1 << 20

/** A meta.yaml entry as a mapping; a clear error naming the entry when it is not valid YAML or not a mapping. */
export async function readYamlMapping(archive: TextReader, entry: ZipEntry): Promise<Record<string, unknown>> {
  const text = await archive.readText(entry, MAX_META_BYTES)
  let value: unknown
  try { value = parseYaml(text, { intAsBigInt: true, maxAliasCount: 10, uniqueKeys: true, version: '1.1' }) } catch (error) {
    throw badEntry(entry.path, `malformed YAML: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badEntry(entry.path, 'meta.yaml must be a YAML mapping')
  return value as Record<string, unknown>
}
