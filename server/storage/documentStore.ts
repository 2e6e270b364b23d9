/**
 * Durable storage of live Yjs documents: a snapshot plus update logs per document (layout in
 * documentLayout.ts). The store keeps bytes; applying them (`Y.applyUpdate`, snapshot first) is the caller's.
 *
 * Acknowledged means durable: `create`, `append` and `compact` resolve only after fsync of the files and of the
 * directories whose entries they changed.
 */
import { join } from 'node:path'
import type { Logger } from '../logger.ts'
import {
  docsDirectory,
  documentDirectory,
  isDocumentDataFile,
  repairCommandFor,
  SNAPSHOT_FILE,
  updateLogGenerations,
  updateLogName,
} from './documentLayout.ts'
import { ensureDirectory, isNotFound } from './durableFiles.ts'
import {
  DocumentExistsError,
  DocumentNotFoundError,
  logRepairRemedy,
  readError,
  StorageCorruptError,
  writeError,
} from './errors.ts'
import type { FileSystem } from './fileSystem.ts'
import { LiveUpdateLog } from './liveUpdateLog.ts'
import { type LogRepair, RecordLog, type RecordLogOptions } from './recordLog.ts'
import { readSnapshot, writeSnapshot } from './snapshotFile.ts'
import { removeStagingFolders, stagingFolderName } from './stagingFolders.ts'
import { decodeStoredUpdate, encodeStoredUpdate, type StoredUpdate } from './updateRecord.ts'

export type { LogRepair } from './recordLog.ts'
export type { StoredUpdate } from './updateRecord.ts'

export interface LoadedDocument {
  /** The whole state as of the last compaction, as one Yjs update; null before the first one. */
  snapshot: Uint8Array | null
  /** Updates appended since, in append order (apply after the snapshot; re-applying is harmless). */
  updates: StoredUpdate[]
  /** Torn tails cut off while opening; the dropped bytes were copied aside first. */
  repairs: LogRepair[]
  /**
   * Yjs client id → owning user id, as stored with the snapshot (compaction deletes the logs it was rebuilt
   * from); empty without a snapshot, or with one written before snapshots kept it.
   */
  clientOwners: Map<number, string>
}

export interface DocumentStore {
  /** Opens a document for appending. Null when it has no storage at all; throws StorageError when unreadable. */
  load(docId: string): Promise<LoadedDocument | null>
  /** Stores a new document and opens it; throws DocumentExistsError when it exists. */
  create(docId: string, initialUpdate: Uint8Array, userId: string): Promise<void>
  /**
   * Resolves once the update is fsync'd (appends in flight together share one fsync). Rejects with
   * StorageWriteError (`code`: ENOSPC, EIO, ...) when it is not known to be; the store then writes it again
   * with the next append, so a later durable update never lacks an earlier one.
   */
  append(docId: string, update: Uint8Array, userId: string): Promise<void>
  /** Resolves once every update appended so far is durable. */
  flush(docId: string): Promise<void>
  /**
   * Replaces the logs by a snapshot. `fullState` must contain every update appended before this call
   * (`Y.encodeStateAsUpdate` of the document they were applied to), and `clientOwners` the owners of its client
   * ids, which the snapshot keeps; appends may go on meanwhile. While a compaction runs, another call returns the
   * running one.
   */
  compact(docId: string, fullState: Uint8Array, clientOwners: ReadonlyMap<number, string>): Promise<void>
  /** Waits for appends in flight, then releases the document's files. */
  close(docId: string): Promise<void>
  closeAll(): Promise<void>
  listDocuments(): Promise<string[]>
  /** Size of the snapshot and update logs (not of the decision log or of saved torn tails). */
  bytesOnDisk(docId: string): Promise<number>
}

export interface FileDocumentStoreOptions {
  now?: () => number
  maxRecordBytes?: number
  /** Told what `open` cleaned up. */
  logger?: Pick<Logger, 'warn'>
}

interface OpenDocument {
  dir: string
  log: LiveUpdateLog
  compacting: Promise<void> | null
}

function notOpen(docId: string): Error {
  return new Error(`Document ${docId} is not open: load or create it first`)
}

export class FileDocumentStore implements DocumentStore {
  private readonly documents = new Map<string, OpenDocument>()
  private readonly opening = new Set<string>()
  private readonly logOptions: RecordLogOptions

