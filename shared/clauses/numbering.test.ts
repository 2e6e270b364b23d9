import { describe, expect, test } from 'vitest'
import type { ClauseKind } from '../editor/clauseNodes.ts'
import { annexLetter, type ClauseNode, numberClauses, romanNumeral } from './numbering.ts'

let ids = 0
const clause = (title: string, ...children: ClauseNode[]): ClauseNode => node('numbered', title, children)
const annex = (title: string, ...children: ClauseNode[]): ClauseNode => node('annex', title, children)
const appendix = (title: string, ...children: ClauseNode[]): ClauseNode => node('appendix', title, children)
const unnumbered = (title: string, ...children: ClauseNode[]): ClauseNode =>
  node('unnumbered', title, children)
function node(kind: ClauseKind, title: string, children: ClauseNode[]): ClauseNode {
  ids += 1
  return { id: `c${ids}`, kind, title, children }
}

/** "number title" per clause, as a reader of the printed text sees them. */
const printed = (roots: ClauseNode[]) => numberClauses(roots).map((c) => `${c.number}|${c.title}`)

describe('clause numbers are derived from the structure', () => {
  test('the full ITU-T layout numbers as DOMAIN.md shows', () => {
    const roots = [
      unnumbered('Summary'),
      unnumbered('Keywords'),
      clause('Scope'),
      clause('References'),
      clause(
        'Definitions',
        clause('Terms defined elsewhere'),
        clause('Terms defined in this Technical Report'),
      ),
      clause('Abbreviations and acronyms'),
      clause('Conventions'),
      clause('Architecture', clause('Layers', clause('Physical layer')), clause('Interfaces')),
      annex('Requirements', clause('General'), clause('Security', clause('Privacy'))),
      annex('Test cases'),
      appendix('Examples', clause('First')),
      appendix('Bibliography of studies'),
      unnumbered('Bibliography'),
    ]
    expect(printed(roots)).toEqual([
      '|Summary',
      '|Keywords',
      '1|Scope',
      '2|References',
      '3|Definitions',
      '3.1|Terms defined elsewhere',
      '3.2|Terms defined in this Technical Report',
      '4|Abbreviations and acronyms',
      '5|Conventions',
      '6|Architecture',
      '6.1|Layers',
      '6.1.1|Physical layer',
      '6.2|Interfaces',
      'Annex A|Requirements',
      'A.1|General',
      'A.2|Security',
      'A.2.1|Privacy',
      'Annex B|Test cases',
      'Appendix I|Examples',
      'I.1|First',
      'Appendix II|Bibliography of studies',
      '|Bibliography',
    ])
  })

  test('levels count from 1 at the top, and paths are unique even with duplicated ids', () => {
    const a = clause('A', clause('B', clause('C')))
    const copy = { ...a, children: [] }
    const numbered = numberClauses([a, copy])
    expect(numbered.map((c) => c.level)).toEqual([1, 2, 3, 1])
    expect(numbered.map((c) => c.path)).toEqual([[0], [0, 0], [0, 0, 0], [1]])
  })

  test('unnumbered clauses between numbered ones do not take a number', () => {
    expect(printed([clause('One'), unnumbered('Note'), clause('Two')])).toEqual(['1|One', '|Note', '2|Two'])
  })

  test('sub-clauses of unnumbered clauses stay unnumbered', () => {
    expect(printed([unnumbered('Summary', clause('Part'), clause('Other', clause('Deep')))])).toEqual([
      '|Summary',
      '|Part',
      '|Other',
      '|Deep',
    ])
  })

  test('sub-clauses take the style of their top-level ancestor, whatever their own kind', () => {
    expect(printed([annex('X', appendix('Y', unnumbered('Z')))])).toEqual(['Annex A|X', 'A.1|Y', 'A.1.1|Z'])
  })

  test('deep nesting numbers every level', () => {
    let deepest = clause('L7')
    for (let level = 6; level >= 1; level--) deepest = clause(`L${level}`, deepest)
    const numbers = numberClauses([clause('One'), deepest]).map((c) => c.number)
    expect(numbers).toEqual([
      '1',
      '2',
      '2.1',
      '2.1.1',
      '2.1.1.1',
      '2.1.1.1.1',
      '2.1.1.1.1.1',
      '2.1.1.1.1.1.1',
    ])
  })

  test('a chain nested deeper than the call stack is numbered to its last level, then the next top level', () => {
    const levels = 4_000
    let chain = clause(`L${levels}`)
    for (let level = levels - 1; level >= 2; level--) chain = clause(`L${level}`, chain)
    const numbered = numberClauses([appendix('L1', chain), clause('After')])
    expect(numbered).toHaveLength(levels + 1)
    const last = numbered[levels - 1]!
    expect([last.title, last.level, last.number]).toEqual([
      `L${levels}`,
      levels,
      `I${'.1'.repeat(levels - 1)}`,
    ])
    expect(last.path).toEqual(new Array(levels).fill(0))
    expect(numbered[levels]).toMatchObject({ title: 'After', number: '1', level: 1, path: [1] })
  })

  test('annexes and appendices count independently of numbered clauses and of each other', () => {
    const roots = [annex('A'), clause('One'), appendix('I'), annex('B'), clause('Two'), appendix('II')]
    expect(numberClauses(roots).map((c) => c.number)).toEqual([
      'Annex A',
      '1',
      'Appendix I',
      'Annex B',
      '2',
      'Appendix II',
    ])
  })

  test('fourteen appendices are numbered I to XIV, with their clauses', () => {
    const roots = Array.from({ length: 14 }, (_, i) => appendix(`Appendix ${i + 1}`, clause('Only')))
    const numbers = numberClauses(roots).map((c) => c.number)
    expect(numbers.filter((_, i) => i % 2 === 0)).toEqual(
      ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV'].map(
        (n) => `Appendix ${n}`,
      ),
    )
    expect(numbers[27]).toBe('XIV.1')
  })

  test('annexes after Z continue with AA, AB', () => {
    const roots = Array.from({ length: 28 }, (_, i) => annex(`Annex ${i + 1}`, clause('Only')))
    const numbers = numberClauses(roots).map((c) => c.number)
    expect(numbers[50]).toBe('Annex Z')
    expect(numbers[52]).toBe('Annex AA')
    expect(numbers[54]).toBe('Annex AB')
    expect(numbers[55]).toBe('AB.1')
  })

  test('an empty body has no clauses', () => {
    expect(numberClauses([])).toEqual([])
  })
})

describe('the numeral helpers', () => {
  test.each([
    [1, 'I'],
    [4, 'IV'],
    [9, 'IX'],
    [14, 'XIV'],
    [19, 'XIX'],
    [40, 'XL'],
    [90, 'XC'],
    [2024, 'MMXXIV'],
  ])('Roman numeral of %i is %s', (n, roman) => {
    expect(romanNumeral(n)).toBe(roman)
  })

  test.each([
    [1, 'A'],
    [26, 'Z'],
    [27, 'AA'],
    [52, 'AZ'],
    [53, 'BA'],
    [702, 'ZZ'],
    [703, 'AAA'],
  ])('annex letter of %i is %s', (n, letter) => {
    expect(annexLetter(n)).toBe(letter)
  })
})
