/**
 * One deliverable's live Yjs document: its connections, presence, the update checks and its writer. The
 * protocol loop here knows nothing of roles, locks or disks: permission comes from the connection, the checks
 * from the checker, durability from the writer, and what the product adds (consensus) from its hooks.
 *
 * An accepted update is applied atomically (SYNC.md §2.8): what Yjs emits while applying it is held until the
 * apply has finished without a throw and without anything pending; only then is it stored and sent. Otherwise
 * nothing of it leaves this object, and the document is reported broken so that the hub reloads it from storage.
 */

import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { ClauseEntry } from '../../shared/clauses/clauseText.ts'
import type { ItemId } from '../../shared/domain/consensus.ts'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import type { ServerMessage } from '../../shared/protocol/messages.ts'
import { CLOSE_CODES } from '../../shared/protocol/messages.ts'
import type { Logger } from '../logger.ts'
import { UndecodableUpdateError } from './checks/decodedUpdate.ts'
import { LockTable } from './checks/lockTable.ts'
import { type CheckResult, UpdateChecker } from './checks/pipeline.ts'
import type { Refusal, UpdateCheck } from './checks/types.ts'
import { insertedClauseKeys, mayDuplicateClauseIds, repairClauseIds } from './clauseIds.ts'
import { ClauseIndex } from './clauseIndex.ts'
import { type ClientOwners, SYSTEM_USER } from './clientOwners.ts'
import type { SyncConnection } from './connection.ts'
import type { DocumentWriter } from './documentWriter.ts'
import { LivePresence } from './livePresence.ts'
import { type MessageLimits, tooLarge } from './messageSize.ts'
import { Outbox, type OutgoingUpdate } from './outbox.ts'
import { SyncAnswers } from './syncAnswers.ts'
import { decodeIncoming, encodeAccord, encodeSyncStep1, type IncomingMessage } from './wire.ts'

/** The origin of edits the server makes itself (seeding, id repair); stored as user "system". */
export const SERVER_ORIGIN = Symbol('server')

export interface Limits extends MessageLimits {
  maxUpdateStructs: number
}

/** What the rest of the server hooks into a live document (declared here, given at construction). */
export interface LiveDocumentHooks {
  /** A connection said hello (once per connection): it understands Accord's messages. */
  hello(live: LiveDocument, connection: SyncConnection): void
  /** An apply failed half-way or left structs pending: nothing of it was stored or sent; reload the document. */
  broken(live: LiveDocument, reason: string): void
  /** An update is durable and on its way to the connections (a client's or the server's own). */
  committed(live: LiveDocument, update: Uint8Array, origin: unknown): void
  /** An Accord message other than hello, from a connection that said hello (e.g. a meeting command). */
  message?(live: LiveDocument, connection: SyncConnection, message: { type: string }): void
}

export interface LiveDocumentParts {
  /** Checks the server's extensions add after the sync layer's own. */
  checks?: UpdateCheck[]
  owners: ClientOwners
  writer: DocumentWriter
  limits: Limits
  logger: Logger
  hooks: LiveDocumentHooks
}

type Acknowledgement = NonNullable<OutgoingUpdate['acknowledge']>

/** Who an applied update came from: a client's connection, or a user on whose behalf the server edits. */
type Editor = Pick<SyncConnection, 'user' | 'refuse'>

export class LiveDocument {
  private readonly presence: LivePresence
  private readonly locks = new LockTable()
  readonly connections = new Set<SyncConnection>()
  lastActivity = Date.now()
  /** Set once the document failed to apply an update: it takes nothing more and is being reloaded. */
  broken = false

  private readonly owners: ClientOwners
  private readonly writer: DocumentWriter
  private readonly checker: UpdateChecker
  private readonly outbox: Outbox
  /** Accepted updates appended but not yet durable, in order; they go to the outbox once durable. */
  private readonly awaitingDurability: (OutgoingUpdate & { durable: boolean })[] = []
  /** Updates Yjs emitted during the apply in progress; null when no client update is being applied. */
  private applying: Uint8Array[] | null = null
  /** Answers to sync step 1; the whole document encoded once per change (syncAnswers.ts). */
  private readonly answers: SyncAnswers
  /** The clause list and hashes, kept until the text changes (every hello's welcome reads them). */
  private readonly clauseIndex: ClauseIndex

