/**
 * Injected storage faults beyond a single failed append (issue part 3): ENOSPC and EIO on the decision log while
 * a chair agrees (503, nothing recorded, the lock released, a retry agrees once), a decision log that flaps under
 * a run of actions, faults in every step of a compaction, and an update log that flaps while people type. After
 * each: nothing acknowledged is lost, across a restart and a power cut.
 *
 * On PostgreSQL the same runs with the database's own failures instead of the file system's: the decision record
 * and the update log fail with an SQLSTATE (support/databaseFaults.ts), and a restart stands for the power cut.
 * Faults of the steps of a file compaction and of a log's rollback are the file backend's alone.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildWorkspace, type Session } from '../support/factories.ts'
import { request } from '../support/http.ts'
import { type DiskOperation, PowerCutDisk } from '../support/powerCutFileSystem.ts'
import { waitFor } from '../support/syncClients.ts'
import { ON_FILES, startTestServer, type TestServer } from '../support/testServer.ts'
import { type AccordTable, failWrites, stopFailing } from './support/databaseFaults.ts'
import { editClause } from './support/edits.ts'
import { recordFigures } from './support/figures.ts'
import { pause, randomInt, SEED, seededRandom, sized } from './support/profile.ts'
import { readServerDoc, stateVectorOf } from './support/serverDoc.ts'
import { addClauses, TypingCrew, Typist, traceFor, type Workspace } from './support/workload.ts'

let dataDir: string
let disk: PowerCutDisk
let server: TestServer
let ws: Workspace
let id: string
const figures = {
  injectedFaults: 0,
  decisionActions: 0,
  acknowledgedUpdatesLost: 0,
  acknowledgedUpdatesChecked: 0,
}
const AGREE_FAULTS: [DiskOperation, string][] = [
  ['write', 'ENOSPC'],
  ['write', 'EIO'],
  ['fsync', 'EIO'],
  ['fsync', 'ENOSPC'],
]
const FLAPPING_ACTIONS = sized(24, 120)

/** PostgreSQL's failures that stand for a disk's ENOSPC and EIO. */
const DATABASE_CODES = ['53100', '58030'] as const

const start = () =>
  startTestServer({
    dataDir,
    ...(ON_FILES ? { fileSystem: disk.fileSystem() } : {}),
    env: { COMPACT_AFTER_BYTES: '6000' },
  })

/** Makes the writes of one table fail with `code`; or, with no table, takes every injected fault away. */
async function failDatabase(table?: AccordTable, code = 'never'): Promise<void> {
  if (table) await failWrites(server.databaseUrl!, [table], code)
  else await stopFailing(server.databaseUrl!)
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'accord-campaign-faults-'))
  const setup = await startTestServer({ dataDir })
  ws = await buildWorkspace(setup)
  id = ws.deliverable.id
  await addClauses(setup, id, ws.editor, [
    ...AGREE_FAULTS.map((_, i) => ({ id: `agree${i}`, title: `Agree ${i}`, text: 'To be agreed.' })),
    { id: 'flapping', title: 'Flapping', text: 'Objected to, again and again.' },
    { id: 'compaction', title: 'Compaction' },
    { id: 'typist0', title: 'Typist 0' },
    { id: 'typist1', title: 'Typist 1' },
    { id: 'unknown', title: 'Unknown outcome', text: 'Agreed, or not?' },
  ])
  await setup.stop({ keepData: true })
  if (ON_FILES) disk = await PowerCutDisk.create(dataDir)
  server = await start()
})
afterAll(async () => {
  await recordFigures('storageFaults', figures)
  // The database goes with the server; the files are removed here.
  await server?.stop({ keepData: ON_FILES }).catch(() => undefined)
  await rm(dataDir, { recursive: true, force: true })
})

function act(session: Session, sectionId: string, body: Record<string, unknown>) {
  figures.decisionActions++
  return request(server.url, 'POST', `/api/deliverables/${id}/sections/${sectionId}/actions`, body, {
    cookie: session.cookie,
  })
}

