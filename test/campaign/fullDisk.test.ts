/**
 * A real full disk (issue part 3): the data directory on a 2 MiB tmpfs mounted by the test, filled up while
 * people type. Edits are refused with a visible reason (the `storage` message, a 1013 close that the client
 * retries), a decision is refused with 503 and not recorded, nothing acknowledged is lost, and the server
 * recovers by itself once space is back. Where mounting is not allowed, this says so and skips; the injected
 * faults (storageFaults.test.ts) still run.
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
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { recordFigures } from './support/figures.ts'
import { readServerDoc, stateVectorOf } from './support/serverDoc.ts'
import { addClauses, connectAt, TypingCrew, Typist, traceFor, type Workspace } from './support/workload.ts'

const mountPoint = mkdtempSync(path.join(os.tmpdir(), 'accord-tmpfs-'))
let skipReason = ''
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint], { stdio: 'pipe' })
} catch (error) {
  skipReason = `cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]})`
  console.warn(`[campaign] the real full-disk test is skipped: ${skipReason}`)
}

let server: TestServer | undefined
let ws: Workspace
let spare: Session
const filler = path.join(mountPoint, 'filler')

/** Appends to a filler file until the file system refuses; answers how many bytes it took. */
function fillTheDisk(): number {
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

beforeAll(async () => {
  if (skipReason) return
  server = await startTestServer({ dataDir: mountPoint })
  ws = await buildWorkspace(server)
  spare = await createUser(server, ws.admin, { name: 'Sam Spare' })
  await addClauses(server, ws.deliverable.id, ws.editor, [
    { id: 'typist0', title: 'Typist 0' },
    { id: 'full', title: 'Full disk', text: 'To be agreed when the disk is full.' },
  ])
})

afterAll(async () => {
  await server?.stop({ keepData: true }).catch(() => undefined)
  if (!skipReason) execFileSync('umount', ['-l', mountPoint])
  rmSync(mountPoint, { recursive: true, force: true })
})

describe.skipIf(skipReason !== '')('a real full disk (tmpfs)', () => {
  test('edits are refused with a reason while full, nothing acknowledged is lost, and it recovers by itself', async () => {
    const id = ws.deliverable.id
    const typist = new Typist(server!, id, ws.editor, 'Typist 0', traceFor(1))
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

    const filled = fillTheDisk()
    const storageMessages = () =>
      watcher.messages.filter((m): m is Extract<ServerMessage, { type: 'storage' }> => m.type === 'storage')
    await waitFor(() => storageMessages().some((m) => !m.writable), 'the storage message', 30_000)
    expect(storageMessages().find((m) => !m.writable)!.message).toMatch(/ENOSPC/)
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
    unlinkSync(filler)
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
    server = await startTestServer({ dataDir: mountPoint })
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
    fillTheDisk()
    try {
      const role = await client(server!.url, ws.chair.cookie).put(
        `/api/deliverables/${id}/members/${spare.user.id}`,
        { role: 'editor' },
      )
      expect.soft(role.status, JSON.stringify(role.body)).toBe(503)
      expect.soft(role.body.error.message).toMatch(/ENOSPC|full/)
      // Not half done: what the server answers from memory is what the file keeps.
      const members = (await client(server!.url, ws.chair.cookie).get(`/api/deliverables/${id}`)).body
        .deliverable.members
      expect(members.some((m: { userId: string }) => m.userId === spare.user.id)).toBe(false)
    } finally {
      unlinkSync(filler)
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
