import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { abbreviation, clause, definition, deliverable, note, p } from '../../test/support/builders.ts'
import { BODY_FIELD } from '../editor/extensions.ts'
import {
  clauseCanonicalContent,
  clauseHash,
  clauseHeadingOf,
  clauseKindOf,
  clauseOwnText,
  clauseTitle,
  contentHash,
  findClauseElement,
  isClauseElement,
  listClauses,
  ownBlocks,
  plainText,
} from './clauseText.ts'
import { appendNode, nodeSpec, storedBody } from './testing/randomXml.ts'

const sample = () =>
  deliverable(
    clause(
      'Scope',
      p('This Technical Report describes the metaverse.'),
      note('NOTE – Informative.'),
      clause({ id: 'sub' }, 'Sub-scope', p('Sub-clause text.')),
    ),
    clause(
      { id: 'defs' },
      'Definitions',
      definition('metaverse', 'An integrative ecosystem.'),
      abbreviation('AR', 'Augmented Reality'),
    ),
  ).body()

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
    expect(clauseOwnText(element(deliverable(clause({ id: 'e' }, 'Empty', p())).body(), 'e'))).toBe('')
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

describe('finding a clause by id', () => {
  test('finds a sub-clause, the first of a duplicated id in document order, and nothing for an unknown id', () => {
    const body = deliverable(
      clause('Scope', p(), clause({ id: 'twin' }, 'First', p())),
      clause({ id: 'twin' }, 'Second', p()),
    ).body()
    expect(clauseTitle(findClauseElement(body, 'twin')!)).toBe('First')
    expect(clauseTitle(findClauseElement(body, 'scope')!)).toBe('Scope')
    expect(findClauseElement(body, 'missing')).toBeNull()
  })
})

/** A clause element as the skeletons write it (shared/clauses/skeletons.ts): attributes, then its heading. */
function appendClause(parent: Y.XmlFragment, id: string, kind: string, title: string): Y.XmlElement {
  const clause = new Y.XmlElement('clause')
  parent.insert(parent.length, [clause])
  clause.setAttribute('id', id)
  clause.setAttribute('kind', kind)
  const heading = new Y.XmlElement('clauseHeading')
  clause.insert(0, [heading])
  heading.insert(0, [new Y.XmlText(title)])
  return clause
}

// The recursive readings that the iterative ones replaced, kept as the reference for "no change in results".
const ENTRY_NODES = new Set(['definition', 'abbreviation', 'reference', 'requirement'])
function recursivePlainText(node: Y.XmlElement | Y.XmlText | Y.XmlFragment): string {
  if (node instanceof Y.XmlText)
    return node
      .toDelta()
      .map((op: { insert: unknown }) => (typeof op.insert === 'string' ? op.insert : ''))
      .join('')
  const parts: string[] = []
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) parts.push(recursivePlainText(child))
    else if (child instanceof Y.XmlElement || child instanceof Y.XmlFragment)
      parts.push(recursivePlainText(child))
  }
  const inline = node instanceof Y.XmlElement && node.toArray().every((child) => child instanceof Y.XmlText)
  const entry =
    node instanceof Y.XmlElement && (ENTRY_NODES.has(node.nodeName) || node.nodeName === 'tableRow')
  return parts.join(inline ? '' : entry ? ' ' : '\n')
}
const yjsCanonicalContent = (element: Y.XmlElement) =>
  [
    `<clause kind="${clauseKindOf(element)}">`,
    ...element
      .toArray()
      .filter((c) => !isClauseElement(c))
      .map((c) => c.toString()),
  ].join('\n')

