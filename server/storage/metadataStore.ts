/**
 * Users, sessions, groups and deliverables in lowdb (one JSON file under DATA_DIR). Every write is durable when
 * it resolves (DurableJsonFile: temporary file, fsync, rename, fsync of the folder): a revoked session or a
 * lowered role must not come back after a power cut (SYNC.md §5).
 *
 * A file that cannot be read is never overwritten: the store opens read-only and says what it could not read.
 */
import { EventEmitter } from 'node:events'
import path from 'node:path'
import { type Adapter, Low } from 'lowdb'
import type { ItemId } from '../../shared/domain/consensus.ts'
import type { Meeting } from '../../shared/domain/meetings.ts'
import type { Deliverable, Group, User } from '../../shared/domain/types.ts'
import { SerialQueue } from '../serialQueue.ts'
import { DurableJsonFile } from './durableJsonFile.ts'
import { StorageError, writeError } from './errors.ts'
import { type FileSystem, nodeFileSystem } from './fileSystem.ts'
import { mergeInPlace } from './mergeInPlace.ts'

export interface StoredUser extends User {
  passwordHash: string
  createdAt: string
  /** Removed users keep their record (the decision record names them) but can no longer log in. */
  removed: boolean
}

export interface StoredSession {
  /** sha256 of the cookie token: a leaked file does not yield live sessions. */
  id: string
  userId: string
  createdAt: string
  expiresAt: string
}

export interface StoredDeliverable extends Deliverable {
  /** Yjs item ids of the clauses that may never be removed (clauses 2 to 5). */
  requiredClauseItems: ItemId[]
}

export interface MetadataSchema {
  version: 1
  setupCompleted: boolean
  users: StoredUser[]
  sessions: StoredSession[]
  groups: Group[]
  deliverables: StoredDeliverable[]
  /** Absent from files written before meetings existed: read as none. */
  meetings: Meeting[]
}

const emptyData = (): MetadataSchema => ({
  version: 1,
  setupCompleted: false,
  users: [],
  sessions: [],
  groups: [],
  deliverables: [],
  meetings: [],
})

export class MetadataUnreadableError extends Error {}

/**
 * A write found a record changed by someone else since this process read it (a cluster's other node): nothing of
 * it was written. `update` reads again and runs the change again, a few times at most.
 */
export class MetadataConflictError extends Error {
  constructor(readonly record: string) {
    super(`${record} was changed by another server meanwhile; try again.`)
  }
}

const CONFLICT_ATTEMPTS = 5

export interface MetadataEvents {
  /** A change was written (durable): in a cluster, the other nodes are told to read the metadata again. */
  written: []
}

export class MetadataStore extends EventEmitter<MetadataEvents> {
  private readonly writes = new SerialQueue()

  private constructor(
    private readonly db: Low<MetadataSchema>,
    /** The file, or the database tables, holding the metadata (named in errors). */
    readonly file: string,
    /** Set when the file could not be read: nothing is written then. */
    readonly unreadable: string | null,
  ) {
    super()
  }

  static open(dataDir: string, fileSystem: FileSystem = nodeFileSystem): Promise<MetadataStore> {
    const file = path.join(dataDir, 'metadata.json')
    return MetadataStore.openWith(new DurableJsonFile<MetadataSchema>(fileSystem, file), file)
  }

  /**
   * Opens the metadata kept by `adapter` (a durable file, or PostgreSQL: postgres/metadataRows.ts); `where` names
   * it in errors. An adapter's write resolves only once the data is durable.
   */
  static async openWith(adapter: Adapter<MetadataSchema>, where: string): Promise<MetadataStore> {
    const db = new Low<MetadataSchema>(adapter, emptyData())
    let unreadable: string | null = null
    try {
      const parsed = await adapter.read()
      if (parsed !== null) {
        if (parsed?.version !== 1 || !Array.isArray(parsed.users)) throw new Error('unexpected structure')
        parsed.meetings ??= []
        db.data = parsed
      }
    } catch (error) {
      // A StorageReadError already names the file and the OS code; a parse error does not.
      unreadable =
        error instanceof StorageError
          ? `${error.message} The file was left as it is.`
          : `Could not read ${where}: ${(error as Error).message}. The file was left as it is.`
      db.data = emptyData()
    }
    return new MetadataStore(db, where, unreadable)
  }

  get data(): MetadataSchema {
    return this.db.data
  }

  /**
   * Runs a change and writes the file; changes are serialized so that two requests never interleave
   * their read-modify-write.
   */
  async update<T>(change: (data: MetadataSchema) => T): Promise<T> {
    if (this.unreadable) throw new MetadataUnreadableError(this.unreadable)
    return this.writes.run(async () => {
      for (let attempt = 1; ; attempt++) {
        // A failed write (disk full) must not leave memory ahead of the file: restore what the file holds.
        const before = structuredClone(this.db.data)
        const result = change(this.db.data)
        try {
          await this.db.write()
        } catch (error) {
          if (error instanceof MetadataConflictError && attempt < CONFLICT_ATTEMPTS) {
            // Another node changed a record this change touches: judge the change again on what it wrote.
            const read = await this.readInPlace().then(
              () => true,
              () => false,
            )
            if (read) continue
          }
          this.restore(before)
          throw writeError(this.file, error)
        }
        this.emit('written')
        return result
      }
    })
  }

  /**
   * Reads everything again from storage (in a cluster, another node wrote), between two writes of this process,
   * into the objects already in memory (mergeInPlace.ts). Unreadable data keeps what is in memory and throws.
   */
  reload(): Promise<void> {
    return this.writes.run(() => this.readInPlace())
  }

  private async readInPlace(): Promise<void> {
    const parsed = await this.db.adapter.read()
    if (parsed === null) return
    if (parsed?.version !== 1 || !Array.isArray(parsed.users)) throw new Error('unexpected structure')
    parsed.meetings ??= []
    this.restore(parsed)
  }

  /** Brings memory to `data`, keeping the objects a use case may hold (mergeInPlace.ts). */
  private restore(data: MetadataSchema): void {
    mergeInPlace(
      this.db.data as unknown as Record<string, unknown>,
      data as unknown as Record<string, unknown>,
    )
  }

  flush(): Promise<void> {
    return this.writes.settled()
  }

  user(id: string): StoredUser | undefined {
    return this.db.data.users.find((u) => u.id === id && !u.removed)
  }
  userByEmail(email: string): StoredUser | undefined {
    const wanted = email.toLowerCase()
    return this.db.data.users.find((u) => u.email.toLowerCase() === wanted && !u.removed)
  }
  group(id: string): Group | undefined {
    return this.db.data.groups.find((g) => g.id === id)
  }
  deliverable(id: string): StoredDeliverable | undefined {
    return this.db.data.deliverables.find((d) => d.id === id)
  }
  meeting(id: string): Meeting | undefined {
    return this.db.data.meetings.find((m) => m.id === id)
  }
  readonly groupLookup = (id: string): Group | undefined => this.group(id)
}
