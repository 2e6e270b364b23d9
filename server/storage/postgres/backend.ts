/**
 * The PostgreSQL backend (DATABASE_URL): one connection pool for every store, the schema migrated before
 * anything is read. A connection that fails while idle is logged, never thrown: the stores report the failure to
 * whoever was writing (edits are then refused with the reason, as on a full disk) and recover with the database.
 */
import pg from 'pg'
import type { Logger } from '../../logger.ts'
import type { StorageBackend } from '../backend.ts'
import { MetadataStore } from '../metadataStore.ts'
import { PostgresDocumentStore } from './documentStore.ts'
import { postgresEventLogs } from './eventLog.ts'
import { PostgresMeetingStore } from './meetingStore.ts'
import { METADATA_TABLES, PostgresMetadata } from './metadataRows.ts'
import { migrate } from './schema.ts'
import { PostgresVersionStore } from './versionStore.ts'

/** Connections per process: documents write in parallel, one transaction each at a time. */
const POOL_SIZE = 10
const CONNECT_TIMEOUT_MS = 10_000

/** The URL without its password, for logs. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'DATABASE_URL (unparsable)'
  }
}

export async function openPostgresStorage(url: string, logger: Logger): Promise<StorageBackend> {
  // A database that does not answer fails the write (edits are then refused with the reason) instead of hanging it.
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  })
  pool.on('error', (error) => logger.warn({ err: error }, 'PostgreSQL connection lost while idle'))
  try {
    const applied = await migrate(pool)
    if (applied.length > 0) logger.info({ database: redacted(url), applied }, 'PostgreSQL schema migrated')
    const documents = new PostgresDocumentStore(pool)
    const metadata = await MetadataStore.openWith(new PostgresMetadata(pool), METADATA_TABLES)
    return {
      kind: 'postgres',
      documents,
      metadata,
      eventLogs: postgresEventLogs(pool, (docId) => documents.epochOf(docId)),
      versions: new PostgresVersionStore(pool),
      meetingFiles: new PostgresMeetingStore(pool),
      database: pool,
      close: () => pool.end(),
    }
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw error
  }
}
