import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { clauseKindOf, clauseOwnText, listClauses } from '../../shared/clauses/clauseText.ts'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { abbreviation, clause, definition, deliverable, idFor, note, p, table } from './builders.ts'

const sample = () =>
  deliverable(
    clause('Scope', p('This Technical Report describes the metaverse.'), note('NOTE – Informative.')),
    clause(
      'Definitions',
      clause('Terms defined elsewhere', definition('metaverse', 'An integrative ecosystem.')),
      clause({ id: 'd32', kind: 'numbered' }, 'Terms defined here', abbreviation('AR', 'Augmented Reality')),
    ),
    clause({ kind: 'annex' }, 'Architecture', table(['Layer'], [['Network']])),
  )

describe('the deliverable builders', () => {
  test('a clause is its heading, then its content in order; its id defaults to its title', () => {
    expect(clause('Terms defined here', p('x'))).toEqual({
      type: 'clause',
      attrs: { id: 'terms-defined-here', kind: 'numbered' },
      content: [{ type: 'clauseHeading', content: [{ type: 'text', text: 'Terms defined here' }] }, p('x')],
    })
    expect(clause({ id: 'a1', kind: 'annex' }, '').attrs).toEqual({ id: 'a1', kind: 'annex' })
    expect(idFor('Abbreviations and acronyms')).toBe('abbreviations-and-acronyms')
    expect(idFor('')).toBe('untitled')
  })

  test('build a document that fits the editor schema', () => {
    const node = sample().node()
    expect(node.childCount).toBe(3)
    expect(node.textContent).toContain('Augmented Reality')
  })

  test('give the Yjs body the server and the editor hold, numbered by the shared rules', () => {
    const body = sample().body()
    expect(listClauses(body).map((c) => [c.number, c.id, c.title])).toEqual([
      ['1', 'scope', 'Scope'],
      ['2', 'definitions', 'Definitions'],
      ['2.1', 'terms-defined-elsewhere', 'Terms defined elsewhere'],
      ['2.2', 'd32', 'Terms defined here'],
      ['Annex A', 'architecture', 'Architecture'],
    ])
    const [scope] = listClauses(body)
    expect(clauseOwnText(scope!.element)).toBe(
      'This Technical Report describes the metaverse.\nNOTE – Informative.',
    )
    expect(clauseKindOf(listClauses(body)[4]!.element)).toBe('annex')
  })

  test('give the update that carries the whole document to an empty replica', () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, sample().update())
    expect(doc.getXmlFragment(BODY_FIELD).toString()).toBe(sample().body().toString())
  })

  test('append clauses to a live body in one transaction, after what it holds', () => {
    const doc = sample().ydoc()
    const body = doc.getXmlFragment(BODY_FIELD)
    let updates = 0
    doc.on('update', () => updates++)
    deliverable(clause('Overview', p('Added.')), clause('Bibliography', p())).appendTo(body, 'test')
    expect(updates).toBe(1)
    expect(listClauses(body).map((c) => c.id)).toEqual([
      'scope',
      'definitions',
      'terms-defined-elsewhere',
      'd32',
      'architecture',
      'overview',
      'bibliography',
    ])
  })
})