  constructor(
    readonly id: string,
    readonly doc: Y.Doc,
    private readonly parts: LiveDocumentParts,
  ) {
    this.owners = parts.owners
    // The server's own clientID writes seeds and repairs; nobody else may claim it first.
    this.owners.claim(doc.clientID, SYSTEM_USER)
    this.writer = parts.writer
    this.checker = new UpdateChecker(
      doc,
      this.locks,
      this.owners,
      parts.limits.maxUpdateStructs,
      parts.checks,
    )
    this.presence = new LivePresence(doc, this.connections, (connection, message) =>
      this.closeMalformed(connection, message),
    )
    this.outbox = new Outbox(this.connections, this.presence.awareness)
    // First: the clause list is stale before anything committed reads it.
    this.clauseIndex = new ClauseIndex(doc, () => this.body)
    this.answers = new SyncAnswers(doc)
    this.doc.on('update', this.onDocumentUpdate)
    this.awareness.on('update', this.onAwarenessUpdate)
    this.writer.on('writable', (writable, message) => {
      // Back from a write failure: the writer has written every kept record again.
      if (writable) this.releaseDurable(this.awaitingDurability.length)
      this.tellAll({ type: 'storage', writable, message })
    })
  }

  get awareness(): Awareness {
    return this.presence.awareness
  }

  get body(): Y.XmlFragment {
    return this.doc.getXmlFragment(BODY_FIELD)
  }

  get writable(): boolean {
    return this.writer.writable
  }

  /** The clientID → user map, as the writer keeps it with snapshots. */
  clientOwners(): ReadonlyMap<number, string> {
    return this.owners.snapshot()
  }

  /** Resolves when every accepted update so far is durable (or has failed), and sent. */
  async flush(): Promise<void> {
    await this.writer.flush()
    this.outbox.flush()
  }

  attach(connection: SyncConnection): void {
    if (this.broken) {
      // Dropped between the hub handing it out and the socket attaching: reconnect to the reloaded one.
      connection.close(CLOSE_CODES.tryAgainLater, 'document reloaded')
      return
    }
    this.connections.add(connection)
    this.outbox.added(connection)
    this.lastActivity = Date.now()
    connection.send(encodeSyncStep1(Y.encodeStateVector(this.doc)))
    this.presence.join(connection)
  }

  detach(connection: SyncConnection): void {
    if (!this.connections.delete(connection)) return
    this.outbox.removed(connection)
    this.presence.leave(connection)
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
    const refusal = tooLarge(message, data.byteLength, this.parts.limits)
    if (refusal) {
      connection.refused = true
      connection.tell(refusal)
      connection.close(CLOSE_CODES.tooLarge, 'too-large')
      return
    }
    switch (message.kind) {
      case 'sync-step-1':
        // The answer is built from the server's own document: nothing of the client is applied here.
        connection.send(this.answers.step2For(message.stateVector))
        return
      case 'sync-step-2':
        connection.awaitingStep2 = false
        this.receiveUpdate(connection, message.update, 'step-2')
        return
      case 'sync-update':
        this.receiveUpdate(connection, message.update, 'update')
        return
      case 'awareness':
        this.presence.admit(connection, message.update)
        return
      case 'query-awareness':
        this.presence.answerQuery(connection)
        return
      case 'auth':
        return
      case 'accord':
        if (message.message.type === 'hello')
          this.receiveHello(connection, message.message as { clientId?: unknown })
        else if (connection.speaksAccord) this.parts.hooks.message?.(this, connection, message.message)
        return
    }
  }

  /** The clauses in document order; listed once per version of the text. */
  clauses(): ClauseEntry[] {
    return this.clauseIndex.clauses()
  }

