import { describe, it, expect } from 'vitest'
import { decodePageToken, encodePageToken, MAX_SEARCH_RESULTS, paginate } from '../../../src/core/search/index.ts'
import { isMlflowError } from '../../../src/core/errors.ts'

const numbers = (count: number) => Array.from({ length: count }, (_, i) => i)

/** The MlflowError `fn` throws; fails the test when it throws none. */
function errorOf(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    if (isMlflowError(error)) return error
    throw error
  }
  throw new Error('expected an error')
}

describe('page tokens', () => {
  it('are base64 of {"offset": N}, byte for byte what MLflow writes', () => {
    expect(encodePageToken(2)).toBe('eyJvZmZzZXQiOiAyfQ==')
    expect(atob(encodePageToken(1000))).toBe('{"offset": 1000}')
  })

  it('decode back to their offset', () => {
    expect(decodePageToken(encodePageToken(1))).toBe(1)
    expect(decodePageToken(encodePageToken(49999))).toBe(49999)
  })

  it('read an undefined or empty token as the first page', () => {
    expect(decodePageToken(undefined)).toBe(0)
    expect(decodePageToken('')).toBe(0)
  })

  it('accept compact JSON and a numeric string offset, as MLflow does', () => {
    expect(decodePageToken(btoa('{"offset":7}'))).toBe(7)
    expect(decodePageToken(btoa('{"offset": "7"}'))).toBe(7)
  })

  it.each([
    ['not base64', 'not base64!'],
    ['base64 of text that is not JSON', btoa('offset=3')],
    ['JSON without offset', btoa('{"page": 3}')],
    ['JSON that is not an object', btoa('3')],
    ['a zero offset', btoa('{"offset": 0}')],
    ['a negative offset', btoa('{"offset": -3}')],
    ['a fractional offset', btoa('{"offset": 2.5}')],
    ['a non-numeric offset', btoa('{"offset": "abc"}')],
    ['bytes that are not UTF-8', btoa('\u00ff\u00fe')],
  ])('reject %s with INVALID_PARAMETER_VALUE "Invalid page token"', (_, token) => {
    const error = errorOf(() => decodePageToken(token))
    expect(isMlflowError(error, 'INVALID_PARAMETER_VALUE')).toBe(true)
    expect(error.message).toMatch(/^Invalid page token/)
  })
})

describe('paginate', () => {
  it('returns the first page and a token for the rest', () => {
    const page = paginate(numbers(5), 2, undefined)
    expect(page.items).toEqual([0, 1])
    expect(page.nextPageToken).toBe(encodePageToken(2))
  })

  it('walks every page once, the last one without a token', () => {
    const items = numbers(7)
    const pages: number[][] = []
    let token: string | undefined
    do {
      const page = paginate(items, 3, token)
      pages.push(page.items)
      token = page.nextPageToken
    } while (token)
    expect(pages).toEqual([[0, 1, 2], [3, 4, 5], [6]])
  })

  it('gives no token when the last page is exactly full', () => {
    const second = paginate(numbers(4), 2, encodePageToken(2))
    expect(second.items).toEqual([2, 3])
    expect(second).not.toHaveProperty('nextPageToken')
  })

  it('gives no token when everything fits in one page', () => {
    expect(paginate(numbers(3), 10, undefined)).toEqual({ items: [0, 1, 2] })
    expect(paginate([], 10, undefined)).toEqual({ items: [] })
  })

  it('gives an empty page for a token past the end', () => {
    expect(paginate(numbers(3), 2, encodePageToken(10))).toEqual({ items: [] })
  })

  it('uses 1000 items per page when maxResults is undefined', () => {
    const page = paginate(numbers(1001), undefined, undefined)
    expect(page.items).toHaveLength(1000)
    expect(page.nextPageToken).toBe(encodePageToken(1000))
  })

  it('uses the given default when maxResults is undefined', () => {
    expect(paginate(numbers(10), undefined, undefined, 4).items).toEqual([0, 1, 2, 3])
  })

  it('accepts maxResults of 1 and of 50000', () => {
    expect(paginate(numbers(3), 1, undefined).items).toEqual([0])
    expect(MAX_SEARCH_RESULTS).toBe(50000)
    expect(paginate(numbers(50001), 50000, undefined).items).toHaveLength(50000)
  })

  it.each([0, -1, 1.5, Number.NaN])('rejects maxResults %s with INVALID_PARAMETER_VALUE', max => {
    const error = errorOf(() => paginate(numbers(3), max, undefined))
    expect(isMlflowError(error, 'INVALID_PARAMETER_VALUE')).toBe(true)
    expect(error.message).toContain('It must be a positive integer')
  })

  it('rejects maxResults over 50000 with INVALID_PARAMETER_VALUE', () => {
    const error = errorOf(() => paginate(numbers(3), 50001, undefined))
    expect(isMlflowError(error, 'INVALID_PARAMETER_VALUE')).toBe(true)
    expect(error.message).toContain('It must be at most 50000, but got value 50001')
  })

  it('rejects an invalid token', () => {
    const error = errorOf(() => paginate(numbers(3), 2, 'garbage'))
    expect(isMlflowError(error, 'INVALID_PARAMETER_VALUE')).toBe(true)
    expect(error.message).toMatch(/^Invalid page token/)
  })

  it('does not change the array it pages', () => {
    const items = numbers(5)
    paginate(items, 2, encodePageToken(2))
    expect(items).toEqual([0, 1, 2, 3, 4])
  })
})
