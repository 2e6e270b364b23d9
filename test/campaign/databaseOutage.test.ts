/**
 * PostgreSQL unavailable (issue 25, part 4), the database's counterpart of the full disk: the server keeps its
 * state in a PostgreSQL of this file's own, stopped (`pg_ctl stop -m fast`) while two editors type. Edits are
 * refused with a visible reason (the `storage` message, a 1013 close that the client retries), nothing is
 * acknowledged meanwhile, a decision is refused and not recorded. Once PostgreSQL is started again, the server
 * takes writes without anyone doing anything; after a crash of the server, every update acknowledged before the
 * outage and every edit typed during it is there, and the clients converge.
 *
 * Its own PostgreSQL, because stopping the one shared by the run would fail every other file running meanwhile.
 * PostgreSQL only: fullDisk.test.ts is the file backend's case.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { ServerMessage } from '../../shared/protocol/messages.ts'
import { buildWorkspace, createUser, type Session } from '../support/factories.ts'
import { databaseAdmin, startThrowawayPostgres, type ThrowawayPostgres } from '../support/postgres.ts'
import { type LiveClient, waitFor } from '../support/syncClients.ts'
import { startTestServer, TEST_BACKEND, type TestServer } from '../support/testServer.ts'
import { recordFigures } from './support/figures.ts'
import { pause } from './support/profile.ts'
import { bodyOf, readServerDoc, stateVectorOf } from './support/serverDoc.ts'
import { addClauses, connectAt, TypingCrew, Typist, traceFor, type Workspace } from './support/workload.ts'

const OUTAGE_TYPING_MS = 3000

describe.skipIf(TEST_BACKEND !== 'postgres')('PostgreSQL unavailable while people type', () => {
  let postgres: ThrowawayPostgres
  let server: TestServer
  let ws: Workspace
  let spare: Session
  let id: string
  let crew: TypingCrew
  let watcher: LiveClient
  const acknowledgedBefore = new Map<Typist, number>()
  let typedWhileDown = 0
  let refusedDecision = false

  /** The chair's `storage` messages since the outage began (the watcher's messages are never taken out). */
  let outageBegan = 0
  const storageMessages = () =>
    watcher.messages
      .slice(outageBegan)
      .filter((m): m is Extract<ServerMessage, { type: 'storage' }> => m.type === 'storage')

  beforeAll(async () => {
    postgres = await startThrowawayPostgres()
    const admin = databaseAdmin(postgres.adminUrl)
    const databaseUrl = await admin.ensureDatabase('accord_outage')
    await admin.end()
    // A child process: it is crashed and restarted on the same port, so the clients find it again.
    server = await startTestServer({ childProcess: true, env: { DATABASE_URL: databaseUrl } })
    ws = await buildWorkspace(server)
    id = ws.deliverable.id
    spare = await createUser(server, ws.admin, { name: 'Sam Spare' })
    await addClauses(server, id, ws.editor, [
      { id: 'typist0', title: 'Typist 0' },
      { id: 'typist1', title: 'Typist 1' },
      { id: 'outage', title: 'Outage', text: 'To be agreed while the database is down.' },
    ])
    crew = new TypingCrew([
      new Typist(server, id, ws.editor, 'Typist 0', traceFor(0)),
      new Typist(server, id, ws.editor2, 'Typist 1', traceFor(1)),
    ])
    // Each refusal closes the socket and the typists reconnect while typing: clear of the reconnect race
    // (reconnectRace.test.ts), which is not what this file tests.
    for (const typist of crew.typists) typist.holdsKeysWhileConnecting = true
    watcher = connectAt(server, id, ws.chair)
    await Promise.all([crew.synced(), watcher.synced()])
  }, 180_000)

  afterAll(async () => {
    crew?.destroy()
    watcher?.destroy()
    // Running again if a test failed during the outage, so that the server's last flush does not wait on it.
    await postgres?.start().catch(() => undefined)
    await server?.stop().catch(() => undefined)
    await postgres?.destroy()
  })

  test('stopped: edits are refused with the reason, nothing is acknowledged, a decision is not recorded', async () => {
    crew.start(5)
    await waitFor(() => {
      crew.collect()
      return crew.typists.every((t) => t.acknowledged > 100)
    }, 'edits saved before the outage')
    expect(
      (await ws.editor.api.post(`/api/deliverables/${id}/sections/outage/actions`, { action: 'propose' }))
        .status,
    ).toBe(200)

    outageBegan = watcher.messages.length
    await postgres.stop()
    await waitFor(() => storageMessages().some((m) => !m.writable), 'the storage message', 30_000)
    const reason = storageMessages().find((m) => !m.writable)!.message
    // The reason names what failed: the database shutting down (57P01, 57P03), or refusing connections.
    expect(reason).toMatch(/\((57P01|57P03|ECONNREFUSED)\)/)
    await waitFor(
      () => crew.typists.every((t) => t.client.closes.some((c) => c.code === 1013)),
      'each typist is told to retry later',
    )
    crew.collect()
    for (const typist of crew.typists) acknowledgedBefore.set(typist, typist.acknowledged)
    const typedBefore = crew.typed

    // Typing goes on against a stopped database: kept on each client, acknowledged to nobody.
    await pause(OUTAGE_TYPING_MS)
    crew.collect()
    typedWhileDown = crew.typed - typedBefore
    expect(typedWhileDown).toBeGreaterThan(0)
    for (const typist of crew.typists) expect(typist.acknowledged).toBe(acknowledgedBefore.get(typist))
    expect(storageMessages().filter((m) => m.writable)).toEqual([])

    const agree = await ws.chair.api.post(`/api/deliverables/${id}/sections/outage/actions`, {
      action: 'agree',
    })
    expect(agree.status, JSON.stringify(agree.body)).toBe(503)
    refusedDecision = true
    const role = await ws.chair.api.put(`/api/deliverables/${id}/members/${spare.user.id}`, {
      role: 'editor',
    })
    expect(role.status, JSON.stringify(role.body)).toBe(503)
  })

  // The node still serves (what it holds, and edits refused with the reason): 200, with the database reported
  // unreachable (docs/API.md "Health"); a balancer keeps it, since every node shares the same database.
  test('/api/health says the database is unreachable while it is', async () => {
    const health = await fetch(`${server.url}/api/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ ok: true, dependencies: { database: 'unreachable' } })
  })

  test('started again: writes resume by themselves; after a crash everything typed is there; clients converge', async () => {
    expect(refusedDecision, 'the outage part ran').toBe(true)
    await postgres.start()
    await waitFor(() => storageMessages().some((m) => m.writable), 'writable again, by itself', 30_000)
    crew.stop()
    await waitFor(
      () => {
        crew.collect()
        return crew.typists.every((t) => t.acknowledged === t.typed)
      },
      'everything typed during the outage saved',
      60_000,
    )
    const agree = await ws.chair.api.post(`/api/deliverables/${id}/sections/outage/actions`, {
      action: 'agree',
    })
    expect(agree.status, JSON.stringify(agree.body)).toBe(200)

    crew.disconnectAll()
    watcher.provider.disconnect()
    await server.kill()
    await server.restart()
    const held = stateVectorOf(await readServerDoc(server.wsUrl, id, ws.observer.cookie))
    const lost = crew.lostIn(held)
    expect(lost).toBe(0)
    // Not only what was acknowledged: every transaction typed, before, during and after the outage.
    for (const typist of crew.typists)
      expect(held.get(typist.clientId)).toBe(Y.getState(typist.client.doc.store, typist.clientId))
    const history = await ws.chair.api.get(`/api/deliverables/${id}/sections/outage/history`)
    expect(history.body.events.map((e: { action: string }) => e.action)).toEqual(['propose', 'agree'])

    crew.connectOnline()
    watcher.provider.connect()
    await crew.synced()
    const text = bodyOf(await readServerDoc(server.wsUrl, id, ws.observer.cookie)).toString()
    await waitFor(
      () => crew.typists.every((t) => t.client.body.toString() === text) && watcher.body.toString() === text,
      'every client has the server’s text',
      30_000,
    )
    expect(crew.refusals()).toEqual([])
    await recordFigures('databaseOutage', {
      acknowledgedUpdatesLost: lost,
      acknowledgedUpdatesChecked: crew.acknowledged,
      transactionsTyped: crew.typed,
      typedWhileDown,
    })
  }, 180_000)
})
