/**
 * A numeric CSV (header row, one label column) parsed with papaparse into features and targets.
 * Values are read with Number(), which gives scikit-learn's doubles exactly for these files.
 */
import Papa from 'papaparse'
import { invalidParameter } from '../core/errors.ts'

/** A table of numeric features and one numeric target per row. */
export interface NumericTable {
  featureNames: string[]
  /** One array of feature values per row. */
  features: number[][]
  targets: number[]
}

/** Parses CSV text; INVALID_PARAMETER_VALUE names the first non-numeric cell or a missing target column. */
export function parseNumericCsv(text: string, targetColumn = 'target'): NumericTable {
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true })
  if (parsed.errors.length > 0) {
    const first = parsed.errors[0]!
    throw invalidParameter(`The CSV could not be parsed (row ${first.row ?? '?'}): ${first.message}`)
  }
  const [header, ...rows] = parsed.data
  if (!header) throw invalidParameter('The CSV is empty.')
  const targetIndex = header.indexOf(targetColumn)
  if (targetIndex < 0) throw invalidParameter(`The CSV has no '${targetColumn}' column; its columns: ${header.join(', ')}.`)
  const featureNames = header.filter((_, index) => index !== targetIndex)
  const features: number[][] = []
  const targets: number[] = []
  rows.forEach((row, rowIndex) => {
    if (row.length !== header.length) throw invalidParameter(`CSV row ${rowIndex + 1} has ${row.length} fields; the header has ${header.length}.`)
    const values = row.map((cell, column) => {
      const value = cell.trim() === '' ? Number.NaN : Number(cell)
      if (Number.isNaN(value) && cell.trim().toLowerCase() !== 'nan') {
        throw invalidParameter(`CSV row ${rowIndex + 1}, column '${header[column]}': '${cell}' is not a number.`)
      }
      return value
    })
    targets.push(values[targetIndex]!)
    features.push(values.filter((_, index) => index !== targetIndex))
  })
  return { featureNames, features, targets }
}
