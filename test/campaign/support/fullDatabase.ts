/**
 * A full disk under PostgreSQL, as the server sees it: every write to Accord's tables fails with SQLSTATE 53100
 * (`disk_full`, what PostgreSQL answers when it cannot extend a file), raised by a trigger while `fill()` holds.
 * A real full disk under the database fails only the writes that need a new page, which no test can aim at;
 * the server's side (the driver's error, its code, the refusal, the retry) is the same.
 */
import pg from 'pg'

const TABLES = [
  'document_updates',
  'document_snapshots',
  'document_events',
  'metadata_rows',
  'metadata_settings',
]

async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** Makes every later write to Accord's tables fail as on a full disk, until `freeDatabase`. */
export function fillDatabase(databaseUrl: string): Promise<void> {
  return withClient(databaseUrl, async (client) => {
    await client.query(`
      CREATE OR REPLACE FUNCTION accord_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'could not extend file "base/test/%": No space left on device', TG_TABLE_NAME
          USING ERRCODE = 'disk_full', HINT = 'Check free disk space.';
      END $$`)
    for (const table of TABLES)
      await client.query(
        `CREATE OR REPLACE TRIGGER accord_test_disk_full BEFORE INSERT OR UPDATE OR DELETE ON ${table}
           FOR EACH STATEMENT EXECUTE FUNCTION accord_test_disk_full()`,
      )
  })
}

export function freeDatabase(databaseUrl: string): Promise<void> {
  return withClient(databaseUrl, async (client) => {
    for (const table of TABLES) await client.query(`DROP TRIGGER IF EXISTS accord_test_disk_full ON ${table}`)
  })
}