  /** The clause's content hash (`clauseHash`), computed once per change of the clause. */
  clauseHash(element: Y.XmlElement): string {
    return this.clauseIndex.hashOf(element)
  }

  /** Locks an agreed clause, bound to its element's item id; false when the document has no such element. */
  lockAgreed(item: ItemId, sectionId: string): boolean {
    return this.locks.protect(this.doc, item, sectionId, 'agreed')
  }

  /** Unlocks a reopened clause; a required clause stays protected against removal. */
  unlockAgreed(item: ItemId): void {
    this.locks.unprotect(item, 'agreed')
  }

  /** Protects one of clauses 2 to 5 against removal. */
  protectRequired(item: ItemId): void {
    this.locks.protect(this.doc, item, `required:${item.client}:${item.clock}`, 'required')
  }

  /**
   * Only the first hello of a connection counts (each one costs the consensus state of every clause). It may
   * name the replica's clientID: claimed for the user now, so that nobody else can write under it first, and
   * covered by this connection's "saved" acknowledgements.
   */
  private receiveHello(connection: SyncConnection, hello: { clientId?: unknown }): void {
    if (connection.speaksAccord) return
    connection.speaksAccord = true
    const clientId = hello.clientId
    if (typeof clientId === 'number' && Number.isSafeInteger(clientId) && clientId >= 0) {
      if (Y.getState(this.doc.store, clientId) === 0) this.owners.claim(clientId, connection.user.id)
      if (this.owners.ownerOf(clientId) === connection.user.id) connection.replicaClientId = clientId
    }
    this.parts.hooks.hello(this, connection)
    // A reconnecting client learns that what the server holds of its replica is durable.
    if (connection.replicaClientId !== null) this.acknowledgeWhenDurable(connection, [])
  }

  /**
   * An out-of-order update that the client's own sync step 2 will complete: the first of a connection that said
   * hello, and only of the replica's own clientID (an honest editor's keystroke at reconnect). Anything else that
   * fails causality is refused at once.
   */
  private mayBeInFlight(connection: SyncConnection, bytes: Uint8Array): boolean {
    if (connection.askedToResync || connection.replicaClientId === null) return false
    const clients = [...Y.parseUpdateMeta(bytes).to.keys()]
    return clients.length === 1 && clients[0] === connection.replicaClientId
  }

  private receiveUpdate(connection: SyncConnection, bytes: Uint8Array, kind: 'step-2' | 'update'): void {
    if (connection.refused || this.broken) return
    // Waiting for the step 2 that fills a gap (below): this update is in the client's replica and comes with it.
    if (kind === 'update' && connection.awaitingStep2) return
    let result: CheckResult
    try {
      result = this.checker.check(bytes, { userId: connection.user.id, canEdit: connection.canEdit })
    } catch (error) {
      if (!(error instanceof UndecodableUpdateError)) throw error
      this.closeMalformed(connection, `undecodable update: ${error.message}`)
      return
    }
    if (result.kind === 'accepted' && !this.writer.writable) {
      connection.refuse({
        ok: false,
        reason: 'storage-unavailable',
        message: 'The server cannot save right now.',
      })
      return
    }
    if (result.kind === 'refused') {
      const { verdict } = result
      if (
        verdict.reason === 'resync-required' &&
        kind === 'update' &&
        this.mayBeInFlight(connection, bytes)
      ) {
        // A keystroke sent as the socket reopened, ahead of the client's sync step 2 with what it typed offline
        // (y-websocket sends updates as soon as the socket is open): not applied, so nothing goes pending; the
        // client is asked for everything the server lacks, which includes this update. Once per connection: a
        // step 2 that still leaves a gap is refused as SYNC.md §2.5 says.
        connection.askedToResync = true
        connection.awaitingStep2 = true
        connection.send(encodeSyncStep1(Y.encodeStateVector(this.doc)))
        return
      }
      this.parts.logger.info(
        { docId: this.id, user: connection.user.id, step: verdict.step, reason: verdict.reason },
        'update refused',
      )
      connection.refuse(verdict)
      return
    }
    if (result.kind === 'no-op') {
      // Nothing new (a reader's provider re-sends known deletions on every reconnect; a client may send an update
      // twice): accepted, and answered with what the server durably holds of the sender's own clientIDs in it.
      this.acknowledgeWhenDurable(connection, [...Y.parseUpdateMeta(bytes).to.keys()])
      return
    }
    const clients = [...result.update.byClient.keys()]
    const applied = this.applyAccepted(connection, result, () => this.acknowledgementFor(connection, clients))
    if (applied === 0) this.acknowledgeWhenDurable(connection, clients)
  }

