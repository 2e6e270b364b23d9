/**
 * The metadata (users, sessions, groups, deliverables, meetings) in a cluster: every node keeps it in memory, as
 * one process does, and writes through to PostgreSQL. After each write a node says so on the bus; the others
 * read it again and re-check their connections (a revoked session or a lowered role closes or downgrades the
 * user's sockets on every node, since the owner of each document does it for all its connections).
 *
 * A message can be lost (Redis restarting) or arrive after the request it concerns (a login on one node, the next
 * request on another): a node that does not find a session reads again before it answers 401, at most a few
 * times a second, and every node reads again every few seconds anyway.
 */
import type { Logger } from '../logger.ts'
import type { MetadataStore } from '../storage/metadataStore.ts'
import type { ClusterBus } from './bus.ts'

const CHANNEL = 'accord:metadata'
/** Reads caused by unknown sessions: at most one per this interval (a flood of bogus cookies costs little). */
const MISS_INTERVAL_MS = 200
const PERIODIC_MS = 5000

export class MetadataSync {
  private reading: Promise<void> | null = null
  private again = false
  private lastMissRead = 0
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly bus: ClusterBus,
    private readonly metadata: MetadataStore,
    private readonly nodeId: string,
    private readonly changed: () => void,
    private readonly logger: Logger,
  ) {
    metadata.on('written', () => bus.publish(CHANNEL, new TextEncoder().encode(nodeId)))
    this.timer = setInterval(() => void this.refresh(), PERIODIC_MS)
    this.timer.unref()
    bus.on('resumed', () => void this.refresh())
  }

  async start(): Promise<void> {
    await this.bus.subscribe(CHANNEL, (bytes) => {
      if (new TextDecoder().decode(bytes) !== this.nodeId) void this.refresh()
    })
  }

  /** Reads again; calls made while a read runs are served by one more read after it. */
  refresh(): Promise<void> {
    if (this.reading) {
      this.again = true
      return this.reading
    }
    this.reading = (async () => {
      do {
        this.again = false
        try {
          await this.metadata.reload()
          this.changed()
        } catch (error) {
          this.logger.warn({ err: error }, 'metadata not read again')
        }
      } while (this.again)
    })().finally(() => {
      this.reading = null
    })
    return this.reading
  }

  /** A session or record not found here may have been written by another node a moment ago. */
  async refreshOnMiss(): Promise<void> {
    const now = Date.now()
    if (this.reading) return this.reading
    if (now - this.lastMissRead < MISS_INTERVAL_MS) return
    this.lastMissRead = now
    return this.refresh()
  }

  stop(): void {
    clearInterval(this.timer)
  }
}
