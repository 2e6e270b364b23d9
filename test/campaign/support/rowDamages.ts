/**
 * The corruption campaign's damage on PostgreSQL: the rows a document is stored in (docs/STORAGE.md), changed by
 * hand with SQL as a bad restore, a faulty disk under the database or an operator's mistake would change them.
 * Each damage names what the server's error must name; `rowsOf` reads back everything stored for a document, to
 * show that the server changed nothing of the evidence.
 */
import pg from 'pg'

export interface RowDamage {
  name: string
  /** What the error must say: the table and the key of the row. */
  names: RegExp
  /** SQL run against the stopped server's database; `$1` is the document's id. */
  sql: string
}

/** Flips bits of the byte `at` (an SQL expression over `column`) of a bytea column. */
const flip = (column: string, at: string) =>
  `${column} = set_byte(${column}, ${at}, get_byte(${column}, ${at}) # 90)`
const lastUpdate = 'seq = (SELECT max(seq) FROM document_updates WHERE doc_id = $1)'
const firstUpdate = 'seq = (SELECT min(seq) FROM document_updates WHERE doc_id = $1)'
const lastDecision = `kind = 'decisions' AND seq = (SELECT max(seq) FROM document_events WHERE doc_id = $1 AND kind = 'decisions')`
const firstDecision = `kind = 'decisions' AND seq = 1`

export const ROW_DAMAGES: RowDamage[] = [
  {
    name: 'a byte flipped in the last update row',
    names: /document_updates\(doc_id=\S+, seq=\d+\) at byte \d+: checksum mismatch/,
    sql: `UPDATE document_updates SET ${flip('record', 'length(record) - 2')} WHERE doc_id = $1 AND ${lastUpdate}`,
  },
  {
    name: 'a byte flipped in the first update row after the snapshot',
    names: /document_updates\(doc_id=\S+, seq=\d+\) at byte \d+/,
    sql: `UPDATE document_updates SET ${flip('record', '6')} WHERE doc_id = $1 AND ${firstUpdate}`,
  },
  {
    name: 'an update row cut short',
    names: /document_updates\(doc_id=\S+, seq=\d+\)/,
    sql: `UPDATE document_updates SET record = substring(record FROM 1 FOR 5) WHERE doc_id = $1 AND ${lastUpdate}`,
  },
  {
    name: 'a byte flipped in the header of the snapshot row',
    names: /document_snapshots\(doc_id=\S+\) at byte \d+/,
    sql: `UPDATE document_snapshots SET ${flip('snapshot', '6')} WHERE doc_id = $1`,
  },
  {
    name: 'a snapshot row cut short',
    names: /document_snapshots\(doc_id=\S+\)/,
    sql: `UPDATE document_snapshots SET snapshot = substring(snapshot FROM 1 FOR 40) WHERE doc_id = $1`,
  },
  {
    name: 'a byte flipped in the first decision row',
    names: /document_events\(doc_id=\S+, kind=decisions, seq=1\) at byte \d+/,
    sql: `UPDATE document_events SET ${flip('record', '12')} WHERE doc_id = $1 AND ${firstDecision}`,
  },
  {
    name: 'a byte flipped in the last decision row (an agreement that must not be dropped)',
    names: /document_events\(doc_id=\S+, kind=decisions, seq=\d+\) at byte \d+: checksum mismatch/,
    sql: `UPDATE document_events SET ${flip('record', 'length(record) - 2')} WHERE doc_id = $1 AND ${lastDecision}`,
  },
  {
    name: 'a document with neither snapshot nor update rows',
    names: /documents\(doc_id=\S+\).*no snapshot and no update/,
    sql: `WITH gone AS (DELETE FROM document_updates WHERE doc_id = $1)
          DELETE FROM document_snapshots WHERE doc_id = $1`,
  },
]

/** Everything stored for the document, as text: equal before and after means nothing was changed. */
export async function rowsOf(databaseUrl: string, docId: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rows } = await client.query(
      `SELECT
         (SELECT string_agg(seq || ':' || epoch || ':' || encode(record, 'hex'), ',' ORDER BY seq)
            FROM document_updates WHERE doc_id = $1) AS updates,
         (SELECT covers_seq || ':' || encode(snapshot, 'hex') FROM document_snapshots WHERE doc_id = $1) AS snapshot,
         (SELECT string_agg(kind || seq || ':' || encode(record, 'hex'), ',' ORDER BY kind, seq)
            FROM document_events WHERE doc_id = $1) AS events`,
      [docId],
    )
    return JSON.stringify(rows[0])
  } finally {
    await client.end()
  }
}

/** Runs one damage against the document's rows. */
export async function damageRows(databaseUrl: string, docId: string, damage: RowDamage): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rowCount } = await client.query(damage.sql, [docId])
    if (!rowCount) throw new Error(`${damage.name}: no row was changed`)
  } finally {
    await client.end()
  }
}
