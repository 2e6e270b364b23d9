/**
 * Loads live documents on demand (one load at a time per document), creates new ones with their seeded
 * content, reloads one whose apply failed, and unloads them once no client is connected and their data is safe
 * on disk. What the rest of the server adds to a live document comes in as extensions with named hooks.
 */
import * as Y from 'yjs'
import { CLOSE_CODES } from '../../shared/protocol/messages.ts'
import type { Logger } from '../logger.ts'
import type { DocumentStore } from '../storage/documentStore.ts'
import type { UpdateCheck } from './checks/types.ts'
import { ClientOwners, SYSTEM_USER } from './clientOwners.ts'
import type { SyncConnection } from './connection.ts'
import { DocumentWriter } from './documentWriter.ts'
import { type Limits, LiveDocument, type LiveDocumentHooks } from './liveDocument.ts'

export interface HubOptions extends Limits {
  compactAfterBytes: number
  unloadAfterMs: number
}

/** A part of the server that hooks into every live document, in the order extensions were added. */
export interface DocumentExtension {
  name: string
  /**
   * Before a document is read from storage or created (e.g. take its lease in a cluster). A throw refuses the
   * load; the document's `unload` hook does not run then, so undo here what fails.
   */
  beforeLoad?(id: string): Promise<void>
  /** Once a document is loaded, before any client sees it (e.g. restore locks). A throw fails the load. */
  load?(live: LiveDocument): Promise<void>
  /** A connection said hello (once per connection). */
  hello?(live: LiveDocument, connection: SyncConnection): void
  /**
   * Checks of its own, run after the sync layer's (SYNC.md §2) on every update that passed them; named, pure and
   * read-only like those.
   */
  checks?(): UpdateCheck[]
  /** An accepted update is durable and sent (e.g. to index or audit it); never throws into the sync loop. */
  committed?(live: LiveDocument, update: Uint8Array, origin: unknown): void
  /** An Accord message other than hello (after hello); the extension validates it and never throws. */
  message?(live: LiveDocument, connection: SyncConnection, message: { type: string }): void
  /** The document is leaving memory (idle, reloaded or shutdown), everything accepted being durable. */
  unload?(live: LiveDocument): void
}

/** A `beforeLoad` refusal: another process holds the document (a cluster's owner node); try again shortly. */
export class DocumentHeldElsewhereError extends Error {
  constructor(
    readonly docId: string,
    readonly holder: string,
    readonly validForMs: number,
  ) {
    super(`Document ${docId} is held by node ${holder}.`)
  }
}

export class DocumentStorageMissingError extends Error {
  constructor(id: string) {
    super(`The stored text of document ${id} is missing from the data directory.`)
  }
}

export class DocumentHub {
  private readonly live = new Map<string, LiveDocument>()
  private readonly loading = new Map<string, Promise<LiveDocument>>()
  /** Documents being dropped after a failed apply: a new load waits until their files are released. */
  private readonly dropping = new Map<string, Promise<void>>()
  private readonly sweeper: NodeJS.Timeout
  private readonly extensions: DocumentExtension[] = []

  constructor(
    private readonly store: DocumentStore,
    private readonly options: HubOptions,
    private readonly logger: Logger,
  ) {
    this.sweeper = setInterval(() => void this.unloadIdle(), Math.max(1000, options.unloadAfterMs / 2))
    this.sweeper.unref()
  }

  use(extension: DocumentExtension): void {
    this.extensions.push(extension)
  }

  /** Shorthand for an extension with a load hook only. */
  onLoad(load: (live: LiveDocument) => Promise<void>): void {
    this.use({ name: 'load', load })
  }

  loaded(id: string): LiveDocument | undefined {
    return this.live.get(id)
  }

  /** Loaded or being loaded. */
  has(id: string): boolean {
    return this.live.has(id) || this.loading.has(id)
  }

  loadedDocuments(): LiveDocument[] {
    return [...this.live.values()]
  }

  /** The live document; loads it from storage if needed. Rejects when its storage cannot be read. */
  async get(id: string): Promise<LiveDocument> {
    const existing = this.live.get(id)
    if (existing) {
      existing.lastActivity = Date.now()
      return existing
    }
    let pending = this.loading.get(id)
    if (!pending) {
      pending = this.load(id).finally(() => this.loading.delete(id))
      this.loading.set(id, pending)
    }
    return pending
  }

