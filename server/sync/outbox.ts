/**
 * What a live document sends to its connections. In a meeting the cost of a broadcast is one socket write per
 * follower (a few microseconds of kernel time each, ~1.5 ms for 200 followers here), so two people typing within
 * the same millisecond used to cost two full fan-outs, the second waiting for the first. Instead:
 *
 * - updates accepted in one event-loop turn are merged and sent as one frame per connection;
 * - a fan-out is sent in slices, and between slices the event loop reads its sockets: an update that arrives
 *   meanwhile joins the frame of every connection not served yet, and only those served before it need a second
 *   frame. Each connection receives, in order, every update it does not already have, never its own.
 *
 * Presence changes of one turn go out as one awareness message. Only durable updates are handed to the outbox
 * (liveDocument.ts): nobody is ever sent a state the server could forget in a crash.
 */
import type { Awareness } from 'y-protocols/awareness'
import { encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { SyncConnection } from './connection.ts'
import { encodeAwareness, encodeSyncUpdate } from './wire.ts'

export interface OutgoingUpdate {
  update: Uint8Array
  /** The connection it came from (which already has it), or another origin (server edits, loading). */
  origin: unknown
  /** Acknowledge to this connection (the update is durable) that the server holds these clocks. */
  acknowledge?: { connection: SyncConnection; covers: Record<string, number> }
}

/** Connections served between two reads of the sockets. */
const SLICE = 32

interface Frame {
  frame: Uint8Array
  /** The updates merged into it, for the connections among their origins (sent all but their own). */
  updates: OutgoingUpdate[]
  origins: ReadonlySet<unknown>
}

export class Outbox {
  /** Updates not yet sent to every connection; `log[i]` has sequence number `firstSeq + i`. */
  private log: OutgoingUpdate[] = []
  private firstSeq = 0
  /** Per connection, the sequence number of the first update it has not been sent. */
  private readonly next = new Map<SyncConnection, number>()
  /** The fan-out in progress: connections in the order they are served, and how far it has come. */
  private walk: { order: SyncConnection[]; position: number } | null = null
  /** Frames of the fan-out in progress, by the range of updates they hold. */
  private frames = new Map<string, Frame>()
  /** Sequence number of the first update whose acknowledgement has not gone out. */
  private acknowledgedUpTo = 0
  private readonly presenceChanged = new Set<number>()
  private scheduled: NodeJS.Immediate | null = null

  constructor(
    private readonly connections: ReadonlySet<SyncConnection>,
    private readonly awareness: Awareness,
  ) {}

  private get endSeq(): number {
    return this.firstSeq + this.log.length
  }

  /** A new connection gets the document itself (sync step 2), so nothing held before it joined. */
  added(connection: SyncConnection): void {
    this.next.set(connection, this.endSeq)
  }

  removed(connection: SyncConnection): void {
    this.next.delete(connection)
  }

  addUpdate(update: OutgoingUpdate): void {
    this.log.push(update)
    this.schedule()
  }

  addPresence(clients: Iterable<number>): void {
    for (const client of clients) this.presenceChanged.add(client)
    this.schedule()
  }

  /** Sends everything held, now; for messages that must not overtake the text (consensus) and for shutdown. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = null
    this.sendPresence()
    while (this.step(Number.POSITIVE_INFINITY));
  }

  /** Drops what is held: only for a document being thrown away (flushed before, or never loaded). */
  discard(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = null
    this.firstSeq = this.acknowledgedUpTo = this.endSeq
    this.log = []
    this.walk = null
    this.frames.clear()
    this.presenceChanged.clear()
  }

  private schedule(): void {
    // setImmediate runs after the poll phase: every message already received in this turn is in the batch.
    this.scheduled ??= setImmediate(() => {
      this.scheduled = null
      this.sendPresence()
      if (this.step(SLICE)) this.schedule()
    })
  }

  /** Serves up to `slice` connections that are behind; returns true while some connection is still behind. */
  private step(slice: number): boolean {
    const end = this.endSeq
    if (this.walk === null) {
      if (this.firstSeq === end) return false
      this.walk = { order: [...this.connections], position: 0 }
    }
    const walk = this.walk
    let served = 0
    while (served < slice && walk.position < walk.order.length) {
      const connection = walk.order[walk.position++]!
      const from = this.next.get(connection)
      if (from === undefined || from >= end) continue
      this.next.set(connection, end)
      const frame = this.frameFor(from, end, connection)
      if (frame) connection.send(frame)
      served++
    }
    this.acknowledge(end)
    if (walk.position < walk.order.length) return true
    this.walk = null
    this.frames.clear()
    // Connections served before the last updates arrived need another walk; when none does, the log is done.
    for (const from of this.next.values()) if (from < end) return true
    this.log = this.log.slice(end - this.firstSeq)
    this.firstSeq = end
    return this.log.length > 0
  }

  private frameFor(from: number, to: number, connection: SyncConnection): Uint8Array | null {
    const key = `${from}:${to}`
    let shared = this.frames.get(key)
    if (!shared) {
      const updates = this.log.slice(from - this.firstSeq, to - this.firstSeq)
      const origins = new Set(updates.map((u) => u.origin))
      shared = { frame: encodeSyncUpdate(merged(updates)), updates, origins }
      this.frames.set(key, shared)
    }
    if (!shared.origins.has(connection)) return shared.frame
    const others = shared.updates.filter((u) => u.origin !== connection)
    return others.length > 0 ? encodeSyncUpdate(merged(others)) : null
  }

  /** Acknowledgements go out with the first slice of their update's fan-out, each once. */
  private acknowledge(end: number): void {
    for (let seq = this.acknowledgedUpTo; seq < end; seq++) {
      const acknowledge = this.log[seq - this.firstSeq]?.acknowledge
      if (acknowledge) acknowledge.connection.tell({ type: 'saved', clocks: acknowledge.covers })
    }
    this.acknowledgedUpTo = Math.max(this.acknowledgedUpTo, end)
  }

  private sendPresence(): void {
    if (this.presenceChanged.size === 0) return
    // A client that left keeps its clock in the awareness meta, so its removal encodes like any change.
    const clients = [...this.presenceChanged].filter((client) => this.awareness.meta.has(client))
    this.presenceChanged.clear()
    if (clients.length === 0) return
    const frame = encodeAwareness(encodeAwarenessUpdate(this.awareness, clients))
    for (const connection of this.connections) connection.send(frame)
  }
}

function merged(updates: readonly OutgoingUpdate[]): Uint8Array {
  return updates.length === 1 ? updates[0]!.update : Y.mergeUpdates(updates.map((u) => u.update))
}
