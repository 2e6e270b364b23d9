/**
 * Runs `task` once changes pause for `pauseMs`, or at the latest `maxWaitMs` after the first change still waiting,
 * so that work following a stream of changes (typing, other people's edits) stays off each change's path without
 * falling behind for long.
 */
export interface AfterPause {
  /** A change happened: (re)start the wait. */
  schedule(): void
  /** Forget the waiting change (unmount, or the task ran for another reason). */
  cancel(): void
}

export function afterPause(task: () => void, pauseMs: number, maxWaitMs: number): AfterPause {
  let timer: ReturnType<typeof setTimeout> | undefined
  let firstPending = 0
  const cancel = () => {
    clearTimeout(timer)
    timer = undefined
    firstPending = 0
  }
  return {
    schedule() {
      const now = Date.now()
      if (!firstPending) firstPending = now
      clearTimeout(timer)
      timer = setTimeout(
        () => {
          cancel()
          task()
        },
        Math.max(0, Math.min(pauseMs, firstPending + maxWaitMs - now)),
      )
    },
    cancel,
  }
}
