/**
 * Protocol fuzzing with fast-check, fixed seed (issue part 4): random and mutated y-protocols frames, random valid
 * Yjs updates from random clients (aimed at free, agreed and required clauses, delivered with clock gaps, out of
 * order, referencing content the server never saw), and hostile awareness. After every case: the server is up,
 * Yjs never held a pending struct (a spy on the store sees every assignment), a refused update changed nothing,
 * an accepted one is wholly integrated and acknowledged, agreed clauses keep their hash and required ones exist.
 * At the end, honest clients converge and a restart loads exactly what was in memory (nothing refused stored).
 */
import fc from 'fast-check'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import type { LiveDocument } from '../../server/sync/liveDocument.ts'
import { clauseHash } from '../../shared/clauses/clauseText.ts'
import { MESSAGE_AWARENESS } from '../../shared/protocol/messages.ts'
import { buildWorkspace } from '../support/factories.ts'
import { request } from '../support/http.ts'
import { clauseByTitle, firstParagraphText, type LiveClient, waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { recordFigures } from './support/figures.ts'
import {
  allClauses,
  applyOp,
  type ClauseRoles,
  itemKeyOf,
  type UpdateCase,
  updateCase,
} from './support/fuzzOps.ts'
import { spyOnPending } from './support/pendingSpy.ts'
import { SEED, sized } from './support/profile.ts'
import { helloFrame, type Outcome, openRaw, updateFrame } from './support/rawSync.ts'
import { bodyOf, readServerDoc, stateVectorOf, syncStep1Frame } from './support/serverDoc.ts'
import { connectAt, newClause, savedAll, type Workspace } from './support/workload.ts'

const RUNS = {
  updates: sized(300, 2500),
  frames: sized(150, 1500),
  mutated: sized(150, 1500),
  awareness: sized(100, 1000),
}
let server: TestServer
let ws: Workspace
let id: string
let roles: ClauseRoles
let agreedHashes: Map<string, string>
let honest: LiveClient
let reader: LiveClient
const pendingSeen: string[] = []
const problems: string[] = []
const counts = { cases: 0, accepted: 0, refused: 0, closed: 0, expectedRefusals: 0 }
let current = ''
let honestTokens = 0
let runs = 0

const live = (): LiveDocument => server.accord!.ctx.hub.loaded(id)!

function note(problem: string): void {
  if (problems.length < 40) problems.push(`${current}: ${problem}`)
}

/** Records every pending struct or delete set the server's document is given. */
function watchPending(doc: Y.Doc): void {
  spyOnPending(doc, (field) => pendingSeen.push(`${current}: ${field}`))
}

beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
  id = ws.deliverable.id
  const setup = connectAt(server, id, ws.editor)
  await setup.synced()
  setup.doc.transact(() => {
    const parent = newClause('fuzz5', 'Fuzz 5', 'Parent of an agreed sub-clause.')
    parent.insert(parent.length, [newClause('fuzz6', 'Fuzz 6', 'Agreed sub-clause text.')])
    setup.body.insert(setup.body.length, [
      newClause('fuzz0', 'Fuzz 0', 'Agreed text zero.'),
      newClause('fuzz1', 'Fuzz 1', 'Agreed text one.'),
      newClause('fuzz2', 'Fuzz 2', 'Free text two.'),
      newClause('fuzz3', 'Fuzz 3', 'Free text three.'),
      parent,
      newClause('honest', 'Honest', ''),
    ])
  })
  await savedAll(setup)
  setup.destroy()
  for (const sectionId of ['fuzz0', 'fuzz1', 'fuzz6']) {
    for (const [session, action] of [
      [ws.editor, 'propose'],
      [ws.chair, 'agree'],
    ] as const) {
      const answer = await request(
        server.url,
        'POST',
        `/api/deliverables/${id}/sections/${sectionId}/actions`,
        { action },
        {
          cookie: session.cookie,
        },
      )
      expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    }
  }
  honest = connectAt(server, id, ws.editor2)
  reader = connectAt(server, id, ws.observer)
  await Promise.all([honest.synced(), reader.synced()])
  // A first awareness state has clock 0, which y-protocols ignores: set a field, as an editor sets its cursor.
  honest.provider.awareness.setLocalStateField('cursor', { anchor: 1 })
  await waitFor(() => live().awareness.getStates().has(honest.doc.clientID), 'the honest presence')
  const clauses = allClauses(live().body)
  const byId = (sectionId: string) => clauses.find((c) => c.getAttribute('id') === sectionId)!
  const required = server.accord!.ctx.metadata.deliverable(id)!.requiredClauseItems
  roles = {
    agreed: new Set(['fuzz0', 'fuzz1', 'fuzz6'].map((s) => itemKeyOf(byId(s)))),
    required: new Set(required.map((item) => `${item.client}:${item.clock}`)),
    untouchable: new Set([itemKeyOf(byId('honest'))]),
  }
  agreedHashes = new Map(['fuzz0', 'fuzz1', 'fuzz6'].map((s) => [itemKeyOf(byId(s)), clauseHash(byId(s))]))
  watchPending(live().doc)
})

