/**
 * The update log a document appends to. Compaction moves it to the next generation; the move neither loses nor
 * reorders an append: appends made during it wait and then go, in order, to the new log, behind the records
 * whose append had failed in the old one.
 */
import type { RecordLog } from './recordLog.ts'

interface HeldAppend {
  /** null for a flush. */
  record: Uint8Array | null
  resolve: () => void
  reject: (error: Error) => void
}

export class LiveUpdateLog {
  /** Non-null while moving to the next log. */
  private held: HeldAppend[] | null = null

  constructor(
    private log: RecordLog,
    private currentGeneration: number,
  ) {}

  get generation(): number {
    return this.currentGeneration
  }

  append(record: Uint8Array): Promise<void> {
    return this.submit(record)
  }

  /** Resolves once every earlier append is durable. */
  flush(): Promise<void> {
    return this.submit(null)
  }

  /**
   * Everything appended before this call stays in the current log; everything after goes to the log that
   * `openNext` returns. When that fails, appends go on in the current log and the error is thrown.
   */
  async moveTo(generation: number, openNext: () => Promise<RecordLog>): Promise<void> {
    this.held = []
    let next: RecordLog
    try {
      next = await openNext()
    } catch (error) {
      this.release(this.log)
      throw error
    }
    // Updates whose append failed are in no durable log yet: they go first into the next one.
    const unwritten = await this.log.close()
    this.log = next
    this.currentGeneration = generation
    for (const record of unwritten) next.append(record).catch(() => undefined)
    this.release(next)
  }

  /** Tries once more to write updates whose append failed, then closes. */
  async close(): Promise<void> {
    await this.log.flush().catch(() => undefined)
    await this.log.close()
  }

  private submit(record: Uint8Array | null): Promise<void> {
    const held = this.held
    if (held) return new Promise((resolve, reject) => held.push({ record, resolve, reject }))
    return record ? this.log.append(record) : this.log.flush()
  }

  private release(log: RecordLog): void {
    const held = this.held ?? []
    this.held = null
    for (const { record, resolve, reject } of held) {
      ;(record ? log.append(record) : log.flush()).then(resolve, reject)
    }
  }
}
