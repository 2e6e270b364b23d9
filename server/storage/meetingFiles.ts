/**
 * A meeting's files under the data folder (meetingStore.ts), `<dataDir>/meetings/<meetingId>/`: `live.json`,
 * the state of the meeting in progress (presenter, "Now discussing", queue, floor), and `contributions/`, the Word
 * files of its contributions. Every write is durable when it resolves (temporary file, fsync, rename, fsync of the
 * folder), so what a command acknowledged comes back after a crash.
 */
import { join } from 'node:path'
import { isWellFormedId } from '../../shared/domain/ids.ts'
import type { MeetingLiveState } from '../../shared/domain/meetingsLive.ts'
import { ensureDirectory, isNotFound, writeFileAtomically } from './durableFiles.ts'
import { readError, StorageCorruptError } from './errors.ts'
import type { FileSystem } from './fileSystem.ts'
import {
  type MeetingFileStore,
  type SavedLiveState,
  savedLiveStateFrom,
  savedPartOf,
} from './meetingStore.ts'

const LIVE_FILE = 'live.json'
const DOCUMENTS = 'contributions'
/** Moving the file aside starts the meeting's queue and "Now discussing" over, empty. */
const LIVE_FILE_REMEDY = 'restore it from a backup, or move it aside to start the meeting in progress over'

/** `<id>.docx`, the id well formed: a stored name never leaves its folder. */
function storedName(name: string): string {
  if (!isWellFormedId(name)) throw new RangeError(`Not a valid stored file id: ${JSON.stringify(name)}`)
  return `${name}.docx`
}
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export class MeetingFiles implements MeetingFileStore {
  constructor(
    private readonly fs: FileSystem,
    private readonly dataDir: string,
  ) {}

  /** Throws on an id that could escape the data folder (only letters, digits, '-' and '_' pass). */
  folder(meetingId: string): string {
    if (!isWellFormedId(meetingId))
      throw new RangeError(`Not a valid meeting id: ${JSON.stringify(meetingId)}`)
    return join(this.dataDir, 'meetings', meetingId)
  }

  async readLive(meetingId: string): Promise<SavedLiveState | null> {
    const path = join(this.folder(meetingId), LIVE_FILE)
    let bytes: Uint8Array
    try {
      bytes = await this.fs.readFile(path)
    } catch (error) {
      if (isNotFound(error)) return null
      throw readError(path, error)
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(decoder.decode(bytes))
    } catch {
      throw new StorageCorruptError(path, undefined, 'not JSON text', LIVE_FILE_REMEDY)
    }
    return savedLiveStateFrom(parsed, path, LIVE_FILE_REMEDY)
  }

  async writeLive(meetingId: string, state: MeetingLiveState): Promise<void> {
    const folder = this.folder(meetingId)
    await ensureDirectory(this.fs, folder)
    await writeFileAtomically(
      this.fs,
      join(folder, LIVE_FILE),
      encoder.encode(JSON.stringify(savedPartOf(state))),
    )
  }

  /** A replacement never overwrites the file in use: the caller names each upload anew. */
  async writeDocument(meetingId: string, name: string, bytes: Uint8Array): Promise<void> {
    const folder = join(this.folder(meetingId), DOCUMENTS)
    await ensureDirectory(this.fs, folder)
    await writeFileAtomically(this.fs, join(folder, storedName(name)), bytes)
  }

  async readDocument(meetingId: string, name: string): Promise<Uint8Array> {
    const path = join(this.folder(meetingId), DOCUMENTS, storedName(name))
    try {
      return await this.fs.readFile(path)
    } catch (error) {
      throw readError(path, error)
    }
  }

  async removeDocument(meetingId: string, name: string): Promise<void> {
    await this.fs.unlink(join(this.folder(meetingId), DOCUMENTS, storedName(name))).catch((error) => {
      if (!isNotFound(error)) throw error
    })
  }

  /** A file left behind would be ignored anyway (only open meetings load). */
  async removeLive(meetingId: string): Promise<void> {
    await this.fs.unlink(join(this.folder(meetingId), LIVE_FILE)).catch((error) => {
      if (!isNotFound(error)) throw error
    })
  }
}