  private constructor(
    private readonly fs: FileSystem,
    private readonly dataDir: string,
    private readonly now: () => number,
    maxRecordBytes: number | undefined,
  ) {
    this.logOptions = { rewriteRejected: true, now, ...(maxRecordBytes ? { maxRecordBytes } : {}) }
  }

  /** Also removes the staging folders of creations a crash interrupted (never acknowledged). */
  static async open(fs: FileSystem, dataDir: string, options: FileDocumentStoreOptions = {}) {
    const docs = docsDirectory(dataDir)
    await ensureDirectory(fs, docs)
    await removeStagingFolders(fs, docs, options.logger)
    return new FileDocumentStore(fs, dataDir, options.now ?? Date.now, options.maxRecordBytes)
  }

  async load(docId: string): Promise<LoadedDocument | null> {
    const dir = documentDirectory(this.dataDir, docId)
    this.claim(docId)
    try {
      if (!(await this.exists(dir))) return null
      const names = await this.fs.readdir(dir).catch((error) => Promise.reject(readError(dir, error)))
      const snapshot = await readSnapshot(this.fs, join(dir, SNAPSHOT_FILE))
      const covered = snapshot?.generation ?? 0
      const all = updateLogGenerations(names)
      if (!snapshot && all.length === 0)
        throw new StorageCorruptError(dir, undefined, 'no snapshot and no update log')
      await this.removeCoveredLogs(dir, names, covered).catch(() => undefined)
      const generations = all.filter((generation) => generation > covered)
      if (generations.length === 0) generations.push(covered + 1)
      const loaded: LoadedDocument = {
        snapshot: snapshot?.update ?? null,
        updates: [],
        repairs: [],
        clientOwners: new Map(snapshot?.clientOwners),
      }
      let live: RecordLog | undefined
      for (const generation of generations) {
        await live?.close()
        live = await this.openLog(join(dir, updateLogName(generation)), docId, loaded)
      }
      this.documents.set(docId, { dir, log: new LiveUpdateLog(live!, generations.at(-1)!), compacting: null })
      return loaded
    } finally {
      this.opening.delete(docId)
    }
  }

  async create(docId: string, initialUpdate: Uint8Array, userId: string): Promise<void> {
    const dir = documentDirectory(this.dataDir, docId)
    if (this.documents.has(docId)) throw new DocumentExistsError(docId, dir)
    this.claim(docId)
    try {
      if (await this.exists(dir)) throw new DocumentExistsError(docId, dir)
      // Built under a temporary name and renamed whole: a crash never leaves a document without its first update.
      const staging = join(docsDirectory(this.dataDir), stagingFolderName(docId))
      const logName = updateLogName(1)
      try {
        await this.fs.mkdir(staging)
        const { log } = await RecordLog.open(this.fs, join(staging, logName), this.logOptions)
        await log
          .append(encodeStoredUpdate({ userId, at: this.now(), update: initialUpdate }))
          .finally(() => log.close())
        await this.fs.rename(staging, dir)
        await this.fs.syncDirectory(docsDirectory(this.dataDir))
      } catch (error) {
        await this.fs.unlink(join(staging, logName)).catch(() => undefined)
        await this.fs.rmdir(staging).catch(() => undefined)
        throw writeError(dir, error)
      }
      const empty: LoadedDocument = { snapshot: null, updates: [], repairs: [], clientOwners: new Map() }
      const live = await this.openLog(join(dir, logName), docId, empty)
      this.documents.set(docId, { dir, log: new LiveUpdateLog(live, 1), compacting: null })
    } finally {
      this.opening.delete(docId)
    }
  }

  append(docId: string, update: Uint8Array, userId: string): Promise<void> {
    return this.submit(docId, encodeStoredUpdate({ userId, at: this.now(), update }))
  }

  flush(docId: string): Promise<void> {
    return this.submit(docId, null)
  }

  compact(docId: string, fullState: Uint8Array, clientOwners: ReadonlyMap<number, string>): Promise<void> {
    const doc = this.documents.get(docId)
    if (!doc) return Promise.reject(notOpen(docId))
    if (doc.compacting) return doc.compacting
    // Copied now: the caller's map goes on changing while the compaction awaits, unlike `fullState`.
    const owners = new Map(clientOwners)
    doc.compacting = this.compactDocument(doc, fullState, owners).finally(() => {
      doc.compacting = null
    })
    return doc.compacting
  }

