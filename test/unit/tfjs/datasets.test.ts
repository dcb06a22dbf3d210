// The built-in datasets load from public/datasets/ in Node with scikit-learn's exact values.
import { describe, expect, it } from 'vitest'
import { BUILTIN_DATASETS, loadBuiltinDataset, parseNumericCsv } from '../../../src/datasets/index.ts'

describe('built-in datasets', () => {
  it('loads every dataset with the documented row and feature counts', async () => {
    for (const info of Object.values(BUILTIN_DATASETS)) {
      const dataset = await loadBuiltinDataset(info.name)
      expect(dataset.features, info.name).toHaveLength(info.rows)
      expect(dataset.targets, info.name).toHaveLength(info.rows)
      expect(dataset.featureNames, info.name).toHaveLength(info.featureCount)
      expect(dataset.features.every(row => row.length === info.featureCount && row.every(Number.isFinite)), info.name).toBe(true)
      if (info.classCount) expect(new Set(dataset.targets).size, info.name).toBe(info.classCount)
    }
  })

  it("reads iris's first row and feature names exactly", async () => {
    const iris = await loadBuiltinDataset('iris')
    expect(iris.featureNames).toEqual(['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'])
    expect(iris.features[0]).toEqual([5.1, 3.5, 1.4, 0.2])
    expect(iris.targets.slice(0, 3)).toEqual([0, 0, 0])
  })

  it('keeps diabetes values bit for bit (each scaled column has a sum of squares of 1)', async () => {
    const diabetes = await loadBuiltinDataset('diabetes')
    const sumOfSquares = diabetes.features.reduce((sum, row) => sum + row[0]! ** 2, 0)
    expect(sumOfSquares).toBeCloseTo(1, 12)
    expect(Math.min(...diabetes.targets)).toBe(25)
    expect(Math.max(...diabetes.targets)).toBe(346)
  })

  it('refuses an unknown dataset name, naming the ones that exist', async () => {
    await expect(loadBuiltinDataset('mnist' as never)).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('iris, wine') })
  })

  it('names the cell when a CSV value is not a number', () => {
    expect(() => parseNumericCsv('a,target\n1,0\nx,1\n')).toThrow("CSV row 2, column 'a': 'x' is not a number.")
    expect(() => parseNumericCsv('a,b\n1,0\n')).toThrow("no 'target' column")
  })
})
