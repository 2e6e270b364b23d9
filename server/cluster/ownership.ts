/**
 * Which documents this node owns: a document extension that takes the lease before the hub loads or creates a
 * document (so its rows are written under this node's epoch: storage/postgres reads the epoch with the
 * document), renews every lease held a few times per lease length, and lets it go when the document unloads.
 *
 * A lease that could not be renewed in time, or that another node took, moves the document away at once: its
 * clients are closed with "try again later", reconnect through the balancer and are routed to the new owner.
 * Whatever this node had not yet made durable was never acknowledged; the clients still hold it and send it again.
 */
import type { Logger } from '../logger.ts'
import { type DocumentExtension, DocumentHeldElsewhereError, type DocumentHub } from '../sync/documentHub.ts'
import type { DocumentLeases } from './leases.ts'

export class Ownership {
  /** docId → the epoch of our lease. */
  private readonly held = new Map<string, number>()
  /** Held at the last renewal but not loaded: released if still so at the next one. */
  private idleLeases = new Set<string>()
  private readonly timer: NodeJS.Timeout
  /** When the last renewal that succeeded was sent: our leases are good until this plus their length. */
  private renewedAt = Date.now()
  private renewing = false

  constructor(
    private readonly leases: DocumentLeases,
    private readonly hub: DocumentHub,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.renew(), Math.max(200, Math.floor(leases.leaseMs / 4)))
    this.timer.unref()
  }

  owns(docId: string): boolean {
    return this.held.has(docId)
  }

  get documentsHeld(): number {
    return this.held.size
  }

  readonly extension: DocumentExtension = {
    name: 'ownership',
    beforeLoad: async (docId) => {
      if (this.held.has(docId)) return
      const answer = await this.leases.acquire(docId)
      if (!answer.held) throw new DocumentHeldElsewhereError(docId, answer.owner, answer.validForMs)
      this.held.set(docId, answer.epoch)
      this.logger.info({ docId, epoch: answer.epoch }, 'document lease taken')
    },
    unload: (live) => {
      const epoch = this.held.get(live.id)
      if (epoch === undefined) return
      this.held.delete(live.id)
      this.leases
        .release(live.id, epoch)
        .catch((error: unknown) => this.logger.warn({ err: error, docId: live.id }, 'lease not released'))
    },
  }

  private async renew(): Promise<void> {
    if (this.renewing) return
    this.renewing = true
    const sentAt = Date.now()
    try {
      // A lease taken for a load or creation that failed: let it go (seen twice, so never one being taken now).
      const idle = new Set([...this.held.keys()].filter((id) => !this.hub.has(id)))
      for (const id of idle)
        if (this.idleLeases.has(id)) {
          const epoch = this.held.get(id)!
          this.held.delete(id)
          await this.leases.release(id, epoch).catch(() => undefined)
        }
      this.idleLeases = idle
      const lost = await this.leases.renew(this.held)
      this.renewedAt = sentAt
      for (const id of lost) this.stepDown(id, 'lease taken over')
    } catch (error) {
      // The database does not answer: past the lease's length, another node may own our documents.
      if (Date.now() - this.renewedAt >= this.leases.leaseMs) {
        this.logger.error({ err: error }, 'leases not renewed in time: letting every document go')
        for (const id of [...this.held.keys()]) this.stepDown(id, 'lease expired')
      } else this.logger.warn({ err: error }, 'lease renewal failed; retrying')
    } finally {
      this.renewing = false
    }
  }

  private stepDown(docId: string, reason: string): void {
    if (!this.held.delete(docId)) return
    this.logger.warn({ docId, reason }, 'document no longer owned: moving its clients')
    void this.hub.moveAway(docId, reason)
  }

  stop(): void {
    clearInterval(this.timer)
  }
}
