/**
 * A meeting's files under the data folder, `<dataDir>/meetings/<meetingId>/`: `live.json`, the state of the meeting
 * in progress (presenter, "Now discussing", queue, floor), and `contributions/`, the Word files of its
 * contributions. Every write is durable when it resolves (temporary file, fsync, rename, fsync of the folder), so
 * what a command acknowledged comes back after a crash.
 */
import { join } from 'node:path'
import { isWellFormedId } from '../../shared/domain/ids.ts'
import type { MeetingLiveState } from '../../shared/domain/meetingsLive.ts'
import { ensureDirectory, isNotFound, writeFileAtomically } from '../storage/durableFiles.ts'
import { readError } from '../storage/errors.ts'
import type { FileSystem } from '../storage/fileSystem.ts'

/**
 * What of the live state is kept: the room's own decisions. The follower count is not (it counts connections,
 * which a restart closes); title, status and chairs are read from the meeting and the group again.
 */
export type SavedLiveState = Omit<
  MeetingLiveState,
  'meetingId' | 'title' | 'status' | 'chairIds' | 'followers'
>

const LIVE_FILE = 'live.json'
const DOCUMENTS = 'contributions'

/** `<id>.docx`, the id well formed: a stored name never leaves its folder. */
function storedName(name: string): string {
  if (!isWellFormedId(name)) throw new RangeError(`Not a valid stored file id: ${JSON.stringify(name)}`)
  return `${name}.docx`
}
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export class MeetingFiles {
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

  /** The saved live state; null when none was saved. Throws when the file cannot be read or is not one. */
  async readLive(meetingId: string): Promise<SavedLiveState | null> {
    const path = join(this.folder(meetingId), LIVE_FILE)
    let bytes: Uint8Array
    try {
      bytes = await this.fs.readFile(path)
    } catch (error) {
      if (isNotFound(error)) return null
      throw readError(path, error)
    }
    const saved = JSON.parse(decoder.decode(bytes)) as SavedLiveState
    if (!Array.isArray(saved?.queue) || typeof saved.queueOpen !== 'boolean')
      throw new Error(`${path} is not a meeting state.`)
    return saved
  }

  async writeLive(meetingId: string, state: MeetingLiveState): Promise<void> {
    const { meetingId: _id, title: _t, status: _s, chairIds: _c, followers: _f, ...saved } = state
    const folder = this.folder(meetingId)
    await ensureDirectory(this.fs, folder)
    await writeFileAtomically(this.fs, join(folder, LIVE_FILE), encoder.encode(JSON.stringify(saved)))
  }

  /** Stores a contribution's file under a name of its own (a replacement never overwrites the file in use). */
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

  /** A closed meeting has no live state; a file left behind would be ignored anyway (only open meetings load). */
  async removeLive(meetingId: string): Promise<void> {
    await this.fs.unlink(join(this.folder(meetingId), LIVE_FILE)).catch((error) => {
      if (!isNotFound(error)) throw error
    })
  }
}