afterAll(async () => {
  honest?.destroy()
  reader?.destroy()
  await server?.stop()
})

/** What every case must leave behind, whatever it sent. */
function checkInvariants(): void {
  const doc = live().doc
  const store = doc.store as unknown as { pendingStructs: unknown; pendingDs: unknown }
  if (store.pendingStructs !== null || store.pendingDs !== null) note('pending structs in the store')
  const clauses = new Map(allClauses(live().body).map((c) => [itemKeyOf(c), c]))
  for (const [key, hash] of agreedHashes) {
    const element = clauses.get(key)
    if (!element) note(`agreed clause ${key} is gone`)
    else if (clauseHash(element) !== hash) note(`agreed clause ${key} changed`)
  }
  for (const key of roles.required) if (!clauses.has(key)) note(`required clause ${key} is gone`)
}

/** Sends frames on one socket; checks that a refusal changed nothing; answers the outcome of each. */
async function deliver(
  frames: (Uint8Array | string)[],
  hello: boolean,
  session = ws.editor,
  awaitSaved = false,
): Promise<Outcome[]> {
  const raw = await openRaw(server.wsUrl, id, session.cookie, { hello })
  const outcomes: Outcome[] = []
  try {
    for (const frame of frames) {
      const before = { sv: Y.encodeStateVector(live().doc), text: live().body.toString() }
      const outcome = await raw.send(frame, { awaitSaved })
      outcomes.push(outcome)
      counts.cases++
      if (outcome.kind === 'closed') {
        counts.closed++
        if (outcome.code < 4400 || outcome.code > 4499) note(`closed with ${outcome.code}, not a 44xx code`)
      }
      if (outcome.kind === 'refused') counts.refused++
      if (outcome.kind !== 'handled') {
        const unchanged =
          Buffer.from(Y.encodeStateVector(live().doc)).equals(Buffer.from(before.sv)) &&
          live().body.toString() === before.text
        if (!unchanged) note(`refused (${JSON.stringify(outcome)}) but the document changed`)
      }
      if (outcome.kind === 'closed') break
    }
  } finally {
    raw.close()
  }
  checkInvariants()
  return outcomes
}

function refusedFor(outcome: Outcome | undefined, reason: string, code: number): boolean {
  return (
    (outcome?.kind === 'refused' && outcome.reason === reason) ||
    (outcome?.kind === 'closed' && outcome.code === code)
  )
}

/** Every struct of the update is in the server's store. */
function integrated(update: Uint8Array): boolean {
  const decoded = Y.decodeUpdate(update) as unknown as { structs: { id: Y.ID; length: number }[] }
  return decoded.structs.every((s) => Y.getState(live().doc.store, s.id.client) >= s.id.clock + s.length)
}

/**
 * True when the update would change nothing on the server (SYNC.md §2.2: such an update is an accepted no-op,
 * whoever sends it): applied to a copy of the server's document, the copy encodes exactly as before.
 */
const isEmpty = (update: Uint8Array) => {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(live().doc))
  const before = Y.encodeStateAsUpdate(copy)
  Y.applyUpdate(copy, update)
  const unchanged = Buffer.from(Y.encodeStateAsUpdate(copy)).equals(Buffer.from(before))
  copy.destroy()
  return unchanged
}

