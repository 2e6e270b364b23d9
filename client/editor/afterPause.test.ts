import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { afterPause } from './afterPause.ts'

describe('work after a pause in the changes', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('runs once when the changes pause, not per change', () => {
    const task = vi.fn()
    const later = afterPause(task, 100, 1000)
    for (let i = 0; i < 5; i++) {
      later.schedule()
      vi.advanceTimersByTime(50)
    }
    expect(task).not.toHaveBeenCalled()
    vi.advanceTimersByTime(100)
    expect(task).toHaveBeenCalledTimes(1)
  })

  it('runs at the latest the maximum wait after the first change, while the changes go on', () => {
    const task = vi.fn()
    const later = afterPause(task, 100, 300)
    for (let i = 0; i < 10; i++) {
      later.schedule()
      vi.advanceTimersByTime(60)
    }
    // 600 ms of changes every 60 ms: never a pause of 100 ms, yet run every 300 ms or so.
    expect(task.mock.calls.length).toBeGreaterThanOrEqual(2)
  })

  it('does not run once cancelled', () => {
    const task = vi.fn()
    const later = afterPause(task, 100, 1000)
    later.schedule()
    later.cancel()
    vi.advanceTimersByTime(2000)
    expect(task).not.toHaveBeenCalled()
  })
})
