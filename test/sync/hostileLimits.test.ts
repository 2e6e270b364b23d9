/**
 * Limits against a hostile client (SYNC.md §2.6 and §4): deep nesting neither escapes the clause locks nor
 * makes a deliverable unreadable; a large chained update, an awareness flood, presence queries and repeated
 * hellos do not freeze the server or turn into megabytes for other users. The server runs as its own process,
 * so that a blocked event loop shows in its answers to /api/health and not in this test's own timers.
 */
import * as encoding from 'lib0/encoding'
import { describe, expect, test } from 'vitest'
import type * as Y from 'yjs'
import { MESSAGE_AWARENESS } from '../../shared/protocol/messages.ts'
import { helloFrame, type Outcome, openRaw, updateFrame } from '../campaign/support/rawSync.ts'
import { syncStep1Frame } from '../campaign/support/serverDoc.ts'
import { agreeByTitle, newDeliverable, pause, sectionByTitle } from '../consensus/support.ts'
import {
  type CraftedStruct,
  encodeUpdate,
  freshClientId,
  itemOf,
  lastIdOf,
  listItems,
} from '../support/craftedUpdates.ts'
import { clauseByTitle, connectClient, firstParagraphText, waitFor } from '../support/syncClients.ts'
import { workspaceServerForFile } from '../support/workspaceServer.ts'

const fx = workspaceServerForFile({ childProcess: true })
const MiB = 1024 * 1024

/** How long /api/health takes to answer, in milliseconds. */
async function healthLatency(): Promise<number> {
  const started = performance.now()
  const response = await fetch(`${fx.server.url}/api/health`)
  expect(response.status).toBe(200)
  await response.text()
  return performance.now() - started
}

/** Asks /api/health every 50 ms until `work` settles (and once more); answers the slowest answer's time. */
async function slowestHealthWhile(work: Promise<unknown>): Promise<number> {
  let settled = false
  void work.finally(() => {
    settled = true
  })
  let slowest = 0
  do {
    slowest = Math.max(slowest, await healthLatency())
    await pause(50)
  } while (!settled)
  return Math.max(slowest, await healthLatency())
}

/** A refusal for size: the `too-large` message, or the 4413 close. */
const refusedAsTooLarge = (outcome: Outcome) =>
  (outcome.kind === 'refused' && outcome.reason === 'too-large') ||
  (outcome.kind === 'closed' && outcome.code === 4413)

/** A synced replica of the deliverable, to find the ids an attack refers to. */
async function view(deliverableId: string) {
  const client = connectClient(fx.server, deliverableId, fx.ws.chair.cookie)
  await client.synced()
  return client
}

/**
 * `depth` elements <p>, each the only child of the one before, after the last block of the clause's element
 * (its origin), the innermost holding a text: answers the structs and the id of the innermost text.
 */
function nestedElements(client: number, after: Y.ID, depth: number, text: string) {
  const structs: CraftedStruct[] = [{ client, clock: 0, origin: after, content: { element: 'p' } }]
  for (let clock = 1; clock < depth; clock++)
    structs.push({ client, clock, parent: { id: { client, clock: clock - 1 } }, content: { element: 'p' } })
  structs.push({
    client,
    clock: depth,
    parent: { id: { client, clock: depth - 1 } },
    content: { xmlText: true },
  })
  structs.push({
    client,
    clock: depth + 1,
    parent: { id: { client, clock: depth } },
    content: { string: text },
  })
  return { structs, innermostText: { client, clock: depth }, next: depth + 1 + text.length }
}

/** The item of the last block of a clause: an origin after which new blocks go into that clause. */
function lastBlockOf(body: Y.XmlFragment, title: string): Y.ID {
  const clause = clauseByTitle(body, title)
  return itemOf(clause.get(clause.length - 1) as Y.XmlElement).id
}

