/**
 * The MLflow filter input: completion of keys and comparators (a listbox, keyboard driven) and,
 * when the library rejects the filter, the message with the faulty span marked under the text.
 */
import { useId, useMemo, useRef, useState } from 'preact/hooks'
import type { RunKeys } from './columns.ts'
import { type Completion, completeFilter } from './filter-completion.ts'

export interface FilterError { problem: string; position: number; length: number }

export function FilterBox({ value, keys, error, onApply }: {
  value: string
  keys: RunKeys
  error: FilterError | string | undefined
  onApply: (filter: string) => void
}) {
  const [text, setText] = useState(value)
  const [caret, setCaret] = useState(0)
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const input = useRef<HTMLInputElement>(null)
  const listId = useId()
  const errorId = useId()

  const completion: Completion = useMemo(() => completeFilter(text, caret, keys), [text, caret, keys])
  const showList = open && completion.items.length > 0

  const accept = (index: number) => {
    const item = completion.items[index]
    if (!item) return
    const next = text.slice(0, completion.from) + item.insert + text.slice(completion.to)
    const at = completion.from + item.insert.length
    setText(next)
    setCaret(at)
    setActive(0)
    requestAnimationFrame(() => { input.current?.setSelectionRange(at, at); input.current?.focus() })
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (showList && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault()
      const count = completion.items.length
      setActive((active + (event.key === 'ArrowDown' ? 1 : count - 1)) % count)
    } else if (showList && (event.key === 'Tab' || (event.key === 'Enter' && completion.items[active] && completion.to > completion.from))) {
      event.preventDefault()
      accept(active)
    } else if (event.key === 'Enter') {
      event.preventDefault()
      setOpen(false)
      // The element's value, not state: a render may not have run since the last keystroke.
      onApply((event.currentTarget as HTMLInputElement).value.trim())
    } else if (event.key === 'Escape') {
      if (showList) { event.preventDefault(); setOpen(false) }
    }
  }
  const track = (element: HTMLInputElement) => { setCaret(element.selectionStart ?? element.value.length); setOpen(true) }

  const span = typeof error === 'object' ? error : undefined
  return (
    <div class="filter-box">
      <div class="filter-input-row">
        <input ref={input} class={`input filter-input ${error ? 'input-invalid' : ''}`} type="search" spellcheck={false} autocomplete="off"
          placeholder="metrics.acc > 0.9 and params.lr = '0.01'" aria-label="Filter runs (MLflow search syntax)"
          role="combobox" aria-expanded={showList} aria-controls={listId} aria-autocomplete="list"
          aria-activedescendant={showList ? `${listId}-${active}` : undefined}
          aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined}
          value={text}
          onInput={event => { setText(event.currentTarget.value); track(event.currentTarget); setActive(0) }}
          onClick={event => track(event.currentTarget)} onKeyUp={event => { if (event.key.startsWith('Arrow') && !showList) track(event.currentTarget) }}
          onFocus={event => track(event.currentTarget)} onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={onKeyDown} />
        <button type="button" class="button" onClick={() => onApply(text.trim())}>Search</button>
        {value && <button type="button" class="button button-quiet" onClick={() => { setText(''); onApply('') }}>Clear</button>}
      </div>
      {showList && (
        <ul id={listId} class="completion-list" role="listbox" aria-label="Suggestions">
          {completion.items.map((item, index) => (
            <li id={`${listId}-${index}`} key={item.label + item.detail} role="option" aria-selected={index === active}
              class={index === active ? 'completion-item active' : 'completion-item'}
              onMouseDown={event => { event.preventDefault(); accept(index) }}>
              <span class="completion-label">{item.label}</span><span class="completion-detail">{item.detail}</span>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <div id={errorId} class="filter-error" role="alert">
          {span ? (
            <>
              <code class="filter-error-text" aria-hidden="true">
                {value.slice(0, span.position)}
                <mark class="filter-error-span">{value.slice(span.position, span.position + span.length) || ' '}</mark>
                {value.slice(span.position + span.length)}
              </code>
              <span>{span.problem} <span class="muted">(at character {span.position + 1})</span></span>
            </>
          ) : <span>{error as string}</span>}
        </div>
      )}
    </div>
  )
}
