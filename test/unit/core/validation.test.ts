import { describe, expect, it } from 'vitest'
import { normalizePosixPath, validateArtifactPath, validateRunId } from '../../../src/core/validation.ts'

describe('normalizePosixPath matches Python posixpath.normpath', () => {
  it.each([['a/b', 'a/b'], ['a//b', 'a/b'], ['a/./b', 'a/b'], ['a/../b', 'b'], ['../a', '../a'], ['/a/', '/a'], ['', '.'], ['//a', '//a'], ['///a', '/a']])('%j → %j', (path, expected) => {
    expect(normalizePosixPath(path)).toBe(expected)
  })
})

describe('artifact paths', () => {
  it('trims trailing slashes and allows the root only when asked', () => {
    expect(validateArtifactPath('model/')).toBe('model')
    expect(validateArtifactPath('', { allowEmpty: true })).toBe('')
    expect(() => validateArtifactPath('')).toThrow(/empty/)
  })
  it('refuses # as MLflow does', () => {
    expect(() => validateArtifactPath('a#b')).toThrow(/'#'/)
  })
})

describe('run ids', () => {
  it('follow MLflow\'s pattern', () => {
    expect(() => validateRunId('0123abcd')).not.toThrow()
    expect(() => validateRunId('-bad')).toThrow(/Invalid run ID/)
    expect(() => validateRunId('has space')).toThrow(/Invalid run ID/)
  })
})
