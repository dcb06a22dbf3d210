/** Exports runs as a CSV of the table's columns (the archive formats come with the import/export page). */
import type { Run } from '../../index.ts'
import { type Column, NAME_COLUMN } from './columns.ts'

function csvField(value: string): string {
  // Quote when needed; a leading = + - @ is neutralised so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

/** CSV text: run id, then every column, raw values (numbers unformatted, times ISO). */
export function runsToCsv(runs: readonly Run[], columns: readonly Column[], now = Date.now()): string {
  const all = [NAME_COLUMN, ...columns]
  const lines = [['run_id', ...all.map(column => column.id)].map(csvField).join(',')]
  for (const run of runs) {
    const cells = all.map(column => {
      const value = column.value(run, now)
      if (value === undefined) return ''
      if (column.id === 'attributes.start_time') return new Date(value as number).toISOString()
      return String(value)
    })
    lines.push([run.info.runId, ...cells].map(csvField).join(','))
  }
  return lines.join('\n') + '\n'
}

/** Offers a text as a file download. */
export function downloadText(text: string, fileName: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName })
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