  /**
   * Apply → append → broadcast of an update the checks accepted, from a client or on a user's behalf: its clientIDs
   * become the user's, the last emitted update carries the acknowledgement. Answers how many updates Yjs emitted,
   * or null when the apply failed (the editor was refused and the document is being reloaded).
   */
  private applyAccepted(
    editor: Editor,
    result: Extract<CheckResult, { kind: 'accepted' }>,
    acknowledgement?: () => Acknowledgement,
  ): number | null {
    const emitted = this.applyAtomically(editor, result.update.bytes)
    if (!emitted) return null
    for (const client of result.update.byClient.keys()) this.owners.claim(client, editor.user.id)
    const acknowledge = acknowledgement?.()
    emitted.forEach((update, i) => {
      this.commit(update, editor, i === emitted.length - 1 ? acknowledge : undefined)
    })
    if (mayDuplicateClauseIds(result.integration))
      repairClauseIds(this.body, this.locks, SERVER_ORIGIN, insertedClauseKeys(result.update))
    return emitted.length
  }

  /** The updates Yjs emitted for `bytes`, or null when the apply threw or left anything pending. */
  private applyAtomically(connection: Editor, bytes: Uint8Array): Uint8Array[] | null {
    const emitted: Uint8Array[] = []
    this.applying = emitted
    let failure: string | null = null
    try {
      Y.applyUpdate(this.doc, bytes, connection)
    } catch (error) {
      failure = `applying an accepted update threw: ${(error as Error).message}`
    } finally {
      this.applying = null
    }
    const store = this.doc.store as unknown as { pendingStructs: unknown; pendingDs: unknown }
    if (!failure && (store.pendingStructs !== null || store.pendingDs !== null))
      failure = 'an accepted update left structs pending'
    if (!failure) return emitted
    this.broken = true
    this.writer.freeze()
    this.parts.logger.error({ docId: this.id, user: connection.user.id, failure }, 'update not applied')
    connection.refuse({
      ok: false,
      reason: 'resync-required',
      message: 'The server could not apply this change; nothing of it was kept.',
    })
    this.parts.hooks.broken(this, failure)
    return null
  }

  private readonly onDocumentUpdate = (update: Uint8Array, origin: unknown): void => {
    if (this.applying) this.applying.push(update)
    else if (origin !== 'load') this.commit(update, origin)
  }

  /**
   * Check → apply → append → broadcast: an update is sent to others, and acknowledged to its sender, only once it
   * is durable, so that no replica ever holds what the server could forget in a crash (after one, such a replica
   * would re-send another user's lost structs, which the ownership check must refuse). Appends resolve in order.
   */
  private commit(update: Uint8Array, origin: unknown, acknowledge?: Acknowledgement): void {
    const sender = origin as SyncConnection | typeof SERVER_ORIGIN
    const userId = sender === SERVER_ORIGIN || typeof sender !== 'object' ? SYSTEM_USER : sender.user.id
    const entry = { update, origin, acknowledge, durable: false }
    this.awaitingDurability.push(entry)
    this.writer.append(update, userId).then(
      () => {
        entry.durable = true
        this.releaseDurable(0)
        this.parts.hooks.committed(this, update, origin)
      },
      // Kept by the store and written again by the writer's retry, which then reports the document writable.
      () => undefined,
    )
  }

