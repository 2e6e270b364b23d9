/**
 * Agreed clauses are locked against every kind of edit, checked with a raw y-protocols client: each update is
 * made on a Y.Doc replica of a real client's document, then sent as one frame. A refused update reaches nobody,
 * changes nothing on the server, and the sender is told `section-locked` (a message after hello, close code
 * 4423 otherwise).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_CODES } from '../../shared/protocol/messages.ts'
import { buildWorkspace } from '../support/factories.ts'
import { clauseByTitle, connectClient, firstParagraphText, waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import {
  act,
  agreeByTitle,
  headingText,
  must,
  newDeliverable,
  paragraphOf,
  pause,
  replicaOf,
  sectionByTitle,
  sections,
  sendChecked,
  sendRaw,
  type Workspace,
} from './support.ts'

let server: TestServer
let ws: Workspace
/** A technical report with Scope (1), Overview (6) and Technical framework (7) agreed. */
let report: string
let scopeId: string
/** A use-cases deliverable with "Use case 1" (7.1, under "Use cases") agreed. */
let useCases: string
let useCaseId: string

beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
  report = ws.deliverable.id
  scopeId = (await agreeByTitle(ws, report, 'Scope')).id
  await agreeByTitle(ws, report, 'Overview')
  await agreeByTitle(ws, report, 'Technical framework')
  useCases = (await newDeliverable(ws, 'use-cases')).id
  useCaseId = (await agreeByTitle(ws, useCases, 'Use case 1')).id
})
afterAll(async () => server.stop())

type Edit = (body: Y.XmlFragment) => void

const live = (deliverableId: string) => server.accord!.ctx.hub.loaded(deliverableId)!

/** Sends the edit as a plain client and as a hello'd one; both are refused and nothing changes anywhere. */
async function expectRefused(deliverableId: string, edit: Edit, lockedIds: string[]): Promise<void> {
  const watcher = connectClient(server, deliverableId, ws.chair.cookie, { accord: true })
  await watcher.synced()
  const stateBefore = Y.encodeStateVector(live(deliverableId).doc)
  const bodyBefore = watcher.body.toString()
  const apiBefore = await sections(ws.chair, deliverableId)
  let received = 0
  watcher.doc.on('update', () => received++)

  const replica = replicaOf(watcher)
  edit(replica.body)
  const update = replica.diff()
  expect(replica.body.toString()).not.toBe(bodyBefore)

  const told = await sendChecked(server, deliverableId, ws.editor, update)
  expect(told).toMatchObject({ kind: 'refused', reason: 'section-locked' })
  expect(told.kind === 'refused' && told.sectionIds).toEqual(expect.arrayContaining(lockedIds))
  const plain = await sendRaw(server, deliverableId, ws.editor, update)
  expect(plain).toEqual({ kind: 'closed', code: CLOSE_CODES.sectionLocked, reason: 'section-locked' })

  await pause(100)
  expect(received).toBe(0)
  expect(watcher.body.toString()).toBe(bodyBefore)
  expect(Y.encodeStateVector(live(deliverableId).doc)).toEqual(stateBefore)
  expect(await sections(ws.chair, deliverableId)).toEqual(apiBefore)
  const late = connectClient(server, deliverableId, ws.observer.cookie)
  await late.synced()
  expect(late.body.toString()).toBe(bodyBefore)
  late.destroy()
  watcher.destroy()
}

/** Sends the edit from a hello'd raw socket; it is saved and reaches another client. */
async function expectAccepted(deliverableId: string, edit: Edit): Promise<Y.XmlFragment> {
  const watcher = connectClient(server, deliverableId, ws.chair.cookie, { accord: true })
  await watcher.synced()
  const replica = replicaOf(watcher)
  edit(replica.body)
  const outcome = await sendChecked(server, deliverableId, ws.editor, replica.diff())
  expect(outcome).toEqual({ kind: 'saved' })
  const sent = Y.getState(replica.doc.store, replica.doc.clientID)
  await waitFor(
    () => Y.getState(watcher.doc.store, replica.doc.clientID) === sent,
    'the edit reaches other clients',
  )
  watcher.destroy()
  return replica.body
}

const scope = (body: Y.XmlFragment) => clauseByTitle(body, 'Scope')
const indexIn = (parent: Y.XmlFragment | Y.XmlElement, child: Y.XmlElement) => parent.toArray().indexOf(child)

