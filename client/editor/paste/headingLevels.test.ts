import { describe, expect, it } from 'vitest'
import { placeHeadings } from './headingLevels.ts'

describe('where pasted headings land', () => {
  it('a heading deeper than the clause it is pasted into becomes its sub-clause', () => {
    expect(placeHeadings([3], 2)).toEqual([{ parent: -1, depth: 3 }])
  })

  it('never skips a level: a Heading 4 pasted into a top-level clause becomes its sub-clause', () => {
    expect(placeHeadings([4], 1)).toEqual([{ parent: -1, depth: 2 }])
  })

  it('a heading of the clause’s own level or above follows that clause or its ancestor', () => {
    expect(placeHeadings([2, 1], 2)).toEqual([
      { parent: -1, depth: 2 },
      { parent: -1, depth: 1 },
    ])
  })

  it('headings after the first nest under it by their levels', () => {
    expect(placeHeadings([2, 3, 3, 4, 2], 1)).toEqual([
      { parent: -1, depth: 2 },
      { parent: 0, depth: 3 },
      { parent: 0, depth: 3 },
      { parent: 2, depth: 4 },
      { parent: -1, depth: 2 },
    ])
  })

  it('a later heading never lands deeper in the document than an earlier one placed there', () => {
    expect(placeHeadings([1, 3], 3).map((p) => p.parent)).toEqual([-1, 0])
    expect(placeHeadings([2, 1, 3], 3)).toEqual([
      { parent: -1, depth: 2 },
      { parent: -1, depth: 1 },
      { parent: 1, depth: 2 },
    ])
  })
})
