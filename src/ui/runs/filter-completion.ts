/**
 * Completion for the MLflow filter box: entity prefixes, metric/param/tag keys from the loaded runs,
 * comparators after an identifier and AND after a value. Pure: text and caret in, suggestions out.
 */
import type { RunKeys } from './columns.ts'

export interface Suggestion { label: string; insert: string; detail: string }
export interface Completion { from: number; to: number; items: Suggestion[] }

const ENTITY_PREFIXES: Array<[string, string]> = [['metrics', 'metric'], ['params', 'param'], ['tags', 'tag'], ['attributes', 'attribute'], ['datasets', 'dataset']]
const ATTRIBUTES = ['run_name', 'status', 'start_time', 'end_time', 'user_id', 'run_id', 'artifact_uri']
const DATASET_KEYS = ['name', 'digest', 'context']
const ALIASES: Record<string, 'metrics' | 'params' | 'tags' | 'attributes' | 'datasets'> = {
  metric: 'metrics', metrics: 'metrics', param: 'params', params: 'params', parameter: 'params', parameters: 'params',
  tag: 'tags', tags: 'tags', attribute: 'attributes', attributes: 'attributes', attr: 'attributes', run: 'attributes',
  dataset: 'datasets', datasets: 'datasets',
}
const COMPARATORS: Suggestion[] = ['=', '!=', '>', '>=', '<', '<=', 'LIKE', 'ILIKE', 'IN'].map(op => ({ label: op, insert: `${op} `, detail: 'comparator' }))
const MAX_ITEMS = 50

/** Keys that are not plain words must be backtick-quoted in a filter. */
export function quoteKey(key: string): string {
  return /^[\p{L}_][\p{L}\p{N}_]*$/u.test(key) ? key : `\`${key.replaceAll('`', '``')}\``
}

/** What to offer at `caret` in `text`; an empty list when nothing fits. */
export function completeFilter(text: string, caret: number, keys: RunKeys): Completion {
  let start = caret
  while (start > 0 && /[\p{L}\p{N}_.`\-]/u.test(text[start - 1]!)) start--
  const word = text.slice(start, caret)
  const before = text.slice(0, start).trimEnd()
  const none: Completion = { from: start, to: caret, items: [] }

  // Inside a quoted value the user is typing data, not syntax.
  if ((text.slice(0, caret).match(/'/g)?.length ?? 0) % 2 === 1) return none
  const previous = lastToken(before)
  if (previous === 'comparator') return none
  if (previous === 'value' || previous === 'identifier') {
    const items = previous === 'identifier' ? COMPARATORS : [{ label: 'AND', insert: 'AND ', detail: 'keyword' }]
    return { from: start, to: caret, items: items.filter(item => item.label.toLowerCase().startsWith(word.toLowerCase())) }
  }

  const dot = word.indexOf('.')
  if (dot < 0) {
    const needle = word.toLowerCase()
    const items: Suggestion[] = [
      ...ENTITY_PREFIXES.map(([prefix, detail]) => ({ label: `${prefix}.`, insert: `${prefix}.`, detail })),
      ...ATTRIBUTES.map(name => ({ label: name, insert: `${name} `, detail: 'attribute' })),
    ].filter(item => item.label.toLowerCase().startsWith(needle))
    return { from: start, to: caret, items }
  }
  const entity = ALIASES[word.slice(0, dot).toLowerCase()]
  if (!entity) return none
  const partial = word.slice(dot + 1).replace(/^`/, '').toLowerCase()
  const candidates = entity === 'metrics' ? keys.metrics : entity === 'params' ? keys.params : entity === 'tags' ? keys.tags
    : entity === 'attributes' ? ATTRIBUTES : DATASET_KEYS
  const detail = entity.replace(/s$/, '')
  const matches = candidates.filter(key => key.toLowerCase().includes(partial))
    // Prefix matches first, then the rest in their sorted order.
    .sort((a, b) => Number(!a.toLowerCase().startsWith(partial)) - Number(!b.toLowerCase().startsWith(partial)))
    .slice(0, MAX_ITEMS)
  return {
    from: start, to: caret,
    items: matches.map(key => ({ label: key, insert: `${word.slice(0, dot)}.${quoteKey(key)} `, detail })),
  }
}

/** The kind of the last complete token before the word being typed. */
function lastToken(before: string): 'none' | 'comparator' | 'value' | 'identifier' | 'keyword' {
  if (before === '' || before.endsWith('(') || before.endsWith(',')) return before === '' ? 'none' : 'comparator'
  if (/(?:[<>=!]=?|<>)$/.test(before)) return 'comparator'
  if (/(?:^|\s)(?:like|ilike|in|not in)$/i.test(before)) return 'comparator'
  if (/(?:^|\s)and$/i.test(before)) return 'keyword'
  if (/'$|\)$|(?:^|[\s=<>])-?\d+(?:\.\d*)?(?:e[+-]?\d+)?$/i.test(before)) return 'value'
  return 'identifier'
}