describe('reading a clause gives what the recursive readings gave', () => {
  const blocks = fc.array(nodeSpec(3), { maxLength: 4 })
  const kind = fc.constantFrom('numbered', 'annex', 'appendix', 'unnumbered', 'Annex', '')

  test('on random clause content: canonical content (byte for byte), hash, own text, title, plain text', () => {
    fc.assert(
      fc.property(kind, blocks, blocks, (clauseKind, own, sub) => {
        const sender = new Y.Doc()
        sender.transact(() => {
          const clause = appendClause(sender.getXmlFragment(BODY_FIELD), 'c', clauseKind, 'Scope')
          for (const spec of own) appendNode(clause, spec)
          const subClause = appendClause(clause, 's', 'numbered', 'Sub')
          for (const spec of sub) appendNode(subClause, spec)
          // A block after the sub-clause: concurrent edits leave such shapes.
          appendNode(clause, own[0] ?? { kind: 'text', text: 'tail', formats: [], embeds: [] })
        })
        const body = storedBody(sender)
        expect(plainText(body)).toBe(recursivePlainText(body))
        for (const { element } of listClauses(body)) {
          expect(clauseCanonicalContent(element)).toBe(yjsCanonicalContent(element))
          expect(clauseHash(element)).toBe(contentHash(yjsCanonicalContent(element)))
          expect(clauseOwnText(element)).toBe(ownBlocks(element).map(recursivePlainText).join('\n'))
          expect(plainText(element)).toBe(recursivePlainText(element))
          expect(clauseTitle(element)).toBe(recursivePlainText(clauseHeadingOf(element)!))
        }
      }),
      { seed: 20_260_611, numRuns: 200 },
    )
  })

  test('on 300 levels of entries and paragraphs, each holding text and the next level', () => {
    const sender = new Y.Doc()
    sender.transact(() => {
      let parent: Y.XmlFragment = appendClause(sender.getXmlFragment(BODY_FIELD), 'c', 'annex', 'Annex')
      for (let level = 0; level < 300; level++) {
        const child = new Y.XmlElement(level % 3 ? 'definition' : 'paragraph')
        parent.insert(parent.length, [new Y.XmlText(`level ${level}`), child])
        parent = child
      }
    })
    const [entry] = listClauses(storedBody(sender))
    expect(clauseCanonicalContent(entry!.element)).toBe(yjsCanonicalContent(entry!.element))
    expect(clauseOwnText(entry!.element)).toBe(ownBlocks(entry!.element).map(recursivePlainText).join('\n'))
  })
})

describe('a document nested deeper than the call stack', () => {
  const DEPTH = 20_000

  /** The 257 KB update of the security review: 20,000 elements nested inside a clause's own content. */
  function deeplyNestedBody(): Y.XmlFragment {
    const sender = new Y.Doc()
    sender.transact(() => {
      const clause = appendClause(sender.getXmlFragment(BODY_FIELD), 'scope', 'numbered', 'Scope')
      const intro = new Y.XmlElement('paragraph')
      clause.insert(clause.length, [intro])
      intro.insert(0, [new Y.XmlText('Intro')])
      let parent: Y.XmlElement = clause
      for (let level = 0; level < DEPTH; level++) {
        const child = new Y.XmlElement('blockquote')
        parent.insert(parent.length, [child])
        parent = child
      }
      const deepest = new Y.XmlElement('paragraph')
      parent.insert(0, [deepest])
      deepest.insert(0, [new Y.XmlText('deep')])
      appendClause(clause, 'sub', 'numbered', 'Sub-scope')
    })
    return storedBody(sender)
  }

  test('is read whole by listClauses, clauseOwnText, plainText, clauseCanonicalContent and clauseHash', () => {
    const body = deeplyNestedBody()
    const clauses = listClauses(body)
    expect(clauses.map((c) => [c.number, c.id, c.title])).toEqual([
      ['1', 'scope', 'Scope'],
      ['1.1', 'sub', 'Sub-scope'],
    ])
    const scope = clauses[0]!.element
    expect(clauseOwnText(scope)).toBe('Intro\ndeep')
    expect(plainText(body)).toBe('Scope\nIntro\ndeep\nSub-scope')
    const canonical = [
      '<clause kind="numbered">',
      '<clauseheading>Scope</clauseheading>',
      '<paragraph>Intro</paragraph>',
      `${'<blockquote>'.repeat(DEPTH)}<paragraph>deep</paragraph>${'</blockquote>'.repeat(DEPTH)}`,
    ].join('\n')
    expect(clauseCanonicalContent(scope)).toBe(canonical)
    expect(clauseHash(scope)).toBe(contentHash(canonical))
  })

  test('of clauses inside clauses is listed and numbered', () => {
    const levels = 4_000
    const sender = new Y.Doc()
    sender.transact(() => {
      let parent: Y.XmlFragment = sender.getXmlFragment(BODY_FIELD)
      for (let level = 1; level <= levels; level++)
        parent = appendClause(parent, `c${level}`, 'annex', `L${level}`)
    })
    const clauses = listClauses(storedBody(sender))
    expect(clauses).toHaveLength(levels)
    const last = clauses[levels - 1]!
    expect([last.id, last.title, last.level, last.number]).toEqual([
      `c${levels}`,
      `L${levels}`,
      levels,
      `A${'.1'.repeat(levels - 1)}`,
    ])
    expect(last.path).toEqual(new Array(levels).fill(0))
  })
})
