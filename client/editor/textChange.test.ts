import { EditorState, TextSelection } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { clause, deliverable, p } from '../../test/support/builders.ts'
import { clauseTextStart } from './outline.ts'
import { textChange } from './textChange.ts'

const doc = deliverable(
  clause('Scope', p('First paragraph.'), p('Second paragraph.')),
  clause('References', p('None.')),
).node()
const scopeText = clauseTextStart(doc, 0)!

describe('a change inside one text block', () => {
  it('is found by comparing the documents, with where it moved the rest', () => {
    const after = EditorState.create({ doc }).tr.insertText('Very ', scopeText).doc
    const change = textChange(doc, after)!
    expect(change.blocks).toHaveLength(1)
    expect(change.blocks[0]!.before.textContent).toBe('First paragraph.')
    expect(change.blocks[0]!.after.textContent).toBe('Very First paragraph.')
    const referencesPos = doc.child(0).nodeSize
    expect(change.map.map(referencesPos)).toBe(referencesPos + 5)
  })

  it('is found also when the change replaced a whole clause with an equal one but for the text (a remote change)', () => {
    const edited = EditorState.create({ doc }).tr.insertText('x', scopeText + 3).doc
    const state = EditorState.create({ doc })
    const tr = state.tr.replaceWith(0, doc.child(0).nodeSize, edited.child(0))
    expect(textChange(doc, tr.doc)?.blocks.map((b) => b.after.textContent)).toEqual(['Firxst paragraph.'])
  })

  it('is found in several text blocks at once (two people typing in two clauses, merged in one remote change)', () => {
    const state = EditorState.create({ doc })
    const referencesText = clauseTextStart(doc, doc.child(0).nodeSize)!
    const tr = state.tr
      .insertText('Also ', referencesText)
      .insertText('x', scopeText + 3)
      .delete(scopeText + 6, scopeText + 8)
    const change = textChange(doc, tr.doc)!
    expect(change.blocks.map((b) => b.after.textContent)).toEqual(['Firxstaragraph.', 'Also None.'])
    // Positions before, between and after the changes move as the transaction moved them.
    for (const pos of [
      1,
      scopeText,
      scopeText + 10,
      referencesText,
      referencesText + 4,
      doc.content.size - 1,
    ])
      expect(change.map.map(pos)).toBe(tr.mapping.map(pos))
  })

  it('is nothing when nothing changed', () => {
    expect(textChange(doc, doc)).toBeNull()
  })

  it('is not what a split paragraph, a new clause or an attribute change is', () => {
    const state = EditorState.create({ doc })
    const split = state.tr.split(scopeText + 5).doc
    expect(textChange(doc, split)).toBeNull()
    const added = state.tr.insert(0, deliverable(clause('New', p('x'))).node().content).doc
    expect(textChange(doc, added)).toBeNull()
    const renamed = state.tr.setNodeAttribute(0, 'id', 'other').doc
    expect(textChange(doc, renamed)).toBeNull()
  })
})

describe('where the outline puts the caret', () => {
  it('a clause text starts in its first paragraph, after the heading (where the outline puts the caret)', () => {
    const $pos = TextSelection.create(doc, scopeText).$from
    expect($pos.parent.textContent).toBe('First paragraph.')
    expect($pos.parentOffset).toBe(0)
  })
})