async function historyOf(sectionId: string): Promise<string[]> {
  const answer = await request(
    server.url,
    'GET',
    `/api/deliverables/${id}/sections/${sectionId}/history`,
    undefined,
    {
      cookie: ws.chair.cookie,
    },
  )
  expect(answer.status, JSON.stringify(answer.body)).toBe(200)
  return answer.body.events.map((e: { action: string; objectionId: string | null }) =>
    e.objectionId ? `${e.action}:${e.objectionId}` : e.action,
  )
}

/** Restarts gracefully, then cuts the power (files) and restarts again: answers the two views of `read`. */
async function acrossRestarts<T>(read: () => Promise<T>): Promise<T[]> {
  const seen: T[] = []
  await server.stop({ keepData: true })
  server = await start()
  seen.push(await read())
  if (ON_FILES) await disk.powerCut()
  await server.stop({ keepData: true }).catch(() => undefined)
  server = await start()
  seen.push(await read())
  return seen
}

/** A failure of the decision record's storage, and what the error must name. */
interface DecisionFault {
  name: string
  where: string
  inject(): Promise<void>
  clear(): Promise<void>
}

const DECISION_FAULTS: DecisionFault[] = ON_FILES
  ? AGREE_FAULTS.map(([operation, code]) => ({
      name: `${code} on ${operation}`,
      where: 'decisions.log',
      inject: async () =>
        disk.failWhen((op, file) => (op === operation && file.endsWith('decisions.log') ? code : undefined)),
      clear: async () => disk.failWhen(undefined),
    }))
  : DATABASE_CODES.map((code) => ({
      name: `${code} from PostgreSQL`,
      where: 'document_events',
      inject: () => failDatabase('document_events', code),
      clear: () => failDatabase(),
    }))

describe('a decision log that fails while a chair agrees', () => {
  const expected = new Map<string, string[]>()

  for (const [index, fault] of DECISION_FAULTS.entries()) {
    test(`${fault.name}: 503, nothing recorded, the clause stays editable; the retry agrees once`, async () => {
      const sectionId = `agree${index}`
      expect((await act(ws.editor, sectionId, { action: 'propose' })).status).toBe(200)
      await fault.inject()
      figures.injectedFaults++
      const failed = await act(ws.chair, sectionId, { action: 'agree' })
      await fault.clear()
      expect(failed.status, JSON.stringify(failed.body)).toBe(503)
      expect(failed.body.error.message).toContain(fault.where)
      expect(await historyOf(sectionId)).toEqual(['propose'])
      const section = await request(
        server.url,
        'GET',
        `/api/deliverables/${id}/sections/${sectionId}`,
        undefined,
        {
          cookie: ws.chair.cookie,
        },
      )
      expect(section.body.section.status).toBe('proposed')
      // The lock taken for the agree is released: the clause takes edits again, and they are saved.
      const edit = await editClause(server.wsUrl, id, ws.editor, `Agree ${index}`, 'Still a draft. ')
      expect(edit).toEqual({ kind: 'handled', saved: true })
      const retried = await act(ws.chair, sectionId, { action: 'agree' })
      expect(retried.status, JSON.stringify(retried.body)).toBe(200)
      expect(retried.body.section.text).toContain('Still a draft.')
      expected.set(sectionId, ['propose', 'agree'])
      expect(await historyOf(sectionId)).toEqual(['propose', 'agree'])
    })
  }

  test(`after ${ON_FILES ? 'a restart and a power cut' : 'two restarts'}, each of them holds exactly one agree`, async () => {
    const read = async () =>
      Object.fromEntries(await Promise.all([...expected.keys()].map(async (s) => [s, await historyOf(s)])))
    const views = await acrossRestarts(read)
    for (const view of views) expect(view).toEqual(Object.fromEntries(expected))
  })
})

