/**
 * Identifiers of experiment and registry searches: an attribute (bare or `attribute.`) or a tag
 * (`tag.`/`tags.`), the only entities MLflow accepts there.
 */
import { failAt } from './errors.ts'
import type { IdentifierNode } from './parser.ts'

const ENTITIES = ['attribute', 'tag', 'tags']

const quoteList = (names: readonly string[]) => `[${names.map(name => `'${name}'`).join(', ')}]`

/** A resolved identifier: a tag key, or one of the given attributes. */
export type AttributeOrTag<K extends string> = { entity: 'tag'; key: string } | { entity: 'attribute'; key: K }

/** Resolves an identifier against `attributes`, failing with MLflow's messages at the identifier's position. */
export function resolveAttributeOrTag<K extends string>(identifier: IdentifierNode, attributes: readonly K[]): AttributeOrTag<K> {
  const entity = identifier.entity ?? 'attribute'
  if (!ENTITIES.includes(entity)) {
    return failAt(`Invalid entity type '${entity}'. Valid entity types are ${quoteList(ENTITIES)}`, identifier.entitySpan ?? identifier)
  }
  if (identifier.key === '') failAt(`Missing key in '${identifier.text}'`, identifier.keySpan)
  if (entity !== 'attribute') return { entity: 'tag', key: identifier.key }
  const key = attributes.find(name => name === identifier.key)
  if (key === undefined) failAt(`Invalid attribute key '${identifier.key}' specified. Valid keys are '${quoteList(attributes)}'`, identifier.keySpan)
  return { entity, key }
}
