/** Chooses the runs table's columns: grouped checkboxes with a search, in a popover. */
import { useEffect, useRef, useState } from 'preact/hooks'
import type { Column, ColumnKind } from './columns.ts'

const GROUPS: Array<[ColumnKind, string]> = [['attribute', 'Attributes'], ['metric', 'Metrics'], ['param', 'Parameters'], ['tag', 'Tags']]

export function ColumnPicker({ available, chosen, onChange, onReset }: {
  available: Column[]
  chosen: string[]
  onChange: (columnIds: string[]) => void
  onReset: () => void
}) {
  const [open, setOpen] = useState(false)
  const [query, setQuery] = useState('')
  const root = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!open) return
    const close = (event: Event) => { if (!root.current?.contains(event.target as Node)) setOpen(false) }
    document.addEventListener('pointerdown', close)
    return () => document.removeEventListener('pointerdown', close)
  }, [open])

  const chosenSet = new Set(chosen)
  const needle = query.trim().toLowerCase()
  const toggle = (id: string) => onChange(chosenSet.has(id) ? chosen.filter(other => other !== id) : [...chosen, id])
  const setGroup = (kind: ColumnKind, on: boolean) => {
    const ids = available.filter(column => column.kind === kind).map(column => column.id)
    onChange(on ? [...new Set([...chosen, ...ids])] : chosen.filter(id => !ids.includes(id)))
  }

  return (
    <div class="popover-anchor" ref={root} onKeyDown={event => { if (event.key === 'Escape') setOpen(false) }}>
      <button type="button" class="button" aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen(!open)}>
        Columns <span class="muted">{chosen.length}</span>
      </button>
      {open && (
        <div class="popover column-picker" role="dialog" aria-label="Choose columns">
          <div class="column-picker-head">
            <input class="input input-small" type="search" placeholder="Find a column" aria-label="Find a column" autoFocus
              value={query} onInput={event => setQuery(event.currentTarget.value)} />
            <button type="button" class="button button-small button-quiet" onClick={onReset}>Reset</button>
          </div>
          <div class="column-picker-groups">
            {GROUPS.map(([kind, title]) => {
              const columns = available.filter(column => column.kind === kind && (!needle || column.label.toLowerCase().includes(needle)))
              if (columns.length === 0) return null
              return (
                <fieldset key={kind} class="column-group">
                  <legend>
                    {title}
                    <button type="button" class="link-button" onClick={() => setGroup(kind, true)}>all</button>
                    <button type="button" class="link-button" onClick={() => setGroup(kind, false)}>none</button>
                  </legend>
                  {columns.map(column => (
                    <label key={column.id} class="check-label">
                      <input type="checkbox" checked={chosenSet.has(column.id)} onChange={() => toggle(column.id)} />
                      <span title={column.id}>{column.label}</span>
                    </label>
                  ))}
                </fieldset>
              )
            })}
          </div>
        </div>
      )}
    </div>
  )
}
