/** The server's parts, built once in app.ts and handed to the routes and the sync layer. */
import type { LoginLimiter } from './auth/loginLimiter.ts'
import type { SessionService } from './auth/sessions.ts'
import type { Config } from './config.ts'
import type { AccountService } from './domain/accountService.ts'
import type { AnnotationService } from './domain/annotationService.ts'
import type { ConsensusService } from './domain/consensusService.ts'
import type { DeliverableService } from './domain/deliverableService.ts'
import type { GroupService } from './domain/groupService.ts'
import type { MeetingService } from './domain/meetingService.ts'
import type { MembershipService } from './domain/membershipService.ts'
import type { Logger } from './logger.ts'
import type { ContributionDocuments } from './meetings/contributionDocuments.ts'
import type { MeetingRooms } from './meetings/meetingRooms.ts'
import type { MetadataStore } from './storage/metadataStore.ts'
import type { AccessControl } from './sync/accessControl.ts'
import type { ConnectionLimiter } from './sync/connectionLimiter.ts'
import type { DocumentHub } from './sync/documentHub.ts'
import type { VersionService } from './versions/versionService.ts'

export interface AppContext {
  config: Config
  logger: Logger
  metadata: MetadataStore
  sessions: SessionService
  loginLimiter: LoginLimiter
  connectionLimiter: ConnectionLimiter
  hub: DocumentHub
  /** The use cases (server/domain/*Service.ts): every change the API makes goes through one of them. */
  accounts: AccountService
  groups: GroupService
  memberships: MembershipService
  deliverables: DeliverableService
  consensus: ConsensusService
  meetings: MeetingService
  /** The meetings in progress (presenter, current clause, queue), pushed over the live connection. */
  meetingRooms: MeetingRooms
  /** The contributions' Word files. */
  contributionDocuments: ContributionDocuments
  annotations: AnnotationService
  versions: VersionService
  access: AccessControl
  /** The first-run setup token while setup is still needed. */
  setupToken: string
  passwordCost: number
  /** In a cluster: reads the metadata again (a session not found here may have been created on another node). */
  refreshOnMiss?: () => Promise<void>
  /** What /api/health reports of this process and what it depends on (database, Redis, cluster). */
  health(): Promise<HealthReport>
}

export interface HealthReport {
  node?: string
  dependencies?: Record<string, 'ok' | 'unreachable'>
  cluster?: {
    documentsOwned: number
    relayedIn: number
    relayedOut: number
    /** Relayed clients this node closed itself (cluster/edgeScreen.ts). */
    refusedAtEdge: number
    peers: string[]
  }
}
