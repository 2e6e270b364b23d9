/**
 * Watches a live document's store for pending structs or delete sets (SYNC.md §2: the server must never hold
 * one): calls `onPending` at every assignment, even one the server clears at once, which a look afterwards misses.
 */
import type * as Y from 'yjs'

export function spyOnPending(doc: Y.Doc, onPending: (field: string) => void): void {
  const store = doc.store as unknown as Record<string, unknown>
  for (const field of ['pendingStructs', 'pendingDs']) {
    let value = store[field]
    Object.defineProperty(store, field, {
      configurable: true,
      get: () => value,
      set: (next) => {
        if (next !== null) onPending(field)
        value = next
      },
    })
  }
}
