/**
 * The storage interface of a deliverable's event records (decisions, annotations): append-only JSON events, an
 * append acknowledged only once durable, damage refused with StorageCorruptError. Files (decisionLog.ts) by
 * default, PostgreSQL (postgres/eventLog.ts) with DATABASE_URL.
 */
import { DecisionLog, type EventLogKind } from './decisionLog.ts'
import type { FileSystem } from './fileSystem.ts'
import type { LogRepair } from './recordLog.ts'

export interface EventLog<Event extends object> {
  /** Resolves once the event is durable; a rejected append is reported as not made and never appears later. */
  append(event: Event): Promise<void>
  /** Every durable event, read back from storage. */
  readAll(): Promise<Event[]>
  close(): Promise<void>
}

export interface OpenedEventLog<Event extends object> {
  log: EventLog<Event>
  events: Event[]
  /** A torn tail cut off while opening (files only). */
  repair?: LogRepair
}

/** Opens (creating when missing) an event log of an existing document; DocumentNotFoundError otherwise. */
export type EventLogOpener = <Event extends object>(
  docId: string,
  kind: EventLogKind,
) => Promise<OpenedEventLog<Event>>

export function fileEventLogs(fs: FileSystem, dataDir: string): EventLogOpener {
  return (docId, kind) => DecisionLog.open(fs, dataDir, docId, { kind })
}
