/**
 * Makes a live document's accepted updates durable and tells when. Appends go straight to the store, which
 * orders them and shares one fsync among every append in flight (group commit); an append resolves only after
 * its fsync. A write error (disk full, I/O error) stops the document from accepting edits: the store keeps the
 * failed records and writes them again ahead of the next batch, so nothing accepted is dropped, and a retry loop
 * reopens the document once the disk takes writes again.
 */
import { EventEmitter } from 'node:events'
import type { Logger } from '../logger.ts'
import type { DocumentStore } from '../storage/documentStore.ts'

export interface WriterEvents {
  writable: [writable: boolean, message: string]
}

const RETRY_MS = 1000

export class DocumentWriter extends EventEmitter<WriterEvents> {
  private retryTimer: NodeJS.Timeout | null = null
  private bytesSinceCompaction = 0
  private compacting: Promise<void> | null = null
  writable = true
  /** Set when the document's memory can no longer be trusted (a failed apply): it must never be snapshotted. */
  private frozen = false

  constructor(
    private readonly store: DocumentStore,
    private readonly docId: string,
    private readonly logger: Logger,
    private readonly compactAfterBytes: number,
    /** The whole state and its clientID owners, taken together (compaction keeps both). */
    private readonly snapshot: () => { state: Uint8Array; owners: ReadonlyMap<number, string> },
  ) {
    super()
  }

  /** Resolves once this update (and every earlier one) is durable; rejects when that is not known. */
  append(update: Uint8Array, userId: string): Promise<void> {
    const appended = this.store.append(this.docId, update, userId)
    appended.then(
      () => {
        this.bytesSinceCompaction += update.byteLength
        this.maybeCompact()
      },
      (error: Error) => this.fail(error),
    )
    return appended
  }

  /** Resolves when everything appended so far has settled (durable, or failed and kept for the retry). */
  async flush(): Promise<void> {
    await this.store.flush(this.docId).catch(() => undefined)
    await this.compacting
  }

  /** True while updates accepted earlier are not known to be on disk. */
  get hasUnsaved(): boolean {
    return !this.writable
  }

  private fail(error: Error): void {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO'
    if (!this.writable) return
    this.logger.error({ docId: this.docId, code, err: error }, 'document storage write failed')
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

  /** A flush writes the kept records again; once it succeeds, the document accepts edits again. */
  private async retry(): Promise<void> {
    try {
      await this.store.flush(this.docId)
      this.writable = true
      this.logger.info({ docId: this.docId }, 'document storage writable again')
      this.emit('writable', true, 'All changes can be saved again.')
    } catch (error) {
      this.logger.warn(
        { docId: this.docId, code: (error as NodeJS.ErrnoException).code },
        'storage still failing',
      )
      this.scheduleRetry()
    }
  }

  /** Stops compacting for good: the in-memory document holds a half-applied update and is being reloaded. */
  freeze(): void {
    this.frozen = true
  }

  /** The store lets appends go on during a compaction; the state covers every update appended before it. */
  private maybeCompact(): void {
    if (
      this.frozen ||
      this.compacting ||
      this.bytesSinceCompaction < this.compactAfterBytes ||
      !this.writable
    )
      return
    this.bytesSinceCompaction = 0
    const { state, owners } = this.snapshot()
    this.compacting = this.store
      .compact(this.docId, state, owners)
      .catch((error) =>
        this.logger.warn({ docId: this.docId, err: error }, 'compaction failed; the log stays'),
      )
      .finally(() => {
        this.compacting = null
      })
  }

  dispose(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer)
  }
}
