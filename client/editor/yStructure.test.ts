import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { isClauseElement } from '../../shared/clauses/clauseText.ts'
import { accordSchema } from '../../shared/editor/extensions.ts'
import { applyRecoveryPlan } from '../collab/applyRecovery.ts'
import { type JsonNode, planRecovery } from '../collab/recoveryPlan.ts'
import { planMove, reorderUnits } from './yStructure.ts'

const text = (value: string) => [{ type: 'text', text: value }]
const p = (value: string) => ({ type: 'paragraph', content: text(value) })
const clause = (id: string, children: object[] = []) => ({
  type: 'clause',
  attrs: { id, kind: 'numbered' },
  content: [{ type: 'clauseHeading', content: text(id) }, p(`${id} text`), ...children],
})
const definition = (term: string) => ({
  type: 'definition',
  content: [{ type: 'definitionTerm', content: text(term) }],
})

function replica(content: object[]) {
  const doc = new Y.Doc()
  const body = doc.getXmlFragment('body')
  prosemirrorJSONToYXmlFragment(accordSchema(), { type: 'doc', content }, body)
  return { doc, body }
}

const ids = (node: JsonNode): string[] =>
  (node.content ?? []).filter((c) => c.type === 'clause').flatMap((c) => [String(c.attrs?.id), ...ids(c)])
const clauseEl = (body: Y.XmlFragment | Y.XmlElement, index: number) =>
  body.toArray().filter(isClauseElement)[index]!

describe('moving clauses in the shared document', () => {
  it('moves a clause up by recreating only that clause', () => {
    const { body } = replica([clause('a'), clause('b'), clause('c')])
    const a = clauseEl(body, 0)
    const c = clauseEl(body, 2)
    planMove(c, 'up')!.run()
    expect(ids(yXmlFragmentToProsemirrorJSON(body) as JsonNode)).toEqual(['a', 'c', 'b'])
    // The neighbour that stays (possibly agreed and locked) is the very same element.
    expect(clauseEl(body, 0)).toBe(a)
  })

  it('demotes a clause into its previous sibling and promotes it back', () => {
    const { body } = replica([clause('a'), clause('b')])
    planMove(clauseEl(body, 1), 'demote')!.run()
    expect(ids(yXmlFragmentToProsemirrorJSON(body) as JsonNode)).toEqual(['a', 'b'])
    const child = clauseEl(clauseEl(body, 0), 0)
    expect(child.getAttribute('id')).toBe('b')
    planMove(child, 'promote')!.run()
    expect(body.toArray()).toHaveLength(2)
  })

  it('refuses impossible moves', () => {
    const { body } = replica([clause('a')])
    expect(planMove(clauseEl(body, 0), 'up')).toBeNull()
    expect(planMove(clauseEl(body, 0), 'promote')).toBeNull()
  })

  it('sorts entries by moving only those out of place, with their notes', () => {
    const note = { type: 'note', content: text('about metaverse') }
    const { body } = replica([clause('d', [])])
    const d = clauseEl(body, 0)
    const more = replica([
      {
        type: 'clause',
        attrs: { id: 'x' },
        content: [definition('avatar'), definition('metaverse'), note, definition('digital twin')],
      },
    ])
    const source = clauseEl(more.body, 0)
      .toArray()
      .map((c) => (c as Y.XmlElement).clone())
    d.insert(d.length, source)
    const entries = d
      .toArray()
      .filter((c) => c instanceof Y.XmlElement && c.nodeName === 'definition') as Y.XmlElement[]
    const avatar = entries[0]!
    const units = [[entries[0]!], [entries[1]!, d.get(4) as Y.XmlElement], [entries[2]!]]
    reorderUnits(d, units, [0, 2, 1], new Set([0, 2]))
    const order = d
      .toArray()
      .slice(2)
      .map((c) => (c as Y.XmlElement).toString().replace(/<[^>]+>/g, ''))
    expect(order).toEqual(['avatar', 'digital twin', 'metaverse', 'about metaverse'])
    expect(d.get(2)).toBe(avatar)
  })
})

describe('re-applying saved work to a fresh replica', () => {
  it('replaces the changed blocks and inserts clauses only the user had', () => {
    const saved = { type: 'doc', content: [clause('a'), clause('n'), clause('b')] } as JsonNode
    ;(saved.content![0]!.content![1] as JsonNode).content = text('a text, improved')
    const { body } = replica([clause('a'), clause('b')])
    const fresh = yXmlFragmentToProsemirrorJSON(body) as JsonNode
    const plan = planRecovery(saved, fresh, { locked: new Set(), canEdit: true })
    expect(applyRecoveryPlan(body, accordSchema(), plan)).toEqual([])
    const result = yXmlFragmentToProsemirrorJSON(body) as JsonNode
    expect(ids(result)).toEqual(['a', 'n', 'b'])
    expect(JSON.stringify(result)).toContain('a text, improved')
  })
})
