/**
 * The PostgreSQL stores on a real (throwaway) PostgreSQL: run with ACCORD_TEST_BACKEND=postgres
 * (postgresGlobalSetup.ts starts it). The sync and consensus suites cover them through the server; these tests
 * cover what only the database can show: the schema's migrations, fencing by epoch, damaged rows refused and left
 * as they are, and a database that goes away and comes back.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { StorageCorruptError, StorageWriteError } from '../../server/storage/errors.ts'
import { savedPartOf } from '../../server/storage/meetingStore.ts'
import { MetadataStore, type StoredDeliverable } from '../../server/storage/metadataStore.ts'
import { PostgresDocumentStore } from '../../server/storage/postgres/documentStore.ts'
import { postgresEventLogs } from '../../server/storage/postgres/eventLog.ts'
import { PostgresMeetingStore } from '../../server/storage/postgres/meetingStore.ts'
import { METADATA_TABLES, PostgresMetadata } from '../../server/storage/postgres/metadataRows.ts'
import { MIGRATIONS, migrate, SchemaTooNewError } from '../../server/storage/postgres/schema.ts'
import type { MeetingLiveState } from '../../shared/domain/meetingsLive.ts'
import { type DatabaseAdmin, databaseAdmin } from '../support/postgres.ts'
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.ts'
import { TEST_BACKEND } from '../support/testServer.ts'
import { TokenDoc } from './storageKit.ts'

/** A meeting in progress with one request in its queue, whose note says `note`. */
function liveState(note: string): MeetingLiveState {
  const person = { userId: 'u1', name: 'Pat Participant', organization: 'ETRI' }
  return {
    meetingId: 'm1',
    title: 'Third meeting',
    status: 'open',
    chairIds: ['c1'],
    presenter: null,
    leader: { ...person, role: 'presenter' },
    agendaItemId: null,
    clause: { deliverableId: 'd1', sectionId: 'scope' },
    queue: [{ ...person, id: 'q1', note, reply: false, addedByChair: false, at: '2026-03-08T09:00:00.000Z' }],
    queueOpen: true,
    floor: null,
    speakingTimeSeconds: 90,
    followers: 12,
  }
}

