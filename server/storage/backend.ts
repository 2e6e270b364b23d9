/**
 * Where the server keeps its durable state, chosen once at start: files and lowdb under DATA_DIR (the default), or
 * PostgreSQL when DATABASE_URL is set (postgres/backend.ts). Every store the server has goes through here
 * (docs/STORAGE.md lists them with their guarantees).
 */
import type pg from 'pg'
import type { Logger } from '../logger.ts'
import { type VersionStorage, VersionStore } from '../versions/versionStore.ts'
import { type DocumentStore, FileDocumentStore } from './documentStore.ts'
import { type EventLogOpener, fileEventLogs } from './eventLog.ts'
import type { FileSystem } from './fileSystem.ts'
import { MeetingFiles } from './meetingFiles.ts'
import type { MeetingFileStore } from './meetingStore.ts'
import { MetadataStore } from './metadataStore.ts'

export interface StorageBackend {
  kind: 'files' | 'postgres'
  /** Live documents: update logs and snapshots. */
  documents: DocumentStore
  /** Users, sessions, groups, deliverables (with their export headers), meetings. */
  metadata: MetadataStore
  /** Decision and annotation records. */
  eventLogs: EventLogOpener
  versions: VersionStorage
  /** The state of each meeting in progress and its contributions' Word files. */
  meetingFiles: MeetingFileStore
  /** The PostgreSQL pool (cluster leases, health), when that is the backend. */
  database?: pg.Pool
  /** Lets go of connections; call after everything above has been flushed. */
  close(): Promise<void>
}

export interface StorageSettings {
  dataDir: string
  /** PostgreSQL instead of files when set. */
  databaseUrl?: string | undefined
}

export async function openStorage(
  settings: StorageSettings,
  fs: FileSystem,
  logger: Logger,
): Promise<StorageBackend> {
  if (settings.databaseUrl) {
    // Loaded only when asked for: the embedded default never loads the PostgreSQL client.
    const { openPostgresStorage } = await import('./postgres/backend.ts')
    return openPostgresStorage(settings.databaseUrl, logger)
  }
  const metadata = await MetadataStore.open(settings.dataDir, fs)
  return {
    kind: 'files',
    documents: await FileDocumentStore.open(fs, settings.dataDir, { logger }),
    metadata,
    eventLogs: fileEventLogs(fs, settings.dataDir),
    versions: new VersionStore(fs, settings.dataDir),
    meetingFiles: new MeetingFiles(fs, settings.dataDir),
    close: async () => undefined,
  }
}
