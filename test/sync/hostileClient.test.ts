/**
 * A hostile editor with a raw y-protocols socket cannot change agreed text, another user's clientID, or clause
 * ids by writing structs whose declared fields are not where Yjs puts them (SYNC.md §2: check what Yjs will
 * do with an update, not what the update says). Each attack is a hand-written update (craftedUpdates.ts); what
 * it must not do is checked where a user would see it: the API's section (text, hash, status), an honest
 * client's replica, a late joiner, and the same after a restart.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import * as Y from 'yjs'
import { clauseTitle, plainText } from '../../shared/clauses/clauseText.ts'
import { openRaw, updateFrame } from '../campaign/support/rawSync.ts'
import { bodyOf, readServerDoc } from '../campaign/support/serverDoc.ts'
import {
  agreeByTitle,
  newDeliverable,
  savedAll,
  sectionByTitle,
  sections,
  type Workspace,
} from '../consensus/support.ts'
import {
  attributeItem,
  clocksHeld,
  encodeUpdate,
  endOfParagraph,
  freshClientId,
  itemOf,
  lastIdOf,
  lastStructOf,
  paragraphTextOf,
  stateOf,
} from '../support/craftedUpdates.ts'
import { buildWorkspace, type Session } from '../support/factories.ts'
import {
  clauseByTitle,
  connectClient,
  firstParagraphText,
  type LiveClient,
  waitFor,
} from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { restartOnSameData } from '../support/workspaceServer.ts'

let server: TestServer
let ws: Workspace

beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
})
afterAll(async () => server?.stop())

/** Stops the server and starts it again on the same data; the sessions' API clients follow it. */
async function restart(): Promise<void> {
  server = await restartOnSameData(server, ws)
}

/** What the API says of a section: the three fields agreement binds. */
async function sectionState(deliverableId: string, sectionId: string) {
  const response = await ws.chair.api.get(`/api/deliverables/${deliverableId}/sections/${sectionId}`)
  expect(response.status, JSON.stringify(response.body)).toBe(200)
  const { text, hash, status } = response.body.section
  return { text, hash, status }
}

const sectionIdOf = (body: Y.XmlFragment, title: string) =>
  String(clauseByTitle(body, title).getAttribute('id'))

/** A client that connects, syncs and answers the clause as it received it (XML, attributes included). */
async function lateJoinerSees(deliverableId: string, title: string): Promise<string> {
  const late = connectClient(server, deliverableId, ws.observer.cookie)
  await late.synced()
  const seen = clauseByTitle(late.body, title).toString()
  late.destroy()
  return seen
}

/**
 * An honest editor types a marker into Keywords; once the bystander has it, it has everything the server
 * broadcast before (updates arrive in order), so an attack it did not get was never sent.
 */
async function afterEverythingReached(bystander: LiveClient, deliverableId: string): Promise<void> {
  const marker = `marker-${Math.random().toString(36).slice(2)}`
  const writer = connectClient(server, deliverableId, ws.editor2.cookie, { accord: true })
  await writer.synced()
  const keywords = firstParagraphText(clauseByTitle(writer.body, 'Keywords'))
  keywords.insert(keywords.length, ` ${marker}`)
  await waitFor(() => bystander.body.toString().includes(marker), 'the marker reaches the bystander')
  writer.destroy()
}

/** Types `sentence` at the end of the clause's first paragraph as `session`; answers that client's id. */
async function appendSentence(deliverableId: string, session: Session, title: string, sentence: string) {
  const writer = connectClient(server, deliverableId, session.cookie, { accord: true })
  await writer.synced()
  const text = firstParagraphText(clauseByTitle(writer.body, title))
  text.insert(text.length, sentence)
  await savedAll(writer)
  const clientId = writer.doc.clientID
  writer.destroy()
  return clientId
}

/** Sends one crafted update from a hello'd raw socket of the editor; answers what the server did. */
async function sendAsEditor(deliverableId: string, update: Uint8Array) {
  const attacker = await openRaw(server.wsUrl, deliverableId, ws.editor.cookie)
  const outcome = await attacker.send(updateFrame(update), { awaitSaved: true })
  attacker.close()
  return outcome
}

/**
 * The clause `title` is agreed; the attack is sent; then its text, hash and status are the same in the API, in
 * a bystander's replica, for a late joiner, and after a restart.
 */
