/**
 * Splits an MLflow search filter or order_by clause into tokens that carry their source
 * positions. Knows nothing of entities or types: that is the parser's and compilers' job.
 */
import { failAt, type Span } from './errors.ts'

/** The words the grammar reserves (matched case-insensitively, reported upper-case). */
export type FilterKeyword = 'AND' | 'OR' | 'NOT' | 'IN' | 'LIKE' | 'ILIKE' | 'ASC' | 'DESC'

const KEYWORDS: ReadonlySet<string> = new Set<FilterKeyword>(['AND', 'OR', 'NOT', 'IN', 'LIKE', 'ILIKE', 'ASC', 'DESC'])

/** One dot-separated part of an identifier: `metrics`, `"val loss"` or `` `mlflow.runName` ``. */
export interface IdentifierSegment extends Span {
  /** The segment without its quotes. */
  value: string
  /** The quote the segment was written in, if any. */
  quote?: '"' | '`'
}

/**
 * A token of a filter. `text` is the exact source slice; `position`/`length` locate it.
 * - `identifier`: `metrics.rmse`, ``tags.`a b` ``, `status`: one or more dot-separated segments.
 * - `string`: a single-quoted literal, or a double-quoted one where a value is expected
 *   (after a comparator, `(` or `,`); `value` is the content with doubled quotes collapsed.
 * - `number`: an unquoted numeric literal (`1`, `-0.5`, `.5`, `1e-3`).
 * - `keyword`: AND OR NOT IN LIKE ILIKE ASC DESC, in any case; `value` is upper-case.
 * - `comparator`: `=` `!=` `<` `<=` `>` `>=` (also `==` and `<>`, so they can be rejected by name).
 */
export type FilterToken =
  | (Span & { kind: 'identifier'; text: string; segments: IdentifierSegment[] })
  | (Span & { kind: 'string'; text: string; value: string })
  | (Span & { kind: 'number'; text: string; value: number })
  | (Span & { kind: 'keyword'; text: string; value: FilterKeyword })
  | (Span & { kind: 'comparator'; text: string; value: string })
  | (Span & { kind: 'lparen' | 'rparen' | 'comma'; text: string })

/** Every kind of token `tokenizeFilter` produces. */
export type FilterTokenKind = FilterToken['kind']

const WHITESPACE = /\s/u
const WORD = /[\p{L}\p{M}\p{N}_]+/uy
const WORD_START = /[\p{L}_]/u
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y
const COMPARATOR = /<=|>=|!=|<>|==|=|<|>/y
const DIGIT = /\d/

/** Reads a quoted run starting at `start` (the opening quote). Doubling the quote escapes it. */
function readQuoted(text: string, start: number, quote: string): { value: string; end: number } {
  let value = ''
  let i = start + 1
  for (;;) {
    const close = text.indexOf(quote, i)
    if (close < 0) {
      const what = quote === '`' ? 'quoted name' : quote === '"' ? 'double-quoted text' : 'string'
      failAt(`Unterminated ${what}: missing closing ${quote}`, { position: start, length: text.length - start })
    }
    value += text.slice(i, close)
    if (text[close + 1] === quote) {
      value += quote
      i = close + 2
      continue
    }
    return { value, end: close + 1 }
  }
}

/** Reads one identifier segment at `start`, or returns undefined when none starts there. */
function readSegment(text: string, start: number, first: boolean): IdentifierSegment | undefined {
  const ch = text[start]
  if (ch === '"' || ch === '`') {
    const { value, end } = readQuoted(text, start, ch)
    return { value, quote: ch, position: start, length: end - start }
  }
  if (ch === undefined || (first && !WORD_START.test(ch))) return undefined
  WORD.lastIndex = start
  const match = WORD.exec(text)
  return match ? { value: match[0], position: start, length: match[0].length } : undefined
}

