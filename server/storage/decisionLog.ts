/**
 * The decision record of one deliverable: JSON events in a checksummed, fsync'd record log at
 * `<dataDir>/docs/<docId>/decisions.log`. Status, objections and decisions live here rather than in the Y.Doc
 * (SYNC.md §5), and an event counts only once `append` has resolved. The annotation log (comments and
 * suggestions, SYNC.md §7) is the same kind of log beside it.
 */
import { join } from 'node:path'
import { documentDirectory, repairCommandFor } from './documentLayout.ts'
import { DocumentNotFoundError, logRepairRemedy, readError, StorageCorruptError } from './errors.ts'
import type { FileSystem } from './fileSystem.ts'
import { type LogRepair, RecordLog } from './recordLog.ts'

export const DECISION_LOG_FILE = 'decisions.log'
/** Comments and suggestions (SYNC.md §7): beside the document, never in it, durable like the decision record. */
export const ANNOTATION_LOG_FILE = 'annotations.log'

/** The JSON event logs a document folder may hold, each repaired by its own flag of the repair command. */
export const EVENT_LOGS = { decisions: DECISION_LOG_FILE, annotations: ANNOTATION_LOG_FILE } as const
export type EventLogKind = keyof typeof EVENT_LOGS

export interface OpenedDecisionLog<Event extends object> {
  log: DecisionLog<Event>
  events: Event[]
  /** Set when a torn tail was cut off (its bytes were copied aside first). Damage throws StorageCorruptError. */
  repair?: LogRepair
}

export interface DecisionLogOptions {
  now?: () => number
  /** Which of the document's event logs; the decision log unless told. */
  kind?: EventLogKind
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** The event in a record, or null when the record is not a JSON object. */
export function decodeDecisionEvent(record: Uint8Array): object | null {
  try {
    const event: unknown = JSON.parse(decoder.decode(record))
    return event !== null && typeof event === 'object' ? event : null
  } catch {
    return null
  }
}

function parseEvents<Event extends object>(
  path: string,
  records: Uint8Array[],
  offsets: number[],
  repairCommand: string,
): Event[] {
  return records.map((record, index) => {
    const event = decodeDecisionEvent(record)
    if (event) return event as Event
    const reason = `event ${index} has a valid checksum but is not a JSON object`
    throw new StorageCorruptError(path, offsets[index], reason, logRepairRemedy(repairCommand))
  })
}

/**
 * A failed append is not retried: a decision whose append was rejected was reported as not taken, so it must not
 * appear later.
 */
export class DecisionLog<Event extends object = Record<string, unknown>> {
  private constructor(
    private readonly records: RecordLog,
    private readonly repairCommand: string,
  ) {}

  /** Opens (creating when missing) the log of an existing document; DocumentNotFoundError otherwise. */
  static async open<Event extends object = Record<string, unknown>>(
    fs: FileSystem,
    dataDir: string,
    docId: string,
    options: DecisionLogOptions = {},
  ): Promise<OpenedDecisionLog<Event>> {
    const dir = documentDirectory(dataDir, docId)
    const exists = await fs.stat(dir).catch((error) => Promise.reject(readError(dir, error)))
    if (!exists?.isDirectory) throw new DocumentNotFoundError(docId, dir)
    const kind = options.kind ?? 'decisions'
    const path = join(dir, EVENT_LOGS[kind])
    const repairCommand = repairCommandFor(dataDir, docId, kind)
    const opened = await RecordLog.open(fs, path, {
      repairCommand,
      ...(options.now ? { now: options.now } : {}),
    })
    let events: Event[]
    try {
      events = parseEvents<Event>(path, opened.records, opened.offsets, repairCommand)
    } catch (error) {
      await opened.log.close()
      throw error
    }
    const log = new DecisionLog<Event>(opened.log, repairCommand)
    return opened.repair ? { log, events, repair: opened.repair } : { log, events }
  }

  get path(): string {
    return this.records.path
  }

  /** Resolves once the event is fsync'd; rejects with StorageWriteError (with `code`) otherwise. */
  append(event: Event): Promise<void> {
    return this.records.append(encoder.encode(JSON.stringify(event)))
  }

  /** Every durable event, read back from the file. */
  async readAll(): Promise<Event[]> {
    const { records, offsets } = await this.records.readRecords()
    return parseEvents<Event>(this.path, records, offsets, this.repairCommand)
  }

  async close(): Promise<void> {
    await this.records.close()
  }
}
