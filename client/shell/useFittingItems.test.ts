import { describe, expect, it } from 'vitest'
import { choose } from './useFittingItems.ts'

const widths = new Map([
  ['merge', 400],
  ['people', 200],
  ['progress', 120],
  ['user', 250],
])
const ORDER = ['merge', 'people', 'progress', 'user']
const GAP = 10
const BUTTON = 80

describe('which header items move into the menu', () => {
  it('moves nothing when everything fits, without room for a menu button', () => {
    expect(choose(ORDER, widths, GAP, 1000, BUTTON)).toEqual([])
  })

  it('keeps the most needed items that fit, and a smaller less needed one after a wider one moved', () => {
    // 400 + 10 + 200 = 610 fits in 700 - 80; progress (130 more) does not; user does not either.
    expect(choose(ORDER, widths, GAP, 700, BUTTON)).toEqual(['progress', 'user'])
    // Too narrow for the merge note, but people and progress fit.
    expect(choose(ORDER, widths, GAP, 420, BUTTON)).toEqual(['merge', 'user'])
  })

  it('moves everything when nothing fits', () => {
    expect(choose(ORDER, widths, GAP, 90, BUTTON)).toEqual(ORDER)
  })

  it('counts an item never measured as taking no room, so that it shows and gets measured', () => {
    expect(choose(['new', ...ORDER], widths, GAP, 1100, BUTTON)).toEqual([])
  })
})
