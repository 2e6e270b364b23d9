/**
 * A real full disk (issue part 3): the data directory on a 2 MiB tmpfs mounted by the test, filled up while
 * people type. Edits are refused with a visible reason (the `storage` message, a 1013 close that the client
 * retries), a decision is refused with 503 and not recorded, nothing acknowledged is lost, and the server
 * recovers by itself once space is back. Where mounting is not allowed, this says so and skips; the injected
 * faults (storageFaults.test.ts) still run. On PostgreSQL the same tests run against a database that answers
 * every write as a full disk does (support/databaseFaults.ts); databaseOutage.test.ts stops it altogether.
 */
import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ServerMessage } from '../../shared/protocol/messages.ts'
import { buildWorkspace, createUser, type Session } from '../support/factories.ts'
import { client, request } from '../support/http.ts'
import { waitFor } from '../support/syncClients.ts'
import { ON_FILES, startTestServer, type TestServer } from '../support/testServer.ts'
import { ACCORD_TABLES, failWrites, stopFailing } from './support/databaseFaults.ts'
import { recordFigures } from './support/figures.ts'
import { readServerDoc, stateVectorOf } from './support/serverDoc.ts'
import { addClauses, connectAt, TypingCrew, Typist, traceFor, type Workspace } from './support/workload.ts'

/** Where the server keeps its state, and how to fill it up and free it again. */
interface FullStorage {
  /** Why this cannot run here, or ''. */
  skipReason: string
  /** What the reason given to the clients names. */
  code: RegExp
  /** Starts a server on this storage; again after a stop, on the same state. */
  start(): Promise<TestServer>
  /** Fills the storage; answers the bytes it took (0 for the database). */
  fill(server: TestServer): Promise<number>
  free(server: TestServer): Promise<void>
  dispose(): void
}

/** Appends to a filler file until the file system refuses; answers how many bytes it took. */
function fillTheDisk(filler: string): number {
  let written = 0
  const chunk = Buffer.alloc(16 * 1024, 0x61)
  for (;;) {
    try {
      appendFileSync(filler, chunk)
      written += chunk.length
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
      // Fill the last partial chunk too, a byte at a time would be slow: 512 bytes is close enough.
      for (let tail = chunk.length / 2; tail >= 512; tail /= 2)
        try {
          appendFileSync(filler, chunk.subarray(0, tail))
          written += tail
        } catch {
          // full at this size; try a smaller one
        }
      return written
    }
  }
}

/** The file backend: DATA_DIR on a 2 MiB tmpfs, filled by a filler file. */
function tmpfsStorage(): FullStorage {
  const mountPoint = mkdtempSync(path.join(os.tmpdir(), 'accord-tmpfs-'))
  const filler = path.join(mountPoint, 'filler')
  let skipReason = ''
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint], { stdio: 'pipe' })
  } catch (error) {
    skipReason = `cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]})`
    console.warn(`[campaign] the real full-disk test is skipped: ${skipReason}`)
  }
  return {
    skipReason,
    code: /ENOSPC/,
    start: () => startTestServer({ dataDir: mountPoint }),
    fill: async () => fillTheDisk(filler),
    free: async () => unlinkSync(filler),
    dispose() {
      if (!skipReason) execFileSync('umount', ['-l', mountPoint])
      rmSync(mountPoint, { recursive: true, force: true })
    },
  }
}

/** The PostgreSQL backend: its answer to a full disk, SQLSTATE 53100, on every write (support/databaseFaults.ts). */
function fullDatabaseStorage(): FullStorage {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'accord-fulldb-'))
  return {
    skipReason: '',
    code: /53100/,
    start: () => startTestServer({ dataDir }),
    fill: async (server) => {
      await failWrites(server.databaseUrl!, ACCORD_TABLES, '53100')
      return 0
    },
    free: (server) => stopFailing(server.databaseUrl!),
    dispose: () => rmSync(dataDir, { recursive: true, force: true }),
  }
}

const storage = ON_FILES ? tmpfsStorage() : fullDatabaseStorage()
let server: TestServer | undefined
let ws: Workspace
let spare: Session

beforeAll(async () => {
  if (storage.skipReason) return
  server = await storage.start()
  ws = await buildWorkspace(server)
  spare = await createUser(server, ws.admin, { name: 'Sam Spare' })
  await addClauses(server, ws.deliverable.id, ws.editor, [
    { id: 'typist0', title: 'Typist 0' },
    { id: 'full', title: 'Full disk', text: 'To be agreed when the disk is full.' },
  ])
})

