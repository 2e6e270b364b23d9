import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { accordSchema, BODY_FIELD } from '../editor/extensions.ts'
import { clauseCanonicalContent, clauseHash, clauseOwnText, clauseTitle, listClauses } from './clauseText.ts'
import { abbreviation, definition, note, type PmNode, p } from './skeletons.ts'

const heading = (title: string): PmNode => ({
  type: 'clauseHeading',
  content: [{ type: 'text', text: title }],
})
const clause = (id: string, title: string, ...content: PmNode[]): PmNode => ({
  type: 'clause',
  attrs: { id, kind: 'numbered' },
  content: [heading(title), ...content],
})

/** A Y.Doc holding the deliverable body built from ProseMirror JSON with the editor's own schema. */
function body(...clauses: PmNode[]): Y.XmlFragment {
  const doc = new Y.Doc()
  const fragment = doc.getXmlFragment(BODY_FIELD)
  prosemirrorJSONToYXmlFragment(accordSchema(), { type: 'doc', content: clauses }, fragment)
  return fragment
}

const sample = () =>
  body(
    clause(
      'scope',
      'Scope',
      p('This Technical Report describes the metaverse.'),
      note('NOTE – Informative.'),
      clause('sub', 'Sub-scope', p('Sub-clause text.')),
    ),
    clause(
      'defs',
      'Definitions',
      definition('metaverse', 'An integrative ecosystem.'),
      abbreviation('AR', 'Augmented Reality'),
    ),
  )

const element = (fragment: Y.XmlFragment, id: string) =>
  listClauses(fragment).find((c) => c.id === id)!.element
const firstText = (block: Y.XmlElement) => block.get(0) as Y.XmlText

describe("a clause's own text", () => {
  test('excludes its heading and its sub-clauses', () => {
    const scope = element(sample(), 'scope')
    expect(clauseOwnText(scope)).toBe('This Technical Report describes the metaverse.\nNOTE – Informative.')
    expect(clauseTitle(scope)).toBe('Scope')
  })

  test('of a sub-clause is its own paragraphs only', () => {
    expect(clauseOwnText(element(sample(), 'sub'))).toBe('Sub-clause text.')
  })

  test('separates the fields of an entry by a space', () => {
    expect(clauseOwnText(element(sample(), 'defs'))).toBe(
      'metaverse An integrative ecosystem.\nAR Augmented Reality',
    )
  })

  test('is empty for a clause with only a heading and an empty paragraph', () => {
    expect(clauseOwnText(element(body(clause('e', 'Empty', p())), 'e'))).toBe('')
  })
})

describe("a clause's hash", () => {
  test('is stable for the same content and has the documented form', () => {
    expect(clauseHash(element(sample(), 'scope'))).toBe(clauseHash(element(sample(), 'scope')))
    expect(clauseHash(element(sample(), 'scope'))).toMatch(/^sha256-[0-9a-f]{64}$/)
  })

  test('changes when its text changes', () => {
    const fragment = sample()
    const scope = element(fragment, 'scope')
    const before = clauseHash(scope)
    firstText(scope.get(1) as Y.XmlElement).insert(0, 'X')
    expect(clauseHash(scope)).not.toBe(before)
  })

  test('changes when its heading changes', () => {
    const fragment = sample()
    const scope = element(fragment, 'scope')
    const before = clauseHash(scope)
    firstText(scope.get(0) as Y.XmlElement).insert(5, ' and field of application')
    expect(clauseTitle(scope)).toBe('Scope and field of application')
    expect(clauseHash(scope)).not.toBe(before)
  })

  test('changes when a mark is added, though the plain text stays the same', () => {
    const fragment = sample()
    const scope = element(fragment, 'scope')
    const [hashBefore, textBefore] = [clauseHash(scope), clauseOwnText(scope)]
    firstText(scope.get(1) as Y.XmlElement).format(5, 9, { bold: {} })
    expect(clauseOwnText(scope)).toBe(textBefore)
    expect(clauseHash(scope)).not.toBe(hashBefore)
  })

  test("changes when a mark's attribute changes", () => {
    const fragment = sample()
    const scope = element(fragment, 'scope')
    const text = firstText(scope.get(1) as Y.XmlElement)
    text.format(0, 4, { link: { href: 'https://www.itu.int' } })
    const before = clauseHash(scope)
    text.format(0, 4, { link: { href: 'https://www.itu.int/fgmv' } })
    expect(clauseHash(scope)).not.toBe(before)
  })

  test('changes when an attribute of one of its blocks changes', () => {
    const fragment = sample()
    const scope = element(fragment, 'scope')
    const before = clauseHash(scope)
    ;(scope.get(1) as Y.XmlElement).setAttribute('textAlign', 'center')
    expect(clauseHash(scope)).not.toBe(before)
  })

  test('does not change when a sub-clause changes, is added or is removed', () => {
    const fragment = sample()
    const scope = element(fragment, 'scope')
    const before = clauseHash(scope)
    const sub = element(fragment, 'sub')
    firstText(sub.get(1) as Y.XmlElement).insert(0, 'Changed ')
    expect(clauseHash(scope)).toBe(before)
    const added = new Y.XmlElement('clause')
    added.setAttribute('id', 'sub2')
    scope.push([added])
    expect(clauseHash(scope)).toBe(before)
    scope.delete(3, 2)
    expect(clauseHash(scope)).toBe(before)
  })

  test('includes the heading in the canonical content but not the sub-clauses', () => {
    const canonical = clauseCanonicalContent(element(sample(), 'scope'))
    expect(canonical).toContain('Scope')
    expect(canonical).not.toContain('Sub-clause text')
  })
})

describe('listing clauses', () => {
  test('walks nested clauses in document order with their numbers', () => {
    expect(listClauses(sample()).map((c) => [c.number, c.id, c.title])).toEqual([
      ['1', 'scope', 'Scope'],
      ['1.1', 'sub', 'Sub-scope'],
      ['2', 'defs', 'Definitions'],
    ])
  })
})
