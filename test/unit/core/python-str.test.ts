import { describe, expect, it } from 'vitest'
import { pythonStr } from '../../../src/core/python-str.ts'

describe('pythonStr prints params as MLflow\'s Python client would', () => {
  it.each([
    [0.01, '0.01'], [1e-5, '1e-05'], [1.5e-7, '1.5e-07'], [20, '20'], [-3, '-3'], [1e16, '1e+16'], [2.5e20, '2.5e+20'],
    [0.0001, '0.0001'], [NaN, 'nan'], [Infinity, 'inf'], [-Infinity, '-inf'],
    [true, 'True'], [false, 'False'], [null, 'None'], [undefined, 'None'],
    ['text', 'text'], [[64, 32], '[64, 32]'], [['relu', 'tanh'], "['relu', 'tanh']"], [{ units: 8, act: 'relu' }, "{'units': 8, 'act': 'relu'}"],
  ])('%j → %s', (value, expected) => {
    expect(pythonStr(value)).toBe(expected)
  })
})