describe.skipIf(TEST_BACKEND !== 'postgres')('PostgreSQL stores', () => {
  let admin: DatabaseAdmin
  let database: string
  let pool: pg.Pool

  beforeEach(async () => {
    admin ??= databaseAdmin(inject('accordPostgresAdminUrl'))
    database = `accord_stores_${randomBytes(6).toString('hex')}`
    pool = new pg.Pool({ connectionString: await admin.ensureDatabase(database), max: 4 })
    pool.on('error', () => undefined)
    await migrate(pool)
  })
  afterEach(async () => {
    await pool.end()
    await admin.dropDatabase(database)
  })

  /** A pool to this test's database through a proxy the test cuts and restores. */
  const throughProxy = async () => {
    const proxy: TcpProxy = await startTcpProxy(Number(new URL(inject('accordPostgresAdminUrl')).port))
    const url = new URL(await admin.ensureDatabase(database))
    url.port = String(proxy.port)
    const viaProxy = new pg.Pool({ connectionString: url.toString(), max: 2 })
    viaProxy.on('error', () => undefined)
    const close = async () => {
      await viaProxy.end()
      await proxy.close()
    }
    return { proxy, viaProxy, close }
  }

  const reload = async (docId: string) => {
    const store = new PostgresDocumentStore(pool)
    const loaded = await store.load(docId)
    await store.closeAll()
    return loaded
  }

  it('migrates once: a second start applies nothing, and a newer schema is refused untouched', async () => {
    expect(await migrate(pool)).toEqual([])
    const newer = (MIGRATIONS.at(-1)?.version ?? 0) + 1
    await pool.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, 'from the future')`, [newer])
    await expect(migrate(pool)).rejects.toBeInstanceOf(SchemaTooNewError)
    const { rowCount } = await pool.query('SELECT 1 FROM schema_migrations')
    expect(rowCount).toBe(MIGRATIONS.length + 1)
  })

  it('keeps updates in order across a compaction, and deletes only the rows the snapshot covers', async () => {
    const store = new PostgresDocumentStore(pool)
    const author = new TokenDoc(1)
    await store.create('d1', author.insert('a'), 'alice')
    await Promise.all([
      store.append('d1', author.insert('b'), 'alice'),
      store.append('d1', author.insert('c'), 'alice'),
    ])
    const compaction = store.compact('d1', author.fullState, author.clientOwners)
    const later = store.append('d1', author.insert('d'), 'bob')
    await Promise.all([compaction, later])
    await store.closeAll()
    const loaded = await reload('d1')
    expect(loaded?.updates.map((update) => update.userId)).toEqual(['bob'])
    expect(loaded?.clientOwners).toEqual(new Map([[1, 'user-1']]))
    expect(TokenDoc.fromLoaded(loaded!).tokens).toEqual(new Set(['a', 'b', 'c', 'd']))
  })

  it('refuses an append under an epoch that is no longer current (fencing), and writes nothing of it', async () => {
    const store = new PostgresDocumentStore(pool)
    const author = new TokenDoc(1)
    await store.create('d1', author.insert('a'), 'alice')
    // Another node took the document over: the lease's epoch is now 1, this store still writes under 0.
    await pool.query(
      `INSERT INTO document_leases (doc_id, owner, expires_at, epoch) VALUES ('d1', 'node-b', now(), 1)`,
    )
    const refused = await store.append('d1', author.insert('stale'), 'alice').catch((error: Error) => error)
    expect(refused).toBeInstanceOf(StorageWriteError)
    expect((refused as StorageWriteError).code).toBe('AC001')
    const { rows } = await pool.query(`SELECT seq FROM document_updates WHERE doc_id = 'd1'`)
    expect(rows.map((row) => Number(row.seq))).toEqual([1])
  })

  it('refuses a compaction under a stale epoch: the rows and the snapshot stay as they are', async () => {
    const store = new PostgresDocumentStore(pool)
    const author = new TokenDoc(1)
    await store.create('d1', author.insert('a'), 'alice')
    await store.append('d1', author.insert('b'), 'alice')
    await pool.query(
      `INSERT INTO document_leases (doc_id, owner, expires_at, epoch) VALUES ('d1', 'node-b', now(), 1)`,
    )
    const refused = await store
      .compact('d1', author.fullState, author.clientOwners)
      .catch((error: Error) => error)
    expect(refused).toBeInstanceOf(StorageWriteError)
    expect((refused as StorageWriteError).code).toBe('AC001')
    const snapshots = await pool.query(`SELECT 1 FROM document_snapshots WHERE doc_id = 'd1'`)
    expect(snapshots.rowCount).toBe(0)
    const { rows } = await pool.query(`SELECT seq FROM document_updates WHERE doc_id = 'd1' ORDER BY seq`)
    expect(rows.map((row) => Number(row.seq))).toEqual([1, 2])
  })

  it('refuses a decision record written under a stale epoch, and writes nothing of it', async () => {
    const store = new PostgresDocumentStore(pool)
    const author = new TokenDoc(1)
    await store.create('d1', author.insert('a'), 'alice')
    const opened = await postgresEventLogs(pool, (id) => store.epochOf(id))<{ action: string }>(
      'd1',
      'decisions',
    )
    await opened.log.append({ action: 'propose' })
    await pool.query(
      `INSERT INTO document_leases (doc_id, owner, expires_at, epoch) VALUES ('d1', 'node-b', now(), 1)`,
    )
    const refused = await opened.log.append({ action: 'agree' }).catch((error: Error) => error)
    expect(refused).toBeInstanceOf(StorageWriteError)
    expect((refused as StorageWriteError).code).toBe('AC001')
    expect(await opened.log.readAll()).toEqual([{ action: 'propose' }])
  })

  it('refuses a document whose update row was damaged, naming the row, and leaves the row as it is', async () => {
    const store = new PostgresDocumentStore(pool)
    const author = new TokenDoc(1)
    await store.create('d1', author.insert('a'), 'alice')
    await store.append('d1', author.insert('b'), 'alice')
    await store.closeAll()
    await pool.query(
      `UPDATE document_updates SET record = overlay(record PLACING '\\x00'::bytea FROM length(record) - 1)
       WHERE doc_id = 'd1' AND seq = 2`,
    )
    const before = await pool.query(`SELECT record FROM document_updates WHERE doc_id = 'd1' AND seq = 2`)
    const refused = await reload('d1').catch((error: Error) => error)
    expect(refused).toBeInstanceOf(StorageCorruptError)
    expect((refused as Error).message).toContain('document_updates(doc_id=d1, seq=2)')
    const after = await pool.query(`SELECT record FROM document_updates WHERE doc_id = 'd1' AND seq = 2`)
    expect(after.rows[0].record).toEqual(before.rows[0].record)
  })

  it('database unreachable: the append is refused, kept, and written once the database is back', async () => {
    const { proxy, viaProxy, close } = await throughProxy()
    try {
      const store = new PostgresDocumentStore(viaProxy)
      const author = new TokenDoc(1)
      await store.create('d1', author.insert('a'), 'alice')
      proxy.cut()
      await expect(store.append('d1', author.insert('while down'), 'alice')).rejects.toBeInstanceOf(
        StorageWriteError,
      )
      proxy.restore()
      await store.append('d1', author.insert('after'), 'alice')
      await store.closeAll()
      const loaded = await reload('d1')
      // Once each, in the order they were appended.
      expect(loaded?.updates).toHaveLength(3)
      expect(TokenDoc.fromLoaded(loaded!).tokens).toEqual(new Set(['a', 'while down', 'after']))
    } finally {
      await close()
    }
  })

  it('event records: appends read back in order; a damaged row refuses the record', async () => {
    const store = new PostgresDocumentStore(pool)
    await store.create('d1', new TokenDoc(1).insert('a'), 'alice')
    await store.closeAll()
    const open = postgresEventLogs(pool)
    await expect(open('missing', 'decisions')).rejects.toThrow(/no storage/)
    const { log } = await open<{ n: number }>('d1', 'decisions')
    await Promise.all([log.append({ n: 1 }), log.append({ n: 2 })])
    await (await open<{ n: number }>('d1', 'annotations')).log.append({ n: 9 })
    expect((await open<{ n: number }>('d1', 'decisions')).events).toEqual([{ n: 1 }, { n: 2 }])
    await pool.query(
      `UPDATE document_events SET record = overlay(record PLACING '\\x7b'::bytea FROM length(record))
       WHERE doc_id = 'd1' AND kind = 'decisions' AND seq = 2`,
    )
    await expect(open('d1', 'decisions')).rejects.toThrow(
      /document_events\(doc_id=d1, kind=decisions, seq=2\)/,
    )
    expect((await open<{ n: number }>('d1', 'annotations')).events).toEqual([{ n: 9 }])
  })

  it('metadata: order, removals and empty collections read back; a damaged row makes it unreadable', async () => {
    const open = () => MetadataStore.openWith(new PostgresMetadata(pool), METADATA_TABLES)
    const store = await open()
    const session = (id: string) => ({ id, userId: 'u1', createdAt: 'now', expiresAt: 'later' })
    await store.update((data) => {
      data.setupCompleted = true
      data.sessions.push(session('s1'), session('s2'), session('s3'))
    })
    await store.update((data) => {
      data.sessions.splice(0, 1)
      data.sessions.splice(1, 0, session('s4'))
    })
    const reopened = await open()
    expect(reopened.unreadable).toBeNull()
    expect(reopened.data.setupCompleted).toBe(true)
    expect(reopened.data.sessions.map((s) => s.id)).toEqual(['s2', 's4', 's3'])
    expect(reopened.data.meetings).toEqual([])
    await pool.query(`UPDATE metadata_rows SET data = '[]'::jsonb WHERE id = 's4'`)
    const damaged = await open()
    expect(damaged.unreadable).toContain('metadata_rows(collection=sessions, id=s4)')
    await expect(damaged.update((data) => data.sessions.pop())).rejects.toThrow(/metadata_rows/)
    const { rows } = await pool.query(`SELECT data FROM metadata_rows WHERE id = 's4'`)
    expect(rows[0].data).toEqual([])
  })

  it("metadata on two nodes: a write of one never undoes the other's change to a record", async () => {
    const open = () => MetadataStore.openWith(new PostgresMetadata(pool), METADATA_TABLES)
    const first = await open()
    await first.update((data) => {
      data.deliverables.push({ id: 'd1', members: { 'u-z': 'editor' } } as unknown as StoredDeliverable)
    })
    const second = await open()
    const members = (store: MetadataStore) => store.data.deliverables[0]!.members
    // The first node gives roles; the second reads one of them (its copy now lists its members in another order
    // than the database's jsonb), then writes something unrelated.
    await first.update(() => {
      members(first)['u-a'] = 'observer'
    })
    await second.reload()
    await first.update(() => {
      members(first)['u-m'] = 'participant'
    })
    await second.update((data) => {
      data.sessions.push({ id: 's1', userId: 'u-a', createdAt: 'now', expiresAt: 'later' })
    })
    const fresh = await open()
    expect(members(fresh)).toEqual({ 'u-a': 'observer', 'u-m': 'participant', 'u-z': 'editor' })
    expect(fresh.data.sessions.map((s) => s.id)).toEqual(['s1'])
    // Both change the same record, the second without having read the first's change: it is judged again.
    await first.update(() => {
      members(first)['u-q'] = 'observer'
    })
    const result = await second.update(() => {
      members(second)['u-b'] = 'editor'
      return Object.keys(members(second)).length
    })
    expect(result).toBe(5)
    expect(members(await open())).toEqual({
      'u-a': 'observer',
      'u-b': 'editor',
      'u-m': 'participant',
      'u-q': 'observer',
      'u-z': 'editor',
    })
  })

  it('meetings: live state and contribution files read back as written; a file is never replaced', async () => {
    const store = new PostgresMeetingStore(pool)
    expect(await store.readLive('m1')).toBeNull()
    // A NUL typed into a note is kept too (the column is json, not jsonb).
    await store.writeLive('m1', liveState('to say: keep NOTE 2 \u0000 é'))
    expect(await store.readLive('m1')).toEqual(savedPartOf(liveState('to say: keep NOTE 2 \u0000 é')))
    await store.writeLive('m1', liveState('second'))
    expect((await store.readLive('m1'))?.queue[0]?.note).toBe('second')
    await store.removeLive('m1')
    expect(await store.readLive('m1')).toBeNull()

    const bytes = new Uint8Array(randomBytes(64 * 1024))
    await store.writeDocument('m1', 'f1', bytes)
    await expect(store.writeDocument('m1', 'f1', new Uint8Array([1]))).rejects.toThrow(
      /meeting_documents\(meeting_id=m1, name=f1\).*left as it is/,
    )
    expect(await store.readDocument('m1', 'f1')).toEqual(bytes)
    await store.removeDocument('m1', 'f1')
    await expect(store.readDocument('m1', 'f1')).rejects.toThrow(
      /meeting_documents\(meeting_id=m1, name=f1\)/,
    )
    await expect(store.readLive('../m1')).rejects.toBeInstanceOf(RangeError)
  })

  it('meetings: a damaged live state is refused naming its row, and left as it is', async () => {
    const store = new PostgresMeetingStore(pool)
    await store.writeLive('m1', liveState('kept'))
    for (const damaged of ['[]', '{"queue":[],"queueOpen":"yes"}', '{"queue":[1],"queueOpen":true}']) {
      await pool.query('UPDATE meeting_live SET state = $1 WHERE meeting_id = $2', [damaged, 'm1'])
      const refused = await store.readLive('m1').catch((error: Error) => error)
      expect(refused).toBeInstanceOf(StorageCorruptError)
      expect((refused as Error).message).toContain('meeting_live(meeting_id=m1)')
      const { rows } = await pool.query(
        `SELECT state::text AS state FROM meeting_live WHERE meeting_id = 'm1'`,
      )
      expect(rows[0].state).toBe(damaged)
    }
  })

  it('meetings: a write while the database is unreachable is refused and changes nothing', async () => {
    const { proxy, viaProxy, close } = await throughProxy()
    try {
      const store = new PostgresMeetingStore(viaProxy)
      await store.writeLive('m1', liveState('before'))
      proxy.cut()
      await expect(store.writeLive('m1', liveState('while down'))).rejects.toBeInstanceOf(StorageWriteError)
      await expect(store.writeDocument('m1', 'f1', new Uint8Array([1]))).rejects.toBeInstanceOf(
        StorageWriteError,
      )
      proxy.restore()
      const direct = new PostgresMeetingStore(pool)
      expect((await direct.readLive('m1'))?.queue[0]?.note).toBe('before')
      await expect(direct.readDocument('m1', 'f1')).rejects.toThrow(/row is missing/)
      await store.writeLive('m1', liveState('after'))
      expect((await direct.readLive('m1'))?.queue[0]?.note).toBe('after')
    } finally {
      await close()
    }
  })
})
