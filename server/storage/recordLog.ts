/**
 * An append-only file of checksummed records (format in recordFormat.ts) whose appends resolve only once their
 * bytes are fsync'd. Appends that arrive while an fsync is in flight are written and fsync'd together in the next
 * batch (group commit): one fsync serves a whole burst.
 */
import { dirname } from 'node:path'
import { saveAside } from './durableFiles.ts'
import { logRepairRemedy, readError, StorageCorruptError, StorageWriteError, writeError } from './errors.ts'
import type { AppendHandle, FileSystem } from './fileSystem.ts'
import { DEFAULT_MAX_RECORD_BYTES, encodeRecord, scanRecords } from './recordFormat.ts'

export interface RecordLogOptions {
  /** A length prefix above this reads as damage; an append above it is refused. */
  maxRecordBytes?: number
  /**
   * Write rejected records again ahead of the next batch. For logs whose records depend on earlier ones (Yjs
   * updates of one client): a durable record then never lacks a predecessor that was appended before it. A
   * rejected append then means "not known to be durable", not "absent".
   */
  rewriteRejected?: boolean
  /** Clock for the names of saved torn tails. */
  now?: () => number
  /** The command that repairs this log, quoted when it is found damaged. */
  repairCommand?: string
}

/** A torn tail (an incomplete last record) that was cut off when the log was opened. */
export interface LogRepair {
  path: string
  /** Where the cut began: the end of the last valid record. */
  offset: number
  droppedBytes: number
  reason: string
  /** The dropped bytes were copied here before the log was truncated. */
  savedTo: string
}

export interface OpenedRecordLog {
  log: RecordLog
  records: Uint8Array[]
  /** Byte offset of each record, for errors about its content. */
  offsets: number[]
  repair?: LogRepair
}

interface PendingAppend {
  /** null for a flush, which only waits for its batch. */
  record: Uint8Array | null
  resolve: () => void
  reject: (error: Error) => void
}

export class RecordLog {
  private queue: PendingAppend[] = []
  private draining: Promise<void> | null = null
  /** Records of the last failed batch, kept for `rewriteRejected`. */
  private rejected: Uint8Array[] = []
  /** The file may hold bytes past `durableLength` (a failed write or fsync): cut them before writing again. */
  private dirty = false
  private closed = false

  private constructor(
    private readonly fs: FileSystem,
    readonly path: string,
    private readonly handle: AppendHandle,
    private durableLength: number,
    private readonly options: RecordLogOptions,
  ) {}

  /**
   * Opens the log, creating it (durably) when missing, and returns its records. A torn tail is copied aside, then
   * cut off, and reported. Damage (a complete record that fails its check, also the last one) throws
   * StorageCorruptError before anything is modified: it may be an acknowledged record.
   */
  static async open(fs: FileSystem, path: string, options: RecordLogOptions = {}): Promise<OpenedRecordLog> {
    const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES
    let existing: boolean
    let bytes: Uint8Array
    try {
      existing = (await fs.stat(path)) !== null
      bytes = existing ? await fs.readFile(path) : new Uint8Array(0)
    } catch (error) {
      throw readError(path, error)
    }
    const scan = scanRecords(bytes, maxRecordBytes)
    const stop = scan.stop
    if (stop && !stop.torn) {
      throw new StorageCorruptError(path, stop.offset, stop.reason, logRepairRemedy(options.repairCommand))
    }
    let repair: LogRepair | undefined
    if (stop) {
      const dropped = bytes.subarray(scan.validLength)
      const savedTo = await saveAside(fs, path, dropped, (options.now ?? Date.now)())
      repair = { path, offset: stop.offset, droppedBytes: dropped.byteLength, reason: stop.reason, savedTo }
    }
    let handle: AppendHandle | undefined
    try {
      handle = await fs.openAppend(path)
      if (repair) await handle.truncate(scan.validLength)
      if (repair || !existing) await handle.sync()
      if (!existing) await fs.syncDirectory(dirname(path))
    } catch (error) {
      await handle?.close().catch(() => undefined)
      throw writeError(path, error)
    }
    const log = new RecordLog(fs, path, handle, scan.validLength, options)
    const opened = { log, records: scan.records, offsets: scan.offsets }
    return repair ? { ...opened, repair } : opened
  }

