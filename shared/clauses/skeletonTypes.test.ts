import { describe, expect, test } from 'vitest'
import { DELIVERABLE_TYPES, type DeliverableType } from '../domain/types.ts'
import type { ClauseKind } from '../editor/clauseNodes.ts'
import { type ClauseNode, numberClauses } from './numbering.ts'
import type { PmNode } from './skeletons.ts'
import { skeletonFor } from './skeletonTypes.ts'

/** The noun each type names itself with in its standard sentences (DOMAIN.md). */
const NOUN: Record<DeliverableType, string> = {
  terms: 'Technical Specification',
  'use-cases': 'Technical Report',
  requirements: 'Technical Specification',
  'gap-analysis': 'Technical Report',
  'technical-report': 'Technical Report',
  roadmap: 'Technical Report',
  // The final report to TSAG is neither a TR nor a TS; it calls itself "this report".
  'final-report': 'report',
}

const TR_NOTE =
  'This Technical Report is an informative ITU-T publication. Mandatory provisions such as those found in ITU-T ' +
  'Recommendations lie outside the scope of this Technical Report, which should only be referenced ' +
  'bibliographically in ITU-T Recommendations.'

const textOf = (node: PmNode): string =>
  node.text ?? (node.content ?? []).map(textOf).join(node.type === 'paragraph' ? '' : ' ')

interface SkeletonClause {
  number: string
  title: string
  id: string
  /** The text of its own blocks (heading and sub-clauses excluded), one entry per block. */
  blocks: string[]
}

function clausesOf(type: DeliverableType) {
  let n = 0
  const skeleton = skeletonFor(type, () => `id${++n}`)
  const blocksById = new Map<string, string[]>()
  const toNode = (pm: PmNode): ClauseNode => {
    const id = String(pm.attrs?.id)
    const content = pm.content ?? []
    blocksById.set(id, content.filter((c) => c.type !== 'clause' && c.type !== 'clauseHeading').map(textOf))
    return {
      id,
      kind: pm.attrs?.kind as ClauseKind,
      title: textOf(content.find((c) => c.type === 'clauseHeading')!),
      children: content.filter((c) => c.type === 'clause').map(toNode),
    }
  }
  const roots = (skeleton.doc.content ?? []).map(toNode)
  const clauses: SkeletonClause[] = numberClauses(roots).map((c) => ({
    number: c.number,
    title: c.title,
    id: c.id,
    blocks: blocksById.get(c.id) ?? [],
  }))
  const byNumber = (number: string) => clauses.find((c) => c.number === number)!
  return { skeleton, clauses, byNumber, byTitle: (title: string) => clauses.find((c) => c.title === title) }
}

describe.each(DELIVERABLE_TYPES)('the %s skeleton', (type) => {
  const noun = NOUN[type]
  const { skeleton, clauses, byNumber, byTitle } = clausesOf(type)

  test('has clauses 1 to 5 with the ITU-T titles', () => {
    expect(['1', '2', '3', '3.1', '3.2', '4', '5'].map((n) => byNumber(n)?.title)).toEqual([
      'Scope',
      'References',
      'Definitions',
      'Terms defined elsewhere',
      `Terms defined in this ${noun}`,
      'Abbreviations and acronyms',
      'Conventions',
    ])
  })

  test('marks exactly clauses 2 to 5 as required', () => {
    expect(skeleton.requiredClauseIds).toEqual(['2', '3', '4', '5'].map((n) => byNumber(n).id))
  })

  test('starts with the unnumbered Summary and Keywords and ends with the Bibliography', () => {
    expect(clauses.slice(0, 2).map((c) => `${c.number}|${c.title}`)).toEqual(['|Summary', '|Keywords'])
    const last = clauses.at(-1)!
    expect(`${last.number}|${last.title}`).toBe('|Bibliography')
    expect(last.blocks.join(' ')).toContain('[b-ITU-T A.7]')
  })

  test(`uses the standard sentences with "this ${noun}"`, () => {
    expect(byNumber('3.1').blocks[0]).toBe(`This ${noun} uses the following terms defined elsewhere:`)
    expect(byNumber('3.2').blocks[0]).toBe(`This ${noun} defines the following terms:`)
    expect(byNumber('4').blocks[0]).toBe(`This ${noun} uses the following abbreviations and acronyms:`)
    for (const c of clauses.filter((c) => c.number.startsWith('Annex ')))
      expect(c.blocks[0]).toBe(`(This annex forms an integral part of this ${noun}.)`)
    for (const c of clauses.filter((c) => c.number.startsWith('Appendix ')))
      expect(c.blocks[0]).toBe(`(This appendix does not form an integral part of this ${noun}.)`)
  })

  test('says "None." in the empty clauses 2 and 5 (except the conventions of a requirements text)', () => {
    expect(byNumber('2').blocks).toEqual(['None.'])
    if (type === 'requirements') {
      expect(byNumber('5').blocks.join(' ')).toContain('"is required to"')
      expect(byNumber('5').blocks.join(' ')).toContain('"is recommended to"')
      expect(byNumber('5').blocks.join(' ')).toContain('"can optionally"')
    } else expect(byNumber('5').blocks).toEqual(['None.'])
  })

  test(
    noun === 'Technical Report'
      ? 'has the Technical Report front matter: Note, Change log, Acknowledgements'
      : 'has no Technical Report front matter',
    () => {
      const front = ['Note', 'Change log', 'Acknowledgements'].map((t) => byTitle(t))
      if (noun === 'Technical Report') {
        expect(front.map((c) => c?.number)).toEqual(['', '', ''])
        expect(front[0]!.blocks).toEqual([TR_NOTE])
      } else expect(front).toEqual([undefined, undefined, undefined])
    },
  )

  test('gives every clause a distinct id', () => {
    expect(new Set(clauses.map((c) => c.id)).size).toBe(clauses.length)
  })
})