afterAll(async () => {
  // The database is dropped with the server; the tmpfs is unmounted with what it holds.
  await server?.stop({ keepData: ON_FILES }).catch(() => undefined)
  storage.dispose()
})

describe.skipIf(storage.skipReason !== '')(`a full disk (${ON_FILES ? 'tmpfs' : 'PostgreSQL'})`, () => {
  test('edits are refused with a reason while full, nothing acknowledged is lost, and it recovers by itself', async () => {
    const id = ws.deliverable.id
    const typist = new Typist(server!, id, ws.editor, 'Typist 0', traceFor(1))
    // Refused edits close the socket and it reconnects while typing: clear of reconnectRace.test.ts's bug.
    typist.holdsKeysWhileConnecting = true
    const crew = new TypingCrew([typist])
    const watcher = connectAt(server!, id, ws.chair)
    await Promise.all([crew.synced(), watcher.synced()])
    crew.start(3)
    await waitFor(() => {
      crew.collect()
      return typist.acknowledged > 200
    }, 'edits saved before the disk fills')
    expect(
      (await ws.editor.api.post(`/api/deliverables/${id}/sections/full/actions`, { action: 'propose' }))
        .status,
    ).toBe(200)

    const filled = await storage.fill(server!)
    const storageMessages = () =>
      watcher.messages.filter((m): m is Extract<ServerMessage, { type: 'storage' }> => m.type === 'storage')
    await waitFor(() => storageMessages().some((m) => !m.writable), 'the storage message', 30_000)
    expect(storageMessages().find((m) => !m.writable)!.message).toMatch(storage.code)
    await waitFor(
      () => typist.client.closes.some((c) => c.code === 1013),
      'the typist is told to retry later',
    )
    crew.collect()
    const ackedWhileFull = typist.acknowledged

    // A decision cannot be recorded now: 503, and nothing is.
    const agree = await ws.chair.api.post(`/api/deliverables/${id}/sections/full/actions`, {
      action: 'agree',
    })
    expect(agree.status, JSON.stringify(agree.body)).toBe(503)
    const history = await ws.chair.api.get(`/api/deliverables/${id}/sections/full/history`)
    expect(history.body.events.map((e: { action: string }) => e.action)).toEqual(['propose'])
    await storage.free(server!)
    await waitFor(() => storageMessages().some((m) => m.writable), 'writable again', 30_000)
    crew.stop()
    await waitFor(
      () => {
        crew.collect()
        return typist.acknowledged === typist.typed
      },
      'everything typed saved once space is back',
      30_000,
    )
    expect(typist.acknowledged).toBeGreaterThan(ackedWhileFull)
    expect(
      (await ws.chair.api.post(`/api/deliverables/${id}/sections/full/actions`, { action: 'agree' })).status,
    ).toBe(200)

    crew.disconnectAll()
    watcher.destroy()
    await server!.stop({ keepData: true })
    server = await storage.start()
    const stored = await readServerDoc(server.wsUrl, id, ws.observer.cookie)
    const lost = typist.lostIn(stateVectorOf(stored))
    expect(lost).toBe(0)
    const after = await request(
      server.url,
      'GET',
      `/api/deliverables/${id}/sections/full/history`,
      undefined,
      {
        cookie: ws.chair.cookie,
      },
    )
    expect(after.body.events.map((e: { action: string }) => e.action)).toEqual(['propose', 'agree'])
    await recordFigures('fullDisk', {
      fillerBytes: filled,
      acknowledgedUpdatesLost: lost,
      acknowledgedUpdatesChecked: typist.acknowledged,
      transactionsTyped: typist.typed,
    })
    crew.destroy()
  })

  test('a change to users, groups or roles on a full disk: 503 with the reason, and memory matches the file', async () => {
    const id = ws.deliverable.id
    await storage.fill(server!)
    try {
      const role = await client(server!.url, ws.chair.cookie).put(
        `/api/deliverables/${id}/members/${spare.user.id}`,
        { role: 'editor' },
      )
      expect.soft(role.status, JSON.stringify(role.body)).toBe(503)
      expect.soft(role.body.error.message).toMatch(/ENOSPC|53100|full/)
      // Not half done: what the server answers from memory is what the file keeps.
      const members = (await client(server!.url, ws.chair.cookie).get(`/api/deliverables/${id}`)).body
        .deliverable.members
      expect(members.some((m: { userId: string }) => m.userId === spare.user.id)).toBe(false)
    } finally {
      await storage.free(server!)
    }
    expect(
      (
        await client(server!.url, ws.chair.cookie).put(`/api/deliverables/${id}/members/${spare.user.id}`, {
          role: 'editor',
        })
      ).status,
    ).toBe(200)
  })
})
