import { describe, expect, it } from 'vitest'
import { clause, deliverable, p } from '../../test/support/builders.ts'
import { buildOutline, clauseAt } from './outline.ts'

describe('the outline', () => {
  const skeleton = deliverable(
    clause({ kind: 'unnumbered' }, 'Summary', p()),
    clause('Scope', p()),
    clause('References', p()),
    clause(
      'Definitions',
      p(),
      clause('Terms defined elsewhere', p()),
      clause({ id: 'd32' }, 'Terms defined here', p()),
    ),
    clause('Abbreviations and acronyms', p()),
    clause('Conventions', p()),
    clause({ kind: 'annex' }, 'Architecture', p(), clause('Layers', p())),
    clause({ kind: 'appendix' }, 'Examples', p()),
  ).node()
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

  it('finds the innermost clause around a position', () => {
    const entry = outline.find((e) => e.id === 'd32')!
    const inside = skeleton.resolve(entry.pos + 2)
    expect(clauseAt(inside)?.node.attrs.id).toBe('d32')
    expect(clauseAt(skeleton.resolve(0))).toBeNull()
  })

  it('handles hundreds of clauses', () => {
    const many = deliverable(
      ...Array.from({ length: 600 }, (_, i) => clause(`Clause ${i}`, p(), clause('Sub', p()))),
    ).node()
    const started = performance.now()
    const big = buildOutline(many)
    expect(big).toHaveLength(1200)
    expect(big.at(-1)?.number).toBe('600.1')
    // Generous: the point is linear work, not a latency assertion.
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
