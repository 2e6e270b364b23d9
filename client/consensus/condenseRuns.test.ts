import { describe, expect, it } from 'vitest'
import { condenseRuns } from './condenseRuns.ts'

describe('the preview of a suggestion', () => {
  const long = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen '
  it('keeps a few words around each change and cuts the rest', () => {
    const runs = condenseRuns(
      [
        { kind: 'same', text: long },
        { kind: 'inserted', text: 'new ' },
        { kind: 'same', text: long },
        { kind: 'deleted', text: 'old' },
        { kind: 'same', text: long },
      ],
      2,
    )
    expect(runs.map((r) => r.text)).toEqual([
      '… thirteen fourteen ',
      'new ',
      'one two … thirteen fourteen ',
      'old',
      'one two … ',
    ])
  })

  it('keeps short unchanged text whole', () => {
    const runs = [
      { kind: 'same' as const, text: 'An integrative ' },
      { kind: 'inserted' as const, text: 'and persistent ' },
      { kind: 'same' as const, text: 'ecosystem' },
    ]
    expect(condenseRuns(runs)).toEqual(runs)
  })
})
