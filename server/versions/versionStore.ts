/**
 * Named versions on disk: one file per version under `<dataDir>/docs/<deliverableId>/versions/`, written once
 * (temporary file, fsync, rename, fsync of the folder: storage/durableFiles.ts) and never replaced. A version is
 * acknowledged only once its file and its name are durable. A file that does not read back intact is refused with
 * a StorageCorruptError naming it, and left as it is for an operator.
 *
 * Listing reads each file once (the checksum covers the whole file) and keeps the small part, not the document
 * state, in memory.
 */
import { join } from 'node:path'
import type { ApiVersion } from '../../shared/api/versions.ts'
import { isWellFormedId } from '../../shared/domain/ids.ts'
import { documentDirectory } from '../storage/documentLayout.ts'
import { ensureDirectory, writeFileAtomically } from '../storage/durableFiles.ts'
import { readError, StorageError } from '../storage/errors.ts'
import type { FileSystem } from '../storage/fileSystem.ts'
import { decodeVersion, encodeVersion, type StoredVersion } from './versionFile.ts'

const VERSIONS_FOLDER = 'versions'
const EXTENSION = '.version'

/** A version as listed: what API.md names, and its saving order. */
export interface VersionEntry extends ApiVersion {
  seq: number
}

/** The versions of one deliverable that read back intact, and the files that did not. */
export interface VersionListing {
  versions: VersionEntry[]
  unreadable: { id: string; error: StorageError }[]
}

/** Where named versions are kept: files (VersionStore) by default, PostgreSQL with DATABASE_URL. */
export interface VersionStorage {
  /** Resolves once the version is durable; a version of that id is never overwritten. */
  write(deliverableId: string, version: StoredVersion): Promise<void>
  /** Throws StorageCorruptError or StorageReadError; null when there is no such version. */
  read(deliverableId: string, versionId: string): Promise<StoredVersion | null>
  /** Newest first, and the versions that did not read back intact. */
  list(deliverableId: string): Promise<VersionListing>
}

type Entries = Map<string, VersionEntry | StorageError>

/**
 * Each deliverable's version entries, read once (`scan` decodes every version: the checksum covers it whole) and
 * then kept up to date by the writes of this process; only the small part of a version stays in memory.
 */
export class VersionListings {
  private readonly byDeliverable = new Map<string, Promise<Entries>>()

  constructor(private readonly scan: (deliverableId: string) => Promise<Entries>) {}

  /** Newest first, and the versions that did not read back intact. */
  async list(deliverableId: string): Promise<VersionListing> {
    const listing: VersionListing = { versions: [], unreadable: [] }
    for (const [id, entry] of await this.entries(deliverableId)) {
      if ('seq' in entry) listing.versions.push(entry)
      else listing.unreadable.push({ id, error: entry })
    }
    listing.versions.sort((a, b) => b.seq - a.seq)
    return listing
  }

  /** A version just made durable. */
  async added(deliverableId: string, version: StoredVersion): Promise<void> {
    ;(await this.entries(deliverableId)).set(version.id, entryOf(version))
  }

  private entries(deliverableId: string): Promise<Entries> {
    let entries = this.byDeliverable.get(deliverableId)
    if (!entries) {
      entries = this.scan(deliverableId)
      entries.catch(() => this.byDeliverable.delete(deliverableId))
      this.byDeliverable.set(deliverableId, entries)
    }
    return entries
  }
}

export class VersionStore implements VersionStorage {
  private readonly listings = new VersionListings((deliverableId) => this.scan(deliverableId))

  constructor(
    private readonly fs: FileSystem,
    private readonly dataDir: string,
  ) {}

  private folder(deliverableId: string): string {
    return join(documentDirectory(this.dataDir, deliverableId), VERSIONS_FOLDER)
  }

  private path(deliverableId: string, versionId: string): string {
    return join(this.folder(deliverableId), `${versionId}${EXTENSION}`)
  }

  /** Resolves once the version is durable; a version of that id is never overwritten. */
  async write(deliverableId: string, version: StoredVersion): Promise<void> {
    const folder = this.folder(deliverableId)
    const path = this.path(deliverableId, version.id)
    await ensureDirectory(this.fs, folder)
    if ((await this.fs.stat(path).catch((error) => Promise.reject(readError(path, error)))) !== null)
      throw new Error(`A version ${version.id} already exists at ${path}; it was left as it is.`)
    await writeFileAtomically(this.fs, path, encodeVersion(version))
    await this.listings.added(deliverableId, version)
  }

  /** Throws StorageCorruptError (the file is left unchanged) or StorageReadError; null when there is no such file. */
  async read(deliverableId: string, versionId: string): Promise<StoredVersion | null> {
    if (!isWellFormedId(versionId)) return null
    const path = this.path(deliverableId, versionId)
    let bytes: Uint8Array
    try {
      if ((await this.fs.stat(path)) === null) return null
      bytes = await this.fs.readFile(path)
    } catch (error) {
      throw readError(path, error)
    }
    return decodeVersion(bytes, path, versionId)
  }

  /** Newest first. */
  list(deliverableId: string): Promise<VersionListing> {
    return this.listings.list(deliverableId)
  }

  private async scan(deliverableId: string): Promise<Map<string, VersionEntry | StorageError>> {
    const folder = this.folder(deliverableId)
    const entries = new Map<string, VersionEntry | StorageError>()
    const exists = await this.fs.stat(folder).catch((error) => Promise.reject(readError(folder, error)))
    if (!exists) return entries
    const names = await this.fs.readdir(folder).catch((error) => Promise.reject(readError(folder, error)))
    for (const name of names) {
      // Temporary files of a write that a crash interrupted were never acknowledged: not versions.
      if (!name.endsWith(EXTENSION)) continue
      const id = name.slice(0, -EXTENSION.length)
      if (!isWellFormedId(id)) continue
      try {
        const version = await this.read(deliverableId, id)
        if (version) entries.set(id, entryOf(version))
      } catch (error) {
        if (!(error instanceof StorageError)) throw error
        entries.set(id, error)
      }
    }
    return entries
  }
}

export function entryOf(version: StoredVersion): VersionEntry {
  const { id, name, createdAt, createdBy, origin, seq } = version
  return { id, name, createdAt, createdBy, origin, seq }
}