describe('deep nesting', () => {
  test('content nested 300 levels deep in a clause is locked with it once agreed (or refused up front)', async () => {
    const deliverable = (await newDeliverable(fx.ws)).id
    const replica = await view(deliverable)
    const attacker = freshClientId(replica.doc)
    const deep = nestedElements(attacker, lastBlockOf(replica.body, 'Overview'), 300, 'Deep text.')
    replica.destroy()
    const raw = await openRaw(fx.server.wsUrl, deliverable, fx.ws.editor.cookie)
    const first = await raw.send(updateFrame(encodeUpdate({ structs: deep.structs })), { awaitSaved: true })
    raw.close()
    if (refusedAsTooLarge(first)) {
      expect((await sectionByTitle(fx.ws.chair, deliverable, 'Overview')).text).not.toContain('Deep text.')
      return
    }
    expect(first).toEqual({ kind: 'handled', saved: true })

    const agreed = await agreeByTitle(fx.ws, deliverable, 'Overview')
    expect(agreed.text).toContain('Deep text.')
    const edit = encodeUpdate({
      structs: [
        {
          client: attacker,
          clock: deep.next,
          parent: { id: deep.innermostText },
          content: { string: 'Changed. ' },
        },
      ],
    })
    const again = await openRaw(fx.server.wsUrl, deliverable, fx.ws.editor.cookie)
    const second = await again.send(updateFrame(edit), { awaitSaved: true })
    again.close()

    const after = await sectionByTitle(fx.ws.chair, deliverable, 'Overview')
    expect({ text: after.text, hash: after.hash, status: after.status }).toEqual({
      text: agreed.text,
      hash: agreed.hash,
      status: 'agreed',
    })
    const late = await view(deliverable)
    expect(late.body.toString()).not.toContain('Changed.')
    late.destroy()
    expect(second.kind).toBe('refused')
  })

  test('20,000 nested elements from an editor are refused, and the deliverable stays readable after a restart', async () => {
    const deliverable = (await newDeliverable(fx.ws)).id
    const replica = await view(deliverable)
    const deep = nestedElements(
      freshClientId(replica.doc),
      lastBlockOf(replica.body, 'Overview'),
      20_000,
      'x',
    )
    replica.destroy()
    const update = encodeUpdate({ structs: deep.structs })
    expect(update.byteLength).toBeGreaterThan(200_000)

    const raw = await openRaw(fx.server.wsUrl, deliverable, fx.ws.editor.cookie)
    const outcome = await raw.send(updateFrame(update), { awaitSaved: true, timeoutMs: 60_000 })
    raw.close()
    const read = () => fx.ws.chair.api.get(`/api/deliverables/${deliverable}`)
    expect((await read()).status).toBe(200)
    await fx.server.stop({ keepData: true })
    await fx.server.restart()
    expect((await read()).status).toBe(200)
    expect(outcome, JSON.stringify(outcome)).toSatisfy(refusedAsTooLarge)
  })
})

