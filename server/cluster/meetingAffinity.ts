/**
 * A meeting in progress is held in one process (meetings/meetingRooms.ts: its commands run one at a time against
 * one state, pushed to the connections of every deliverable it treats), so in a cluster every deliverable of an
 * open meeting is owned by the same node: the meeting's **home**, the owner of the first deliverable it treats that
 * has an owner (in the meeting's order, so that every node names the same home). A deliverable of the meeting that
 * nobody owns is routed to the home; one owned by another node is moved there (its clients are closed with "try
 * again later", reconnect and are routed to the home). When the home dies, its leases expire and the next owner
 * of a treated deliverable becomes the home; the meeting's state is read back from storage there.
 */
import type { Logger } from '../logger.ts'
import type { DocumentHub } from '../sync/documentHub.ts'
import type { DocumentLeases } from './leases.ts'

/** The deliverables each open meeting treats, in the meeting's order. */
export type OpenMeetingDeliverables = () => string[][]

export class MeetingAffinity {
  private readonly timer: NodeJS.Timeout
  private checking = false

  constructor(
    private readonly meetings: OpenMeetingDeliverables,
    private readonly leases: DocumentLeases,
    private readonly hub: DocumentHub,
    private readonly isAlive: (node: string) => boolean,
    private readonly logger: Logger,
    checkEveryMs: number,
  ) {
    this.timer = setInterval(() => void this.gather(), checkEveryMs)
    this.timer.unref()
  }

  /** The live node other than this one that should own `docId` for its meeting; null: no such constraint. */
  async homeElsewhere(docId: string): Promise<string | null> {
    const treated = this.meetings().find((ids) => ids.includes(docId))
    if (!treated) return null
    const home = this.homeOf(treated, await this.leases.holders(treated))
    return home && home !== this.leases.nodeId && this.isAlive(home) ? home : null
  }

  /** Moves to their meeting's home the documents held here whose meeting is held on another live node. */
  async gather(): Promise<void> {
    if (this.checking) return
    this.checking = true
    try {
      const meetings = this.meetings().filter((ids) => ids.length > 1 && ids.some((id) => this.hub.has(id)))
      if (meetings.length === 0) return
      const holders = await this.leases.holders(meetings.flat())
      for (const treated of meetings) {
        const home = this.homeOf(treated, holders)
        if (!home || home === this.leases.nodeId || !this.isAlive(home)) continue
        for (const id of treated)
          if (this.hub.has(id)) {
            this.logger.info({ docId: id, home }, "moving a document to its meeting's node")
            void this.hub.moveAway(id, `its meeting is held on ${home}`)
          }
      }
    } catch (error) {
      // The leases cannot be read: nothing moves until they can.
      this.logger.warn({ err: error }, 'meeting affinity not checked')
    } finally {
      this.checking = false
    }
  }

  stop(): void {
    clearInterval(this.timer)
  }

  private homeOf(treated: string[], holders: Map<string, string>): string | null {
    for (const id of treated) {
      const holder = holders.get(id)
      if (holder) return holder
    }
    return null
  }
}
