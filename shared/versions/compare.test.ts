import { describe, expect, test } from 'vitest'
import { clause, deliverable, p } from '../../test/support/builders.ts'
import { clauseRecords } from './clauseRecord.ts'
import { compareClauses, countWords, type DiffPart } from './compare.ts'

const records = (...content: Parameters<typeof deliverable>) => clauseRecords(deliverable(...content).body())

const inserted = (parts: DiffPart[]) =>
  parts.filter((part) => part.kind === 'insert').map((part) => part.text.trim())
const deleted = (parts: DiffPart[]) =>
  parts.filter((part) => part.kind === 'delete').map((part) => part.text.trim())

const base = () =>
  records(
    clause({ id: 'scope' }, 'Scope', p('This Report describes the metaverse.')),
    clause({ id: 'refs' }, 'References', p('None.')),
    clause(
      { id: 'terms' },
      'Definitions',
      clause({ id: 'elsewhere' }, 'Terms defined elsewhere', p('None.')),
      clause({ id: 'here' }, 'Terms defined here', p('This Report defines the following term.')),
    ),
    clause({ id: 'overview' }, 'Overview', p('An overview of the work.')),
  )

describe('comparing two states of a deliverable clause by clause', () => {
  test('identical states: every clause unchanged, nothing counted', () => {
    const comparison = compareClauses(base(), base())
    expect(comparison.clauses.map((c) => c.change)).toEqual(Array(6).fill('unchanged'))
    expect(comparison.summary).toEqual({
      clausesChanged: 0,
      clausesAdded: 0,
      clausesRemoved: 0,
      clausesMoved: 0,
      wordsInserted: 0,
      wordsDeleted: 0,
    })
  })

  test('an edited clause gives exactly the inserted and deleted words, the rest equal', () => {
    const after = records(
      clause({ id: 'scope' }, 'Scope', p('This Technical Report describes the immersive metaverse.')),
      clause({ id: 'refs' }, 'References', p('None.')),
      clause(
        { id: 'terms' },
        'Definitions',
        clause({ id: 'elsewhere' }, 'Terms defined elsewhere', p('None.')),
        clause({ id: 'here' }, 'Terms defined here', p('This Report defines no term.')),
      ),
      clause({ id: 'overview' }, 'Overview', p('An overview of the work.')),
    )
    const comparison = compareClauses(base(), after)
    const scope = comparison.clauses.find((c) => c.id === 'scope')!
    expect(scope.change).toBe('changed')
    expect(inserted(scope.text)).toEqual(['Technical', 'immersive'])
    expect(deleted(scope.text)).toEqual([])
    const here = comparison.clauses.find((c) => c.id === 'here')!
    expect(inserted(here.text)).toEqual(['no'])
    expect(deleted(here.text)).toEqual(['the following'])
    expect(here.text.map((part) => part.text).join('')).toContain('This Report defines')
    expect(comparison.summary).toMatchObject({
      clausesChanged: 2,
      wordsInserted: 3,
      wordsDeleted: 2,
      clausesMoved: 0,
    })
  })

  test('a clause moved under another parent is the same clause, moved, with its text compared', () => {
    const after = records(
      clause({ id: 'scope' }, 'Scope', p('This Report describes the metaverse.')),
      clause({ id: 'refs' }, 'References', p('None.')),
      clause(
        { id: 'terms' },
        'Definitions',
        clause({ id: 'elsewhere' }, 'Terms defined elsewhere', p('None.')),
      ),
      clause(
        { id: 'overview' },
        'Overview',
        p('An overview of the work.'),
        clause({ id: 'here' }, 'Terms defined here', p('This Report defines the following term.')),
      ),
    )
    const comparison = compareClauses(base(), after)
    const here = comparison.clauses.find((c) => c.id === 'here')!
    expect(here).toMatchObject({ change: 'unchanged', moved: true, renamed: false })
    expect(here.from?.number).toBe('3.2')
    expect(here.to?.number).toBe('4.1')
    expect(comparison.summary).toMatchObject({ clausesMoved: 1, clausesAdded: 0, clausesRemoved: 0 })
  })

  test('two swapped siblings count as one move, and renumbering alone is no move', () => {
    const after = records(
      clause({ id: 'intro' }, 'Introduction', p('New.')),
      clause({ id: 'refs' }, 'References', p('None.')),
      clause({ id: 'scope' }, 'Scope', p('This Report describes the metaverse.')),
      clause(
        { id: 'terms' },
        'Definitions',
        clause({ id: 'elsewhere' }, 'Terms defined elsewhere', p('None.')),
        clause({ id: 'here' }, 'Terms defined here', p('This Report defines the following term.')),
      ),
      clause({ id: 'overview' }, 'Overview', p('An overview of the work.')),
    )
    const comparison = compareClauses(base(), after)
    expect(comparison.clauses.filter((c) => c.moved).map((c) => c.id)).toHaveLength(1)
    expect(comparison.clauses.find((c) => c.id === 'overview')).toMatchObject({ moved: false })
    expect(comparison.summary).toMatchObject({ clausesMoved: 1, clausesAdded: 1, wordsInserted: 2 })
  })

  test('a renamed clause is matched by its id and its title compared word by word', () => {
    const after = base().map((c) => (c.id === 'overview' ? { ...c, title: 'Overview and scope' } : c))
    const overview = compareClauses(base(), after).clauses.find((c) => c.id === 'overview')!
    expect(overview).toMatchObject({ change: 'changed', renamed: true, moved: false, wordsInserted: 2 })
    expect(inserted(overview.title)).toEqual(['and scope'])
    expect(overview.title.map((part) => part.text).join('')).toContain('Overview')
  })

  test('added and removed clauses: whole text inserted or deleted, a removed one shown where it stood', () => {
    const after = records(
      clause({ id: 'scope' }, 'Scope', p('This Report describes the metaverse.')),
      clause(
        { id: 'terms' },
        'Definitions',
        clause({ id: 'elsewhere' }, 'Terms defined elsewhere', p('None.')),
        clause({ id: 'here' }, 'Terms defined here', p('This Report defines the following term.')),
      ),
      clause({ id: 'overview' }, 'Overview', p('An overview of the work.')),
      clause({ id: 'use' }, 'Use cases', p('Three use cases follow.')),
    )
    const comparison = compareClauses(base(), after)
    expect(comparison.clauses.map((c) => c.id)).toEqual([
      'scope',
      'refs',
      'terms',
      'elsewhere',
      'here',
      'overview',
      'use',
    ])
    const refs = comparison.clauses[1]!
    expect(refs).toMatchObject({ change: 'removed', to: null, from: { number: '2', title: 'References' } })
    expect(refs.text).toEqual([{ kind: 'delete', text: 'None.' }])
    const use = comparison.clauses[6]!
    expect(use).toMatchObject({ change: 'added', from: null, to: { number: '4', title: 'Use cases' } })
    expect(comparison.summary).toMatchObject({
      clausesAdded: 1,
      clausesRemoved: 1,
      clausesChanged: 0,
      wordsInserted: 2 + 4,
      wordsDeleted: 1 + 1,
    })
  })
})

test('words are runs of letters and digits: punctuation and spaces do not count', () => {
  expect(countWords('  The 5G network, in 2030 – isn’t it? ')).toBe(7)
  expect(countWords(' , . ')).toBe(0)
})