  async close(docId: string): Promise<void> {
    const doc = this.documents.get(docId)
    if (!doc) return
    this.documents.delete(docId)
    await doc.compacting?.catch(() => undefined)
    await doc.log.close()
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.documents.keys()].map((docId) => this.close(docId)))
  }

  async listDocuments(): Promise<string[]> {
    const docs = docsDirectory(this.dataDir)
    try {
      const names = await this.fs.readdir(docs)
      return names.filter((name) => !name.startsWith('.')).sort()
    } catch (error) {
      throw readError(docs, error)
    }
  }

  async bytesOnDisk(docId: string): Promise<number> {
    const dir = documentDirectory(this.dataDir, docId)
    if (!(await this.exists(dir))) throw new DocumentNotFoundError(docId, dir)
    try {
      let total = 0
      for (const name of (await this.fs.readdir(dir)).filter(isDocumentDataFile)) {
        total += (await this.fs.stat(join(dir, name)))?.size ?? 0
      }
      return total
    } catch (error) {
      throw readError(dir, error)
    }
  }

  private async exists(path: string): Promise<boolean> {
    try {
      return (await this.fs.stat(path)) !== null
    } catch (error) {
      throw readError(path, error)
    }
  }

  private claim(docId: string): void {
    if (this.documents.has(docId) || this.opening.has(docId))
      throw new Error(`Document ${docId} is already open`)
    this.opening.add(docId)
  }

  private submit(docId: string, record: Uint8Array | null): Promise<void> {
    const doc = this.documents.get(docId)
    if (!doc) return Promise.reject(notOpen(docId))
    return record ? doc.log.append(record) : doc.log.flush()
  }

  /** Opens one update log, adding its updates and any repair to `loaded`. */
  private async openLog(path: string, docId: string, loaded: LoadedDocument): Promise<RecordLog> {
    const repairCommand = repairCommandFor(this.dataDir, docId)
    const opened = await RecordLog.open(this.fs, path, { ...this.logOptions, repairCommand })
    if (opened.repair) loaded.repairs.push(opened.repair)
    for (const [index, record] of opened.records.entries()) {
      const update = decodeStoredUpdate(record)
      if (!update) {
        await opened.log.close()
        const reason = `record ${index} has a valid checksum but does not decode`
        throw new StorageCorruptError(path, opened.offsets[index], reason, logRepairRemedy(repairCommand))
      }
      loaded.updates.push(update)
    }
    return opened.log
  }

  private async compactDocument(
    doc: OpenDocument,
    fullState: Uint8Array,
    clientOwners: ReadonlyMap<number, string>,
  ): Promise<void> {
    // The boundary is this call (moveTo holds later appends before its first await): appends made before it are
    // in the current log and in fullState, later ones go to the next log.
    const covered = doc.log.generation
    const next = join(doc.dir, updateLogName(covered + 1))
    await doc.log.moveTo(covered + 1, async () => (await RecordLog.open(this.fs, next, this.logOptions)).log)
    const snapshot = { generation: covered, update: fullState, clientOwners }
    await writeSnapshot(this.fs, join(doc.dir, SNAPSHOT_FILE), snapshot)
    await this.removeCoveredLogs(doc.dir, await this.fs.readdir(doc.dir), covered)
  }

  /** Deletes logs a durable snapshot covers, and a temporary snapshot left by a crash. */
  private async removeCoveredLogs(dir: string, names: string[], covered: number): Promise<void> {
    const stale = updateLogGenerations(names)
      .filter((generation) => generation <= covered)
      .map(updateLogName)
    if (names.includes(`${SNAPSHOT_FILE}.tmp`)) stale.push(`${SNAPSHOT_FILE}.tmp`)
    if (stale.length === 0) return
    try {
      // The snapshot's name must be durable before the logs it replaces can go.
      await this.fs.syncDirectory(dir)
      for (const name of stale) {
        await this.fs.unlink(join(dir, name)).catch((error) => {
          if (!isNotFound(error)) throw error
        })
      }
      await this.fs.syncDirectory(dir)
    } catch (error) {
      throw writeError(dir, error)
    }
  }
}
