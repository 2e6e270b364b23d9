/**
 * Sends this replica's own changes and presence once the frame that shows them is drawn, instead of inside the
 * keystroke that made them. y-websocket sends every local Yjs update and every awareness change at once, over the
 * WebSocket and to the other tabs (BroadcastChannel): on a keystroke that is two encodings, two socket writes and
 * two channel posts, about a millisecond of the key's time before the screen shows the letter (README, Performance).
 *
 * Taken over from the provider: its document and awareness `update` handlers are unregistered, and what they
 * would have sent is collected and handed to those same handlers after the next frame (a message posted from an
 * animation frame callback runs once the frame is done), or after MAX_WAIT_MS where no frame comes (a hidden tab).
 * Updates collected in that time are merged into one (Y.mergeUpdates), so a burst is one message. What waits is
 * sent at once when the page is being left, so a closing tab loses no keystroke it has drawn. Order is kept: the
 * document's changes go before the presence that may point into them.
 */
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

/** Where no animation frame comes (the tab is hidden), what waits goes after this long. */
const MAX_WAIT_MS = 50

interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}

export function sendAfterFrame(provider: WebsocketProvider): () => void {
  const { doc, awareness } = provider
  let updates: Uint8Array[] = []
  let presence = new Set<number>()
  let scheduled = false
  let fallback: ReturnType<typeof setTimeout> | undefined
  // Posted to from the frame's callback: its message runs once the frame is done.
  const afterFrame = new MessageChannel()

  const flush = () => {
    scheduled = false
    clearTimeout(fallback)
    if (updates.length) {
      const merged = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates)
      updates = []
      provider._updateHandler(merged, null)
    }
    if (presence.size) {
      const updated = [...presence]
      presence = new Set()
      provider._awarenessUpdateHandler({ added: [], updated, removed: [] }, null)
    }
  }

  const schedule = () => {
    if (scheduled) return
    scheduled = true
    requestAnimationFrame(() => afterFrame.port2.postMessage(null))
    fallback = setTimeout(() => scheduled && flush(), MAX_WAIT_MS)
  }

  const onUpdate = (update: Uint8Array, origin: unknown) => {
    // What came from the server is not sent back (the provider's own rule).
    if (origin === provider) return
    updates.push(update)
    schedule()
  }
  const onAwareness = ({ added, updated, removed }: AwarenessChange) => {
    for (const client of [...added, ...updated, ...removed]) presence.add(client)
    schedule()
  }

  afterFrame.port1.onmessage = () => scheduled && flush()
  doc.off('update', provider._updateHandler)
  awareness.off('update', provider._awarenessUpdateHandler)
  doc.on('update', onUpdate)
  awareness.on('update', onAwareness)
  addEventListener('pagehide', flush)
  addEventListener('beforeunload', flush)
  return () => {
    flush()
    removeEventListener('pagehide', flush)
    removeEventListener('beforeunload', flush)
    doc.off('update', onUpdate)
    awareness.off('update', onAwareness)
    afterFrame.port1.close()
  }
}
