/** A compact two-column table of keys and values with a quick filter once it grows long. */
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'

export interface KeyValueRow { key: string; value: ComponentChildren; title?: string }

export function KeyValueTable({ rows, label, empty, actions }: {
  rows: KeyValueRow[]; label: string; empty: string
  /** Extra cells (buttons) per row, e.g. edit and delete for tags. */
  actions?: (key: string) => ComponentChildren
}) {
  const [query, setQuery] = useState('')
  const needle = query.trim().toLowerCase()
  const shown = needle ? rows.filter(row => row.key.toLowerCase().includes(needle)) : rows
  if (rows.length === 0) return <p class="muted">{empty}</p>
  return (
    <div class="kv">
      {rows.length > 8 && (
        <input class="input input-small kv-filter" type="search" placeholder={`Filter ${label.toLowerCase()}…`} aria-label={`Filter ${label}`}
          value={query} onInput={event => setQuery(event.currentTarget.value)} />
      )}
      <table class="kv-table" aria-label={label}>
        <thead><tr><th scope="col">Name</th><th scope="col">Value</th>{actions && <th scope="col"><span class="visually-hidden">Actions</span></th>}</tr></thead>
        <tbody>
          {shown.map(row => (
            <tr key={row.key}>
              <th scope="row" class="kv-key" title={row.key}>{row.key}</th>
              <td class="kv-value" title={row.title}>{row.value}</td>
              {actions && <td class="kv-actions">{actions(row.key)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
