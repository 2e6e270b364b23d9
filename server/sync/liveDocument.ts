/**
 * One deliverable's live Yjs document: its connections, presence, the check pipeline and its writer. The
 * protocol loop here knows nothing of roles, locks or disks: permission comes from the connection, the checks
 * from the pipeline, durability from the writer.
 */
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { type ClauseEntry, listClauses } from '../../shared/clauses/clauseText.ts'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import type { ServerMessage } from '../../shared/protocol/messages.ts'
import { CLOSE_CODES } from '../../shared/protocol/messages.ts'
import type { Logger } from '../logger.ts'
import { type DecodedUpdate, decodeClientUpdate, UndecodableUpdateError } from './checks/decodedUpdate.ts'
import { LockTable } from './checks/lockTable.ts'
import type { UpdatePipeline } from './checks/pipeline.ts'
import { insertedClauseKeys, mayDuplicateClauseIds, repairClauseIds } from './clauseIds.ts'
import type { SyncConnection } from './connection.ts'
import type { DocumentWriter } from './documentWriter.ts'
import { Outbox, type OutgoingUpdate } from './outbox.ts'
import { applyOwnPresence, MalformedAwarenessError, removePresence } from './presence.ts'
import {
  decodeIncoming,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  type IncomingMessage,
} from './wire.ts'

/** The origin of edits the server makes itself (seeding, id repair); stored as user "system". */
export const SERVER_ORIGIN = Symbol('server')

export interface Limits {
  maxSyncMessageBytes: number
  maxAwarenessMessageBytes: number
}

export class LiveDocument {
  readonly doc: Y.Doc
  readonly awareness: Awareness
  readonly locks = new LockTable()
  readonly connections = new Set<SyncConnection>()
  private readonly pipeline: UpdatePipeline
  private readonly outbox: Outbox
  lastActivity = Date.now()
  private writer!: DocumentWriter

  constructor(
    readonly id: string,
    doc: Y.Doc,
    pipelineFor: (locks: LockTable) => UpdatePipeline,
    private readonly limits: Limits,
    private readonly logger: Logger,
  ) {
    // Built once: the checks close over this document's lock table, which changes in place.
    this.pipeline = pipelineFor(this.locks)
    this.doc = doc
    this.awareness = new Awareness(doc)
    this.awareness.setLocalState(null)
    this.outbox = new Outbox(this.connections, this.awareness, this.store)
    this.doc.on('update', this.onDocumentUpdate)
    this.awareness.on('update', this.onAwarenessUpdate)
  }

  get body(): Y.XmlFragment {
    return this.doc.getXmlFragment(BODY_FIELD)
  }

  attachWriter(writer: DocumentWriter): void {
    this.writer = writer
    writer.on('writable', (writable, message) => this.tellAll({ type: 'storage', writable, message }))
  }

  get writable(): boolean {
    return this.writer.writable
  }

  /** Resolves when every accepted update so far is durable (or has failed). */
  flush(): Promise<void> {
    this.outbox.flush()
    return this.writer.flush()
  }

  attach(connection: SyncConnection): void {
    this.connections.add(connection)
    this.outbox.added(connection)
    this.lastActivity = Date.now()
    connection.send(encodeSyncStep1(Y.encodeStateVector(this.doc)))
    const states = [...this.awareness.getStates().keys()]
    if (states.length > 0) connection.send(encodeAwareness(encodeAwarenessUpdate(this.awareness, states)))
  }

  detach(connection: SyncConnection): void {
    if (!this.connections.delete(connection)) return
    this.outbox.removed(connection)
    removePresence(this.awareness, connection.awarenessClients, connection)
    this.lastActivity = Date.now()
  }