async function runUpdateCase(c: UpdateCase): Promise<void> {
  const replica = new Y.Doc()
  const honestIds = new Set([honest.doc.clientID, reader.doc.clientID])
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(live().doc))
  // Set after loading: a replica may continue another (not live) client's clock, as an impersonator would.
  if (c.clientId !== null) replica.clientID = honestIds.has(c.clientId) ? c.clientId ^ 1 : c.clientId
  const body = bodyOf(replica)
  const sv0 = Y.encodeStateVector(replica)
  let touchesLocked = false
  for (const op of c.ops) touchesLocked = (applyOp(body, roles, op)?.touchesLocked ?? false) || touchesLocked
  const u1 = Y.encodeStateAsUpdate(replica, sv0)
  const wroteStructs =
    Y.getState(replica.store, replica.clientID) > (Y.decodeStateVector(sv0).get(replica.clientID) ?? 0)
  const session = c.reader ? ws.observer : ws.editor
  const as = c.delivery === 'step2' ? 'step2' : 'update'

  let frames: Uint8Array[]
  let expected: 'accept' | 'locked' | 'read-only' | 'resync' | 'any'
  const free = () => freeText(body)
  if (c.delivery === 'gap' || c.delivery === 'reorder') {
    const sv1 = Y.encodeStateVector(replica)
    free().insert(0, 'after a gap ')
    const u2 = Y.encodeStateAsUpdate(replica, sv1)
    frames = c.delivery === 'gap' ? [updateFrame(u2, as)] : [updateFrame(u2, as), updateFrame(u1, as)]
    // encodeStateAsUpdate carries the whole delete set: without a gap, the second update repeats the first's deletes.
    expected = c.reader ? 'read-only' : wroteStructs ? 'resync' : touchesLocked ? 'locked' : 'accept'
  } else if (c.delivery === 'dangling-origin' || c.delivery === 'dangling-delete') {
    const text = free()
    const sv1 = Y.encodeStateVector(replica)
    text.insert(0, 'unseen ')
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(replica))
    const svOther = Y.encodeStateVector(other)
    const otherText = freeText(bodyOf(other))
    if (c.delivery === 'dangling-origin') otherText.insert('unseen '.length, 'DANGLING')
    else otherText.delete(0, 'unseen '.length)
    frames = [updateFrame(Y.encodeStateAsUpdate(other, svOther), as)]
    void sv1
    expected = c.reader ? 'read-only' : 'resync'
  } else {
    frames = c.delivery === 'duplicate' ? [updateFrame(u1, as), updateFrame(u1, as)] : [updateFrame(u1, as)]
    expected = isEmpty(u1) ? 'any' : c.reader ? 'read-only' : touchesLocked ? 'locked' : 'accept'
  }
  const outcomes = await deliver(frames, c.hello, session, c.hello && expected === 'accept' && !isEmpty(u1))
  const first = outcomes[0]
  if (expected !== 'accept' && expected !== 'any') counts.expectedRefusals++
  if (expected === 'accept') {
    if (first?.kind !== 'handled') note(`expected the update applied, got ${JSON.stringify(first)}`)
    else {
      counts.accepted++
      if (!integrated(c.delivery === 'gap' ? Y.encodeStateAsUpdate(replica, sv0) : u1))
        note('accepted but not wholly integrated')
      if (c.hello && !first.saved && !isEmpty(u1)) note('accepted but never acknowledged as saved')
    }
  }
  if (expected === 'locked' && !refusedFor(first, 'section-locked', 4423))
    note(`expected section-locked, got ${JSON.stringify(first)}`)
  if (expected === 'read-only' && !refusedFor(first, 'read-only', 4405))
    note(`expected read-only, got ${JSON.stringify(first)}`)
  if (expected === 'resync' && !refusedFor(first, 'resync-required', 4409))
    note(`expected resync-required, got ${JSON.stringify(first)}`)
  replica.destroy()
}

/** The paragraph text of a clause that takes edits (fuzzing deletes some, so the first one left). */
function freeText(body: Y.XmlFragment): Y.XmlText {
  for (const clause of allClauses(body)) {
    const key = itemKeyOf(clause)
    if (roles.agreed.has(key) || roles.untouchable.has(key)) continue
    const paragraph = clause.toArray().find((c) => c instanceof Y.XmlElement && c.nodeName === 'paragraph')
    const text = (paragraph as Y.XmlElement | undefined)?.toArray().find((c) => c instanceof Y.XmlText)
    if (text instanceof Y.XmlText) return text
  }
  throw new Error('no clause with a paragraph is left')
}

/** The honest editor types one token into its own clause, and waits for it to be saved. */
async function honestTypes(): Promise<void> {
  firstParagraphText(clauseByTitle(honest.body, 'Honest')).insert(0, `<honest ${++honestTokens}>`)
  await savedAll(honest)
}

