/**
 * Users, sessions, groups and deliverables in lowdb (one JSON file under DATA_DIR). lowdb replaces the file
 * atomically (write to a temporary file, rename) but without fsync; everything here is small and rebuilt by the
 * next write, while the text and the decision record have their own fsync'd logs.
 *
 * A file that cannot be read is never overwritten: the store opens read-only and says what it could not read.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { Low } from 'lowdb'
import { JSONFile } from 'lowdb/node'
import type { ItemId } from '../../shared/domain/consensus.ts'
import type { Deliverable, Group, User } from '../../shared/domain/types.ts'
import { StorageWriteError } from './errors.ts'

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
}

const emptyData = (): MetadataSchema => ({
  version: 1,
  setupCompleted: false,
  users: [],
  sessions: [],
  groups: [],
  deliverables: [],
})

export class MetadataUnreadableError extends Error {}

export class MetadataStore {
  private writeChain: Promise<void> = Promise.resolve()

  private constructor(
    private readonly db: Low<MetadataSchema>,
    readonly file: string,
    /** Set when the file could not be read: nothing is written then. */
    readonly unreadable: string | null,
  ) {}

  static async open(dataDir: string): Promise<MetadataStore> {
    const file = path.join(dataDir, 'metadata.json')
    const db = new Low<MetadataSchema>(new JSONFile<MetadataSchema>(file), emptyData())
    let unreadable: string | null = null
    try {
      const raw = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null
        throw error
      })
      if (raw !== null) {
        const parsed = JSON.parse(raw) as MetadataSchema
        if (parsed?.version !== 1 || !Array.isArray(parsed.users)) throw new Error('unexpected structure')
        db.data = parsed
      }
    } catch (error) {
      unreadable = `Could not read ${file}: ${(error as Error).message}. The file was left as it is.`
      db.data = emptyData()
    }
    return new MetadataStore(db, file, unreadable)
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
    const run = this.writeChain.then(async () => {
      // A failed write (disk full) must not leave memory ahead of the file: restore what the file holds.
      const before = structuredClone(this.db.data)
      const result = change(this.db.data)
      try {
        await this.db.write()
      } catch (error) {
        this.db.data = before
        throw new StorageWriteError(this.file, error)
      }
      return result
    })
    this.writeChain = run.then(
      () => undefined,
      () => undefined,
    )
    return run
  }

  async flush(): Promise<void> {
    await this.writeChain
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
  readonly groupLookup = (id: string): Group | undefined => this.group(id)
}
