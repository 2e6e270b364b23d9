/**
 * The offline copy in IndexedDB (y-indexeddb), written in batches. y-indexeddb stores every Yjs update in its own
 * IndexedDB transaction, each keystroke and each remote change: on the 120,000-word deliverable with two others
 * typing that was a tenth of the page's time (README, Performance). Here the updates of a short while are merged
 * (`Y.mergeUpdates`) and stored in one transaction, in the same store and format as y-indexeddb's, which still
 * loads, compacts and clears the copy.
 *
 * Batching is for a replica online, whose updates the server holds too: offline, this copy is the only one and each
 * update is written at once. Nothing typed may be lost when the tab goes: what waits is written at once when the page
 * is hidden, frozen or left (`visibilitychange`, `freeze`, `pagehide`: the last moments a browser gives a page, and
 * the only ones on a phone) and when the replica is closed. Each transaction is committed explicitly at once, so that
 * the browser completes it even when the page is gone before the write succeeded.
 */
import { IndexeddbPersistence, PREFERRED_TRIM_SIZE, storeState } from 'y-indexeddb'
import * as Y from 'yjs'

/** How long an update may wait to be merged with the next ones before it is stored. */
export const BATCH_MS = 400
const UPDATES_STORE = 'updates'

export class BatchedIndexeddbPersistence extends IndexeddbPersistence {
  private waiting: Uint8Array[] = []
  private timer: ReturnType<typeof setTimeout> | undefined

  /** `mayWait` says whether updates may wait to be batched: not while offline, where this copy is the only one. */
  constructor(name: string, doc: Y.Doc, mayWait: () => boolean) {
    super(name, doc)
    // Replace y-indexeddb's writer (one transaction per update) by the batching one.
    doc.off('update', this._storeUpdate)
    this._storeUpdate = (update, origin) => {
      // As y-indexeddb: nothing before the database is open (its first write then stores the whole state), and
      // not what was just read from it.
      if (!this.db || origin === this) return
      this.waiting.push(update)
      if (mayWait()) this.timer ??= setTimeout(this.flush, BATCH_MS)
      else this.flush()
    }
    doc.on('update', this._storeUpdate)
    addEventListener('pagehide', this.flush)
    document.addEventListener('freeze', this.flush)
    document.addEventListener('visibilitychange', this.flushWhenHidden)
  }

  /** Stores what waits, in one IndexedDB transaction. */
  readonly flush = (): void => {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.waiting.length === 0 || !this.db || this._destroyed) return
    const update = this.waiting.length === 1 ? this.waiting[0]! : Y.mergeUpdates(this.waiting)
    this.waiting = []
    try {
      const transaction = this.db.transaction(UPDATES_STORE, 'readwrite')
      transaction.objectStore(UPDATES_STORE).add(update)
      // Commit now rather than when the page has seen the request succeed: after `pagehide` the page may be gone
      // before then, and Chromium aborts a transaction whose page went without committing it (the last keys typed
      // offline were lost under load).
      transaction.commit()
    } catch (error) {
      // The connection is closing: the copy is being deleted (logout clears it while the editor unmounts). What
      // waited is the server's too once synced; never let this throw into the page.
      console.warn('offline copy not written: its database is closing', error)
      return
    }
    this._dbsize++
    if (this._dbsize >= PREFERRED_TRIM_SIZE) this.compactSoon()
  }

  private readonly flushWhenHidden = (): void => {
    if (document.visibilityState === 'hidden') this.flush()
  }

  /** As y-indexeddb: once many records piled up, replace them by the whole state after a quiet second. */
  private compactSoon(): void {
    if (this._storeTimeoutId !== null) clearTimeout(this._storeTimeoutId)
    this._storeTimeoutId = setTimeout(() => {
      this._storeTimeoutId = null
      void storeState(this, false)
    }, this._storeTimeout)
  }

  override destroy(): Promise<void> {
    this.flush()
    removeEventListener('pagehide', this.flush)
    document.removeEventListener('freeze', this.flush)
    document.removeEventListener('visibilitychange', this.flushWhenHidden)
    return super.destroy()
  }

  /** Deletes the copy: what waits is dropped, not written first. */
  override clearData(): Promise<void> {
    this.waiting = []
    return super.clearData()
  }
}
