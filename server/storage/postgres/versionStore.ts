/**
 * Named versions in `document_versions`: one row per version holding the same framed, checksummed bytes as a
 * version file (versions/versionFile.ts), inserted once and never replaced. A row that does not read back intact
 * is listed as unreadable and refused on read, never rewritten.
 */
import type pg from 'pg'
import { isWellFormedId } from '../../../shared/domain/ids.ts'
import { decodeVersion, encodeVersion, type StoredVersion } from '../../versions/versionFile.ts'
import {
  entryOf,
  type VersionEntry,
  type VersionListing,
  VersionListings,
  type VersionStorage,
} from '../../versions/versionStore.ts'
import { readError, StorageError } from '../errors.ts'
import { databaseWriteError, rowName } from './rows.ts'

export class PostgresVersionStore implements VersionStorage {
  private readonly listings = new VersionListings((deliverableId) => this.scan(deliverableId))

  constructor(private readonly pool: pg.Pool) {}

  async write(deliverableId: string, version: StoredVersion): Promise<void> {
    const where = rowName('document_versions', { doc_id: deliverableId, version_id: version.id })
    const inserted = await this.pool
      .query(
        `INSERT INTO document_versions (doc_id, version_id, version) VALUES ($1, $2, $3)
         ON CONFLICT (doc_id, version_id) DO NOTHING`,
        [deliverableId, version.id, encodeVersion(version)],
      )
      .catch((error) => Promise.reject(databaseWriteError(where, error)))
    if (inserted.rowCount === 0)
      throw new Error(`A version ${version.id} already exists at ${where}; it was left as it is.`)
    await this.listings.added(deliverableId, version)
  }

  async read(deliverableId: string, versionId: string): Promise<StoredVersion | null> {
    if (!isWellFormedId(versionId)) return null
    const where = rowName('document_versions', { doc_id: deliverableId, version_id: versionId })
    const { rows } = await this.pool
      .query<{ version: Buffer }>(
        'SELECT version FROM document_versions WHERE doc_id = $1 AND version_id = $2',
        [deliverableId, versionId],
      )
      .catch((error) => Promise.reject(readError(where, error)))
    return rows[0] ? decodeVersion(rows[0].version, where, versionId) : null
  }

  list(deliverableId: string): Promise<VersionListing> {
    return this.listings.list(deliverableId)
  }

  private async scan(deliverableId: string): Promise<Map<string, VersionEntry | StorageError>> {
    const where = rowName('document_versions', { doc_id: deliverableId })
    const { rows } = await this.pool
      .query<{ version_id: string; version: Buffer }>(
        'SELECT version_id, version FROM document_versions WHERE doc_id = $1',
        [deliverableId],
      )
      .catch((error) => Promise.reject(readError(where, error)))
    const entries = new Map<string, VersionEntry | StorageError>()
    for (const row of rows) {
      const rowWhere = rowName('document_versions', { doc_id: deliverableId, version_id: row.version_id })
      try {
        entries.set(row.version_id, entryOf(decodeVersion(row.version, rowWhere, row.version_id)))
      } catch (error) {
        if (!(error instanceof StorageError)) throw error
        entries.set(row.version_id, error)
      }
    }
    return entries
  }
}
