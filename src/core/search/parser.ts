/**
 * Turns tokens into clauses (`<identifier> <comparator> <value>` joined by AND) and order_by
 * clauses (`<identifier> [ASC|DESC]`). Checks shape only; entities and types are checked later.
 */
import { failAt, type Span } from './errors.ts'
import { tokenizeFilter, type FilterToken, type IdentifierSegment } from './tokenizer.ts'

/** An identifier split at its first dot: `entity` is undefined for a bare key. */
export interface IdentifierNode extends Span {
  /** The entity prefix without quotes (`metrics`, `params`, …), or undefined for a bare key. */
  entity: string | undefined
  /** Where the entity prefix is written, or undefined for a bare key. */
  entitySpan: Span | undefined
  /** The key: the remaining segments without quotes, joined by '.'. */
  key: string
  /** Where the key is written. */
  keySpan: Span
  /** The identifier as written. */
  text: string
}

/** The right-hand side of a clause. `unquoted` is a bare word, which string targets reject. */
export type ValueNode = Span & { text: string } & (
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'list'; values: string[] }
  | { kind: 'unquoted' }
)

/** One `<identifier> <comparator> <value>` clause. */
export interface ClauseNode {
  identifier: IdentifierNode
  /** The comparator as written, upper-cased; may be one no type allows (`==`, `<>`). */
  comparator: Span & { value: string }
  value: ValueNode
}

/** One order_by clause. */
export interface OrderByNode {
  identifier: IdentifierNode
  ascending: boolean
}

const describe = (token: FilterToken) => `'${token.text}'`

function identifierNode(token: FilterToken & { kind: 'identifier' }): IdentifierNode {
  const [first, ...rest] = token.segments as [IdentifierSegment, ...IdentifierSegment[]]
  if (rest.length === 0) {
    return { entity: undefined, entitySpan: undefined, key: first.value, keySpan: first, text: token.text, position: token.position, length: token.length }
  }
  const keyStart = (rest[0] as IdentifierSegment).position
  return {
    entity: first.value,
    entitySpan: { position: first.position, length: first.length },
    key: rest.map(segment => segment.value).join('.'),
    keySpan: { position: keyStart, length: token.position + token.length - keyStart },
    text: token.text,
    position: token.position,
    length: token.length,
  }
}

/** A zero-length span at the end of the text, for "missing …" errors. */
const endOf = (text: string): Span => ({ position: text.length, length: 0 })

function parseList(tokens: FilterToken[], open: number, text: string): { node: ValueNode; next: number } {
  const lparen = tokens[open] as FilterToken
  const values: string[] = []
  let i = open + 1
  for (;;) {
    const token = tokens[i]
    if (token === undefined) failAt("Unclosed '(': expected ')' to end the list", { position: lparen.position, length: text.length - lparen.position })
    if (token.kind === 'rparen' && values.length === 0) {
      failAt('While parsing a list in the query, expected a non-empty list of string values, but got empty list',
        { position: lparen.position, length: token.position + 1 - lparen.position })
    }
    if (token.kind !== 'string') failAt(`Expected a quoted string in the list, got ${describe(token)}`, token)
    values.push(token.value)
    const after = tokens[i + 1]
    if (after === undefined) failAt("Unclosed '(': expected ')' to end the list", { position: lparen.position, length: text.length - lparen.position })
    if (after.kind === 'rparen') {
      const end = after.position + 1
      return { node: { kind: 'list', values, text: text.slice(lparen.position, end), position: lparen.position, length: end - lparen.position }, next: i + 2 }
    }
    if (after.kind !== 'comma') failAt(`Expected ',' or ')' in the list, got ${describe(after)}`, after)
    i += 2
  }
}

function parseValue(tokens: FilterToken[], i: number, text: string, comparator: string): { node: ValueNode; next: number } {
  const token = tokens[i]
  if (token === undefined) failAt(`Missing value after '${comparator}'`, endOf(text))
  const span = { text: token.text, position: token.position, length: token.length }
  switch (token.kind) {
    case 'string': return { node: { kind: 'string', value: token.value, ...span }, next: i + 1 }
    case 'number': return { node: { kind: 'number', value: token.value, ...span }, next: i + 1 }
    case 'identifier': return { node: { kind: 'unquoted', ...span }, next: i + 1 }
    case 'lparen': return parseList(tokens, i, text)
    case 'keyword':
      if (token.value === 'AND' || token.value === 'OR') failAt(`Missing value after '${comparator}'`, token)
      return { node: { kind: 'unquoted', ...span }, next: i + 1 }
    default: return failAt(`Expected a value after '${comparator}', got ${describe(token)}`, token)
  }
}

