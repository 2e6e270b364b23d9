/**
 * A deliverable's decision or annotation record in `document_events`: one checksummed JSON event per row,
 * numbered per document and kind. An append is one INSERT (its own transaction): it resolves after COMMIT, and a
 * failed one is not retried (a decision reported as not taken must not appear later).
 */
import type pg from 'pg'
import { SerialQueue } from '../../serialQueue.ts'
import { decodeDecisionEvent, type EventLogKind } from '../decisionLog.ts'
import { DocumentNotFoundError, readError, StorageCorruptError } from '../errors.ts'
import type { EventLog, EventLogOpener, OpenedEventLog } from '../eventLog.ts'
import { databaseWriteError, openRecord, POSTGRES_REMEDY, rowName, sealRecord, toNumber } from './rows.ts'

const encoder = new TextEncoder()

class PostgresEventLog<Event extends object> implements EventLog<Event> {
  private readonly appends = new SerialQueue()

  constructor(
    private readonly pool: pg.Pool,
    private readonly docId: string,
    private readonly kind: EventLogKind,
    private readonly epochOf: EpochOf,
  ) {}

  append(event: Event): Promise<void> {
    const record = sealRecord(encoder.encode(JSON.stringify(event)))
    const where = rowName('document_events', { doc_id: this.docId, kind: this.kind })
    // Serialized: the next number is read inside the INSERT, so two appends of this process never race for it.
    return this.appends.run(async () => {
      // Fenced like the document's updates: written only under the epoch the document was loaded with, the lease
      // row locked meanwhile (a take-over waits for this statement, and the new owner then reads the event).
      const epoch = this.epochOf(this.docId) ?? null
      const inserted = await this.pool
        .query(
          `WITH lease AS (SELECT epoch FROM document_leases WHERE doc_id = $1 FOR SHARE)
           INSERT INTO document_events (doc_id, kind, seq, record)
           SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3 FROM document_events WHERE doc_id = $1 AND kind = $2
           HAVING $4::bigint IS NULL OR $4::bigint = COALESCE((SELECT epoch FROM lease), 0)`,
          [this.docId, this.kind, record, epoch],
        )
        .catch((error) => Promise.reject(databaseWriteError(where, error)))
      if (inserted.rowCount === 0)
        throw databaseWriteError(where, new StaleEpochError(this.docId, epoch ?? 0))
    })
  }

  async readAll(): Promise<Event[]> {
    const where = rowName('document_events', { doc_id: this.docId, kind: this.kind })
    const { rows } = await this.pool
      .query<{ seq: string; record: Buffer }>(
        'SELECT seq, record FROM document_events WHERE doc_id = $1 AND kind = $2 ORDER BY seq',
        [this.docId, this.kind],
      )
      .catch((error) => Promise.reject(readError(where, error)))
    return rows.map((row) => {
      const rowWhere = rowName('document_events', {
        doc_id: this.docId,
        kind: this.kind,
        seq: toNumber(row.seq),
      })
      const event = decodeDecisionEvent(openRecord(row.record, rowWhere))
      if (!event)
        throw new StorageCorruptError(rowWhere, 8, 'valid checksum but not a JSON object', POSTGRES_REMEDY)
      return event as Event
    })
  }

  async close(): Promise<void> {
    await this.appends.settled()
  }
}

/** The lease epoch the document store holds a document under (undefined while it is not loaded). */
export type EpochOf = (docId: string) => number | undefined

/** The refusal of a record written under an epoch that is no longer the lease's (as the update rows' AC001). */
class StaleEpochError extends Error {
  readonly code = 'AC001'
  constructor(docId: string, epoch: number) {
    super(`stale epoch ${epoch} for document ${docId}: another server process owns it now`)
  }
}

export function postgresEventLogs(pool: pg.Pool, epochOf: EpochOf = () => undefined): EventLogOpener {
  return async <Event extends object>(docId: string, kind: EventLogKind): Promise<OpenedEventLog<Event>> => {
    const where = rowName('documents', { doc_id: docId })
    const exists = await pool
      .query('SELECT 1 FROM documents WHERE doc_id = $1', [docId])
      .catch((error) => Promise.reject(readError(where, error)))
    if (exists.rowCount === 0) throw new DocumentNotFoundError(docId, where)
    const log = new PostgresEventLog<Event>(pool, docId, kind, epochOf)
    return { log, events: await log.readAll() }
  }
}