  /** Hands the durable prefix (or the first `count`, known durable) of what awaits durability to the outbox. */
  private releaseDurable(count: number): void {
    let released = 0
    while (released < this.awaitingDurability.length) {
      const entry = this.awaitingDurability[released]!
      if (!entry.durable && released >= count) break
      this.outbox.addUpdate(entry)
      released++
    }
    if (released > 0) this.awaitingDurability.splice(0, released)
  }

  /**
   * What an acknowledgement may claim: the server's state for each clientID of this user's replica that the
   * update wrote, and for the replica's own clientID; never a clock the server does not hold.
   */
  private acknowledgementFor(connection: SyncConnection, clients: number[]): Acknowledgement {
    const covers: Record<string, number> = {}
    const own = connection.replicaClientId
    for (const client of own === null ? clients : [...clients, own])
      if (this.owners.ownerOf(client) === connection.user.id)
        covers[String(client)] = Y.getState(this.doc.store, client)
    return { connection, covers }
  }

  /** Acknowledges the server's present state of these clients once everything accepted so far is durable. */
  private acknowledgeWhenDurable(connection: SyncConnection, clients: number[]): void {
    const { covers } = this.acknowledgementFor(connection, clients)
    void this.flush().then(() => {
      if (!this.writer.hasUnsaved) connection.tell({ type: 'saved', clocks: covers })
    })
  }

  private readonly onAwarenessUpdate = ({
    added,
    updated,
    removed,
  }: {
    added: number[]
    updated: number[]
    removed: number[]
  }): void => {
    this.outbox.addPresence([...added, ...updated, ...removed])
  }

  private closeMalformed(connection: SyncConnection, message: string): void {
    this.parts.logger.info(
      { docId: this.id, user: connection.user.id, message },
      'malformed message; connection closed',
    )
    connection.refused = true
    connection.close(CLOSE_CODES.malformed, 'malformed message')
  }

  /**
   * An edit the server makes on behalf of a user (a version restored): an update built on a copy of this
   * document passes the same checks as a client's, then is applied, stored as that user's and sent to every
   * connection. Returns the refusal, or null when it was applied (or changed nothing).
   */
  editAs(userId: string, bytes: Uint8Array): Refusal | null {
    if (this.broken)
      return { ok: false, reason: 'resync-required', message: 'The document is being reloaded; try again.' }
    const result = this.checker.check(bytes, { userId, canEdit: true })
    if (result.kind === 'refused') return result.verdict
    if (result.kind === 'no-op') return null
    if (!this.writer.writable)
      return { ok: false, reason: 'storage-unavailable', message: 'The server cannot save right now.' }
    let refusal: Refusal | null = null
    const editor: Editor = {
      user: { id: userId } as SyncConnection['user'],
      refuse: (verdict) => {
        refusal = verdict
      },
    }
    return this.applyAccepted(editor, result) === null ? refusal : null
  }

  /** An edit by the server itself (seeding, repair): stored as user "system". */
  serverEdit(change: () => void): void {
    this.doc.transact(change, SERVER_ORIGIN)
  }

  tellAll(message: ServerMessage): void {
    // Never ahead of the text it is about; one frame, encoded once, for everyone (relayed once per node). Corked
    // meanwhile: a connection the flush still owes text gets that text and this message in one write.
    const frame = encodeAccord(message)
    const connections = [...this.connections]
    for (const connection of connections) connection.cork()
    try {
      this.outbox.flush()
      for (const connection of connections) if (connection.speaksAccord) connection.send(frame)
    } finally {
      for (const connection of connections) connection.uncork()
    }
  }

  closeAll(code: number, reason: string): void {
    this.outbox.flush()
    for (const connection of this.connections) connection.close(code, reason)
  }

  destroy(): void {
    this.outbox.discard()
    this.presence.destroy()
    this.writer.dispose()
    this.doc.destroy()
  }
}
