import { describe, expect, it } from 'vitest'
import { blockDiff, type JsonNode, ownText, planRecovery } from './recoveryPlan.ts'

const p = (text: string): JsonNode =>
  text ? { type: 'paragraph', content: [{ type: 'text', text }] } : { type: 'paragraph' }
const clause = (id: string, title: string, blocks: JsonNode[], children: JsonNode[] = []): JsonNode => ({
  type: 'clause',
  attrs: { id, kind: 'numbered' },
  content: [{ type: 'clauseHeading', content: [{ type: 'text', text: title }] }, ...blocks, ...children],
})
const doc = (...clauses: JsonNode[]): JsonNode => ({ type: 'doc', content: clauses })
const options = { locked: new Set<string>(), canEdit: true }

describe('recovery after a refusal', () => {
  const fresh = doc(clause('a', 'Scope', [p('Scope text.')]), clause('b', 'Overview', [p('Agreed text.')]))

  it('re-applies the user’s change to a clause that is not locked', () => {
    const saved = doc(
      clause('a', 'Scope', [p('Scope text, improved.')]),
      clause('b', 'Overview', [p('Agreed text.')]),
    )
    const plan = planRecovery(saved, fresh, options)
    expect(plan.ops).toEqual([
      {
        kind: 'replace-blocks',
        clauseId: 'a',
        start: 1,
        deleteCount: 1,
        insert: [p('Scope text, improved.')],
      },
    ])
    expect(plan.kept).toEqual([])
  })

  it('keeps the text of a change to a locked clause instead of applying it', () => {
    const saved = doc(
      clause('a', 'Scope', [p('Scope text.')]),
      clause('b', 'Overview', [p('Agreed text, changed.')]),
    )
    const plan = planRecovery(saved, fresh, { ...options, locked: new Set(['b']) })
    expect(plan.ops).toEqual([])
    expect(plan.kept).toEqual([{ clauseId: 'b', title: 'Overview', text: 'Agreed text, changed.' }])
  })

  it('offers the refused clauses’ text even when it can be re-applied', () => {
    const saved = doc(
      clause('a', 'Scope', [p('Scope text, improved.')]),
      clause('b', 'Overview', [p('Agreed text.')]),
    )
    const plan = planRecovery(saved, fresh, { ...options, refused: new Set(['a']) })
    expect(plan.ops).toHaveLength(1)
    expect(plan.kept.map((k) => k.clauseId)).toEqual(['a'])
  })

  it('applies nothing for a user who may not edit, and keeps everything that differs', () => {
    const saved = doc(
      clause('a', 'Scope', [p('Scope text, improved.')]),
      clause('b', 'Overview', [p('Agreed text.')]),
    )
    const plan = planRecovery(saved, fresh, { ...options, canEdit: false })
    expect(plan.ops).toEqual([])
    expect(plan.kept.map((k) => k.clauseId)).toEqual(['a'])
  })

  it('inserts a clause only the user had after its previous sibling', () => {
    const added = clause('n', 'New clause', [p('New text.')])
    const saved = doc(
      clause('a', 'Scope', [p('Scope text.')]),
      added,
      clause('b', 'Overview', [p('Agreed text.')]),
    )
    const plan = planRecovery(saved, fresh, options)
    expect(plan.ops).toEqual([{ kind: 'insert-clause', parentId: null, afterId: 'a', clause: added }])
  })

  it('does not insert a new sub-clause into a locked clause', () => {
    const saved = doc(
      clause('a', 'Scope', [p('Scope text.')]),
      clause('b', 'Overview', [p('Agreed text.')], [clause('s', 'Sub', [p('Sub text.')])]),
    )
    const plan = planRecovery(saved, fresh, { ...options, locked: new Set(['b']) })
    expect(plan.ops).toEqual([])
    expect(plan.kept).toEqual([{ clauseId: 's', title: 'Sub', text: 'Sub text.' }])
  })

  it('never deletes a clause the fresh document has and the saved one lacks', () => {
    const plan = planRecovery(doc(clause('a', 'Scope', [p('Scope text.')])), fresh, options)
    expect(plan.ops).toEqual([])
  })

  it('changes only the blocks that differ', () => {
    expect(blockDiff([p('1'), p('2x'), p('3')], [p('1'), p('2'), p('3')])).toEqual({
      start: 1,
      deleteCount: 1,
      insert: [p('2x')],
    })
    expect(blockDiff([p('1')], [p('1')])).toBeNull()
    expect(blockDiff([p('1'), p('2')], [p('1')])).toEqual({ start: 1, deleteCount: 0, insert: [p('2')] })
  })

  it('reads a clause’s own text without its heading and sub-clauses', () => {
    const node = clause('a', 'Scope', [p('One.'), p('Two.')], [clause('s', 'Sub', [p('Not this.')])])
    expect(ownText(node)).toBe('One.\nTwo.')
  })
})
