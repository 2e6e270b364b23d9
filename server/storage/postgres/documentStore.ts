/**
 * Live Yjs documents in PostgreSQL: `document_updates` rows (one checksummed stored update each, numbered by
 * `seq`) and at most one `document_snapshots` row per document, which covers every update up to `covers_seq`.
 * Same contract as the file store (storage/documentStore.ts):
 *
 * - An append resolves only after the transaction holding it committed. Appends in flight together share one
 *   transaction (group commit). A failed batch is kept and written again, first, with the next one, under the
 *   same numbers: a COMMIT whose outcome was lost (connection dropped) is recognised by its rows being there.
 * - A compaction runs between batches: it writes the snapshot and deletes the rows it covers in one transaction.
 * - Every row carries the epoch of the writer's lease; the database refuses a stale one (schema.ts, fencing).
 * - A row that does not read back intact refuses the document (StorageCorruptError), and nothing is changed.
 */
import type pg from 'pg'
import { isWellFormedId } from '../../../shared/domain/ids.ts'
import type { DocumentStore, LoadedDocument } from '../documentStore.ts'
import { DocumentExistsError, DocumentNotFoundError, readError, StorageCorruptError } from '../errors.ts'
import { decodeSnapshot, encodeSnapshot } from '../snapshotFile.ts'
import { decodeStoredUpdate, encodeStoredUpdate } from '../updateRecord.ts'
import { databaseWriteError, openRecord, POSTGRES_REMEDY, rowName, sealRecord, toNumber } from './rows.ts'
import { inTransaction } from './transaction.ts'

type Job =
  | { kind: 'append'; record: Uint8Array; resolve: () => void; reject: (error: Error) => void }
  | { kind: 'flush'; resolve: () => void; reject: (error: Error) => void }
  | {
      kind: 'compact'
      snapshot: (coversSeq: number) => Uint8Array
      resolve: () => void
      reject: (error: Error) => void
    }

interface OpenDocument {
  docId: string
  /** The lease epoch this process writes under; 0 while nobody holds a lease. */
  epoch: number
  /** The seq of the next row to write: numbers are ours, so a retried batch lands on the same ones. */
  nextSeq: number
  /** Records of the last failed batch, written again ahead of the next one. */
  rejected: Uint8Array[]
  queue: Job[]
  draining: Promise<void> | null
  compacting: Promise<void> | null
}

/** The same refusal as the fencing trigger's (SQLSTATE AC001), for the compaction's own check. */
class StaleEpochError extends Error {
  readonly code = 'AC001'
  constructor(docId: string, epoch: number, current: number) {
    super(`stale epoch ${epoch} for document ${docId} (current: ${current})`)
  }
}

function checkId(docId: string): void {
  if (!isWellFormedId(docId)) throw new RangeError(`Not a valid document id: ${JSON.stringify(docId)}`)
}

function notOpen(docId: string): Error {
  return new Error(`Document ${docId} is not open: load or create it first`)
}

export class PostgresDocumentStore implements DocumentStore {
  private readonly documents = new Map<string, OpenDocument>()
  private readonly opening = new Set<string>()

  constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => number = Date.now,
  ) {}

  async load(docId: string): Promise<LoadedDocument | null> {
    checkId(docId)
    this.claim(docId)
    try {
      const where = rowName('documents', { doc_id: docId })
      const read = await this.readDocument(docId).catch((error) => Promise.reject(readError(where, error)))
      if (!read) return null
      const { snapshotRow, updateRows, epoch } = read
      const snapshot = snapshotRow
        ? decodeSnapshot(snapshotRow.snapshot, rowName('document_snapshots', { doc_id: docId }))
        : null
      const coversSeq = snapshotRow ? toNumber(snapshotRow.covers_seq) : 0
      if (snapshot && snapshot.generation !== coversSeq)
        throw new StorageCorruptError(
          rowName('document_snapshots', { doc_id: docId }),
          undefined,
          `covers_seq ${coversSeq} differs from the snapshot's own ${snapshot.generation}`,
          POSTGRES_REMEDY,
        )
      if (!snapshot && updateRows.length === 0)
        throw new StorageCorruptError(where, undefined, 'no snapshot and no update', POSTGRES_REMEDY)
      const loaded: LoadedDocument = {
        snapshot: snapshot?.update ?? null,
        updates: [],
        repairs: [],
        clientOwners: new Map(snapshot?.clientOwners),
      }
      let lastSeq = coversSeq
      for (const row of updateRows) {
        const seq = toNumber(row.seq)
        const rowWhere = rowName('document_updates', { doc_id: docId, seq })
        const update = decodeStoredUpdate(openRecord(row.record, rowWhere))
        if (!update)
          throw new StorageCorruptError(rowWhere, 8, 'valid checksum but no stored update', POSTGRES_REMEDY)
        loaded.updates.push(update)
        lastSeq = seq
      }
      this.documents.set(docId, this.opened(docId, epoch, lastSeq + 1))
      return loaded
    } finally {
      this.opening.delete(docId)
    }
  }

  async create(docId: string, initialUpdate: Uint8Array, userId: string): Promise<void> {
    checkId(docId)
    const where = rowName('documents', { doc_id: docId })
    if (this.documents.has(docId)) throw new DocumentExistsError(docId, where)
    this.claim(docId)
    try {
      const record = sealRecord(encodeStoredUpdate({ userId, at: this.now(), update: initialUpdate }))
      // The document row and its first update commit together: never a document without its first update.
      const created = await inTransaction(this.pool, async (client) => {
        const inserted = await client.query(
          'INSERT INTO documents (doc_id) VALUES ($1) ON CONFLICT (doc_id) DO NOTHING',
          [docId],
        )
        if (inserted.rowCount === 0) return null
        // In a cluster the creating node took the lease first: its first row carries that epoch.
        const lease = await client.query<{ epoch: string }>(
          'SELECT epoch FROM document_leases WHERE doc_id = $1',
          [docId],
        )
        const epoch = toNumber(lease.rows[0]?.epoch)
        await client.query(
          'INSERT INTO document_updates (doc_id, seq, epoch, record) VALUES ($1, 1, $2, $3)',
          [docId, epoch, record],
        )
        return epoch
      }).catch((error) => Promise.reject(databaseWriteError(where, error)))
      if (created === null) throw new DocumentExistsError(docId, where)
      this.documents.set(docId, this.opened(docId, created, 2))
    } finally {
      this.opening.delete(docId)
    }
  }

  append(docId: string, update: Uint8Array, userId: string): Promise<void> {
    const record = sealRecord(encodeStoredUpdate({ userId, at: this.now(), update }))
    return this.submit(docId, (resolve, reject) => ({ kind: 'append', record, resolve, reject }))
  }

  flush(docId: string): Promise<void> {
    return this.submit(docId, (resolve, reject) => ({ kind: 'flush', resolve, reject }))
  }

  compact(docId: string, fullState: Uint8Array, clientOwners: ReadonlyMap<number, string>): Promise<void> {
    const doc = this.documents.get(docId)
    if (!doc) return Promise.reject(notOpen(docId))
    if (doc.compacting) return doc.compacting
    const owners = new Map(clientOwners)
    // Queued now: every append made before this call is ahead of it, so the rows it covers are in fullState.
    doc.compacting = this.submit(docId, (resolve, reject) => ({
      kind: 'compact',
      snapshot: (coversSeq) =>
        encodeSnapshot({ generation: coversSeq, update: fullState, clientOwners: owners }),
      resolve,
      reject,
    })).finally(() => {
      doc.compacting = null
    })
    return doc.compacting
  }

  async close(docId: string): Promise<void> {
    const doc = this.documents.get(docId)
    if (!doc) return
    // Tries once more to write what failed, like the file store, then lets go.
    await this.flush(docId).catch(() => undefined)
    this.documents.delete(docId)
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.documents.keys()].map((docId) => this.close(docId)))
  }

  /** The lease epoch a loaded document is written under (its decision records are fenced by it too). */
  epochOf(docId: string): number | undefined {
    return this.documents.get(docId)?.epoch
  }

  async listDocuments(): Promise<string[]> {
    const { rows } = await this.pool
      .query<{ doc_id: string }>('SELECT doc_id FROM documents ORDER BY doc_id')
      .catch((error) => Promise.reject(readError('postgres:documents', error)))
    return rows.map((row) => row.doc_id)
  }

  async bytesOnDisk(docId: string): Promise<number> {
    const where = rowName('documents', { doc_id: docId })
    const { rows } = await this.pool
      .query<{ exists: boolean; bytes: string | null }>(
        `SELECT EXISTS (SELECT 1 FROM documents WHERE doc_id = $1) AS exists,
           (SELECT COALESCE(SUM(octet_length(record)), 0) FROM document_updates WHERE doc_id = $1)
           + (SELECT COALESCE(SUM(octet_length(snapshot)), 0) FROM document_snapshots WHERE doc_id = $1) AS bytes`,
        [docId],
      )
      .catch((error) => Promise.reject(readError(where, error)))
    if (!rows[0]?.exists) throw new DocumentNotFoundError(docId, where)
    return toNumber(rows[0].bytes)
  }

  private opened(docId: string, epoch: number, nextSeq: number): OpenDocument {
    return { docId, epoch, nextSeq, rejected: [], queue: [], draining: null, compacting: null }
  }

  /** One consistent read (REPEATABLE READ): a compaction committing meanwhile cannot split it. */
  private async readDocument(docId: string) {
    return inTransaction(
      this.pool,
      async (client) => {
        const exists = await client.query('SELECT 1 FROM documents WHERE doc_id = $1', [docId])
        if (exists.rowCount === 0) return null
        const lease = await client.query<{ epoch: string }>(
          'SELECT epoch FROM document_leases WHERE doc_id = $1',
          [docId],
        )
        const snapshots = await client.query<{ covers_seq: string; snapshot: Buffer }>(
          'SELECT covers_seq, snapshot FROM document_snapshots WHERE doc_id = $1',
          [docId],
        )
        const coversSeq = toNumber(snapshots.rows[0]?.covers_seq)
        const updates = await client.query<{ seq: string; record: Buffer }>(
          'SELECT seq, record FROM document_updates WHERE doc_id = $1 AND seq > $2 ORDER BY seq',
          [docId, coversSeq],
        )
        return {
          epoch: toNumber(lease.rows[0]?.epoch),
          snapshotRow: snapshots.rows[0] ?? null,
          updateRows: updates.rows,
        }
      },
      'REPEATABLE READ',
    )
  }

  private claim(docId: string): void {
    if (this.documents.has(docId) || this.opening.has(docId))
      throw new Error(`Document ${docId} is already open`)
    this.opening.add(docId)
  }

  private submit(
    docId: string,
    job: (resolve: () => void, reject: (error: Error) => void) => Job,
  ): Promise<void> {
    const doc = this.documents.get(docId)
    if (!doc) return Promise.reject(notOpen(docId))
    return new Promise((resolve, reject) => {
      doc.queue.push(job(resolve, reject))
      doc.draining ??= this.drain(doc)
    })
  }

  private async drain(doc: OpenDocument): Promise<void> {
    // One turn of the microtask queue lets appends issued in the same tick join the first batch.
    await Promise.resolve()
    while (doc.queue.length > 0) {
      // A batch runs up to the next compaction, which then runs alone: it covers exactly what was before it.
      const first = doc.queue[0]!
      if (first.kind === 'compact') {
        doc.queue.shift()
        await this.runCompaction(doc, first)
        continue
      }
      const end = doc.queue.findIndex((job) => job.kind === 'compact')
      const batch = doc.queue.splice(0, end === -1 ? doc.queue.length : end)
      await this.runBatch(doc, batch)
    }
    doc.draining = null
  }

  private async runBatch(doc: OpenDocument, batch: Job[]): Promise<void> {
    try {
      await this.settleRejected(doc)
      const records = [...doc.rejected]
      for (const job of batch) if (job.kind === 'append') records.push(job.record)
      if (records.length > 0) await this.writeRows(doc, records)
      doc.rejected = []
      for (const job of batch) job.resolve()
    } catch (error) {
      for (const job of batch) if (job.kind === 'append') doc.rejected.push(job.record)
      const failure = databaseWriteError(rowName('document_updates', { doc_id: doc.docId }), error)
      for (const job of batch) job.reject(failure)
    }
  }

  /**
   * The failed batch may have committed after all (the answer to its COMMIT was lost): then its rows are there
   * under the very numbers it was given, and it is not written again.
   */
  private async settleRejected(doc: OpenDocument): Promise<void> {
    if (doc.rejected.length === 0) return
    // Counted by our epoch too: after a take-over, the new owner's rows may stand under these numbers.
    const { rows } = await this.pool.query<{ ours: string }>(
      'SELECT COUNT(*) AS ours FROM document_updates WHERE doc_id = $1 AND seq >= $2 AND seq < $3 AND epoch = $4',
      [doc.docId, doc.nextSeq, doc.nextSeq + doc.rejected.length, doc.epoch],
    )
    if (toNumber(rows[0]?.ours) === doc.rejected.length) {
      doc.nextSeq += doc.rejected.length
      doc.rejected = []
    }
  }

  /** Writes the records as rows nextSeq, nextSeq + 1, ... in one transaction. */
  private async writeRows(doc: OpenDocument, records: Uint8Array[]): Promise<void> {
    const values: unknown[] = [doc.docId, doc.epoch]
    const tuples = records.map((record, index) => {
      values.push(doc.nextSeq + index, record)
      return `($1, $${values.length - 1}, $2, $${values.length})`
    })
    // One statement is one transaction: it resolves after its COMMIT.
    await this.pool.query(
      `INSERT INTO document_updates (doc_id, seq, epoch, record) VALUES ${tuples.join(', ')}`,
      values,
    )
    doc.nextSeq += records.length
  }

  private async runCompaction(doc: OpenDocument, job: Extract<Job, { kind: 'compact' }>): Promise<void> {
    // Rows of a failed batch are in no durable row yet: they stay queued and land after the snapshot.
    const coversSeq = doc.nextSeq - 1
    try {
      const snapshot = job.snapshot(coversSeq)
      await inTransaction(this.pool, async (client) => {
        // Fenced like an append: a former owner must not replace the new owner's snapshot or delete its rows.
        const lease = await client.query<{ epoch: string }>(
          'SELECT epoch FROM document_leases WHERE doc_id = $1 FOR SHARE',
          [doc.docId],
        )
        const current = toNumber(lease.rows[0]?.epoch)
        if (current !== doc.epoch) throw new StaleEpochError(doc.docId, doc.epoch, current)
        await client.query(
          `INSERT INTO document_snapshots (doc_id, covers_seq, snapshot) VALUES ($1, $2, $3)
           ON CONFLICT (doc_id) DO UPDATE SET covers_seq = EXCLUDED.covers_seq, snapshot = EXCLUDED.snapshot`,
          [doc.docId, coversSeq, snapshot],
        )
        await client.query('DELETE FROM document_updates WHERE doc_id = $1 AND seq <= $2', [
          doc.docId,
          coversSeq,
        ])
      })
      job.resolve()
    } catch (error) {
      job.reject(databaseWriteError(rowName('document_snapshots', { doc_id: doc.docId }), error))
    }
  }
}
