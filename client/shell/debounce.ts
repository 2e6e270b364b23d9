/**
 * Runs `run` once calls to `schedule` pause for `waitMs`, and at least every `maxWaitMs` while they keep coming
 * (a stream of remote edits would otherwise postpone it for ever). For work too slow to redo on every keystroke
 * of a co-author: re-reading a clause to preview a suggestion, rebuilding an outline. It always runs from its own
 * timer, never inside `schedule`: the caller is typically a keystroke's transaction, which must reach the screen
 * without waiting for it (measured: the toolbar's state computed inside every second's keystroke).
 */
export interface Debounced {
  /** Another change: run after the pause, or once the first unserved change is `maxWaitMs` old. */
  schedule: () => void
  /** Run now and forget what was pending. */
  flush: () => void
  /** Forget what is pending without running (on unmount). */
  cancel: () => void
}

export function debounce(run: () => void, waitMs: number, maxWaitMs = Number.POSITIVE_INFINITY): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined
  let firstPending = 0
  const cancel = () => {
    clearTimeout(timer)
    timer = undefined
    firstPending = 0
  }
  const flush = () => {
    cancel()
    run()
  }
  const schedule = () => {
    const now = Date.now()
    if (!firstPending) firstPending = now
    clearTimeout(timer)
    timer = setTimeout(flush, Math.max(0, Math.min(waitMs, firstPending + maxWaitMs - now)))
  }
  return { schedule, flush, cancel }
}