  private async load(id: string): Promise<LiveDocument> {
    await this.dropping.get(id)
    await this.beforeLoad(id)
    const stored = await this.store.load(id)
    // Never replace missing storage by an empty document: that would silently lose the text.
    if (!stored) throw new DocumentStorageMissingError(id)
    const doc = new Y.Doc({ gc: true })
    const owners = new ClientOwners(stored.clientOwners)
    for (const repair of stored.repairs)
      this.logger.warn({ docId: id, repair }, 'document log had a torn tail; it was cut off and saved aside')
    doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot, 'load')
      for (const record of stored.updates) {
        owners.claimFrom(record.update, record.userId)
        Y.applyUpdate(doc, record.update, 'load')
      }
    }, 'load')
    return this.register(id, doc, owners)
  }

  /** Creates a document from its initial content; durable before it resolves. */
  async create(id: string, seed: (doc: Y.Doc) => void): Promise<LiveDocument> {
    const doc = new Y.Doc({ gc: true })
    doc.transact(() => seed(doc), 'load')
    const initial = Y.encodeStateAsUpdate(doc)
    await this.beforeLoad(id)
    await this.store.create(id, initial, SYSTEM_USER)
    const owners = new ClientOwners()
    owners.claimFrom(initial, SYSTEM_USER)
    return this.register(id, doc, owners)
  }

  private async beforeLoad(id: string): Promise<void> {
    for (const extension of this.extensions) await extension.beforeLoad?.(id)
  }

  private readonly hooks: LiveDocumentHooks = {
    hello: (live, connection) => {
      for (const extension of this.extensions) extension.hello?.(live, connection)
    },
    broken: (live, reason) => void this.drop(live, reason),
    message: (live, connection, message) =>
      this.eachSafely(live, (extension) => extension.message?.(live, connection, message)),
    committed: (live, update, origin) =>
      this.eachSafely(live, (extension) => extension.committed?.(live, update, origin)),
  }

  /** Runs a hook of every extension; one that throws is logged and never breaks the sync loop. */
  private eachSafely(live: LiveDocument, run: (extension: DocumentExtension) => void): void {
    for (const extension of this.extensions) {
      try {
        run(extension)
      } catch (error) {
        this.logger.error({ docId: live.id, extension: extension.name, err: error }, 'extension failed')
      }
    }
  }

  private unloadHooks(live: LiveDocument): void {
    for (const extension of this.extensions) extension.unload?.(live)
  }

  private async register(id: string, doc: Y.Doc, owners: ClientOwners): Promise<LiveDocument> {
    let live: LiveDocument | undefined
    const writer = new DocumentWriter(this.store, id, this.logger, this.options.compactAfterBytes, () => ({
      state: Y.encodeStateAsUpdate(doc),
      owners: live!.clientOwners(),
    }))
    live = new LiveDocument(id, doc, {
      checks: this.extensions.flatMap((extension) => extension.checks?.() ?? []),
      owners,
      writer,
      limits: this.options,
      logger: this.logger,
      hooks: this.hooks,
    })
    try {
      for (const extension of this.extensions) await extension.load?.(live)
    } catch (error) {
      // Not registered: release the store's handles so that the next attempt reports the same cause.
      live.destroy()
      await this.store.close(id).catch(() => undefined)
      throw error
    }
    this.live.set(id, live)
    return live
  }

  /**
   * The document is no longer this process's to hold (a cluster node lost its lease): as a drop, its clients
   * reconnect and are routed to the new owner.
   */
  moveAway(id: string, reason: string): Promise<void> {
    const live = this.live.get(id)
    return live ? this.drop(live, reason) : Promise.resolve()
  }

  /**
   * Drops a document whose in-memory state can no longer be trusted (SYNC.md §2.8): what was accepted before is
   * stored, every connection is closed with a code on which clients reconnect, and the next client loads it again
   * from storage and re-syncs.
   */
  private drop(live: LiveDocument, reason: string): Promise<void> {
    if (this.live.get(live.id) !== live) return Promise.resolve()
    this.live.delete(live.id)
    this.logger.warn({ docId: live.id, reason }, 'document reloaded from storage')
    const dropped = (async () => {
      live.closeAll(CLOSE_CODES.tryAgainLater, 'document reloaded')
      await live.flush()
      this.unloadHooks(live)
      live.destroy()
      await this.store.close(live.id).catch(() => undefined)
    })().finally(() => this.dropping.delete(live.id))
    this.dropping.set(live.id, dropped)
    return dropped
  }

  private async unloadIdle(): Promise<void> {
    const now = Date.now()
    for (const [id, live] of this.live) {
      if (live.connections.size > 0 || now - live.lastActivity < this.options.unloadAfterMs) continue
      await live.flush()
      // Still idle and everything durable: safe to drop from memory.
      if (live.connections.size > 0 || !live.writable || this.live.get(id) !== live) continue
      this.live.delete(id)
      this.unloadHooks(live)
      live.destroy()
      await this.store.close(id)
      this.logger.debug({ docId: id }, 'document unloaded')
    }
  }

  /** Flushes every document to disk and closes their sockets (shutdown). */
  async shutdown(code: number, reason: string): Promise<void> {
    clearInterval(this.sweeper)
    for (const live of this.live.values()) live.closeAll(code, reason)
    await Promise.all([...this.live.values()].map((live) => live.flush()))
    for (const live of this.live.values()) this.unloadHooks(live)
    await Promise.all([...this.dropping.values()])
    await this.store.closeAll()
  }
}