describe('a decision log that flaps under a run of actions', () => {
  test(`${FLAPPING_ACTIONS} objections and withdrawals, each failing at random: the record is exactly the answered ones`, async () => {
    const random = seededRandom(SEED + 3)
    expect((await act(ws.editor, 'flapping', { action: 'propose' })).status).toBe(200)
    const confirmed = ['propose']
    let open: string | null = null
    for (let n = 0; n < FLAPPING_ACTIONS; n++) {
      const failing = random() < 0.5
      if (failing) figures.injectedFaults++
      if (ON_FILES) {
        const operation: DiskOperation = random() < 0.5 ? 'write' : 'fsync'
        const code = random() < 0.5 ? 'EIO' : 'ENOSPC'
        disk.failWhen((op, file) =>
          failing && op === operation && file.endsWith('decisions.log') ? code : undefined,
        )
      } else if (failing) await failDatabase('document_events', DATABASE_CODES[randomInt(random, 0, 1)])
      const answer = open
        ? await act(ws.participant, 'flapping', { action: 'withdraw-objection', objectionId: open })
        : await act(ws.participant, 'flapping', { action: 'object', note: `Objection ${n}.` })
      if (ON_FILES) disk.failWhen(undefined)
      else if (failing) await failDatabase()
      expect(answer.status, JSON.stringify(answer.body)).toBe(failing ? 503 : 200)
      if (answer.status !== 200) continue
      if (open) {
        confirmed.push(`withdraw-objection:${open}`)
        open = null
      } else {
        const objections = answer.body.section.objections as { id: string; open: boolean }[]
        open = objections.find((o) => o.open)!.id
        confirmed.push(`object:${open}`)
      }
    }
    expect(await historyOf('flapping')).toEqual(confirmed)
    for (const view of await acrossRestarts(() => historyOf('flapping'))) expect(view).toEqual(confirmed)
  })
})

/** Types into its own clause until `until` holds; answers the typist for the durability checks. */
async function typeWhile(typist: Typist, until: () => boolean, timeoutMs = 30_000): Promise<void> {
  const crew = new TypingCrew([typist])
  crew.start(3)
  try {
    await waitFor(
      () => {
        crew.collect()
        return until()
      },
      'the typing phase',
      timeoutMs,
    )
  } finally {
    crew.stop()
  }
}

// The steps of a file compaction (PostgreSQL's is one transaction: postgresStores.test.ts).
describe.skipIf(!ON_FILES)('faults inside compactions', () => {
  const phases: { name: string; fault: (op: DiskOperation, file: string) => boolean }[] = [
    { name: 'the snapshot cannot be written', fault: (_op, file) => file.includes('snapshot.bin') },
    {
      name: 'the next update log cannot be opened',
      fault: (op, file) => op === 'open' && /updates-\d+\.log$/.test(file),
    },
    { name: 'the directory cannot be fsync’d', fault: (op) => op === 'fsyncDirectory' },
    { name: 'the old logs cannot be removed', fault: (op) => op === 'unlink' },
  ]

  test('edits go on and are saved while compactions fail; a later one succeeds; nothing is lost', async () => {
    const typist = new Typist(server, id, ws.editor, 'Compaction', traceFor(0))
    await typist.client.synced()
    for (const phase of phases) {
      const renames = disk.count('rename')
      disk.failWhen((op, file) => (phase.fault(op, file) ? 'EIO' : undefined))
      figures.injectedFaults++
      const ackedBefore = typist.acknowledged
      // Enough text for several compactions at 6000 bytes.
      await typeWhile(typist, () => typist.acknowledged > ackedBefore + 600)
      disk.failWhen(undefined)
      expect(typist.refusals, phase.name).toEqual([])
      expect(typist.client.closes, phase.name).toEqual([])
      // Typing on without faults: a compaction completes (its snapshot rename happens).
      await typeWhile(typist, () => disk.count('rename') > renames && typist.acknowledged > ackedBefore + 900)
    }
    typist.collect()
    typist.client.provider.disconnect()
    await disk.powerCut()
    await server.stop({ keepData: true }).catch(() => undefined)
    server = await start()
    const lost = typist.lostIn(stateVectorOf(await readServerDoc(server.wsUrl, id, ws.observer.cookie)))
    figures.acknowledgedUpdatesLost += lost
    figures.acknowledgedUpdatesChecked += typist.acknowledged
    expect(lost).toBe(0)
    typist.destroy()
  })
})

