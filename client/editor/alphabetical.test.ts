import { describe, expect, it } from 'vitest'
import { longestIncreasing, outOfOrder, sortKey, sortPlan } from './alphabetical.ts'

describe('alphabetical order of entries', () => {
  it('finds nothing wrong in an ordered list, whatever the case', () => {
    expect(outOfOrder(['avatar', 'Digital twin', 'metaverse', 'XR'])).toEqual([])
  })

  it('flags the one entry a reader sees out of place, not its neighbours', () => {
    expect(outOfOrder(['avatar', 'metaverse', 'digital twin', 'virtual world'])).toEqual([1])
  })

  it('never flags blank terms (entries being typed)', () => {
    expect(outOfOrder(['avatar', '', 'metaverse'])).toEqual([])
  })

  it('ignores leading punctuation when comparing', () => {
    expect(sortKey('  "immersive" ')).toBe('immersive"')
    expect(outOfOrder(['"avatar"', 'brain-computer interface'])).toEqual([])
  })

  it('sorts numbers in terms naturally', () => {
    expect(outOfOrder(['Web2 platform', 'Web3 platform', 'Web10 platform'])).toEqual([])
  })

  it('plans a sort that moves as few entries as possible', () => {
    const plan = sortPlan(['avatar', 'metaverse', 'digital twin', 'virtual world'])
    expect(plan.order).toEqual([0, 2, 1, 3])
    expect([...plan.keep].sort()).toEqual([0, 2, 3])
  })

  it('puts blank entries last, but leaves trailing blanks where they are', () => {
    expect(sortPlan(['b', '', 'a']).order).toEqual([2, 0, 1])
    expect(sortPlan(['a', 'b', '']).keep).toEqual(new Set([0, 1, 2]))
  })

  it('keeps equal terms in their order (stable)', () => {
    expect(sortPlan(['AR', 'ar', 'AI']).order).toEqual([2, 0, 1])
  })

  it('finds a longest increasing run', () => {
    expect([...longestIncreasing([3, 1, 2, 5, 4])].sort()).toEqual([1, 2, 4])
    expect(longestIncreasing([])).toEqual(new Set())
  })
})
