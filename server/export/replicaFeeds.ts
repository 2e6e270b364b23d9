/**
 * What the export worker's copy of each live document has not seen yet. Encoding the whole state of a 120,000-word
 * deliverable for the worker took the event loop 12–29 ms at every export (keystrokes of everyone on the server
 * waited behind it); now it is encoded once, at the first export of a live document, and from then on the worker
 * is sent only the updates the document received since (each `update` event's own bytes, kept by reference: no
 * encoding on the event loop). A copy is forgotten when its document is unloaded, when nobody exported it for a
 * while, or when the worker is lost; the next export then starts a new one.
 */
import * as Y from 'yjs'

/** How one export brings the worker's copy up to date: the whole state for a new copy, then updates in order. */
export interface ReplicaFeed {
  id: number
  /** A complete Yjs update: the worker starts a new copy from it. Null for a copy it has. */
  state: Uint8Array | null
  updates: Uint8Array[]
}

/** What the feeds ask of the worker outside an export. */
export interface ReplicaChannel {
  /** Updates to apply to a copy now, so that they do not pile up on this thread between exports. */
  feed(feed: ReplicaFeed): void
  forget(id: number): void
}

/** Updates waiting past this many bytes are sent at once rather than with the next export. */
const FORWARD_BYTES = 256 * 1024
/** A copy nobody exported for this long is forgotten (the worker's memory is not a second cache of every text). */
export const REPLICA_IDLE_MS = 10 * 60_000

interface Feed {
  id: number
  updates: Uint8Array[]
  bytes: number
  lastExport: number
  stop(): void
}

export class ReplicaFeeds {
  private readonly feeds = new Map<Y.Doc, Feed>()
  private nextId = 1
  private readonly sweeper: ReturnType<typeof setInterval>

  constructor(
    private readonly channel: ReplicaChannel,
    /** How a new copy's whole state is encoded (counted by tests). */
    private readonly encodeState: (doc: Y.Doc) => Uint8Array = (doc) => Y.encodeStateAsUpdate(doc),
  ) {
    this.sweeper = setInterval(() => this.forgetIdle(), REPLICA_IDLE_MS / 4)
    this.sweeper.unref()
  }

  /** What the worker needs to bring its copy of `doc` to the present; starts a copy at the first export. */
  feedFor(doc: Y.Doc): ReplicaFeed {
    const existing = this.feeds.get(doc)
    if (existing) {
      existing.lastExport = Date.now()
      return { id: existing.id, state: null, updates: this.take(existing) }
    }
    const feed = this.follow(doc)
    return { id: feed.id, state: this.encodeState(doc), updates: [] }
  }

  /** The worker was lost with every copy it held: each starts again at its next export. */
  reset(): void {
    for (const feed of this.feeds.values()) feed.stop()
    this.feeds.clear()
  }

  /** How many documents have a copy on the worker (for tests and diagnostics). */
  get size(): number {
    return this.feeds.size
  }

  dispose(): void {
    clearInterval(this.sweeper)
    this.reset()
  }

  private follow(doc: Y.Doc): Feed {
    const onUpdate = (update: Uint8Array) => {
      feed.updates.push(update)
      feed.bytes += update.byteLength
      if (feed.bytes > FORWARD_BYTES)
        this.channel.feed({ id: feed.id, state: null, updates: this.take(feed) })
    }
    const onDestroy = () => this.forgetCopy(doc)
    const feed: Feed = {
      id: this.nextId++,
      updates: [],
      bytes: 0,
      lastExport: Date.now(),
      stop: () => {
        doc.off('update', onUpdate)
        doc.off('destroy', onDestroy)
      },
    }
    // Subscribed in the same tick as the state is encoded: no update falls between the two.
    doc.on('update', onUpdate)
    doc.on('destroy', onDestroy)
    this.feeds.set(doc, feed)
    return feed
  }

  private take(feed: Feed): Uint8Array[] {
    const updates = feed.updates
    feed.updates = []
    feed.bytes = 0
    return updates
  }

  /** Forgets the worker's copy of `doc`, if it has one: its next export starts a new one. */
  forgetCopy(doc: Y.Doc): void {
    const feed = this.feeds.get(doc)
    if (!feed) return
    feed.stop()
    this.feeds.delete(doc)
    this.channel.forget(feed.id)
  }

  private forgetIdle(): void {
    const before = Date.now() - REPLICA_IDLE_MS
    for (const [doc, feed] of this.feeds) if (feed.lastExport < before) this.forgetCopy(doc)
  }
}
