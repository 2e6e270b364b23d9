/**
 * Faults of PostgreSQL as the server sees them, for the campaign's PostgreSQL counterparts of the injected disk
 * faults: while `failWrites` holds, every write to the named tables fails with the given SQLSTATE (e.g. 53100
 * `disk_full`, what PostgreSQL answers when it cannot extend a file; 58030 `io_error`), raised by a trigger. A
 * real full disk under the database fails only the writes that need a new page, which no test can aim at; the
 * server's side (the driver's error, its code, the refusal, the retry) is the same.
 */
import pg from 'pg'

/** Every table the server writes while it runs (docs/STORAGE.md). */
export const ACCORD_TABLES = [
  'document_updates',
  'document_snapshots',
  'document_events',
  'metadata_rows',
  'metadata_settings',
] as const
export type AccordTable = (typeof ACCORD_TABLES)[number]

async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** From now on, writes to `tables` fail with SQLSTATE `code`; the other tables take writes. */
export function failWrites(databaseUrl: string, tables: readonly AccordTable[], code: string): Promise<void> {
  if (!/^[0-9A-Z]{5}$/.test(code)) throw new RangeError(`Not an SQLSTATE: ${code}`)
  return withClient(databaseUrl, async (client) => {
    await client.query(`
      CREATE OR REPLACE FUNCTION accord_test_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'injected fault % writing %', TG_ARGV[0], TG_TABLE_NAME USING ERRCODE = TG_ARGV[0];
      END $$`)
    for (const table of ACCORD_TABLES) {
      if (!tables.includes(table)) {
        await client.query(`DROP TRIGGER IF EXISTS accord_test_fault ON ${table}`)
        continue
      }
      await client.query(
        `CREATE OR REPLACE TRIGGER accord_test_fault BEFORE INSERT OR UPDATE OR DELETE ON ${table}
           FOR EACH STATEMENT EXECUTE FUNCTION accord_test_fault('${code}')`,
      )
    }
  })
}

/** Every table takes writes again. */
export function stopFailing(databaseUrl: string): Promise<void> {
  return failWrites(databaseUrl, [], '00000')
}
