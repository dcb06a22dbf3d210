/**
 * Tells Dexie's observers about writes made around Dexie (fresh-run.ts), as Dexie does for its own:
 * observers in this context at once, other tabs and workers a moment later, many writes per message.
 *
 * Dexie posts one BroadcastChannel message per commit (~40 µs each in Chromium, a twentieth of
 * creating a run). Here the context's own observers (search caches, live views) hear of a write at
 * its commit, through the DOM event Dexie copies listen to, which does not re-broadcast; other
 * contexts get the writes of up to BROADCAST_DELAY_MS in one message on Dexie's channel, which
 * they treat exactly as Dexie's own. Both names are Dexie's cross-copy protocol (dexie@4: its
 * STORAGE_MUTATED_DOM_EVENT_NAME), versioned by Dexie; test/browser/fresh-run.test.ts checks both.
 */
import Dexie, { RangeSet, type IndexableType, type ObservabilitySet } from 'dexie'

const DEXIE_MUTATIONS = 'x-storagemutated-1'
const BROADCAST_DELAY_MS = 16

/** Keys changed, by Dexie part name (`idb://DB/TABLE/` for primary keys, `…/INDEX` for an index). */
export type ChangedKeys = Record<string, IndexableType[]>

const canAnnounceLocally = typeof dispatchEvent === 'function' && typeof addEventListener === 'function' && typeof CustomEvent === 'function'
let channel: BroadcastChannel | undefined
let waiting: ChangedKeys | undefined

const toParts = (changed: ChangedKeys) =>
  Object.fromEntries(Object.entries(changed).map(([part, keys]) => [part, new RangeSet().addKeys(keys)])) as unknown as ObservabilitySet

export function announceChanges(changed: ChangedKeys): void {
  if (!canAnnounceLocally || typeof BroadcastChannel !== 'function') {
    Dexie.on.storagemutated.fire(toParts(changed))
    return
  }
  dispatchEvent(new CustomEvent(DEXIE_MUTATIONS, { detail: toParts(changed) }))
  if (!waiting) {
    waiting = {}
    setTimeout(broadcastWaiting, BROADCAST_DELAY_MS)
  }
  for (const [part, keys] of Object.entries(changed)) (waiting[part] ??= []).push(...keys)
}

function broadcastWaiting(): void {
  const changed = waiting
  waiting = undefined
  if (!changed) return
  channel ??= new BroadcastChannel(DEXIE_MUTATIONS)
  channel.postMessage(toParts(changed))
}
