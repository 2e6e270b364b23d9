/**
 * Runs async tasks one at a time, in the order they were queued: for read-modify-write sequences that must never
 * interleave (a deliverable's decisions, the metadata file). A failed task fails its own caller only; the tasks
 * queued after it still run.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()

  /** Runs `task` once every task queued before it has settled, and answers what `task` answers. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task)
    this.tail = result.catch(() => undefined)
    return result
  }

  /** Resolves once every task queued so far has settled. */
  async settled(): Promise<void> {
    await this.tail
  }
}
