/**
 * The lowdb metadata (users, sessions, groups, deliverables, meetings: metadataStore.ts) in PostgreSQL, as a
 * lowdb adapter: each entity of a collection is a `metadata_rows` row, every other top-level field a
 * `metadata_settings` row. A write sends only what changed since the last committed write, in one transaction,
 * and resolves after its COMMIT: a revoked session or a lowered role is durable when the request answers.
 *
 * What changed is judged on a canonical JSON (keys sorted): PostgreSQL's jsonb hands keys back in its own order,
 * and comparing in that order took every row read back for a changed one, so that each write of a node rewrote
 * every row with its own, possibly older, copy (another node's change just read was lost: a role given, a session
 * revoked).
 *
 * A row that is not what was written (not an object, an id that differs from its key) makes the metadata
 * unreadable: the store then serves nothing and writes nothing (metadataStore.ts), and the row stays as it is.
 */
import type { Adapter } from 'lowdb'
import type pg from 'pg'
import { configure } from 'safe-stable-stringify'
import { readError, StorageCorruptError } from '../errors.ts'
import { MetadataConflictError, type MetadataSchema } from '../metadataStore.ts'
import { databaseWriteError, POSTGRES_REMEDY, rowName, toNumber } from './rows.ts'
import { inTransaction } from './transaction.ts'

interface WrittenRow {
  json: string
  position: number
}

type Entity = { id: string }

/** SQLSTATEs of two transactions crossing (deadlock, serialization failure): nothing was written. */
const CROSSED = new Set(['40P01', '40001'])

/** JSON with every object's keys sorted; a cycle throws (metadata has none). */
const canonical = configure({ deterministic: true, circularValue: TypeError }) as (value: unknown) => string

/** A top-level array whose elements are all objects with a string id is a collection; anything else a setting. */
function isCollection(value: unknown): value is Entity[] {
  return (
    Array.isArray(value) &&
    value.every(
      (item) => item !== null && typeof item === 'object' && typeof (item as Entity).id === 'string',
    )
  )
}

/** A setting `@collection:<name>` says that the collection exists, so that an empty one reads back as []. */
const COLLECTION_MARK = '@collection:'

export const METADATA_TABLES = 'postgres:metadata_settings, metadata_rows'

export class PostgresMetadata implements Adapter<MetadataSchema> {
  /** What the database holds, as of the last read or committed write. */
  private settings = new Map<string, string>()
  private collections = new Map<string, Map<string, WrittenRow>>()

  constructor(private readonly pool: pg.Pool) {}

  async read(): Promise<MetadataSchema | null> {
    const [settings, rows] = await inTransaction(
      this.pool,
      (client) =>
        Promise.all([
          client.query<{ key: string; value: unknown }>('SELECT key, value FROM metadata_settings'),
          client.query<{ collection: string; id: string; position: string; data: unknown }>(
            'SELECT collection, id, position, data FROM metadata_rows ORDER BY collection, position',
          ),
        ]),
      'REPEATABLE READ',
    ).catch((error) => Promise.reject(readError(METADATA_TABLES, error)))
    if (settings.rows.length === 0 && rows.rows.length === 0) return null
    const data: Record<string, unknown> = {}
    this.settings = new Map()
    this.collections = new Map()
    for (const { key, value } of settings.rows) {
      this.settings.set(key, canonical(value))
      if (key.startsWith(COLLECTION_MARK)) data[key.slice(COLLECTION_MARK.length)] ??= []
      else data[key] = value
    }
    for (const row of rows.rows) {
      const where = rowName('metadata_rows', { collection: row.collection, id: row.id })
      if (row.data === null || typeof row.data !== 'object' || (row.data as Entity).id !== row.id)
        throw new StorageCorruptError(
          where,
          undefined,
          'the row is not an object with its own id',
          POSTGRES_REMEDY,
        )
      data[row.collection] ??= []
      const list = data[row.collection]
      if (!Array.isArray(list))
        throw new StorageCorruptError(
          where,
          undefined,
          `${row.collection} is also a setting`,
          POSTGRES_REMEDY,
        )
      list.push(row.data)
      this.written(row.collection).set(row.id, {
        json: canonical(row.data),
        position: toNumber(row.position),
      })
    }
    return data as unknown as MetadataSchema
  }

