/**
 * The restore edit, without a server: applied to the present document, it gives every clause the version's
 * number, title, text and hash again, whatever happened in between; and it leaves alone what did not change.
 */
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { clauseIdOf, findClauseElement, listClauses } from '../../shared/clauses/clauseText.ts'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { clauseRecords } from '../../shared/versions/clauseRecord.ts'
import { clause, deliverable, p } from '../../test/support/builders.ts'
import { restoreUpdate } from './restoreEdit.ts'

const original = () =>
  deliverable(
    clause({ id: 'scope' }, 'Scope', p('This Report describes the metaverse.'), p('Second paragraph.')),
    clause(
      { id: 'terms' },
      'Definitions',
      ...['elsewhere', 'here'].map((id) => clause({ id }, `Terms defined ${id}`, p(`Terms of ${id}.`))),
    ),
    clause({ id: 'overview' }, 'Overview', p('An overview.')),
    clause({ id: 'annex', kind: 'annex' }, 'Use cases', p('Three use cases.')),
  ).ydoc()

type Edit = (body: Y.XmlFragment) => void
const element = (body: Y.XmlFragment, id: string) => findClauseElement(body, id)!
const paragraphText = (clauseElement: Y.XmlElement, index = 0) =>
  (
    clauseElement.toArray().filter((c) => c instanceof Y.XmlElement && c.nodeName === 'paragraph')[
      index
    ] as Y.XmlElement
  ).get(0) as Y.XmlText

const edits: Record<string, Edit> = {
  'words typed and deleted': (body) => {
    const text = paragraphText(element(body, 'scope'))
    text.delete(5, 6)
    text.insert(0, 'Indeed, ')
  },
  'a paragraph removed': (body) => element(body, 'scope').delete(2, 1),
  'a clause renamed': (body) => {
    const heading = element(body, 'overview').get(0) as Y.XmlElement
    ;(heading.get(0) as Y.XmlText).insert(0, 'General ')
  },
  'a clause added': (body) =>
    deliverable(clause({ id: 'new' }, 'New clause', p('Added later.'))).appendTo(body),
  'a clause removed': (body) => {
    const terms = element(body, 'terms')
    terms.delete(terms.toArray().indexOf(element(body, 'here')), 1)
  },
  'a clause moved under another': (body) => {
    const here = element(body, 'here')
    const terms = element(body, 'terms')
    const copy = here.clone()
    terms.delete(terms.toArray().indexOf(here), 1)
    const overview = element(body, 'overview')
    overview.insert(overview.length, [copy])
  },
  'two clauses swapped': (body) => {
    const overview = element(body, 'overview')
    const copy = overview.clone()
    body.delete(body.toArray().indexOf(overview), 1)
    body.insert(0, [copy])
  },
  'an annex made a numbered clause': (body) => element(body, 'annex').setAttribute('kind', 'numbered'),
}

describe('the restore edit gives back the version’s content', () => {
  for (const [name, edit] of Object.entries(edits)) {
    test(`after ${name}`, () => {
      const present = original()
      const versionState = Y.encodeStateAsUpdate(present)
      const wanted = clauseRecords(present.getXmlFragment(BODY_FIELD))
      present.transact(() => edit(present.getXmlFragment(BODY_FIELD)))
      expect(clauseRecords(present.getXmlFragment(BODY_FIELD))).not.toEqual(wanted)

      const update = restoreUpdate(present, versionState, () => false)
      expect(update).not.toBeNull()
      Y.applyUpdate(present, update!)
      expect(clauseRecords(present.getXmlFragment(BODY_FIELD))).toEqual(wanted)
    })
  }

  test('clauses that did not change keep their elements (their locks and anchors stay valid)', () => {
    const present = original()
    const versionState = Y.encodeStateAsUpdate(present)
    const body = present.getXmlFragment(BODY_FIELD)
    const untouched = new Map(listClauses(body).map((c) => [c.id, c.element._item!.id]))
    edits['words typed and deleted']!(body)
    edits['a clause added']!(body)
    Y.applyUpdate(present, restoreUpdate(present, versionState, () => false)!)
    for (const entry of listClauses(body))
      expect(entry.element._item!.id).toEqual(untouched.get(clauseIdOf(entry.element)))
  })

  test('nothing to restore when the document holds the version’s content; the document itself is only read', () => {
    const present = original()
    const versionState = Y.encodeStateAsUpdate(present)
    expect(restoreUpdate(present, versionState, () => false)).toBeNull()
    edits['a clause added']!(present.getXmlFragment(BODY_FIELD))
    const before = Y.encodeStateAsUpdate(present)
    restoreUpdate(present, versionState, () => false)
    expect(Y.encodeStateAsUpdate(present)).toEqual(before)
  })

  test('the edit is written under a clientID that nobody holds', () => {
    const present = original()
    const versionState = Y.encodeStateAsUpdate(present)
    edits['words typed and deleted']!(present.getXmlFragment(BODY_FIELD))
    const update = restoreUpdate(present, versionState, () => false)!
    const writers = [...Y.parseUpdateMeta(update).to.keys()]
    expect(writers).toHaveLength(1)
    expect(Y.getState(present.store, writers[0]!)).toBe(0)
  })
})