  receive(connection: SyncConnection, data: Uint8Array): void {
    this.lastActivity = Date.now()
    let message: IncomingMessage
    try {
      message = decodeIncoming(data)
    } catch (error) {
      this.closeMalformed(connection, (error as Error).message)
      return
    }
    const limit =
      message.kind === 'awareness' ? this.limits.maxAwarenessMessageBytes : this.limits.maxSyncMessageBytes
    if (data.byteLength > limit) {
      connection.refused = true
      connection.tell({
        type: 'refused',
        reason: 'too-large',
        message: `Message over the ${limit}-byte limit.`,
      })
      connection.close(CLOSE_CODES.tooLarge, 'too-large')
      return
    }
    switch (message.kind) {
      case 'sync-step-1':
        // The answer is built from the server's own document: nothing of the client is applied here.
        connection.send(this.syncStep2For(message.stateVector))
        return
      case 'sync-step-2':
      case 'sync-update':
        this.receiveUpdate(connection, message.update)
        return
      case 'awareness':
        try {
          applyOwnPresence(
            this.awareness,
            message.update,
            connection.awarenessClients,
            (clientId) => this.ownedElsewhere(connection, clientId),
            connection.user,
            connection,
          )
        } catch (error) {
          if (error instanceof MalformedAwarenessError) this.closeMalformed(connection, error.message)
          else throw error
        }
        return
      case 'query-awareness':
        connection.send(
          encodeAwareness(encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])),
        )
        return
      case 'auth':
        return
      case 'accord':
        if (message.message.type === 'hello') {
          connection.speaksAccord = true
          this.onHello?.(connection)
        }
        return
    }
  }

  /**
   * A client with an empty replica (every join) gets the whole document: encoded once and kept until the next
   * change, so that a room of people opening the deliverable together, or a client reconnecting in a loop, costs
   * one encoding rather than one each.
   */
  private wholeDocument: Uint8Array | null = null
  private clauseList: ClauseEntry[] | null = null

  /** The clauses in document order; listed once per version of the text (every join's welcome reads them). */
  clauses(): ClauseEntry[] {
    this.clauseList ??= listClauses(this.body)
    return this.clauseList
  }

  private syncStep2For(stateVector: Uint8Array): Uint8Array {
    const empty = stateVector.byteLength === 1 && stateVector[0] === 0
    if (!empty) return encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector))
    this.wholeDocument ??= encodeSyncStep2(Y.encodeStateAsUpdate(this.doc))
    return this.wholeDocument
  }

  /** Set by the hub: sends the welcome and the consensus state to a client that said hello. */
  onHello?: (connection: SyncConnection) => void

  private receiveUpdate(connection: SyncConnection, bytes: Uint8Array): void {
    if (connection.refused) return
    let update: DecodedUpdate
    try {
      update = decodeClientUpdate(bytes)
    } catch (error) {
      if (error instanceof UndecodableUpdateError)
        this.closeMalformed(connection, `undecodable update: ${error.message}`)
      else throw error
      return
    }
    if (update.empty) return
    if (!this.writer.writable) {
      connection.refuse({
        ok: false,
        reason: 'storage-unavailable',
        message: 'The server cannot save right now.',
      })
      return
    }
    const verdict = this.pipeline.run({ doc: this.doc, update, canEdit: connection.canEdit })
    if (!verdict.ok) {
      this.logger.info(
        { docId: this.id, user: connection.user.id, step: verdict.step, reason: verdict.reason },
        'update refused',
      )
      connection.refuse(verdict)
      return
    }
    for (const [client, clock] of update.clocks)
      connection.written.set(client, Math.max(connection.written.get(client) ?? 0, clock))
    // What this update's acknowledgement may claim: nothing received after it, which is not durable yet.
    const covers = Object.fromEntries(connection.written)
    this.applying = { connection, covers, emitted: false }
    try {
      Y.applyUpdate(this.doc, bytes, connection)
    } finally {
      const { emitted } = this.applying
      this.applying = null
      if (!emitted) this.acknowledgeAfterFlush(connection, covers)
    }
    this.assertNothingPending()
    if (mayDuplicateClauseIds(update))
      repairClauseIds(this.body, this.locks, SERVER_ORIGIN, insertedClauseKeys(update))
  }

  /** The client update being applied right now, so that the document's update event can acknowledge it. */
  private applying: { connection: SyncConnection; covers: Record<string, number>; emitted: boolean } | null =
    null

  private readonly onDocumentUpdate = (update: Uint8Array, origin: unknown): void => {
    this.wholeDocument = null
    this.clauseList = null
    const applying = this.applying
    if (applying && applying.connection === origin) {
      applying.emitted = true
      this.outbox.addUpdate({ update, origin, acknowledge: applying })
    } else this.outbox.addUpdate({ update, origin })
  }

  /** Runs once the outbox has sent a batch: appends each update and acknowledges it once durable. */
  private readonly store = (updates: OutgoingUpdate[]): void => {
    for (const { update, origin, acknowledge } of updates) {
      if (origin === 'load') continue
      const sender = origin as SyncConnection | typeof SERVER_ORIGIN
      const userId = sender === SERVER_ORIGIN || typeof sender !== 'object' ? 'system' : sender.user.id
      const appended = this.writer.append(update, userId)
      if (acknowledge)
        appended.then(
          () => this.acknowledge(acknowledge.connection, acknowledge.covers),
          () => undefined,
        )
    }
  }

  /** A duplicate changes nothing but is still acknowledged, once everything before it is durable. */
  private acknowledgeAfterFlush(connection: SyncConnection, covers: Record<string, number>): void {
    void this.flush().then(() => {
      if (!this.writer.hasUnsaved) this.acknowledge(connection, covers)
    })
  }

  private acknowledge(connection: SyncConnection, covers: Record<string, number>): void {
    connection.tell({ type: 'saved', clocks: covers })
  }

  /** Yjs must never hold a pending struct here (SYNC.md §2); if a crafted update slipped through, drop it. */
  private assertNothingPending(): void {
    const store = this.doc.store as unknown as { pendingStructs: unknown; pendingDs: unknown }
    if (store.pendingStructs !== null || store.pendingDs !== null) {
      this.logger.error({ docId: this.id }, 'an update left pending structs; they were dropped')
      store.pendingStructs = null
      store.pendingDs = null
    }
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    _origin: unknown,
  ): void => {
    this.outbox.addPresence([...added, ...updated, ...removed])
  }

  private ownedElsewhere(connection: SyncConnection, clientId: number): boolean {
    for (const other of this.connections)
      if (other !== connection && other.awarenessClients.has(clientId)) return true
    return false
  }

  private closeMalformed(connection: SyncConnection, message: string): void {
    this.logger.info(
      { docId: this.id, user: connection.user.id, message },
      'malformed message; connection closed',
    )
    connection.refused = true
    connection.close(CLOSE_CODES.malformed, 'malformed message')
  }

  /** An edit by the server itself (seeding, repair): stored as user "system". */
  serverEdit(change: () => void): void {
    this.doc.transact(change, SERVER_ORIGIN)
  }

  tellAll(message: ServerMessage): void {
    // A consensus or storage message must not overtake the text it is about.
    this.outbox.flush()
    for (const connection of this.connections) connection.tell(message)
  }

  closeAll(code: number, reason: string): void {
    this.outbox.flush()
    for (const connection of this.connections) connection.close(code, reason)
  }

  destroy(): void {
    this.outbox.discard()
    this.writer.dispose()
    this.awareness.destroy()
    this.doc.destroy()
  }
}
