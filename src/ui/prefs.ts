/**
 * User preferences remembered across visits (localStorage): theme, active experiment, chosen
 * columns, chart settings. Components share a value live through usePref.
 */
import { useCallback, useEffect, useState } from 'preact/hooks'

const PREFIX = 'lablog.'
const listeners = new Map<string, Set<() => void>>()

/** Reads a stored preference, or `fallback` when absent or unreadable. */
export function readPref<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(PREFIX + key)
    return raw === null ? fallback : JSON.parse(raw) as T
  } catch { return fallback }
}

/** Stores a preference and tells every component using it. */
export function writePref<T>(key: string, value: T): void {
  try { localStorage.setItem(PREFIX + key, JSON.stringify(value)) } catch { /* private mode or quota: keep it in memory only */ }
  listeners.get(key)?.forEach(listener => listener())
}

/** A preference as state: `[value, setValue]`, kept in step across components. */
export function usePref<T>(key: string, fallback: T): [T, (value: T) => void] {
  const [value, setValue] = useState(() => readPref(key, fallback))
  useEffect(() => {
    const update = () => setValue(readPref(key, fallback))
    update()
    let set = listeners.get(key)
    if (!set) listeners.set(key, set = new Set())
    set.add(update)
    return () => { set.delete(update) }
    // The fallback is a default, not an input: re-reading on its identity would loop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  const update = useCallback((next: T) => writePref(key, next), [key])
  return [value, update]
}

/** Preference keys in one place, so no two features share one by accident. */
export const PREF = {
  theme: 'theme',
  userName: 'userName',
  activeExperiment: 'activeExperiment',
  remoteServers: 'remoteServers',
  columns: (experimentId: string) => `columns.${experimentId}`,
  sort: (experimentId: string) => `sort.${experimentId}`,
  chartSettings: 'chartSettings',
} as const