async function expectAgreedClauseUnchanged(
  deliverableId: string,
  title: string,
  attack: (view: Y.Doc) => Uint8Array,
) {
  const bystander = connectClient(server, deliverableId, ws.chair.cookie)
  await bystander.synced()
  const sectionId = sectionIdOf(bystander.body, title)
  const before = await sectionState(deliverableId, sectionId)
  expect(before.status).toBe('agreed')
  const xmlBefore = clauseByTitle(bystander.body, title).toString()

  const outcome = await sendAsEditor(deliverableId, attack(bystander.doc))
  await afterEverythingReached(bystander, deliverableId)

  expect(clauseByTitle(bystander.body, title).toString()).toBe(xmlBefore)
  expect(await sectionState(deliverableId, sectionId)).toEqual(before)
  expect(await lateJoinerSees(deliverableId, title)).toBe(xmlBefore)
  bystander.destroy()
  await restart()
  expect(await sectionState(deliverableId, sectionId)).toEqual(before)
  expect(await lateJoinerSees(deliverableId, title)).toBe(xmlBefore)
  return outcome
}

/** Precondition of the overlap attacks: the client's last struct is the end of the clause's paragraph text. */
function expectLastStructEndsParagraph(doc: Y.Doc, clientId: number, title: string): void {
  const last = lastStructOf(doc, clientId)
  expect(last).toBeInstanceOf(Y.Item)
  expect((last as Y.Item).parent).toBe(paragraphTextOf(bodyOf(doc), title))
  expect((last as Y.Item).right).toBeNull()
}

describe('a struct overlapping stored clocks changes no agreed clause', () => {
  test("on another editor's clientID whose last item is in an agreed clause, with an origin in an open clause", async () => {
    const deliverable = (await newDeliverable(ws)).id
    const victim = await appendSentence(deliverable, ws.editor2, 'Overview', 'Written by Ed.')
    await agreeByTitle(ws, deliverable, 'Overview')

    const outcome = await expectAgreedClauseUnchanged(deliverable, 'Overview', (view) => {
      expectLastStructEndsParagraph(view, victim, 'Overview')
      // Yjs slices off the first character (already stored) and puts the rest after the victim's last item.
      return encodeUpdate({
        structs: [
          {
            client: victim,
            clock: stateOf(view, victim) - 1,
            origin: endOfParagraph(bodyOf(view), 'Scope'),
            content: { string: 'X appended to the agreed text' },
          },
        ],
      })
    })
    expect(outcome.kind).toBe('refused')
  })

  test("on the attacker's own earlier clientID whose last item is in a clause agreed since", async () => {
    const deliverable = (await newDeliverable(ws)).id
    const own = await appendSentence(deliverable, ws.editor, 'Overview', 'Written by Eve.')
    await agreeByTitle(ws, deliverable, 'Overview')

    const outcome = await expectAgreedClauseUnchanged(deliverable, 'Overview', (view) => {
      expectLastStructEndsParagraph(view, own, 'Overview')
      return encodeUpdate({
        structs: [
          {
            client: own,
            clock: stateOf(view, own) - 1,
            origin: endOfParagraph(bodyOf(view), 'Scope'),
            content: { string: 'X appended to the agreed text' },
          },
        ],
      })
    })
    expect(outcome).toMatchObject({ kind: 'refused', reason: 'section-locked' })
  })

  test('an attribute item (its key taken from its origin) deletes no sentence of an agreed clause', async () => {
    const deliverable = (await newDeliverable(ws)).id
    await appendSentence(deliverable, ws.editor2, 'Overview', 'A first sentence.')
    const own = await appendSentence(deliverable, ws.editor, 'Overview', ' A second sentence.')
    await agreeByTitle(ws, deliverable, 'Overview')

    const outcome = await expectAgreedClauseUnchanged(deliverable, 'Overview', (view) => {
      expectLastStructEndsParagraph(view, own, 'Overview')
      // The origin is Scope's `kind` attribute item, so Yjs files the item under a map key; placed after the
      // attacker's last item (the sentence) with nothing to its right, it becomes the "current value" and
      // deletes its left neighbour: the sentence. No delete set needed.
      const scopeKind = attributeItem(clauseByTitle(bodyOf(view), 'Scope'), 'kind')
      return encodeUpdate({
        structs: [
          {
            client: own,
            clock: stateOf(view, own) - 1,
            origin: scopeKind.id,
            parentSub: 'kind',
            content: { any: ['x', 'numbered'] },
          },
        ],
      })
    })
    expect(outcome.kind).toBe('refused')
  })

  test("on the server's own seed clientID: an agreed clause's kind does not change", async () => {
    const deliverable = (await newDeliverable(ws)).id
    const probe = connectClient(server, deliverable, ws.chair.cookie)
    await probe.synced()
    const seed = itemOf(clauseByTitle(probe.body, 'Scope')).id.client
    // The skeleton's last struct is the last clause's `kind` attribute: agree that clause.
    const last = lastStructOf(probe.doc, seed) as Y.Item
    expect(last.parentSub).toBe('kind')
    const target = clauseTitle(last.parent as Y.XmlElement)
    probe.destroy()
    await agreeByTitle(ws, deliverable, target)

    const outcome = await expectAgreedClauseUnchanged(deliverable, target, (view) =>
      encodeUpdate({
        structs: [
          {
            client: seed,
            clock: stateOf(view, seed) - 1,
            origin: attributeItem(clauseByTitle(bodyOf(view), 'Scope'), 'kind').id,
            parentSub: 'kind',
            content: { any: ['x', 'annex'] },
          },
        ],
      }),
    )
    expect(outcome.kind).toBe('refused')
  })
})

