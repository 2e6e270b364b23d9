/**
 * Loads live documents on demand (one load at a time per document), creates new ones with their seeded
 * content, and unloads them once no client is connected and their data is safe on disk.
 */
import * as Y from 'yjs'
import type { Logger } from '../logger.ts'
import type { DocumentStore } from '../storage/documentStore.ts'
import { causalityCheck } from './checks/causality.ts'
import { createClauseLockCheck } from './checks/clauseLock.ts'
import type { LockTable } from './checks/lockTable.ts'
import { permissionCheck } from './checks/permission.ts'
import { UpdatePipeline } from './checks/pipeline.ts'
import { DocumentWriter } from './documentWriter.ts'
import { type Limits, LiveDocument } from './liveDocument.ts'

export interface HubOptions extends Limits {
  compactAfterBytes: number
  unloadAfterMs: number
}

/** Called once a document is loaded, before any client sees it: restores locks from the decision record. */
export type LoadHook = (live: LiveDocument) => Promise<void>

export class DocumentStorageMissingError extends Error {
  constructor(id: string) {
    super(`The stored text of document ${id} is missing from the data directory.`)
  }
}

export class DocumentHub {
  private readonly live = new Map<string, LiveDocument>()
  private readonly loading = new Map<string, Promise<LiveDocument>>()
  private readonly sweeper: NodeJS.Timeout
  private readonly loadHooks: LoadHook[] = []

  constructor(
    private readonly store: DocumentStore,
    private readonly options: HubOptions,
    private readonly logger: Logger,
  ) {
    this.sweeper = setInterval(() => void this.unloadIdle(), Math.max(1000, options.unloadAfterMs / 2))
    this.sweeper.unref()
  }

  onLoad(hook: LoadHook): void {
    this.loadHooks.push(hook)
  }

  /** The pipeline every update passes: decoding happens before, then these named steps. */
  private pipelineFor = (locks: LockTable) =>
    new UpdatePipeline([permissionCheck, causalityCheck, createClauseLockCheck(locks)])

  loaded(id: string): LiveDocument | undefined {
    return this.live.get(id)
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
    const stored = await this.store.load(id)
    // Never replace missing storage by an empty document: that would silently lose the text.
    if (!stored) throw new DocumentStorageMissingError(id)
    const doc = new Y.Doc({ gc: true })
    for (const repair of stored.repairs)
      this.logger.warn({ docId: id, repair }, 'document log had a torn tail; it was cut off and saved aside')
    doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot, 'load')
      for (const record of stored.updates) Y.applyUpdate(doc, record.update, 'load')
    }, 'load')
    return this.register(id, doc)
  }

  /** Creates a document from its initial content; durable before it resolves. */
  async create(id: string, seed: (doc: Y.Doc) => void): Promise<LiveDocument> {
    const doc = new Y.Doc({ gc: true })
    doc.transact(() => seed(doc), 'load')
    await this.store.create(id, Y.encodeStateAsUpdate(doc), 'system')
    return this.register(id, doc)
  }

  private async register(id: string, doc: Y.Doc): Promise<LiveDocument> {
    const live = new LiveDocument(id, doc, this.pipelineFor, this.options, this.logger)
    live.attachWriter(
      new DocumentWriter(this.store, id, this.logger, this.options.compactAfterBytes, () =>
        Y.encodeStateAsUpdate(doc),
      ),
    )
    try {
      for (const hook of this.loadHooks) await hook(live)
    } catch (error) {
      // Not registered: release the store's handles so that the next attempt reports the same cause.
      live.destroy()
      await this.store.close(id).catch(() => undefined)
      throw error
    }
    this.live.set(id, live)
    return live
  }

  private async unloadIdle(): Promise<void> {
    const now = Date.now()
    for (const [id, live] of this.live) {
      if (live.connections.size > 0 || now - live.lastActivity < this.options.unloadAfterMs) continue
      await live.flush()
      // Still idle and everything durable: safe to drop from memory.
      if (live.connections.size > 0 || !live.writable) continue
      this.live.delete(id)
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
    await this.store.closeAll()
  }
}