describe('an agreed clause refuses', () => {
  test('text inserted in the middle of its paragraph', async () => {
    await expectRefused(report, (body) => firstParagraphText(scope(body)).insert(5, 'INSERTED'), [scopeId])
  })

  test('text inserted at the very start of its first paragraph', async () => {
    await expectRefused(report, (body) => firstParagraphText(scope(body)).insert(0, 'START '), [scopeId])
  })

  test('text inserted at the very start of its heading', async () => {
    await expectRefused(report, (body) => headingText(scope(body)).insert(0, 'New '), [scopeId])
  })

  test('a block inserted before its heading', async () => {
    await expectRefused(
      report,
      (body) => {
        const paragraph = new Y.XmlElement('paragraph')
        paragraph.insert(0, [new Y.XmlText('Before the heading.')])
        scope(body).insert(0, [paragraph])
      },
      [scopeId],
    )
  })

  test('a block appended after its last block', async () => {
    await expectRefused(report, (body) => scope(body).push([new Y.XmlElement('paragraph')]), [scopeId])
  })

  test('deleting some of its text', async () => {
    await expectRefused(report, (body) => firstParagraphText(scope(body)).delete(0, 4), [scopeId])
  })

  test('deleting one of its paragraphs', async () => {
    await expectRefused(
      report,
      (body) => scope(body).delete(indexIn(scope(body), paragraphOf(scope(body))), 1),
      [scopeId],
    )
  })

  test('a mark (format) on its text', async () => {
    await expectRefused(report, (body) => firstParagraphText(scope(body)).format(0, 4, { bold: {} }), [
      scopeId,
    ])
  })

  test('an attribute on one of its blocks', async () => {
    await expectRefused(report, (body) => paragraphOf(scope(body)).setAttribute('textAlign', 'center'), [
      scopeId,
    ])
  })

  test('an attribute on the clause itself', async () => {
    await expectRefused(report, (body) => scope(body).setAttribute('kind', 'annex'), [scopeId])
  })

  test('a new id attribute on the clause', async () => {
    await expectRefused(report, (body) => scope(body).setAttribute('id', 'renamed'), [scopeId])
  })

  test('deleting the whole clause', async () => {
    await expectRefused(report, (body) => body.delete(indexIn(body, scope(body)), 1), [scopeId])
  })

  test('moving it (delete and insert a copy elsewhere)', async () => {
    await expectRefused(
      report,
      (body) => {
        const clause = scope(body)
        const copy = clause.clone()
        body.delete(indexIn(body, clause), 1)
        body.insert(body.length - 1, [copy])
      },
      [scopeId],
    )
  })

  test('deleting its parent clause', async () => {
    await expectRefused(useCases, (body) => body.delete(indexIn(body, clauseByTitle(body, 'Use cases')), 1), [
      useCaseId,
    ])
  })

  test('deleting the whole document', async () => {
    await expectRefused(report, (body) => body.delete(0, body.length), [scopeId])
  })

  test('an update that also changes clause 2: the whole update, clause 2 included', async () => {
    const references = await sectionByTitle(ws.chair, report, 'References')
    await expectRefused(
      report,
      (body) =>
        body.doc!.transact(() => {
          firstParagraphText(clauseByTitle(body, 'References')).insert(0, '[ITU-T Y.3090] ')
          firstParagraphText(scope(body)).insert(0, 'Sneaky. ')
        }),
      [scopeId],
    )
    expect((await sectionByTitle(ws.chair, report, 'References')).text).toBe(references.text)
  })
})

describe('around an agreed clause', () => {
  test('a new clause between two agreed clauses is accepted', async () => {
    const body = await expectAccepted(report, (body) => {
      const clause = new Y.XmlElement('clause')
      clause.setAttribute('id', 'between1')
      clause.setAttribute('kind', 'numbered')
      const heading = new Y.XmlElement('clauseHeading')
      heading.insert(0, [new Y.XmlText('Between')])
      clause.insert(0, [heading])
      body.insert(indexIn(body, clauseByTitle(body, 'Technical framework')), [clause])
    })
    expect(body.toString()).toContain('Between')
    const numbers = (await sections(ws.chair, report)).map((s) => `${s.number} ${s.title} ${s.status}`)
    expect(numbers).toEqual(
      expect.arrayContaining(['6 Overview agreed', '7 Between draft', '8 Technical framework agreed']),
    )
  })

  test('typing at the end of the clause before an agreed clause is accepted', async () => {
    await expectAccepted(report, (body) => {
      const text = firstParagraphText(clauseByTitle(body, 'Conventions'))
      text.insert(text.length, ' Typed at the end.')
    })
    expect((await sectionByTitle(ws.chair, report, 'Conventions')).text).toBe('None. Typed at the end.')
  })

  test('a block appended to the clause before an agreed clause is accepted', async () => {
    await expectAccepted(report, (body) => {
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText('Appended block.')])
      clauseByTitle(body, 'Conventions').push([paragraph])
    })
    expect((await sectionByTitle(ws.chair, report, 'Conventions')).text).toContain('Appended block.')
  })

  test('typing at the start of the clause after an agreed clause is accepted', async () => {
    await expectAccepted(report, (body) =>
      firstParagraphText(clauseByTitle(body, 'Examples')).insert(0, 'Typed. '),
    )
    expect((await sectionByTitle(ws.chair, report, 'Examples')).text).toMatch(/^Typed\. \(This appendix/)
  })

  test('a top-level paragraph right before an agreed clause is accepted', async () => {
    await expectAccepted(report, (body) => {
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText('Loose paragraph.')])
      body.insert(indexIn(body, scope(body)), [paragraph])
    })
    expect((await sectionByTitle(ws.chair, report, 'Scope')).status).toBe('agreed')
  })

  test('editing the own text of the parent of an agreed sub-clause is accepted', async () => {
    await expectAccepted(useCases, (body) => {
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText('Introduction to the use cases.')])
      const parent = clauseByTitle(body, 'Use cases')
      parent.insert(1, [paragraph])
    })
    expect((await sectionByTitle(ws.chair, useCases, 'Use cases')).text).toContain('Introduction')
  })
})

