/**
 * A meeting's live state and contribution files in PostgreSQL (meetingStore.ts): `meeting_live(meeting_id,
 * state jsonb)`, one row per meeting in progress, and `meeting_documents(meeting_id, name, bytes)`, one row per
 * contribution file. Each write is one statement, so it resolves after its COMMIT. A live state that does not read
 * back as one is refused with an error naming its row and left as it is; a contribution file is written once and
 * never replaced (the meeting checks its bytes against the SHA-256 it recorded at upload).
 */
import type pg from 'pg'
import { isWellFormedId } from '../../../shared/domain/ids.ts'
import type { MeetingLiveState } from '../../../shared/domain/meetingsLive.ts'
import { readError, StorageCorruptError } from '../errors.ts'
import {
  type MeetingFileStore,
  type SavedLiveState,
  savedLiveStateFrom,
  savedPartOf,
} from '../meetingStore.ts'
import { databaseWriteError, POSTGRES_REMEDY, rowName } from './rows.ts'

/** The same ids as on files, so that a meeting moves between backends unchanged. */
function checkedId(kind: string, id: string): string {
  if (!isWellFormedId(id)) throw new RangeError(`Not a valid ${kind}: ${JSON.stringify(id)}`)
  return id
}

const liveRow = (meetingId: string) =>
  rowName('meeting_live', { meeting_id: checkedId('meeting id', meetingId) })
const documentRow = (meetingId: string, name: string) =>
  rowName('meeting_documents', {
    meeting_id: checkedId('meeting id', meetingId),
    name: checkedId('stored file id', name),
  })

export class PostgresMeetingStore implements MeetingFileStore {
  constructor(private readonly pool: pg.Pool) {}

  async readLive(meetingId: string): Promise<SavedLiveState | null> {
    const where = liveRow(meetingId)
    const { rows } = await this.pool
      .query<{ state: unknown }>('SELECT state FROM meeting_live WHERE meeting_id = $1', [meetingId])
      .catch((error) => Promise.reject(readError(where, error)))
    return rows[0] ? savedLiveStateFrom(rows[0].state, where, POSTGRES_REMEDY) : null
  }

  async writeLive(meetingId: string, state: MeetingLiveState): Promise<void> {
    const where = liveRow(meetingId)
    await this.pool
      .query(
        `INSERT INTO meeting_live (meeting_id, state) VALUES ($1, $2)
         ON CONFLICT (meeting_id) DO UPDATE SET state = EXCLUDED.state`,
        [meetingId, JSON.stringify(savedPartOf(state))],
      )
      .catch((error) => Promise.reject(databaseWriteError(where, error)))
  }

  async removeLive(meetingId: string): Promise<void> {
    const where = liveRow(meetingId)
    await this.pool
      .query('DELETE FROM meeting_live WHERE meeting_id = $1', [meetingId])
      .catch((error) => Promise.reject(databaseWriteError(where, error)))
  }

  async writeDocument(meetingId: string, name: string, bytes: Uint8Array): Promise<void> {
    const where = documentRow(meetingId, name)
    const inserted = await this.pool
      .query(
        `INSERT INTO meeting_documents (meeting_id, name, bytes) VALUES ($1, $2, $3)
         ON CONFLICT (meeting_id, name) DO NOTHING`,
        [meetingId, name, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)],
      )
      .catch((error) => Promise.reject(databaseWriteError(where, error)))
    if (inserted.rowCount === 0)
      throw new Error(`A contribution file already exists at ${where}; it was left as it is.`)
  }

  async readDocument(meetingId: string, name: string): Promise<Uint8Array> {
    const where = documentRow(meetingId, name)
    const { rows } = await this.pool
      .query<{ bytes: Buffer }>('SELECT bytes FROM meeting_documents WHERE meeting_id = $1 AND name = $2', [
        meetingId,
        name,
      ])
      .catch((error) => Promise.reject(readError(where, error)))
    // The meeting names this file: a missing row is lost state, not an absent one.
    if (!rows[0]) throw new StorageCorruptError(where, undefined, 'the row is missing', POSTGRES_REMEDY)
    return new Uint8Array(rows[0].bytes)
  }

  async removeDocument(meetingId: string, name: string): Promise<void> {
    const where = documentRow(meetingId, name)
    await this.pool
      .query('DELETE FROM meeting_documents WHERE meeting_id = $1 AND name = $2', [meetingId, name])
      .catch((error) => Promise.reject(databaseWriteError(where, error)))
  }
}