  /** Bytes known to be durable. */
  get size(): number {
    return this.durableLength
  }

  /** Resolves once the record is fsync'd; rejects with StorageWriteError (with the OS `code`) otherwise. */
  append(payload: Uint8Array): Promise<void> {
    const max = this.options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES
    if (payload.byteLength > max) {
      return Promise.reject(
        new RangeError(`A record of ${payload.byteLength} bytes exceeds the ${max} limit`),
      )
    }
    return this.enqueue(encodeRecord(payload))
  }

  /** Resolves when every earlier append has settled, and (with `rewriteRejected`) all of them are durable. */
  flush(): Promise<void> {
    return this.enqueue(null)
  }

  /** Reads back the durable records and their offsets (the file itself, not a cache). */
  async readRecords(): Promise<{ records: Uint8Array[]; offsets: number[] }> {
    let bytes: Uint8Array
    try {
      bytes = await this.fs.readFile(this.path)
    } catch (error) {
      throw readError(this.path, error)
    }
    const scan = scanRecords(bytes.subarray(0, this.durableLength), this.options.maxRecordBytes)
    if (scan.stop) {
      const remedy = logRepairRemedy(this.options.repairCommand)
      throw new StorageCorruptError(this.path, scan.stop.offset, scan.stop.reason, remedy)
    }
    return { records: scan.records, offsets: scan.offsets }
  }

  /**
   * Waits for appends in flight, then closes. Returns the records of a failed last batch when `rewriteRejected`
   * is set, so that whoever continues elsewhere can write them.
   */
  async close(): Promise<Uint8Array[]> {
    if (this.closed) return []
    this.closed = true
    await this.draining
    await this.cutUndurableBytes()
    await this.handle.close().catch(() => undefined)
    const rejected = this.rejected
    this.rejected = []
    return rejected
  }

  private enqueue(record: Uint8Array | null): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`The record log ${this.path} is closed`))
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject })
      this.draining ??= this.drain()
    })
  }

  private async drain(): Promise<void> {
    // One turn of the microtask queue lets appends issued in the same tick join the first batch.
    await Promise.resolve()
    while (this.queue.length > 0) {
      const batch = this.queue
      this.queue = []
      const records = [...this.rejected]
      for (const pending of batch) if (pending.record) records.push(pending.record)
      try {
        if (records.length > 0) await this.writeDurably(records)
        this.rejected = []
        for (const pending of batch) pending.resolve()
      } catch (error) {
        if (this.options.rewriteRejected) this.rejected = records
        const cut = await this.cutUndurableBytes()
        const failure =
          cut || this.options.rewriteRejected
            ? writeError(this.path, error)
            : new StorageWriteError(this.path, error, true)
        for (const pending of batch) pending.reject(failure)
      }
    }
    this.draining = null
  }

  /**
   * Removes what a failed batch left, at once: a rejected record must not be read back after a crash (a decision
   * reported as not taken). If this fails too, the next batch tries again before writing; a restart before that
   * reads the whole records among those bytes (their outcome was reported as unknown) and cuts an incomplete one
   * as a torn tail.
   *
   * Returns false when the bytes are still in the file (the truncate failed). A truncate whose fsync fails has
   * still taken them back from what any reader, and a restart after a crash, will see.
   */
  private async cutUndurableBytes(): Promise<boolean> {
    if (!this.dirty) return true
    try {
      await this.handle.truncate(this.durableLength)
    } catch {
      // Kept dirty: retried before the next write.
      return false
    }
    try {
      await this.handle.sync()
      this.dirty = false
    } catch {
      // The cut is done but not durable: kept dirty so that it is made again, and synced, before the next write.
    }
    return true
  }

  private async writeDurably(records: Uint8Array[]): Promise<void> {
    // What a failed batch left (possibly half a record) must go before anything is written behind it.
    if (this.dirty) {
      await this.handle.truncate(this.durableLength)
      this.dirty = false
    }
    const bytes = records.length === 1 ? records[0]! : Buffer.concat(records)
    this.dirty = true
    await this.handle.write(bytes)
    await this.handle.sync()
    this.durableLength += bytes.byteLength
    this.dirty = false
  }
}
