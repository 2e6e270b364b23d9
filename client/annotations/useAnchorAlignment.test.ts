import { describe, expect, it } from 'vitest'
import { stackedMargins } from './useAnchorAlignment.ts'

/** Threads 40 px high, 8 px apart by the stylesheet, the list starting at 100. */
const boxes = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ top: 100 + i * 48, bottom: 140 + i * 48 }))

describe('lining threads up with their anchors', () => {
  it('moves a thread down to its anchor when the threads above leave room', () => {
    expect(stackedMargins(100, boxes(2), [300, 500])).toEqual([200, 160])
  })

  it('stacks a thread under the one above when its anchor is higher than that', () => {
    // The second anchor (320) lies beside the first thread (300–340): it keeps its stylesheet gap.
    expect(stackedMargins(100, boxes(3), [300, 320, 600])).toEqual([200, 0, 212])
  })

  it('leaves a thread without an anchor in the stack', () => {
    expect(stackedMargins(100, boxes(2), [null, 400])).toEqual([0, 260])
  })

  it('never moves a thread more than 4,000 px', () => {
    expect(stackedMargins(0, boxes(1), [10_000])).toEqual([4000])
  })
})
