/**
 * The crash loop (issue part 1): the server runs as a child process under steady load (typists replaying real
 * traces, one of them offline each round, consensus actions between kills, sometimes an agree in flight) and is
 * SIGKILLed at random moments, then restarted. After every restart, before any client reconnects, the server must
 * hold every transaction a client saw acknowledged, and its decision record must agree with the answers given;
 * at the end, all clients converge and agreed clauses stay locked. On PostgreSQL (ACCORD_TEST_BACKEND=postgres)
 * the same, with the server's state in the database: the counterpart of the file backend's power cuts.
 */
import { afterAll, expect, test } from 'vitest'
import { buildWorkspace } from '../support/factories.ts'
import { waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { DecisionDesk } from './support/decisions.ts'
import { recordFigures } from './support/figures.ts'
import { pause, randomInt, SEED, seededRandom, sized } from './support/profile.ts'
import { bodyOf, readServerDoc, stateVectorOf } from './support/serverDoc.ts'
import { addClauses, connectAt, TypingCrew, Typist } from './support/workload.ts'

const KILLS = sized(5, 25)
const trace = (...parts: unknown[]) => {
  if (process.env.CAMPAIGN_TRACE) console.log(new Date().toISOString(), ...parts)
}
let server: TestServer | undefined

afterAll(async () => server?.stop())

test(
  `${KILLS} SIGKILLs under load: nothing acknowledged is lost, the decision record holds, clients converge`,
  async () => {
    server = await startTestServer({ childProcess: true })
    const ws = await buildWorkspace(server)
    const id = ws.deliverable.id
    const sessions = [ws.editor, ws.editor2, ws.chair, ws.admin]
    const decisionClauses = Array.from({ length: KILLS * 2 + 2 }, (_, i) => ({
      id: `decision${i}`,
      title: `Decision ${i}`,
    }))
    await addClauses(server, id, ws.editor, [
      ...sessions.map((_, i) => ({ id: `typist${i}`, title: `Typist ${i}` })),
      ...decisionClauses,
    ])
    const crew = new TypingCrew(sessions.map((s, i) => Typist.forIndex(server!, id, s, i)))
    const drafter = connectAt(server, id, ws.editor2)
    const desk = new DecisionDesk(ws, id, decisionClauses)
    trace('workspace ready')
    await Promise.all([crew.synced(), drafter.synced()])
    trace('synced')

    const random = seededRandom(SEED)
    const problems: string[] = []
    let lost = 0
    let checked = 0
    let kills = 0
    for (let round = 0; round < KILLS; round++) {
      // One typist is cut off this round (it keeps typing offline); last round's comes back.
      for (const [i, typist] of crew.typists.entries()) {
        if (i === round % crew.typists.length) typist.goOffline()
        else if (!typist.online) typist.goOnline()
      }
      await crew.synced()
      trace('round', round, 'synced')
      crew.start()
      await desk.step(server.url, drafter, random)
      trace('step done')
      let inFlight: Promise<void> = Promise.resolve()
      if (random() < 0.4) {
        inFlight = (await desk.agreeInFlight(server.url, drafter)).settled
        await pause(randomInt(random, 0, 25))
      } else {
        await pause(randomInt(random, 150, 1500))
      }
      await server.kill()
      kills++
      crew.stop()
      crew.disconnectAll()
      drafter.provider.disconnect()
      await inFlight
      trace('killed')
      crew.collect()

      await server.restart()
      trace('restarted')
      // What survived, read before any client can send its state again.
      const stored = await readServerDoc(server.wsUrl, id, ws.observer.cookie)
      const missing = crew.lostIn(stateVectorOf(stored))
      if (missing > 0) problems.push(`round ${round}: ${missing} acknowledged transactions missing`)
      lost += missing
      checked += crew.acknowledged
      problems.push(...(await desk.verify(server.url)).map((p) => `round ${round}: ${p}`))
      trace('verified')
      crew.connectOnline()
      drafter.provider.connect()
      await Promise.all([crew.synced(), waitFor(() => drafter.provider.synced, 'drafter synced', 30_000)])
    }

    for (const typist of crew.typists) if (!typist.online) typist.goOnline()
    await crew.synced()
    await crew.settled(server.wsUrl, id, ws.observer.cookie)
    const final = await readServerDoc(server.wsUrl, id, ws.observer.cookie)
    const text = bodyOf(final).toString()
    await waitFor(
      () => crew.typists.every((t) => t.client.body.toString() === text) && drafter.body.toString() === text,
      'every client has the server’s text',
      30_000,
    )
    const locks = await desk.unlockedAgreedClauses(server.wsUrl)
    crew.collect()
    const figures = {
      killsSurvived: kills,
      acknowledgedUpdatesLost: lost,
      acknowledgedUpdatesChecked: checked,
      transactionsTyped: crew.typed,
      consensusActions: desk.actions,
      agreedClauses: desk.agreedCount,
      seed: SEED,
    }
    crew.destroy()
    drafter.destroy()
    await recordFigures('crashLoop', figures)
    expect(problems).toEqual([])
    expect(lost).toBe(0)
    expect(locks).toEqual([])
    expect(crew.refusals()).toEqual([])
    expect(kills).toBe(KILLS)
    expect(figures.acknowledgedUpdatesChecked).toBeGreaterThan(KILLS * 50)
  },
  sized(240_000, 900_000),
)
