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
  ) {}

  append(event: Event): Promise<void> {
    const record = sealRecord(encoder.encode(JSON.stringify(event)))
    const where = rowName('document_events', { doc_id: this.docId, kind: this.kind })
    // Serialized: the next number is read inside the INSERT, so two appends of this process never race for it.
    return this.appends.run(async () => {
      await this.pool
        .query(
          `INSERT INTO document_events (doc_id, kind, seq, record)
           SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3 FROM document_events WHERE doc_id = $1 AND kind = $2`,
          [this.docId, this.kind, record],
        )
        .catch((error) => Promise.reject(databaseWriteError(where, error)))
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

export function postgresEventLogs(pool: pg.Pool): EventLogOpener {
  return async <Event extends object>(docId: string, kind: EventLogKind): Promise<OpenedEventLog<Event>> => {
    const where = rowName('documents', { doc_id: docId })
    const exists = await pool
      .query('SELECT 1 FROM documents WHERE doc_id = $1', [docId])
      .catch((error) => Promise.reject(readError(where, error)))
    if (exists.rowCount === 0) throw new DocumentNotFoundError(docId, where)
    const log = new PostgresEventLog<Event>(pool, docId, kind)
    return { log, events: await log.readAll() }
  }
}
