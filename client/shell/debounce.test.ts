import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { debounce } from './debounce.ts'

describe('a debounced piece of work', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('runs once, a pause after the last of several changes', () => {
    const run = vi.fn()
    const work = debounce(run, 200)
    work.schedule()
    vi.advanceTimersByTime(150)
    work.schedule()
    vi.advanceTimersByTime(150)
    expect(run).not.toHaveBeenCalled()
    vi.advanceTimersByTime(50)
    expect(run).toHaveBeenCalledTimes(1)
  })

  it('still runs at the maximum wait while changes never pause, from its own timer', () => {
    const run = vi.fn()
    const work = debounce(run, 200, 1000)
    for (let elapsed = 0; elapsed < 900; elapsed += 100) {
      work.schedule()
      vi.advanceTimersByTime(100)
    }
    work.schedule()
    // Never inside the change that comes when the wait is over: the caller (a keystroke) goes on first.
    expect(run).not.toHaveBeenCalled()
    vi.advanceTimersByTime(99)
    expect(run).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(run).toHaveBeenCalledTimes(1)
    // The change served then left nothing pending.
    vi.advanceTimersByTime(1000)
    expect(run).toHaveBeenCalledTimes(1)
  })

  it('runs at once on flush, and never after cancel', () => {
    const run = vi.fn()
    const work = debounce(run, 200)
    work.schedule()
    work.flush()
    expect(run).toHaveBeenCalledTimes(1)
    work.schedule()
    work.cancel()
    vi.advanceTimersByTime(1000)
    expect(run).toHaveBeenCalledTimes(1)
  })

  describe('where the browser has idle callbacks', () => {
    let idle: (() => void)[]
    beforeEach(() => {
      idle = []
      vi.stubGlobal('requestIdleCallback', (callback: () => void) => idle.push(callback))
      vi.stubGlobal('cancelIdleCallback', (handle: number) => {
        idle[handle - 1] = () => undefined
      })
    })
    afterEach(() => vi.unstubAllGlobals())

    it('runs, once due, only in the next idle moment, with the changes that came meanwhile', () => {
      const run = vi.fn()
      const work = debounce(run, 200)
      work.schedule()
      vi.advanceTimersByTime(200)
      expect(run).not.toHaveBeenCalled()
      // A keystroke while it waits for an idle moment neither runs it nor postpones it.
      work.schedule()
      expect(idle).toHaveLength(1)
      idle[0]!()
      expect(run).toHaveBeenCalledTimes(1)
      vi.advanceTimersByTime(1000)
      expect(run).toHaveBeenCalledTimes(1)
    })

    it('never runs after cancel, even when the idle moment comes', () => {
      const run = vi.fn()
      const work = debounce(run, 200)
      work.schedule()
      vi.advanceTimersByTime(200)
      work.cancel()
      for (const callback of idle) callback()
      expect(run).not.toHaveBeenCalled()
    })
  })
})
