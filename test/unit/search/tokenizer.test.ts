import { describe, it, expect } from 'vitest'
import { FilterSyntaxError, tokenizeFilter, type FilterToken } from '../../../src/core/search/index.ts'

const kinds = (text: string) => tokenizeFilter(text).map(token => `${token.kind}:${token.text}`)

describe('tokenizeFilter', () => {
  it('gives nothing for blank text', () => {
    expect(tokenizeFilter('')).toEqual([])
    expect(tokenizeFilter('  \n ')).toEqual([])
  })

  it('splits a filter into kinds with their source text', () => {
    expect(kinds("metrics.rmse < 1 and params.model = 'ridge'")).toEqual([
      'identifier:metrics.rmse', 'comparator:<', 'number:1', 'keyword:and', 'identifier:params.model', 'comparator:=', "string:'ridge'",
    ])
  })

  it('locates every token by position and length', () => {
    const [identifier, comparator, value] = tokenizeFilter("  tags.`a b` != 'x'") as [FilterToken, FilterToken, FilterToken]
    expect([identifier.position, identifier.length]).toEqual([2, 10])
    expect([comparator.position, comparator.length]).toEqual([13, 2])
    expect([value.position, value.length]).toEqual([16, 3])
  })

  it('reports keywords upper-case whatever their case', () => {
    const values = tokenizeFilter('x not In y LiKe z ilike w And v desc').filter(t => t.kind === 'keyword').map(t => t.kind === 'keyword' && t.value)
    expect(values).toEqual(['NOT', 'IN', 'LIKE', 'ILIKE', 'AND', 'DESC'])
  })

  it('splits identifiers into unquoted segments', () => {
    const [token] = tokenizeFilter('tags."mlflow.runName".x') as [FilterToken]
    expect(token.kind).toBe('identifier')
    if (token.kind !== 'identifier') return
    expect(token.segments.map(s => [s.value, s.quote ?? null, s.position])).toEqual([
      ['tags', null, 0], ['mlflow.runName', '"', 5], ['x', null, 22],
    ])
  })

  it('reads a double-quoted word as a string where a value belongs, and as a key elsewhere', () => {
    expect(kinds('"Run Name" = "abc"')).toEqual(['identifier:"Run Name"', 'comparator:=', 'string:"abc"'])
    expect(kinds('run_id IN ("a", "b")')).toEqual(['identifier:run_id', 'keyword:IN', 'lparen:(', 'string:"a"', 'comma:,', 'string:"b"', 'rparen:)'])
  })

  it('decodes doubled quotes in strings and keys', () => {
    const [key, , value] = tokenizeFilter("`a``b` = 'it''s'") as [FilterToken, FilterToken, FilterToken]
    expect(key.kind === 'identifier' && key.segments[0]?.value).toBe('a`b')
    expect(value.kind === 'string' && value.value).toBe("it's")
  })

  it('reads numbers with sign, fraction and exponent', () => {
    const values = tokenizeFilter('1 -2 .5 3. 4e3 -1.5E-2').map(t => t.kind === 'number' && t.value)
    expect(values).toEqual([1, -2, 0.5, 3, 4000, -0.015])
  })

  it('reads every comparator, longest first', () => {
    expect(kinds('<= >= != <> == = < >').map(k => k.replace('comparator:', ''))).toEqual(['<=', '>=', '!=', '<>', '==', '=', '<', '>'])
  })

  it('throws FilterSyntaxError at an unterminated quote or a stray character', () => {
    expect(() => tokenizeFilter("a = 'x")).toThrow(FilterSyntaxError)
    expect(() => tokenizeFilter('a = 1 ; b')).toThrow(/Unexpected character ';' \(at position 6\)/)
  })
})