describe('denial of service', () => {
  test('a 3 MiB chained update does not freeze the server, and an honest edit still reaches a bystander', async () => {
    const deliverable = (await newDeliverable(fx.ws)).id
    const bystander = await view(deliverable)
    const scopeText = firstParagraphText(clauseByTitle(bystander.body, 'Scope'))
    const attacker = freshClientId(bystander.doc)
    // Only the first struct says where it goes; each next one has the previous one as origin.
    const structs: CraftedStruct[] = [
      {
        client: attacker,
        clock: 0,
        origin: lastIdOf(listItems(scopeText).at(-1)!),
        content: { string: 'a' },
      },
    ]
    const count = Math.floor((3 * MiB) / 11)
    for (let clock = 1; clock < count; clock++)
      structs.push({
        client: attacker,
        clock,
        origin: { client: attacker, clock: clock - 1 },
        content: { string: 'a' },
      })
    const update = encodeUpdate({ structs })
    expect(update.byteLength).toBeGreaterThan(2 * MiB)
    expect(update.byteLength).toBeLessThan(4 * MiB)

    const raw = await openRaw(fx.server.wsUrl, deliverable, fx.ws.editor.cookie)
    const handled = raw.send(updateFrame(update), { timeoutMs: 240_000 })
    const slowest = await slowestHealthWhile(handled)
    await handled
    raw.close()

    const honest = connectClient(fx.server, deliverable, fx.ws.editor2.cookie)
    await honest.synced()
    const keywords = firstParagraphText(clauseByTitle(honest.body, 'Keywords'))
    keywords.insert(0, 'Honest keyword.')
    await waitFor(() => bystander.body.toString().includes('Honest keyword.'), 'the honest edit', 60_000)
    honest.destroy()
    bystander.destroy()
    expect(slowest).toBeLessThan(1000)
  }, 300_000)

  test("an observer's awareness flood reaches a bystander as less than 1 MiB", async () => {
    const deliverable = (await newDeliverable(fx.ws)).id
    const bystander = await openRaw(fx.server.wsUrl, deliverable, fx.ws.participant.cookie, { hello: false })
    await bystander.send(syncStep1Frame())
    const before = bytesOf(bystander.received)

    const flooder = await openRaw(fx.server.wsUrl, deliverable, fx.ws.observer.cookie, { hello: false })
    await flood(flooder)
    await quiet(bystander.received)

    expect(bytesOf(bystander.received) - before).toBeLessThan(MiB)
    flooder.close()
    bystander.close()
  })

  test('presence queries after an awareness flood are not answered with megabytes', async () => {
    const deliverable = (await newDeliverable(fx.ws)).id
    const flooder = await openRaw(fx.server.wsUrl, deliverable, fx.ws.observer.cookie, { hello: false })
    await flood(flooder)

    const querier = await openRaw(fx.server.wsUrl, deliverable, fx.ws.participant.cookie, { hello: false })
    for (let i = 0; i < 10; i++) await querier.send(Uint8Array.from([3]))
    await quiet(querier.received)

    expect(bytesOf(querier.received)).toBeLessThan(MiB)
    flooder.close()
    querier.close()
  })

  test('fifty hello frames on one connection: health answers within 1 s, and one welcome at most', async () => {
    const deliverable = (await newDeliverable(fx.ws)).id
    const raw = await openRaw(fx.server.wsUrl, deliverable, fx.ws.editor.cookie, { hello: false })
    for (let i = 0; i < 49; i++) raw.socket.send(helloFrame())
    const handled = raw.send(helloFrame())
    const slowest = await slowestHealthWhile(handled)
    await handled
    await quiet(raw.received)

    expect(slowest).toBeLessThan(1000)
    expect(raw.messages().filter((m) => m.type === 'welcome').length).toBeLessThanOrEqual(1)
    raw.close()
  })
})

const bytesOf = (frames: Uint8Array[]) => frames.reduce((sum, frame) => sum + frame.byteLength, 0)

/** Waits until no frame arrived for half a second (at most 20 s): what the server sends has arrived. */
async function quiet(frames: Uint8Array[]): Promise<void> {
  const deadline = Date.now() + 20_000
  let count = -1
  while (count !== frames.length && Date.now() < deadline) {
    count = frames.length
    await pause(500)
  }
}

/**
 * Thirty awareness messages, each with 1,000 states `{}` of fresh clientIDs (9 KB, under the 16 KiB limit),
 * then a probe: once it is answered (or the socket closed), the server has handled the flood.
 */
async function flood(flooder: Awaited<ReturnType<typeof openRaw>>): Promise<void> {
  const firstId = 1 + Math.floor(Math.random() * 0x3fff0000)
  for (let message = 0; message < 30; message++) {
    const update = encoding.createEncoder()
    encoding.writeVarUint(update, 1000)
    for (let i = 0; i < 1000; i++) {
      encoding.writeVarUint(update, firstId + message * 1000 + i)
      encoding.writeVarUint(update, 1)
      encoding.writeVarString(update, '{}')
    }
    const frame = encoding.createEncoder()
    encoding.writeVarUint(frame, MESSAGE_AWARENESS)
    encoding.writeVarUint8Array(frame, encoding.toUint8Array(update))
    if (flooder.isClosed()) return
    flooder.socket.send(encoding.toUint8Array(frame))
  }
  await flooder.send(syncStep1Frame())
}
