/**
 * Keeps live sockets in line with the policy: a logout or a removed user closes that user's sockets at once, a
 * lowered role downgrades them (or closes them when the user may no longer see the deliverable).
 */
import { mayOnDeliverable } from '../../shared/domain/policy.ts'
import type { User } from '../../shared/domain/types.ts'
import { CLOSE_CODES } from '../../shared/protocol/messages.ts'
import type { SessionService } from '../auth/sessions.ts'
import type { MetadataStore } from '../storage/metadataStore.ts'
import type { SyncConnection } from './connection.ts'
import type { DocumentHub } from './documentHub.ts'
import type { LiveDocument } from './liveDocument.ts'

export class AccessControl {
  constructor(
    private readonly hub: DocumentHub,
    private readonly metadata: MetadataStore,
    private readonly sessions: SessionService,
  ) {
    sessions.on('revoked', (ids) => this.sessionsEnded(new Set(ids)))
  }

  mayView(user: User, deliverableId: string): boolean {
    const deliverable = this.metadata.deliverable(deliverableId)
    return !!deliverable && mayOnDeliverable(user, 'view', deliverable, this.metadata.groupLookup)
  }

  mayEdit(user: User, deliverableId: string): boolean {
    const deliverable = this.metadata.deliverable(deliverableId)
    return !!deliverable && mayOnDeliverable(user, 'edit-text', deliverable, this.metadata.groupLookup)
  }

  private endSession(connection: SyncConnection): void {
    connection.tell({ type: 'session-ended', message: 'Your session has ended. Log in again to continue.' })
    connection.close(CLOSE_CODES.sessionEnded, 'session ended')
  }

  private sessionsEnded(ids: Set<string>): void {
    for (const live of this.hub.loadedDocuments())
      for (const connection of live.connections)
        if (ids.has(connection.sessionId)) this.endSession(connection)
  }

  /** Everything may have changed (in a cluster: another node wrote the metadata): every connection re-checked. */
  recheckAll(): void {
    for (const live of this.hub.loadedDocuments()) this.refresh(live)
  }

  deliverableChanged(deliverableId: string): void {
    const live = this.hub.loaded(deliverableId)
    if (live) this.refresh(live)
  }

  /** A group's roles changed: its deliverables, and those of its working groups, are re-checked. */
  groupChanged(groupId: string): void {
    for (const live of this.hub.loadedDocuments()) {
      const deliverable = this.metadata.deliverable(live.id)
      const group = deliverable && this.metadata.group(deliverable.groupId)
      if (group && (group.id === groupId || group.parentId === groupId)) this.refresh(live)
    }
  }

  private refresh(live: LiveDocument): void {
    for (const connection of live.connections) {
      const user = this.metadata.user(connection.user.id)
      if (!user || !this.sessions.isLive(connection.sessionId)) {
        this.endSession(connection)
        continue
      }
      if (!this.mayView(user, live.id)) {
        connection.tell({ type: 'access', canEdit: false })
        connection.close(CLOSE_CODES.forbidden, 'no longer a member')
        continue
      }
      const canEdit = this.mayEdit(user, live.id)
      if (canEdit !== connection.canEdit) {
        connection.canEdit = canEdit
        connection.tell({ type: 'access', canEdit })
      }
    }
  }
}