const property = <T>(arbitrary: fc.Arbitrary<T>, run: (value: T) => Promise<void>) =>
  fc.asyncProperty(arbitrary, async (value) => {
    current = JSON.stringify(value, (_k, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
    ).slice(0, 300)
    const started = Date.now()
    await run(value)
    if (process.env.CAMPAIGN_TRACE) console.log(Date.now() - started, 'ms', current.slice(0, 160))
    if (++runs % 25 === 0) await honestTypes()
  })

describe('the sync socket under fuzzing', () => {
  beforeEach(() => {
    problems.length = 0
  })

  test(`${RUNS.updates} random updates from random clients: refused exactly when they must be, never pending`, async () => {
    await fc.assert(property(updateCase, runUpdateCase), {
      seed: SEED,
      numRuns: RUNS.updates,
      endOnFailure: true,
    })
    expect(problems).toEqual([])
    expect(pendingSeen).toEqual([])
    expect(counts.accepted).toBeGreaterThan(RUNS.updates / 10)
    expect(counts.expectedRefusals).toBeGreaterThan(RUNS.updates / 10)
  })

  const frame = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc
      .tuple(fc.constantFrom(0, 1, 2, 3, 100), fc.uint8Array({ maxLength: 300 }))
      .map(([type, rest]) => Uint8Array.from([type, ...rest])),
    fc
      .tuple(fc.constantFrom(0, 1, 2, 3, 7), fc.uint8Array({ maxLength: 300 }))
      .map(([step, rest]) => Uint8Array.from([0, step, ...rest])),
  )

  test(`${RUNS.frames} random frames: each closes its own connection or changes nothing`, async () => {
    await fc.assert(
      property(fc.tuple(frame, fc.boolean()), ([bytes, hello]) =>
        deliver([bytes], hello).then(() => undefined),
      ),
      { seed: SEED + 1, numRuns: RUNS.frames, endOnFailure: true },
    )
    expect(problems).toEqual([])
    expect(pendingSeen).toEqual([])
  })

  const mutation = fc.record({
    kind: fc.constantFrom('flip', 'truncate', 'insert', 'duplicate', 'length'),
    at: fc.nat(1000),
    byte: fc.integer({ min: 0, max: 255 }),
  })

  /** A valid message of each kind the server reads, built from the present document. */
  function validMessage(kind: number): Uint8Array {
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(live().doc))
    const sv = Y.encodeStateVector(replica)
    switch (kind) {
      case 0:
        return syncStep1Frame(Y.encodeStateVector(live().doc))
      case 1:
      case 2: {
        const target =
          kind === 1
            ? freeText(bodyOf(replica))
            : firstParagraphText(clauseByTitle(bodyOf(replica), 'Fuzz 0'))
        target.insert(Math.min(2, target.length), 'mutant ')
        return updateFrame(Y.encodeStateAsUpdate(replica, sv), kind === 1 ? 'step2' : 'update')
      }
      case 3: {
        const encoder = encoding.createEncoder()
        encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
        const inner = encoding.createEncoder()
        encoding.writeVarUint(inner, 1)
        encoding.writeVarUint(inner, replica.clientID)
        encoding.writeVarUint(inner, 1)
        encoding.writeVarString(inner, JSON.stringify({ cursor: { anchor: 1 }, user: { name: 'forged' } }))
        encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner))
        return encoding.toUint8Array(encoder)
      }
      default:
        return kind === 4 ? helloFrame() : Uint8Array.from([3])
    }
  }

  function mutate(bytes: Uint8Array, mutations: { kind: string; at: number; byte: number }[]): Uint8Array {
    let out = Array.from(bytes)
    for (const m of mutations) {
      const at = Math.floor((m.at / 1001) * out.length)
      if (m.kind === 'flip' && out.length > 0) out[at] = out[at]! ^ (m.byte || 1)
      else if (m.kind === 'truncate') out = out.slice(0, at)
      else if (m.kind === 'insert') out.splice(at, 0, m.byte)
      else if (m.kind === 'duplicate') out = [...out.slice(0, at), ...out.slice(at, at + 8), ...out.slice(at)]
      else if (m.kind === 'length' && out.length > 2) out[Math.min(2, out.length - 1)] = m.byte | 0x80
    }
    return Uint8Array.from(out)
  }

  test(`${RUNS.mutated} mutated valid messages: never a pending struct, never a change to an agreed clause`, async () => {
    const arbitrary = fc.tuple(
      fc.integer({ min: 0, max: 5 }),
      fc.array(mutation, { minLength: 1, maxLength: 4 }),
      fc.boolean(),
    )
    await fc.assert(
      property(arbitrary, async ([kind, mutations, hello]) => {
        await deliver([mutate(validMessage(kind), mutations)], hello)
      }),
      { seed: SEED + 2, numRuns: RUNS.mutated, endOnFailure: true },
    )
    expect(problems).toEqual([])
    expect(pendingSeen).toEqual([])
  })

  const nested = (depth: number) => `{"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`
  const awarenessState = fc.oneof(
    fc.constant('null'),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.object({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.constantFrom(
      '{"user":{"name":"Mallory","id":"admin"}}',
      '{"__proto__":{"polluted":true}}',
      '{nope',
      '[1,2]',
      '"string"',
      nested(1000),
      nested(4100),
      nested(4500),
      nested(5500),
    ),
  )

  test(`${RUNS.awareness} hostile awareness updates: nobody's presence is erased or forged`, async () => {
    const honestId = honest.doc.clientID
    const entry = fc.record({
      clientId: fc.oneof(
        fc.constant(honestId),
        fc.constant(0),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.constant(2 ** 53 - 1),
      ),
      clock: fc.oneof(fc.nat(10), fc.constant(2 ** 32), fc.constant(2 ** 53 - 1)),
      state: awarenessState,
    })
    const userIds = new Set([ws.editor.user.id, ws.editor2.user.id, ws.observer.user.id])
    await fc.assert(
      property(
        fc.tuple(fc.array(entry, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean()),
        async ([entries, hello, query]) => {
          const inner = encoding.createEncoder()
          encoding.writeVarUint(inner, entries.length)
          for (const e of entries) {
            encoding.writeVarUint(inner, e.clientId)
            encoding.writeVarUint(inner, e.clock)
            encoding.writeVarString(inner, e.state)
          }
          const encoder = encoding.createEncoder()
          encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
          encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner))
          await deliver(
            query ? [encoding.toUint8Array(encoder), Uint8Array.from([3])] : [encoding.toUint8Array(encoder)],
            hello,
          )
          const states = live().awareness.getStates()
          const mine = states.get(honestId) as { user?: { id?: string } } | undefined
          if (mine?.user?.id !== ws.editor2.user.id)
            note(`the honest client's presence is ${JSON.stringify(mine)}`)
          for (const [clientId, state] of states) {
            const user = (state as { user?: { id?: string } }).user
            if (!user?.id || !userIds.has(user.id))
              note(`presence ${clientId} carries user ${JSON.stringify(user)}`)
          }
          if (({} as Record<string, unknown>).polluted !== undefined) note('Object.prototype polluted')
        },
      ),
      { seed: SEED + 3, numRuns: RUNS.awareness, endOnFailure: true },
    )
    // A new client still gets everyone's presence (nothing left in the awareness that cannot be encoded).
    const late = await openRaw(server.wsUrl, id, ws.observer.cookie, { hello: false })
    expect(await late.send(Uint8Array.from([3]))).toMatchObject({ kind: 'handled' })
    late.close()
    expect(problems).toEqual([])
  })

  test('honest clients converge, and a restart loads exactly what was in memory', async () => {
    await honestTypes()
    const text = live().body.toString()
    await waitFor(
      () => honest.body.toString() === text && reader.body.toString() === text,
      'honest clients converge',
    )
    const sv = stateVectorOf(live().doc)
    await live().flush()
    const stored = await readServerDoc(server.wsUrl, id, ws.observer.cookie)
    expect(bodyOf(stored).toString()).toBe(text)
    honest.destroy()
    reader.destroy()
    await server.stop({ keepData: true })
    server = await startTestServer({ dataDir: server.dataDir })
    const reloaded = await readServerDoc(server.wsUrl, id, ws.observer.cookie)
    expect(bodyOf(reloaded).toString()).toBe(text)
    expect(stateVectorOf(reloaded)).toEqual(sv)
    await recordFigures('protocolFuzz', {
      fuzzCasesRun: counts.cases,
      accepted: counts.accepted,
      refusedByMessage: counts.refused,
      closedWith44xx: counts.closed,
      expectedRefusals: counts.expectedRefusals,
      seed: SEED,
    })
  })
})