describe('a pasted copy of an agreed clause', () => {
  test('is not locked, and the server gives the copy a new id', async () => {
    const agreed = await sectionByTitle(ws.chair, report, 'Scope')
    await expectAccepted(report, (body) => {
      const copy = scope(body).clone()
      body.insert(body.length - 1, [copy])
    })
    await waitFor(() => live(report).body.toString().split(`id="${scopeId}"`).length === 2, 'the repair')
    const all = await sections(ws.chair, report)
    const scopes = all.filter((s) => s.title === 'Scope')
    expect(scopes).toHaveLength(2)
    expect(scopes[0]).toEqual(agreed)
    expect(scopes[1]).toMatchObject({ status: 'draft', text: agreed.text })
    expect(scopes[1]!.id).not.toBe(scopeId)

    await expectAccepted(report, (body) => {
      const copies = body
        .toArray()
        .filter((c) => c instanceof Y.XmlElement && c.getAttribute('id') === scopes[1]!.id)
      firstParagraphText(copies[0] as Y.XmlElement).insert(0, 'Edited copy. ')
    })
    expect((await sections(ws.chair, report)).find((s) => s.id === scopes[1]!.id)?.text).toMatch(
      /^Edited copy/,
    )
    expect(await sectionByTitle(ws.chair, report, 'Scope')).toEqual(agreed)
  })
})

describe('required clauses (2 to 5)', () => {
  for (const title of ['References', 'Definitions', 'Abbreviations and acronyms', 'Conventions']) {
    test(`${title} cannot be deleted, though it is not agreed`, async () => {
      const section = await sectionByTitle(ws.chair, report, title)
      expect(section.status).toBe('draft')
      await expectRefused(report, (body) => body.delete(indexIn(body, clauseByTitle(body, title)), 1), [
        section.id,
      ])
    })
  }

  test('their text can still be edited', async () => {
    await expectAccepted(report, (body) =>
      firstParagraphText(clauseByTitle(body, 'References')).insert(0, 'Some. '),
    )
  })

  test('one stays protected after it was agreed and reopened', async () => {
    const id = (await newDeliverable(ws)).id
    const references = await agreeByTitle(ws, id, 'References')
    await must(ws.chair, id, references.id, { action: 'reopen', note: 'New references arrived.' })
    await expectRefused(id, (body) => body.delete(indexIn(body, clauseByTitle(body, 'References')), 1), [
      references.id,
    ])
    await expectAccepted(id, (body) =>
      firstParagraphText(clauseByTitle(body, 'References')).insert(0, 'Again. '),
    )
  })

  test('one stays protected after an agree that failed on a stale textHash', async () => {
    const id = (await newDeliverable(ws)).id
    const conventions = await sectionByTitle(ws.chair, id, 'Conventions')
    await must(ws.editor, id, conventions.id, { action: 'propose' })
    const stale = await act(ws.chair, id, conventions.id, { action: 'agree', textHash: 'sha256-stale' })
    expect(stale.status).toBe(409)
    await expectRefused(id, (body) => body.delete(indexIn(body, clauseByTitle(body, 'Conventions')), 1), [
      conventions.id,
    ])
  })

  test('deleting Definitions with its sub-clauses is refused, naming Definitions', async () => {
    const definitions = await sectionByTitle(ws.chair, report, 'Definitions')
    await expectRefused(report, (body) => body.delete(indexIn(body, clauseByTitle(body, 'Definitions')), 1), [
      definitions.id,
    ])
  })
})

describe('after a reopen', () => {
  test('the clause can be edited again', async () => {
    const id = (await newDeliverable(ws)).id
    const section = await agreeByTitle(ws, id, 'Scope')
    await expectRefused(id, (body) => firstParagraphText(scope(body)).insert(0, 'Locked. '), [section.id])
    await must(ws.chair, id, section.id, { action: 'reopen', note: 'Needs an update.' })
    await expectAccepted(id, (body) => firstParagraphText(scope(body)).insert(0, 'Open again. '))
    expect((await sectionByTitle(ws.chair, id, 'Scope')).text).toMatch(/^Open again\. /)
  })
})
