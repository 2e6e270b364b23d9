/**
 * The PostgreSQL schema, created and migrated by the server on start: numbered SQL migrations, each applied once in
 * its own transaction and recorded in `schema_migrations`. An advisory lock makes nodes that start together apply
 * them one at a time. A database migrated by a newer Accord (an unknown version recorded) is refused: its tables
 * may mean something this code does not know.
 *
 * Never edit a migration that has shipped; add the next number.
 */
import type pg from 'pg'

interface Migration {
  version: number
  name: string
  sql: string
}

/** Any 64-bit key shared by every Accord node: serializes migrations across nodes. */
const MIGRATION_LOCK = 7_265_001_025

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'documents, update logs, snapshots, leases',
    sql: `
      CREATE TABLE documents (
        doc_id text PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      -- One owner per document (issue 25): the epoch grows by one at every take-over.
      CREATE TABLE document_leases (
        doc_id text PRIMARY KEY REFERENCES documents ON DELETE CASCADE,
        owner text NOT NULL,
        expires_at timestamptz NOT NULL,
        epoch bigint NOT NULL CHECK (epoch > 0)
      );
      -- record: one checksummed record (storage/recordFormat.ts) holding the stored update (updateRecord.ts).
      CREATE TABLE document_updates (
        doc_id text NOT NULL REFERENCES documents,
        seq bigint NOT NULL CHECK (seq > 0),
        epoch bigint NOT NULL,
        record bytea NOT NULL,
        PRIMARY KEY (doc_id, seq)
      );
      -- snapshot: the framed, checksummed snapshot (storage/snapshotFile.ts); its generation is covers_seq.
      CREATE TABLE document_snapshots (
        doc_id text PRIMARY KEY REFERENCES documents,
        covers_seq bigint NOT NULL,
        snapshot bytea NOT NULL
      );
      -- Fencing: an append carries the epoch of the lease its writer holds (0 while there are no leases) and is
      -- refused when that is no longer the current one, so a former owner can never write after a take-over.
      CREATE FUNCTION accord_fence_document_update() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE current_epoch bigint;
      BEGIN
        SELECT epoch INTO current_epoch FROM document_leases WHERE doc_id = NEW.doc_id FOR SHARE;
        IF NEW.epoch <> COALESCE(current_epoch, 0) THEN
          RAISE EXCEPTION 'stale epoch % for document % (current: %)', NEW.epoch, NEW.doc_id, COALESCE(current_epoch, 0)
            USING ERRCODE = 'AC001';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER document_updates_fence BEFORE INSERT ON document_updates
        FOR EACH ROW EXECUTE FUNCTION accord_fence_document_update();
    `,
  },
  {
    version: 2,
    name: 'decision and annotation records',
    sql: `
      -- record: one checksummed record holding the event's JSON, as in decisions.log and annotations.log.
      CREATE TABLE document_events (
        doc_id text NOT NULL REFERENCES documents,
        kind text NOT NULL CHECK (kind IN ('decisions', 'annotations')),
        seq bigint NOT NULL CHECK (seq > 0),
        record bytea NOT NULL,
        PRIMARY KEY (doc_id, kind, seq)
      );
    `,
  },
  {
    version: 3,
    name: 'named versions',
    sql: `
      -- version: the framed, checksummed version (versions/versionFile.ts). Written once, never replaced.
      CREATE TABLE document_versions (
        doc_id text NOT NULL REFERENCES documents,
        version_id text NOT NULL,
        version bytea NOT NULL,
        PRIMARY KEY (doc_id, version_id)
      );
    `,
  },
  {
    version: 4,
    name: 'metadata',
    sql: `
      -- The other top-level fields of the metadata (version, setupCompleted, ...), one row each.
      CREATE TABLE metadata_settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL
      );
      -- One row per entity of each collection (users, sessions, groups, deliverables, meetings, and any list of
      -- objects with ids added later); position keeps the order of the in-memory arrays.
      CREATE TABLE metadata_rows (
        collection text NOT NULL,
        id text NOT NULL,
        position bigint NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (collection, id)
      );
    `,
  },
  {
    version: 5,
    name: 'meetings in progress and contribution files',
    sql: `
      -- state: what meetings/meetingRooms.ts saves of a meeting in progress (storage/meetingStore.ts), one row per
      -- open meeting, deleted when it closes. json, not jsonb: kept as written (jsonb refuses a NUL character).
      CREATE TABLE meeting_live (
        meeting_id text PRIMARY KEY,
        state json NOT NULL
      );
      -- A contribution's Word file as uploaded, under a name of its own: written once, never replaced.
      CREATE TABLE meeting_documents (
        meeting_id text NOT NULL,
        name text NOT NULL,
        bytes bytea NOT NULL,
        PRIMARY KEY (meeting_id, name)
      );
    `,
  },
  {
    version: 6,
    name: 'leases taken before a document exists',
    sql: `
      -- A cluster node takes a document's lease before it creates the document (cluster/ownership.ts), so that
      -- even its first row is written under the lease's epoch. A lease row is never deleted: its epoch must
      -- never be handed out twice.
      ALTER TABLE document_leases DROP CONSTRAINT document_leases_doc_id_fkey;
    `,
  },
]

export class SchemaTooNewError extends Error {}

/** Applies the migrations the database lacks; answers the versions applied now. */
export async function migrate(pool: pg.Pool): Promise<number[]> {
  const client = await pool.connect()
  // As in transaction.ts: a connection dropping between two statements must reject the next, not end the process.
  const dropped = () => undefined
  client.on('error', dropped)
  const applied: number[] = []
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      )
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations')
      const present = new Set(rows.map((row) => row.version))
      const newest = MIGRATIONS.at(-1)?.version ?? 0
      const unknown = [...present].filter((version) => version > newest)
      if (unknown.length > 0)
        throw new SchemaTooNewError(
          `The database has schema version ${Math.max(...unknown)}, newer than this Accord knows (${newest}): ` +
            'run the Accord release that migrated it. Nothing was changed.',
        )
      for (const migration of MIGRATIONS) {
        if (present.has(migration.version)) continue
        await client.query('BEGIN')
        try {
          await client.query(migration.sql)
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ])
          await client.query('COMMIT')
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined)
          throw error
        }
        applied.push(migration.version)
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined)
    }
  } finally {
    client.off('error', dropped)
    client.release()
  }
  return applied
}
