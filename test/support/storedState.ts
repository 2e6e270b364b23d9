/**
 * Reads and damages what a test server stored, on whichever backend the run uses (ACCORD_TEST_BACKEND). The damage:
 * a flipped byte in a document's snapshot, a metadata record or a meeting's saved state that is no longer what was
 * written; each answers where it is (what the server's error must name) and a way to read the damaged bytes back
 * (the server must leave them). The reads: what a meeting keeps (its saved state, its contributions' files).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'
import type { TestServer } from './testServer.ts'

export interface Damage {
  /** What the server's error names: the file, or the table. */
  where: string
  /** The damaged state as it is stored now. */
  read(): Promise<string>
}

async function withDatabase<T>(server: TestServer, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server.databaseUrl })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** Flips one byte near the end of the document's snapshot (there must be one: compact first). */
export async function flipSnapshotByte(server: TestServer, docId: string): Promise<Damage> {
  if (!server.databaseUrl) {
    const file = path.join(server.dataDir, 'docs', docId, 'snapshot.bin')
    const bytes = await readFile(file)
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff
    await writeFile(file, bytes)
    return { where: 'snapshot.bin', read: async () => (await readFile(file)).toString('hex') }
  }
  const read = () =>
    withDatabase(server, async (client) => {
      const { rows } = await client.query('SELECT snapshot FROM document_snapshots WHERE doc_id = $1', [
        docId,
      ])
      return (rows[0].snapshot as Buffer).toString('hex')
    })
  await withDatabase(server, (client) =>
    client.query(
      `UPDATE document_snapshots SET snapshot = overlay(snapshot PLACING
         set_byte('\\x00'::bytea, 0, get_byte(snapshot, length(snapshot) - 3) # 255) FROM length(snapshot) - 2)
       WHERE doc_id = $1`,
      [docId],
    ),
  )
  return { where: 'document_snapshots', read }
}

/** Makes the metadata unreadable: a cut JSON file, or a user row that is no longer a user. */
export async function breakMetadata(server: TestServer): Promise<Damage> {
  if (!server.databaseUrl) {
    const file = path.join(server.dataDir, 'metadata.json')
    await writeFile(file, `${(await readFile(file, 'utf8')).slice(0, 200)}<<truncated`)
    return { where: 'metadata.json', read: () => readFile(file, 'utf8') }
  }
  const read = () =>
    withDatabase(server, async (client) => {
      const { rows } = await client.query('SELECT id, data FROM metadata_rows ORDER BY collection, id')
      return JSON.stringify(rows)
    })
  await withDatabase(server, (client) =>
    client.query(
      `UPDATE metadata_rows SET data = '"truncated"'::jsonb
       WHERE collection = 'users' AND id = (SELECT min(id) FROM metadata_rows WHERE collection = 'users')`,
    ),
  )
  return { where: 'metadata_rows', read }
}

/** What is saved of a meeting in progress, as stored (JSON text); null when nothing is. */
export async function storedMeetingLive(server: TestServer, meetingId: string): Promise<string | null> {
  if (!server.databaseUrl) {
    const file = path.join(server.dataDir, 'meetings', meetingId, 'live.json')
    return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? null : Promise.reject(error),
    )
  }
  return withDatabase(server, async (client) => {
    const { rows } = await client.query(
      'SELECT state::text AS state FROM meeting_live WHERE meeting_id = $1',
      [meetingId],
    )
    return (rows[0]?.state as string | undefined) ?? null
  })
}

/** The names of a meeting's stored contribution files. */
export async function storedContributionFiles(server: TestServer, meetingId: string): Promise<string[]> {
  if (!server.databaseUrl) {
    const folder = path.join(server.dataDir, 'meetings', meetingId, 'contributions')
    return readdir(folder).catch(() => [] as string[])
  }
  return withDatabase(server, async (client) => {
    const { rows } = await client.query('SELECT name FROM meeting_documents WHERE meeting_id = $1', [
      meetingId,
    ])
    return rows.map((row) => `${row.name as string}.docx`)
  })
}

/** Replaces what is saved of a meeting in progress, as an operator restoring a backup would. */
export async function writeMeetingLive(server: TestServer, meetingId: string, text: string): Promise<void> {
  if (!server.databaseUrl) {
    await writeFile(path.join(server.dataDir, 'meetings', meetingId, 'live.json'), text)
    return
  }
  await withDatabase(server, (client) =>
    client.query('UPDATE meeting_live SET state = $2 WHERE meeting_id = $1', [meetingId, text]),
  )
}

/** Makes what is saved of a meeting in progress something else: its queue no longer a list. */
export async function breakMeetingLive(server: TestServer, meetingId: string): Promise<Damage> {
  await writeMeetingLive(server, meetingId, '{"queue":"cut","queueOpen":true}')
  return {
    where: server.databaseUrl
      ? `meeting_live(meeting_id=${meetingId})`
      : path.join(server.dataDir, 'meetings', meetingId, 'live.json'),
    read: async () => (await storedMeetingLive(server, meetingId)) ?? '',
  }
}

/**
 * A deliverable's decision or annotation record as stored, in the record-log format (storage/recordFormat.ts): the
 * log file's bytes, or on PostgreSQL its rows' records (each one such record) in order, one after the other.
 * Empty when nothing was recorded yet.
 */
export async function storedEventRecords(
  server: TestServer,
  docId: string,
  kind: 'decisions' | 'annotations',
): Promise<Buffer> {
  if (!server.databaseUrl)
    return readFile(path.join(server.dataDir, 'docs', docId, `${kind}.log`)).catch(() => Buffer.alloc(0))
  return withDatabase(server, async (client) => {
    const { rows } = await client.query<{ record: Buffer }>(
      'SELECT record FROM document_events WHERE doc_id = $1 AND kind = $2 ORDER BY seq',
      [docId, kind],
    )
    return Buffer.concat(rows.map((row) => row.record))
  })
}
