/**
 * Makes a live document's accepted updates durable, in order, and tells when: an append resolves only after
 * fsync (group commit in the store). A write error (disk full, I/O error) keeps the update in memory, stops
 * the document from accepting edits and retries until the disk takes it again: nothing is lost, and nothing is
 * acknowledged that is not on disk.
 */
import { EventEmitter } from 'node:events'
import * as Y from 'yjs'
import type { Logger } from '../logger.ts'
import type { DocumentStore } from '../storage/documentStore.ts'

export interface WriterEvents {
  writable: [writable: boolean, message: string]
}

const RETRY_MS = 1000

export class DocumentWriter extends EventEmitter<WriterEvents> {
  private tail: Promise<void> = Promise.resolve()
  /** Updates applied in memory whose append failed; retried until the disk takes them. */
  private unsaved: { update: Uint8Array; userId: string }[] = []
  private retryTimer: NodeJS.Timeout | null = null
  private bytesSinceCompaction = 0
  private compacting = false
  writable = true

  constructor(
    private readonly store: DocumentStore,
    private readonly docId: string,
    private readonly logger: Logger,
    private readonly compactAfterBytes: number,
    private readonly fullState: () => Uint8Array,
  ) {
    super()
  }

  /** Appends; resolves once this and every earlier update are durable, rejects if this one is not. */
  append(update: Uint8Array, userId: string): Promise<void> {
    const run = this.tail.then(async () => {
      if (!this.writable) {
        this.unsaved.push({ update, userId })
        throw new Error('storage unavailable')
      }
      try {
        await this.store.append(this.docId, update, userId)
        this.bytesSinceCompaction += update.byteLength
      } catch (error) {
        this.unsaved.push({ update, userId })
        this.fail(error as Error)
        throw error
      }
    })
    this.tail = run.catch(() => undefined)
    void run.then(
      () => this.maybeCompact(),
      () => undefined,
    )
    return run
  }

  /** Resolves when everything appended so far has settled (durable or failed). */
  async flush(): Promise<void> {
    await this.tail
  }

  get hasUnsaved(): boolean {
    return this.unsaved.length > 0
  }

  private fail(error: Error): void {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO'
    this.logger.error({ docId: this.docId, code, err: error }, 'document storage write failed')
    if (!this.writable) return
    this.writable = false
    this.emit(
      'writable',
      false,
      `The server cannot save right now (${code}). Your changes are kept on your device.`,
    )
    this.scheduleRetry()
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      void this.retry()
    }, RETRY_MS)
    this.retryTimer.unref()
  }

  /** Writes what failed as one merged update; on success the document accepts edits again. */
  private async retry(): Promise<void> {
    const pending = this.unsaved
    if (pending.length === 0) {
      this.recover()
      return
    }
    const merged = Y.mergeUpdates(pending.map((p) => p.update))
    const attempt = this.tail.then(() => this.store.append(this.docId, merged, pending[0]!.userId))
    this.tail = attempt.catch(() => undefined)
    try {
      await attempt
      this.unsaved = this.unsaved.slice(pending.length)
      this.recover()
    } catch (error) {
      this.logger.warn(
        { docId: this.docId, code: (error as NodeJS.ErrnoException).code },
        'storage still failing',
      )
      this.scheduleRetry()
    }
  }

  private recover(): void {
    if (this.unsaved.length > 0) {
      this.scheduleRetry()
      return
    }
    if (this.writable) return
    this.writable = true
    this.logger.info({ docId: this.docId }, 'document storage writable again')
    this.emit('writable', true, 'All changes can be saved again.')
  }

  /**
   * Compaction runs in the append chain, so no append interleaves with it: the snapshot's state is taken when
   * it runs and covers every earlier append (they were applied before being appended).
   */
  private maybeCompact(): void {
    if (this.compacting || this.bytesSinceCompaction < this.compactAfterBytes || !this.writable) return
    this.compacting = true
    const run = this.tail.then(async () => {
      try {
        await this.store.compact(this.docId, this.fullState())
        this.bytesSinceCompaction = 0
      } catch (error) {
        this.logger.warn({ docId: this.docId, err: error }, 'compaction failed; the log stays as it is')
      } finally {
        this.compacting = false
      }
    })
    this.tail = run
  }

  dispose(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer)
  }
}
