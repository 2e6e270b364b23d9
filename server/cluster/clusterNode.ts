/**
 * One node of a cluster (REDIS_URL and DATABASE_URL set; docs/CLUSTER.md): its links to the other nodes, the
 * leases of the documents it owns, the relay both ways, and the metadata kept in step. Built by app.ts; the rest
 * of the server sees only the document router (sync/upgrade.ts), the request forwarding (http/forwardToOwner.ts)
 * and the health report.
 */
import type pg from 'pg'
import type { Config } from '../config.ts'
import type { HealthReport } from '../context.ts'
import type { Logger } from '../logger.ts'
import type { MetadataStore } from '../storage/metadataStore.ts'
import { databaseAnswers } from '../storage/postgres/probe.ts'
import type { DocumentHub } from '../sync/documentHub.ts'
import type { DocumentRoute, DocumentRouter } from '../sync/upgrade.ts'
import { toBytes } from '../sync/upgrade.ts'
import { ClusterBus } from './bus.ts'
import { DocumentLeases } from './leases.ts'
import { MeetingAffinity, type OpenMeetingDeliverables } from './meetingAffinity.ts'
import { MetadataSync } from './metadataSync.ts'
import { NodeLinks } from './nodeLinks.ts'
import { Ownership } from './ownership.ts'
import { RelayEdge } from './relayEdge.ts'
import { RelayOwner } from './relayOwner.ts'

export interface ClusterParts {
  config: Config & { redisUrl: string }
  pool: pg.Pool
  hub: DocumentHub
  metadata: MetadataStore
  /** Re-checks every connection against the metadata (access/sessions changed on another node). */
  recheckAccess: () => void
  /** The deliverables of each open meeting: they are owned together (cluster/meetingAffinity.ts). */
  openMeetingDeliverables: OpenMeetingDeliverables
  logger: Logger
}

/** Where a request for a document goes: here, to the owner's address, or nowhere for a moment. */
export type RequestRoute =
  | { kind: 'local' }
  | { kind: 'remote'; owner: string; url: string }
  | { kind: 'unavailable'; retryAfterSeconds: number }

export class ClusterNode implements DocumentRouter {
  private constructor(
    readonly nodeId: string,
    private readonly bus: ClusterBus,
    private readonly links: NodeLinks,
    private readonly leases: DocumentLeases,
    private readonly ownership: Ownership,
    private readonly owner: RelayOwner,
    private readonly edge: RelayEdge,
    private readonly affinity: MeetingAffinity,
    readonly metadataSync: MetadataSync,
    private readonly hub: DocumentHub,
    private readonly pool: pg.Pool,
  ) {}

  static async start(parts: ClusterParts, listeningUrl: () => string): Promise<ClusterNode> {
    const { config, hub, logger } = parts
    const nodeLogger = logger.child({ node: config.nodeId })
    const bus = await ClusterBus.connect(config.redisUrl, nodeLogger)
    const links = new NodeLinks(bus, config.nodeId, () => config.nodeUrl ?? listeningUrl(), nodeLogger)
    const leases = new DocumentLeases(parts.pool, config.nodeId, config.leaseMs)
    const ownership = new Ownership(leases, hub, nodeLogger)
    hub.use(ownership.extension)
    const owner = new RelayOwner(links, hub, nodeLogger)
    const edge = new RelayEdge(links, config, nodeLogger)
    const affinity = new MeetingAffinity(
      parts.openMeetingDeliverables,
      leases,
      hub,
      (node) => links.isAlive(node),
      nodeLogger,
      Math.max(250, Math.floor(config.leaseMs / 4)),
    )
    const metadataSync = new MetadataSync(bus, parts.metadata, config.nodeId, parts.recheckAccess, nodeLogger)
    await metadataSync.start()
    await links.start()
    return new ClusterNode(
      config.nodeId,
      bus,
      links,
      leases,
      ownership,
      owner,
      edge,
      affinity,
      metadataSync,
      hub,
      parts.pool,
    )
  }

  /** Where a document's requests and sockets are served now. */
  async where(docId: string): Promise<RequestRoute> {
    if (this.hub.has(docId)) return { kind: 'local' }
    const holder = await this.leases.current(docId)
    if (!holder || holder.owner === this.nodeId) {
      // Not loaded here (or being moved away): a deliverable of an open meeting goes to the meeting's node.
      const home = await this.affinity.homeElsewhere(docId)
      const url = home && this.links.urlOf(home)
      return home && url ? { kind: 'remote', owner: home, url } : { kind: 'local' }
    }
    const url = this.links.urlOf(holder.owner)
    if (this.links.isAlive(holder.owner) && url) return { kind: 'remote', owner: holder.owner, url }
    return { kind: 'unavailable', retryAfterSeconds: Math.max(1, Math.ceil(holder.validForMs / 1000)) }
  }

  async route(docId: string): Promise<DocumentRoute> {
    const where = await this.where(docId)
    if (where.kind !== 'remote') return where
    return {
      kind: 'remote',
      relay: (socket, client) =>
        this.edge.attach(socket, { docId, owner: where.owner, ...client }, (data) => toBytes(data as Buffer)),
    }
  }

  async health(): Promise<HealthReport> {
    const [database, redis] = await Promise.all([
      databaseAnswers(this.pool).then((ok) => (ok ? ('ok' as const) : ('unreachable' as const))),
      this.bus.ping().then((ok) => (ok ? ('ok' as const) : ('unreachable' as const))),
    ])
    return {
      node: this.nodeId,
      dependencies: { database, redis },
      cluster: {
        documentsOwned: this.ownership.documentsHeld,
        relayedIn: this.owner.size,
        relayedOut: this.edge.size,
        refusedAtEdge: this.edge.refused,
        peers: this.links.livePeers(),
      },
    }
  }

  /** Before the hub shuts down: no more messages in or out; the hub's unload then lets the leases go. */
  async close(): Promise<void> {
    this.ownership.stop()
    this.affinity.stop()
    this.metadataSync.stop()
    this.links.stop()
    this.edge.closeAll(1012, 'server restarting')
  }

  /** After the hub shut down (its unloads released the leases). */
  async disconnect(): Promise<void> {
    await this.bus.close()
  }
}