function parseComparator(tokens: FilterToken[], i: number, text: string, identifier: IdentifierNode): { node: ClauseNode['comparator']; next: number } {
  const token = tokens[i]
  if (token === undefined) failAt(`Missing comparator after '${identifier.text}'`, endOf(text))
  if (token.kind === 'comparator') return { node: { value: token.value, position: token.position, length: token.length }, next: i + 1 }
  if (token.kind === 'keyword' && (token.value === 'LIKE' || token.value === 'ILIKE' || token.value === 'IN')) {
    return { node: { value: token.value, position: token.position, length: token.length }, next: i + 1 }
  }
  if (token.kind === 'keyword' && token.value === 'NOT') {
    const next = tokens[i + 1]
    if (next?.kind !== 'keyword' || next.value !== 'IN') {
      failAt("NOT is only supported as 'NOT IN'", next === undefined ? token : { position: token.position, length: next.position + next.length - token.position })
    }
    return { node: { value: 'NOT IN', position: token.position, length: next.position + next.length - token.position }, next: i + 2 }
  }
  return failAt(`Expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN) after '${identifier.text}', got ${describe(token)}`, token)
}

function parseIdentifier(token: FilterToken): IdentifierNode {
  if (token.kind === 'identifier') return identifierNode(token)
  if (token.kind === 'lparen') failAt('Parentheses are not supported: a filter is clauses joined by AND', token)
  if (token.kind === 'keyword' && token.value === 'NOT') failAt("NOT is not supported, except in 'NOT IN'", token)
  if (token.kind === 'string') failAt(`Expected an identifier such as metrics.<key>, got the string ${describe(token)}; quote keys with double quotes or backticks`, token)
  return failAt(`Expected an identifier such as metrics.<key>, params.<key> or status, got ${describe(token)}`, token)
}

/**
 * Parses a filter into its clauses. An empty or blank filter has none.
 * @throws FilterSyntaxError on any malformed input.
 */
export function parseFilter(text: string): ClauseNode[] {
  const tokens = tokenizeFilter(text)
  const clauses: ClauseNode[] = []
  let i = 0
  while (i < tokens.length) {
    const identifier = parseIdentifier(tokens[i] as FilterToken)
    const comparator = parseComparator(tokens, i + 1, text, identifier)
    const value = parseValue(tokens, comparator.next, text, comparator.node.value)
    clauses.push({ identifier, comparator: comparator.node, value: value.node })
    i = value.next
    const joiner = tokens[i]
    if (joiner === undefined) break
    if (joiner.kind === 'keyword' && joiner.value === 'AND') {
      if (i + 1 === tokens.length) failAt("Missing clause after 'AND'", endOf(text))
      i++
      continue
    }
    if (joiner.kind === 'keyword' && joiner.value === 'OR') failAt('OR is not supported: join clauses with AND', joiner)
    if (joiner.kind === 'lparen' || joiner.kind === 'rparen') failAt('Parentheses are not supported: a filter is clauses joined by AND', joiner)
    failAt(`Invalid clause(s) in filter string: unexpected ${describe(joiner)} after a complete clause; join clauses with AND`,
      { position: joiner.position, length: text.trimEnd().length - joiner.position })
  }
  return clauses
}

/**
 * Parses one order_by clause: `<identifier> [ASC|DESC]` (ASC by default). Error positions are
 * within `clause`; callers prefix the message with the clause (see `withErrorPrefix`).
 * @throws FilterSyntaxError on any malformed input.
 */
export function parseOrderBy(clause: string): OrderByNode {
  const [first, second, third] = tokenizeFilter(clause)
  if (first === undefined) return failAt('Could not be parsed: it is empty', endOf(clause))
  if (first.kind !== 'identifier') return failAt(`Expected an identifier such as metrics.<key>, got ${describe(first)}`, first)
  const identifier = identifierNode(first)
  if (second === undefined) return { identifier, ascending: true }
  if (second.kind !== 'keyword' || (second.value !== 'ASC' && second.value !== 'DESC')) {
    return failAt(`Invalid ordering key: expected ASC or DESC, got ${describe(second)}`, second)
  }
  if (third !== undefined) {
    failAt(`Could not be parsed: unexpected ${describe(third)}`, { position: third.position, length: clause.trimEnd().length - third.position })
  }
  return { identifier, ascending: second.value === 'ASC' }
}
