/**
 * A live document's presence (SYNC.md §4): the server's Awareness, one rate gate per connection, and what a
 * connection may write into it (its own clientIDs only, bounded by presence.ts). Carets and selections only: no
 * state of the product travels here.
 */
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import type * as Y from 'yjs'
import type { SyncConnection } from './connection.ts'
import { applyOwnPresence, MalformedAwarenessError, removePresence } from './presence.ts'
import { PresenceGate } from './presenceGate.ts'
import { encodeAwareness } from './wire.ts'

export class LivePresence {
  readonly awareness: Awareness
  private readonly gates = new Map<SyncConnection, PresenceGate>()

  constructor(
    doc: Y.Doc,
    private readonly connections: ReadonlySet<SyncConnection>,
    /** A connection sent presence that does not decode: it is closed. */
    private readonly malformed: (connection: SyncConnection, message: string) => void,
  ) {
    this.awareness = new Awareness(doc)
    this.awareness.setLocalState(null)
  }

  /** A new connection: it gets a gate, and everyone's present state. */
  join(connection: SyncConnection): void {
    this.gates.set(connection, new PresenceGate((update) => this.apply(connection, update)))
    const everyone = this.everyone()
    if (everyone) connection.send(everyone)
  }

  leave(connection: SyncConnection): void {
    this.gates.get(connection)?.dispose()
    this.gates.delete(connection)
    removePresence(this.awareness, connection.awarenessClients, connection)
  }

  /** An awareness message, through the connection's rate gate. */
  admit(connection: SyncConnection, update: Uint8Array): void {
    this.gates.get(connection)?.admit(update)
  }

  /** A presence query, answered within the connection's query budget. */
  answerQuery(connection: SyncConnection): void {
    if (!this.gates.get(connection)?.mayAnswerQuery()) return
    const states = [...this.awareness.getStates().keys()]
    connection.send(encodeAwareness(encodeAwarenessUpdate(this.awareness, states)))
  }

  destroy(): void {
    for (const gate of this.gates.values()) gate.dispose()
    this.awareness.destroy()
  }

  private everyone(): Uint8Array | null {
    const states = [...this.awareness.getStates().keys()]
    return states.length > 0 ? encodeAwareness(encodeAwarenessUpdate(this.awareness, states)) : null
  }

  private apply(connection: SyncConnection, update: Uint8Array): void {
    if (!this.connections.has(connection)) return
    try {
      applyOwnPresence(
        this.awareness,
        update,
        connection.awarenessClients,
        (clientId) => this.ownedElsewhere(connection, clientId),
        connection.user,
        connection,
      )
    } catch (error) {
      if (error instanceof MalformedAwarenessError) this.malformed(connection, error.message)
      else throw error
    }
  }

  private ownedElsewhere(connection: SyncConnection, clientId: number): boolean {
    for (const other of this.connections)
      if (other !== connection && other.awarenessClients.has(clientId)) return true
    return false
  }
}
