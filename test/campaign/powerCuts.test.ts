/**
 * Power cuts under load (issue part 2): the in-process server on a disk that, at a random moment (a random
 * operation, or a random time), loses every byte not yet fsync'd, and sometimes keeps a random part of the
 * unsynced bytes (a torn write). Clients reach the server through a TCP proxy so that they reconnect to the
 * restarted one. After every cut: everything acknowledged is there, nothing half-written loaded (the document
 * loads whole, with no pending structs), and the decision record agrees with the answers given.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { buildWorkspace } from '../support/factories.ts'
import { PowerCutDisk } from '../support/powerCutFileSystem.ts'
import { waitFor } from '../support/syncClients.ts'
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.ts'
import { ON_FILES, startTestServer, type TestServer } from '../support/testServer.ts'
import { DecisionDesk } from './support/decisions.ts'
import { recordFigures } from './support/figures.ts'
import { pause, randomInt, SEED, seededRandom, sized } from './support/profile.ts'
import { bodyOf, readServerDoc, stateVectorOf } from './support/serverDoc.ts'
import { addClauses, connectAt, type Endpoint, TypingCrew, Typist } from './support/workload.ts'

const CUTS = sized(10, 100)
let dataDir: string | undefined
let server: TestServer | undefined
let proxy: TcpProxy | undefined

afterAll(async () => {
  await server?.stop({ keepData: true }).catch(() => undefined)
  await proxy?.close()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

// A power cut of the file system under the file backend; PostgreSQL makes its own commits durable, and
// crashLoop.test.ts kills the server under load on both backends.
test.skipIf(!ON_FILES)(
  `${CUTS} power cuts under load: nothing acknowledged is lost, nothing half-written is loaded`,
  async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'accord-campaign-cuts-'))
    // metadata.json is written outside the storage interface: the workspace exists before the disk is modelled.
    const setup = await startTestServer({ dataDir })
    const ws = await buildWorkspace(setup)
    const id = ws.deliverable.id
    const sessions = [ws.editor, ws.editor2, ws.chair]
    const decisionClauses = Array.from({ length: CUTS + 2 }, (_, i) => ({
      id: `decision${i}`,
      title: `Decision ${i}`,
    }))
    await addClauses(setup, id, ws.editor, [
      ...sessions.map((_, i) => ({ id: `typist${i}`, title: `Typist ${i}` })),
      ...decisionClauses,
    ])
    await setup.stop({ keepData: true })

    const disk = await PowerCutDisk.create(dataDir)
    // Small compactions, so that cuts also land in the middle of snapshot writes.
    const start = () =>
      startTestServer({ dataDir, fileSystem: disk.fileSystem(), env: { COMPACT_AFTER_BYTES: '3000' } })
    server = await start()
    proxy = await startTcpProxy(server.port)
    const endpoint: Endpoint = { url: proxy.url, wsUrl: `ws://127.0.0.1:${proxy.port}/sync` }
    const crew = new TypingCrew(sessions.map((s, i) => Typist.forIndex(endpoint, id, s, i)))
    const drafter = connectAt(endpoint, id, ws.editor2)
    const desk = new DecisionDesk(ws, id, decisionClauses)
    await Promise.all([crew.synced(), drafter.synced()])

    const random = seededRandom(SEED + 1)
    const problems: string[] = []
    let lost = 0
    let checked = 0
    let cuts = 0
    let torn = 0
    for (let round = 0; round < CUTS; round++) {
      for (const [i, typist] of crew.typists.entries()) {
        if (round % 3 === 0 && i === round % crew.typists.length) typist.goOffline()
        else if (!typist.online) typist.goOnline()
      }
      await crew.synced()
      crew.start()
      if (random() < 0.5) await desk.step(server.url, drafter, random)
      let inFlight: Promise<void> = Promise.resolve()
      if (random() < 0.3) inFlight = (await desk.agreeInFlight(server.url, drafter)).settled
      if (random() < 0.5) {
        // At a random operation: in the middle of a write, an fsync, a rename...
        disk.cutAfter(randomInt(random, 1, 1500))
        await waitFor(() => disk.isCut, 'the cut', 20_000).catch(() => undefined)
      } else {
        await pause(randomInt(random, 50, 1000))
      }
      const tear = random() < 0.5
      if (tear) torn++
      await disk.powerCut(tear ? { random } : {})
      cuts++
      crew.stop()
      crew.disconnectAll()
      drafter.provider.disconnect()
      await server.stop({ keepData: true }).catch(() => undefined)
      await inFlight
      crew.collect()

      server = await start()
      proxy.targetPort = server.port
      const stored = await readServerDoc(server.wsUrl, id, ws.observer.cookie)
      const missing = crew.lostIn(stateVectorOf(stored))
      if (missing > 0) problems.push(`cut ${round}: ${missing} acknowledged transactions missing`)
      lost += missing
      checked += crew.acknowledged
      const store = server.accord!.ctx.hub.loaded(id)!.doc.store as unknown as {
        pendingStructs: unknown
        pendingDs: unknown
      }
      if (store.pendingStructs !== null || store.pendingDs !== null)
        problems.push(`cut ${round}: pending structs after load`)
      problems.push(...(await desk.verify(server.url)).map((p) => `cut ${round}: ${p}`))
      crew.connectOnline()
      drafter.provider.connect()
      await Promise.all([crew.synced(), waitFor(() => drafter.provider.synced, 'drafter synced', 30_000)])
    }

    for (const typist of crew.typists) if (!typist.online) typist.goOnline()
    await crew.synced()
    await crew.settled(server.wsUrl, id, ws.observer.cookie)
    const text = bodyOf(await readServerDoc(server.wsUrl, id, ws.observer.cookie)).toString()
    await waitFor(
      () => crew.typists.every((t) => t.client.body.toString() === text),
      'every client has the server’s text',
      30_000,
    )
    const locks = await desk.unlockedAgreedClauses(server.wsUrl)
    crew.collect()
    const figures = {
      powerCutsSurvived: cuts,
      tornCuts: torn,
      acknowledgedUpdatesLost: lost,
      acknowledgedUpdatesChecked: checked,
      transactionsTyped: crew.typed,
      consensusActions: desk.actions,
      agreedClauses: desk.agreedCount,
      fsyncs: disk.count('fsync'),
      renames: disk.count('rename'),
      seed: SEED + 1,
    }
    crew.destroy()
    drafter.destroy()
    await recordFigures('powerCuts', figures)
    expect(problems).toEqual([])
    expect(lost).toBe(0)
    expect(locks).toEqual([])
    expect(crew.refusals()).toEqual([])
    expect(figures.renames).toBeGreaterThan(0)
  },
  sized(240_000, 1_200_000),
)
