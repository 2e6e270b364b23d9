/**
 * One owner per document (issue 25, docs/CLUSTER.md): a node takes a lease on a document in PostgreSQL before
 * it loads it, renews it while it holds it, and lets it expire when it unloads it. Every take-over adds one to
 * the lease's epoch; the document's rows carry the epoch they were written under and the database refuses a stale
 * one (storage/postgres/schema.ts), so a paused former owner can never write after a new owner took over.
 *
 * Times are the database's (`now()`), never a node's clock. A node counts its lease as lost when a renewal has not
 * succeeded within the lease's length after it was sent: that is never later than the database thinks it expired.
 */
import type pg from 'pg'

export type LeaseAnswer =
  | { held: true; epoch: number }
  /** Someone else holds it; `validForMs` is how long the lease lasts if it is not renewed. */
  | { held: false; owner: string; validForMs: number }

export class DocumentLeases {
  constructor(
    private readonly pool: pg.Pool,
    readonly nodeId: string,
    readonly leaseMs: number,
  ) {}

  /**
   * Takes the document's lease if nobody holds it, it expired, or this node held it (a restart of this node: its
   * previous process is gone). The epoch grows by one every time.
   */
  async acquire(docId: string): Promise<LeaseAnswer> {
    for (let attempt = 0; ; attempt++) {
      const taken = await this.pool.query<{ epoch: string }>(
        `INSERT INTO document_leases AS lease (doc_id, owner, expires_at, epoch)
           VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000), 1)
         ON CONFLICT (doc_id) DO UPDATE
           SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at, epoch = lease.epoch + 1
           WHERE lease.expires_at < now() OR lease.owner = EXCLUDED.owner
         RETURNING epoch`,
        [docId, this.nodeId, this.leaseMs],
      )
      if (taken.rows[0]) return { held: true, epoch: Number(taken.rows[0].epoch) }
      const holder = await this.current(docId)
      // It expired between the two statements: take it on the next round.
      if (holder || attempt >= 2) return holder ?? { held: false, owner: 'unknown', validForMs: 1000 }
    }
  }

  /** Who holds the document now (null: nobody, or expired). */
  async current(docId: string): Promise<Extract<LeaseAnswer, { held: false }> | null> {
    const { rows } = await this.pool.query<{ owner: string; valid_ms: number }>(
      `SELECT owner, EXTRACT(EPOCH FROM (expires_at - now())) * 1000 AS valid_ms
         FROM document_leases WHERE doc_id = $1 AND expires_at > now()`,
      [docId],
    )
    const row = rows[0]
    return row ? { held: false, owner: row.owner, validForMs: Math.max(0, Number(row.valid_ms)) } : null
  }

  /** Who holds each of these documents now (a document nobody holds, or whose lease expired, is absent). */
  async holders(docIds: string[]): Promise<Map<string, string>> {
    if (docIds.length === 0) return new Map()
    const { rows } = await this.pool.query<{ doc_id: string; owner: string }>(
      'SELECT doc_id, owner FROM document_leases WHERE doc_id = ANY($1::text[]) AND expires_at > now()',
      [docIds],
    )
    return new Map(rows.map((row) => [row.doc_id, row.owner]))
  }

  /** Renews the leases held; answers the documents whose lease was lost (taken over, or never ours). */
  async renew(held: ReadonlyMap<string, number>): Promise<string[]> {
    if (held.size === 0) return []
    const docIds = [...held.keys()]
    const { rows } = await this.pool.query<{ doc_id: string }>(
      `UPDATE document_leases AS lease
          SET expires_at = now() + make_interval(secs => $2::double precision / 1000)
         FROM unnest($3::text[], $4::bigint[]) AS mine(doc_id, epoch)
        WHERE lease.doc_id = mine.doc_id AND lease.epoch = mine.epoch AND lease.owner = $1
        RETURNING lease.doc_id`,
      [this.nodeId, this.leaseMs, docIds, docIds.map((id) => held.get(id))],
    )
    const renewed = new Set(rows.map((row) => row.doc_id))
    return docIds.filter((id) => !renewed.has(id))
  }

  /** Lets the lease expire now (the epoch stays: it must never be handed out twice). */
  async release(docId: string, epoch: number): Promise<void> {
    await this.pool.query(
      'UPDATE document_leases SET expires_at = now() WHERE doc_id = $1 AND owner = $2 AND epoch = $3',
      [docId, this.nodeId, epoch],
    )
  }
}