function startsNumber(text: string, i: number): boolean {
  const ch = text[i]
  const next = text[i + 1] ?? ''
  if (ch !== undefined && DIGIT.test(ch)) return true
  if (ch === '.') return DIGIT.test(next)
  if (ch === '-') return DIGIT.test(next) || (next === '.' && DIGIT.test(text[i + 2] ?? ''))
  return false
}

/** True where a lone double-quoted segment is a string value rather than a key. */
function expectsValue(previous: FilterToken | undefined): boolean {
  if (previous === undefined) return false
  if (previous.kind === 'comparator' || previous.kind === 'lparen' || previous.kind === 'comma') return true
  return previous.kind === 'keyword' && (previous.value === 'LIKE' || previous.value === 'ILIKE' || previous.value === 'IN')
}

/**
 * Splits `text` into tokens, skipping whitespace. Useful to a UI for highlighting and completion:
 * identifier tokens tell where keys are. Throws a {@link FilterSyntaxError} on an unterminated
 * quote, a malformed number or a character the grammar does not use.
 */
export function tokenizeFilter(text: string): FilterToken[] {
  const tokens: FilterToken[] = []
  let i = 0
  while (i < text.length) {
    const ch = text[i] as string
    if (WHITESPACE.test(ch)) { i++; continue }
    const previous = tokens[tokens.length - 1]
    const start = i

    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma', text: ch, position: i, length: 1 })
      i++
      continue
    }
    if (ch === "'") {
      const { value, end } = readQuoted(text, i, "'")
      tokens.push({ kind: 'string', text: text.slice(start, end), value, position: start, length: end - start })
      i = end
      continue
    }
    COMPARATOR.lastIndex = i
    const comparator = COMPARATOR.exec(text)
    if (comparator) {
      tokens.push({ kind: 'comparator', text: comparator[0], value: comparator[0], position: i, length: comparator[0].length })
      i += comparator[0].length
      continue
    }
    const glued = previous?.kind === 'identifier' && previous.position + previous.length === i
    if (!glued && startsNumber(text, i)) {
      NUMBER.lastIndex = i
      const numberText = (NUMBER.exec(text) as RegExpExecArray)[0]
      WORD.lastIndex = i + numberText.length
      const tail = WORD.exec(text)
      if (tail) {
        const bad = numberText + tail[0]
        failAt(`Invalid number '${bad}'`, { position: start, length: bad.length })
      }
      tokens.push({ kind: 'number', text: numberText, value: Number(numberText), position: start, length: numberText.length })
      i += numberText.length
      continue
    }

    const first = readSegment(text, i, true)
    if (first === undefined) {
      const character = String.fromCodePoint(text.codePointAt(i) as number)
      const hint = glued && '-:/'.includes(character)
        ? `; keys containing '${character}' must be quoted, e.g. metrics."val${character}loss"`
        : ''
      failAt(`Unexpected character '${character}'${hint}`, { position: i, length: character.length })
    }
    const segments = [first]
    i = first.position + first.length
    while (text[i] === '.') {
      const segment = readSegment(text, i + 1, false)
      if (segment === undefined) {
        failAt(`Expected a key after '${text.slice(start, i + 1)}'`, { position: i + 1, length: i + 1 < text.length ? 1 : 0 })
      }
      segments.push(segment)
      i = segment.position + segment.length
    }
    const source = text.slice(start, i)
    if (segments.length === 1 && first.quote === undefined && KEYWORDS.has(first.value.toUpperCase())) {
      tokens.push({ kind: 'keyword', text: source, value: first.value.toUpperCase() as FilterKeyword, position: start, length: i - start })
    } else if (segments.length === 1 && first.quote === '"' && expectsValue(previous)) {
      tokens.push({ kind: 'string', text: source, value: first.value, position: start, length: i - start })
    } else {
      tokens.push({ kind: 'identifier', text: source, segments, position: start, length: i - start })
    }
  }
  return tokens
}