  async write(data: MetadataSchema): Promise<void> {
    const settings = new Map<string, string>()
    const collections = new Map<string, Map<string, WrittenRow>>()
    const upserts: { collection: string; id: string; position: number; json: string }[] = []
    for (const [key, value] of Object.entries(data)) {
      if (isCollection(value)) {
        collections.set(key, this.diffCollection(key, value, upserts))
        settings.set(`${COLLECTION_MARK}${key}`, 'true')
      } else settings.set(key, canonical(value))
    }
    const changedSettings = [...settings].filter(([key, json]) => this.settings.get(key) !== json)
    const removedSettings = [...this.settings.keys()].filter((key) => !settings.has(key))
    const removedRows: [string, string][] = []
    for (const [collection, rows] of this.collections)
      for (const id of rows.keys())
        if (!collections.get(collection)?.has(id)) removedRows.push([collection, id])
    await inTransaction(this.pool, async (client) => {
      await this.expectUnchanged(client, changedSettings, removedSettings, upserts, removedRows)
      if (changedSettings.length > 0)
        await client.query(
          `INSERT INTO metadata_settings (key, value) SELECT * FROM unnest($1::text[], $2::jsonb[])
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
          [changedSettings.map(([key]) => key), changedSettings.map(([, json]) => json)],
        )
      if (removedSettings.length > 0)
        await client.query('DELETE FROM metadata_settings WHERE key = ANY($1::text[])', [removedSettings])
      if (removedRows.length > 0)
        await client.query(
          'DELETE FROM metadata_rows WHERE (collection, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))',
          [removedRows.map(([collection]) => collection), removedRows.map(([, id]) => id)],
        )
      if (upserts.length > 0)
        await client.query(
          `INSERT INTO metadata_rows (collection, id, position, data)
           SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::jsonb[])
           ON CONFLICT (collection, id) DO UPDATE SET position = EXCLUDED.position, data = EXCLUDED.data`,
          [
            upserts.map((row) => row.collection),
            upserts.map((row) => row.id),
            upserts.map((row) => row.position),
            upserts.map((row) => row.json),
          ],
        )
    }).catch((error) =>
      Promise.reject(
        error instanceof MetadataConflictError
          ? error
          : // Two nodes' writes crossing: run again like a conflict.
            CROSSED.has((error as { code?: string }).code ?? '')
            ? new MetadataConflictError(METADATA_TABLES)
            : databaseWriteError(METADATA_TABLES, error),
      ),
    )
    // Only a committed write moves what we believe the database holds.
    this.settings = settings
    this.collections = collections
  }

  /**
   * Every row and setting this write changes must still be what this process last read or wrote (locked until the
   * commit): otherwise another node changed it meanwhile, and writing our copy would undo that change.
   */
  private async expectUnchanged(
    client: pg.PoolClient,
    changedSettings: [string, string][],
    removedSettings: string[],
    upserts: { collection: string; id: string }[],
    removedRows: [string, string][],
  ): Promise<void> {
    const keys = [...changedSettings.map(([key]) => key), ...removedSettings]
    if (keys.length > 0) {
      const { rows } = await client.query<{ key: string; value: unknown }>(
        'SELECT key, value FROM metadata_settings WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE',
        [keys],
      )
      const now = new Map(rows.map((row) => [row.key, canonical(row.value)]))
      for (const key of keys)
        if (now.get(key) !== this.settings.get(key))
          throw new MetadataConflictError(`metadata_settings(${key})`)
    }
    const touched = [...upserts.map((row): [string, string] => [row.collection, row.id]), ...removedRows]
    if (touched.length === 0) return
    const { rows } = await client.query<{ collection: string; id: string; data: unknown }>(
      `SELECT collection, id, data FROM metadata_rows
        WHERE (collection, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
        ORDER BY collection, id FOR UPDATE`,
      [touched.map(([collection]) => collection), touched.map(([, id]) => id)],
    )
    const now = new Map(rows.map((row) => [`${row.collection}/${row.id}`, canonical(row.data)]))
    for (const [collection, id] of touched)
      if (now.get(`${collection}/${id}`) !== this.collections.get(collection)?.get(id)?.json)
        throw new MetadataConflictError(rowName('metadata_rows', { collection, id }))
  }

  private written(collection: string): Map<string, WrittenRow> {
    const rows = this.collections.get(collection) ?? new Map<string, WrittenRow>()
    this.collections.set(collection, rows)
    return rows
  }

  /**
   * The rows of a collection as they must be, adding to `upserts` those that differ from what is written. Positions
   * only grow along the array: a row keeps its position when it is still above the previous row's, so removing
   * an entity rewrites nothing else, and inserting one renumbers only as far as it must.
   */
  private diffCollection(
    collection: string,
    entities: Entity[],
    upserts: { collection: string; id: string; position: number; json: string }[],
  ): Map<string, WrittenRow> {
    const before = this.collections.get(collection) ?? new Map<string, WrittenRow>()
    const rows = new Map<string, WrittenRow>()
    let last = 0
    for (const entity of entities) {
      if (rows.has(entity.id))
        throw new RangeError(`Two ${collection} share the id ${JSON.stringify(entity.id)}: not written`)
      const json = canonical(entity)
      const old = before.get(entity.id)
      const position = old && old.position > last ? old.position : last + 1
      last = position
      rows.set(entity.id, { json, position })
      if (old?.json !== json || old.position !== position)
        upserts.push({ collection, id: entity.id, position, json })
    }
    return rows
  }
}