describe("another editor's clientID belongs to that editor", () => {
  test("a struct written ahead on it is refused; that editor's next edit is stored, and saved means stored", async () => {
    const deliverable = (await newDeliverable(ws)).id
    // The victim is an honest replica on a raw socket: its next edit crosses the attack in flight (it has not
    // received the attacker's struct when it sends), which a y-websocket client cannot be made to do on cue.
    const victimDoc = await readServerDoc(server.wsUrl, deliverable, ws.chair.cookie)
    const victimId = victimDoc.clientID
    const victim = await openRaw(server.wsUrl, deliverable, ws.editor2.cookie)
    const type = (sentence: string) => {
      const before = Y.encodeStateVector(victimDoc)
      const text = paragraphTextOf(bodyOf(victimDoc), 'Scope')
      text.insert(text.length, sentence)
      return Y.encodeStateAsUpdate(victimDoc, before)
    }
    expect(await victim.send(updateFrame(type(' First by Ed.')), { awaitSaved: true })).toEqual({
      kind: 'handled',
      saved: true,
    })

    const ahead = encodeUpdate({
      structs: [
        {
          client: victimId,
          clock: stateOf(victimDoc, victimId),
          origin: lastIdOf(lastStructOf(victimDoc, victimId) as Y.Item),
          content: { deleted: 1000 },
        },
      ],
    })
    const outcome = await sendAsEditor(deliverable, ahead)
    await victim.send(updateFrame(type(' Second by Ed.')), { awaitSaved: true })

    // Every clock acknowledged as saved holds, on the server, what the victim wrote there.
    const savedUpTo = Math.max(
      0,
      ...victim.messages().map((m) => (m.type === 'saved' ? (m.clocks[String(victimId)] ?? 0) : 0)),
    )
    const held = await readServerDoc(server.wsUrl, deliverable, ws.chair.cookie)
    expect(clocksHeld(held, victimId, savedUpTo)).toEqual(clocksHeld(victimDoc, victimId, savedUpTo))
    expect(plainText(clauseByTitle(bodyOf(held), 'Scope'))).toContain('First by Ed. Second by Ed.')
    victim.close()

    await restart()
    expect((await sectionByTitle(ws.chair, deliverable, 'Scope')).text).toContain(
      'First by Ed. Second by Ed.',
    )
    expect(outcome.kind).toBe('refused')
  })
})

describe('clause ids', () => {
  test("an id attribute written over an earlier value cannot give an open clause an agreed clause's id", async () => {
    const deliverable = (await newDeliverable(ws)).id
    const agreed = await agreeByTitle(ws, deliverable, 'Scope')
    const view = connectClient(server, deliverable, ws.chair.cookie)
    await view.synced()
    const previousValue = attributeItem(clauseByTitle(view.body, 'Overview'), 'id')
    const update = encodeUpdate({
      structs: [
        {
          client: freshClientId(view.doc),
          clock: 0,
          origin: previousValue.id,
          parentSub: 'id',
          content: { any: [agreed.id] },
        },
      ],
    })
    // What a decoder of the update sees: no key (Yjs takes it from the origin when it integrates).
    expect((Y.decodeUpdate(update).structs[0] as Y.Item).parentSub).toBeNull()
    view.destroy()

    await sendAsEditor(deliverable, update)
    await vi.waitFor(
      async () => {
        const now = await sections(ws.chair, deliverable)
        expect(new Set(now.map((s) => s.id)).size).toBe(now.length)
      },
      { timeout: 10_000, interval: 100 },
    )
    const now = await sections(ws.chair, deliverable)
    const scope = now.find((s) => s.title === 'Scope')!
    expect({ id: scope.id, status: scope.status, text: scope.text, hash: scope.hash }).toEqual({
      id: agreed.id,
      status: 'agreed',
      text: agreed.text,
      hash: agreed.hash,
    })
    expect(now.filter((s) => s.status === 'agreed').map((s) => s.title)).toEqual(['Scope'])
  })
})
