/** Live updates: calls back after the tracking store changes (this tab, a worker or another tab). */
import { useEffect, useRef } from 'preact/hooks'
import { type StoreChange, watchStore } from '../../index.ts'
import { TRACKING_URI } from '../lablog.ts'

/** Subscribes while mounted; `minIntervalMs` bounds how often `onChange` runs during bursts. */
export function useStoreChanges(onChange: (change: StoreChange) => void, minIntervalMs = 500): void {
  const callback = useRef(onChange)
  callback.current = onChange
  useEffect(() => watchStore(TRACKING_URI, change => callback.current(change), { minIntervalMs }), [minIntervalMs])
}
