import { describe, expect, it } from 'vitest'
import { accordSchema } from '../../shared/editor/extensions.ts'
import { buildOutline, clauseAt, isRequiredClause } from './outline.ts'

type Spec = { title: string; kind?: string; id?: string; children?: Spec[] }
let counter = 0
const clause = (spec: Spec): object => ({
  type: 'clause',
  attrs: { id: spec.id ?? `c${counter++}`, kind: spec.kind ?? 'numbered' },
  content: [
    { type: 'clauseHeading', content: spec.title ? [{ type: 'text', text: spec.title }] : [] },
    { type: 'paragraph' },
    ...(spec.children ?? []).map(clause),
  ],
})
const doc = (...specs: Spec[]) => accordSchema().nodeFromJSON({ type: 'doc', content: specs.map(clause) })

describe('the outline', () => {
  const skeleton = doc(
    { title: 'Summary', kind: 'unnumbered' },
    { title: 'Scope' },
    { title: 'References' },
    {
      title: 'Definitions',
      children: [{ title: 'Terms defined elsewhere' }, { title: 'Terms defined here', id: 'd32' }],
    },
    { title: 'Abbreviations and acronyms' },
    { title: 'Conventions' },
    { title: 'Architecture', kind: 'annex', children: [{ title: 'Layers' }] },
    { title: 'Examples', kind: 'appendix' },
  )
  const outline = buildOutline(skeleton)

  it('numbers clauses as ITU-T prints them', () => {
    expect(outline.map((e) => e.number)).toEqual([
      '',
      '1',
      '2',
      '3',
      '3.1',
      '3.2',
      '4',
      '5',
      'Annex A',
      'A.1',
      'Appendix I',
    ])
  })

  it('gives each clause its position, so the outline can jump to it', () => {
    const entry = outline.find((e) => e.id === 'd32')!
    expect(skeleton.nodeAt(entry.pos)?.attrs.id).toBe('d32')
    expect(outline[entry.parent]?.title).toBe('Definitions')
  })

  it('recognises clauses 2 to 5 as required, and nothing else', () => {
    expect(outline.filter(isRequiredClause).map((e) => e.number)).toEqual(['2', '3', '4', '5'])
  })

  it('finds the innermost clause around a position', () => {
    const entry = outline.find((e) => e.id === 'd32')!
    const inside = skeleton.resolve(entry.pos + 2)
    expect(clauseAt(inside)?.node.attrs.id).toBe('d32')
    expect(clauseAt(skeleton.resolve(0))).toBeNull()
  })

  it('handles hundreds of clauses', () => {
    const many = doc(
      ...Array.from({ length: 600 }, (_, i) => ({ title: `Clause ${i}`, children: [{ title: 'Sub' }] })),
    )
    const started = performance.now()
    const big = buildOutline(many)
    expect(big).toHaveLength(1200)
    expect(big.at(-1)?.number).toBe('600.1')
    // Generous: the point is linear work, not a latency assertion.
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
