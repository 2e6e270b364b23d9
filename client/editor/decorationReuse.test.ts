import type { Node as PmNode } from '@tiptap/pm/model'
import { EditorState } from '@tiptap/pm/state'
import { type Decoration, DecorationSet } from '@tiptap/pm/view'
import { describe, expect, it } from 'vitest'
import { clause, deliverable, p } from '../../test/support/builders.ts'
import { inlineDecoration, nodeDecoration, reuseDecorations } from './decorationReuse.ts'
import { clauseTextStart } from './outline.ts'

const doc = deliverable(
  clause('Scope', p('First paragraph.'), p('Second paragraph.')),
  clause('References', p('None.')),
  clause('Definitions', p('Terms.')),
).node()

/** A number on every clause and a class on every paragraph, as a decoration plugin draws them. */
function numbered(document: PmNode, renumberFrom = Number.POSITIVE_INFINITY): Decoration[] {
  const decorations: Decoration[] = []
  document.forEach((clauseNode, clausePos, index) => {
    const number = String(index + 1 + (index >= renumberFrom ? 1 : 0))
    decorations.push(nodeDecoration(clausePos, clausePos + clauseNode.nodeSize, { 'data-number': number }))
    clauseNode.forEach((block, offset) => {
      const pos = clausePos + 1 + offset
      if (block.type.name === 'paragraph')
        decorations.push(nodeDecoration(pos, pos + block.nodeSize, { class: 'text' }))
    })
  })
  return decorations
}

const offsetOf = (document: PmNode, index: number) => {
  let offset = 0
  for (let i = 0; i < index; i++) offset += document.child(i).nodeSize
  return offset
}
/** The decorations the view hands to the clause at `index` (the sub-set it compares with what it drew). */
const ofClause = (set: DecorationSet, document: PmNode, index: number) =>
  set.forChild(offsetOf(document, index), document.child(index))

const attrsOf = (set: DecorationSet) =>
  set.find().map((d) => `${d.from}-${d.to} ${(d.spec as { key: string }).key}`)

describe('decorations computed again', () => {
  it('are the very same set when nothing changed', () => {
    const set = DecorationSet.create(doc, numbered(doc))
    expect(reuseDecorations(set, null, doc, numbered(doc))).toBe(set)
  })

  it('keep every unchanged clause’s decorations as the same objects, and change only what changed', () => {
    const set = DecorationSet.create(doc, numbered(doc))
    const renumbered = reuseDecorations(set, null, doc, numbered(doc, 1))
    expect(attrsOf(renumbered)).toEqual(attrsOf(DecorationSet.create(doc, numbered(doc, 1))))
    expect(ofClause(renumbered, doc, 0)).toBe(ofClause(set, doc, 0))
    expect(renumbered.find(0, 1).map((d) => (d.spec as { key: string }).key)).toEqual(['node|data-number=1'])
  })

  it('follow the document through a change and stay the same objects beside it', () => {
    const set = DecorationSet.create(doc, numbered(doc))
    const tr = EditorState.create({ doc }).tr.insertText('Very ', clauseTextStart(doc, 0)!)
    const next = reuseDecorations(set, tr.mapping, tr.doc, numbered(tr.doc))
    expect(attrsOf(next)).toEqual(attrsOf(DecorationSet.create(tr.doc, numbered(tr.doc))))
    expect(ofClause(next, tr.doc, 2)).toBe(ofClause(set, doc, 2))
  })

  it('tell inline decorations apart by their attributes', () => {
    const range = { from: clauseTextStart(doc, 0)!, to: clauseTextStart(doc, 0)! + 5 }
    const plain = DecorationSet.create(doc, [inlineDecoration(range.from, range.to, { class: 'comment' })])
    const active = reuseDecorations(plain, null, doc, [
      inlineDecoration(range.from, range.to, { class: 'comment active' }),
    ])
    expect(attrsOf(active)).toEqual([`${range.from}-${range.to} inline|class=comment active`])
  })
})
