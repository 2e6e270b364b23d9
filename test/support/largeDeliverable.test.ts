import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { clauseIdOf, listClauses, plainText } from '../../shared/clauses/clauseText.ts'
import { accordSchema, BODY_FIELD } from '../../shared/editor/extensions.ts'
import {
  appendLargeDeliverable,
  largeDeliverable,
  largeDeliverableUpdate,
  traceParagraphs,
} from './largeDeliverable.ts'

const countWords = (text: string) => text.split(/\s+/).filter(Boolean).length

test('the default fixture has exactly 120,000 words in 400 clauses that fit the editor schema', () => {
  const fixture = largeDeliverable()
  expect(fixture.clauseIds).toHaveLength(400)
  const node = accordSchema().nodeFromJSON(fixture.doc)
  node.check()
  expect(countWords(node.textBetween(0, node.content.size, ' ', ' '))).toBe(120_000)
})

test('its clauses are nested: each top-level clause holds three sub-clauses', () => {
  const { doc } = largeDeliverable({ words: 4_000, clauses: 40 })
  expect(doc.content).toHaveLength(10)
  for (const top of doc.content!) expect(top.content!.filter((n) => n.type === 'clause')).toHaveLength(3)
})

test('every word comes from the traces’ final texts', () => {
  const vocabulary = new Set(traceParagraphs().flat())
  const { doc } = largeDeliverable({ words: 5_000, clauses: 20 })
  const node = accordSchema().nodeFromJSON(doc)
  for (const word of node.textBetween(0, node.content.size, ' ', ' ').split(/\s+/).filter(Boolean))
    expect(vocabulary.has(word)).toBe(true)
})

test('the same options give the same document', () => {
  expect(largeDeliverable({ words: 3_000, clauses: 12 })).toEqual(
    largeDeliverable({ words: 3_000, clauses: 12 }),
  )
})

test('its Yjs update holds every clause, in order, with the same words', () => {
  const fixture = largeDeliverable({ words: 12_000, clauses: 40 })
  const doc = new Y.Doc()
  Y.applyUpdate(doc, largeDeliverableUpdate(fixture))
  const clauses = listClauses(doc.getXmlFragment(BODY_FIELD))
  expect(clauses.map((c) => clauseIdOf(c.element))).toEqual(fixture.clauseIds)
  expect(countWords(plainText(doc.getXmlFragment(BODY_FIELD)))).toBe(12_000)
})

test('appending keeps the existing clauses and adds the fixture’s after them', () => {
  const doc = new Y.Doc()
  const body = doc.getXmlFragment(BODY_FIELD)
  const existing = new Y.XmlElement('clause')
  existing.setAttribute('id', 'scope')
  body.insert(0, [existing])
  const fixture = largeDeliverable({ words: 2_000, clauses: 8 })
  appendLargeDeliverable(body, fixture)
  expect(listClauses(body).map((c) => c.id)).toEqual(['scope', ...fixture.clauseIds])
})
