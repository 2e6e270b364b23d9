/**
 * Runs `run` once calls to `schedule` pause for `waitMs`, and at least every `maxWaitMs` while they keep coming
 * (a stream of remote edits would otherwise postpone it for ever). For work too slow to redo on every keystroke
 * of a co-author: re-reading a clause to preview a suggestion, rebuilding an outline. It always runs from its own
 * timer, never inside `schedule`: the caller is typically a keystroke's transaction, which must reach the screen
 * without waiting for it (measured: the toolbar's state computed inside every second's keystroke). Where the
 * browser offers it, the run waits further for an idle moment (requestIdleCallback, at most IDLE_WAIT_MS): that is
 * right after a frame is drawn, so a keystroke that comes while the timer is due is handled and drawn first instead
 * of waiting behind a rebuild (measured: the outline's 10–20 ms rebuild delaying a key's frame).
 */
export interface Debounced {
  /** Another change: run after the pause, or once the first unserved change is `maxWaitMs` old. */
  schedule: () => void
  /** Run now and forget what was pending. */
  flush: () => void
  /** Forget what is pending without running (on unmount). */
  cancel: () => void
}

/** Once due, the run waits at most this long for the browser to be idle. */
const IDLE_WAIT_MS = 200

export function debounce(run: () => void, waitMs: number, maxWaitMs = Number.POSITIVE_INFINITY): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined
  let idle: number | undefined
  let firstPending = 0
  const cancel = () => {
    clearTimeout(timer)
    if (idle !== undefined) cancelIdleCallback(idle)
    timer = undefined
    idle = undefined
    firstPending = 0
  }
  const flush = () => {
    cancel()
    run()
  }
  const due = () => {
    timer = undefined
    if (typeof requestIdleCallback === 'function')
      idle = requestIdleCallback(flush, { timeout: IDLE_WAIT_MS })
    else flush()
  }
  const schedule = () => {
    const now = Date.now()
    if (!firstPending) firstPending = now
    clearTimeout(timer)
    // Already due and waiting for an idle moment: it runs then, with this change too.
    if (idle !== undefined) return
    timer = setTimeout(due, Math.max(0, Math.min(waitMs, firstPending + maxWaitMs - now)))
  }
  return { schedule, flush, cancel }
}
