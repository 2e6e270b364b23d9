import { describe, expect, it } from 'vitest'
import { isOrderedMarker, msoListLevel } from './wordLists.ts'

describe('Word list paragraphs', () => {
  it.each([
    ['text-indent:-18.0pt;mso-list:l0 level1 lfo1', 1],
    ['margin-left:72.0pt;mso-add-space:auto;text-indent:-18.0pt;mso-list:l2 level3 lfo4', 3],
    ['mso-list: l1 level2 lfo2', 2],
    ['margin-left:36pt', null],
    ['mso-list:Ignore', null],
  ])('%s is at list level %s', (style, level) => {
    expect(msoListLevel(style)).toBe(level)
  })

  it.each(['1.', '12.', 'a)', '(iv)', 'B.', 'ii.'])('%s numbers an ordered list', (marker) => {
    expect(isOrderedMarker(marker)).toBe(true)
  })

  it.each(['·', 'o', '§', '–', '•', '-', ''])('%s is a bullet', (marker) => {
    expect(isOrderedMarker(marker)).toBe(false)
  })
})