describe('an update log that flaps while people type', () => {
  test('refused while failing, saved once it works, nothing acknowledged lost, everyone converges', async () => {
    const random = seededRandom(SEED + 4)
    const crew = new TypingCrew([
      new Typist(server, id, ws.editor, 'Typist 0', traceFor(1)),
      new Typist(server, id, ws.editor2, 'Typist 1', traceFor(0)),
    ])
    // Refused edits close the sockets and they reconnect while typing: clear of reconnectRace.test.ts's bug.
    for (const typist of crew.typists) typist.holdsKeysWhileConnecting = true
    await crew.synced()
    crew.start(5)
    let failing = false
    const flaps = sized(12, 60)
    for (let n = 0; n < flaps; n++) {
      failing = !failing
      if (failing) figures.injectedFaults++
      if (ON_FILES) {
        const code = random() < 0.5 ? 'ENOSPC' : 'EIO'
        const operation: DiskOperation = random() < 0.5 ? 'write' : 'fsync'
        disk.failWhen((op, file) =>
          failing && op === operation && /updates-\d+\.log$/.test(file) ? code : undefined,
        )
      } else
        await failDatabase(failing ? 'document_updates' : undefined, DATABASE_CODES[randomInt(random, 0, 1)])
      await pause(randomInt(random, 100, 700))
    }
    if (ON_FILES) disk.failWhen(undefined)
    else await failDatabase()
    crew.stop()
    await crew.synced()
    await waitFor(
      () => {
        crew.collect()
        return crew.typists.every((t) => t.acknowledged === t.typed)
      },
      'every typed transaction saved',
      30_000,
    )
    expect(crew.refusals()).toEqual([])
    // Told about the failures: each client saw storage messages, and was closed with 1013 at least once.
    expect(crew.typists.some((t) => t.client.closes.some((c) => c.code === 1013))).toBe(true)
    crew.disconnectAll()
    if (ON_FILES) await disk.powerCut()
    await server.stop({ keepData: true }).catch(() => undefined)
    server = await start()
    const stored = await readServerDoc(server.wsUrl, id, ws.observer.cookie)
    const lost = crew.lostIn(stateVectorOf(stored))
    figures.acknowledgedUpdatesLost += lost
    figures.acknowledgedUpdatesChecked += crew.acknowledged
    expect(lost).toBe(0)
    crew.destroy()
  })
})

// A log's rollback (PostgreSQL's event append is one INSERT: nothing to take back).
describe.skipIf(!ON_FILES)('a decision log whose rollback fails too', () => {
  test('an agree whose record could not be taken back: after a crash, the record and the clause still agree', async () => {
    expect((await act(ws.editor, 'unknown', { action: 'propose' })).status).toBe(200)
    // fsync fails after the record was written, and so does the truncate that should take it back.
    disk.failWhen((op, file) =>
      file.endsWith('decisions.log') && (op === 'fsync' || op === 'truncate') ? 'EIO' : undefined,
    )
    figures.injectedFaults++
    const failed = await act(ws.chair, 'unknown', { action: 'agree' })
    expect(failed.status, JSON.stringify(failed.body)).toBe(503)
    // Told that nothing was agreed, an editor goes on editing the clause (if the server lets them).
    const edit = await editClause(server.wsUrl, id, ws.editor, 'Unknown outcome', 'Edited after the 503. ')
    // The process dies now (SIGKILL keeps the page cache: the written record is still in the file) and restarts.
    const crashed = server
    crashed.accord!.server.close()
    crashed.accord!.server.closeAllConnections()
    disk.failWhen(undefined)
    server = await start()
    try {
      const answer = await request(
        server.url,
        'GET',
        `/api/deliverables/${id}/sections/unknown/history`,
        undefined,
        {
          cookie: ws.chair.cookie,
        },
      )
      const events = answer.body.events as { action: string; hash: string }[]
      const section = await request(
        server.url,
        'GET',
        `/api/deliverables/${id}/sections/unknown`,
        undefined,
        {
          cookie: ws.chair.cookie,
        },
      )
      const agreed = events.find((e) => e.action === 'agree')
      if (agreed) {
        // Recorded after all: then the clause must be the text that was agreed, locked since the agree.
        expect(section.body.section.status).toBe('agreed')
        expect({ edit: edit.kind, present: section.body.section.hash }).toEqual({
          edit: 'refused',
          present: agreed.hash,
        })
      } else {
        expect(section.body.section.status).toBe('proposed')
      }
    } finally {
      await crashed.stop({ keepData: true }).catch(() => undefined)
    }
  })
})
