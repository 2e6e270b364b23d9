/**
 * A lowdb adapter whose writes survive a power cut. lowdb's own JSONFile renames a temporary file over the old
 * one without fsync: after a power cut the new name can point at bytes that never reached the disk, or the old
 * content can come back (a revoked session, a lowered role). This one goes through the FileSystem seam: write a
 * temporary file, fsync it, rename it over the file, fsync the folder (durableFiles.ts).
 */
import type { Adapter } from 'lowdb'
import { isNotFound, writeFileAtomically } from './durableFiles.ts'
import { readError } from './errors.ts'
import type { FileSystem } from './fileSystem.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export class DurableJsonFile<T> implements Adapter<T> {
  constructor(
    private readonly fs: FileSystem,
    readonly path: string,
  ) {}

  /** Null when there is no file; throws when it cannot be read or is not JSON. */
  async read(): Promise<T | null> {
    let bytes: Uint8Array
    try {
      bytes = await this.fs.readFile(this.path)
    } catch (error) {
      if (isNotFound(error)) return null
      throw readError(this.path, error)
    }
    return JSON.parse(decoder.decode(bytes)) as T
  }

  /** Resolves once the new content is durable; rejects with StorageWriteError (with `code`) otherwise. */
  write(data: T): Promise<void> {
    return writeFileAtomically(this.fs, this.path, encoder.encode(JSON.stringify(data, null, 2)))
  }
}
