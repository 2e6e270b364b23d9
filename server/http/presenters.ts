/** What the API returns (`shared/api/`): public fields only (never a password hash), with the caller's abilities. */

import type { ApiUser } from '../../shared/api/accounts.ts'
import type { ApiDecision } from '../../shared/api/consensus.ts'
import type { ApiDeliverable } from '../../shared/api/deliverables.ts'
import type { ApiGroup } from '../../shared/api/groups.ts'
import { colorFor } from '../../shared/domain/colors.ts'
import type { DecisionEvent } from '../../shared/domain/consensus.ts'
import { deliverableAbilities, groupAbilities } from '../../shared/domain/policy.ts'
import type { Group, User } from '../../shared/domain/types.ts'
import type { Progress } from '../domain/deliverableService.ts'
import type { MetadataStore, StoredDeliverable } from '../storage/metadataStore.ts'

export function presentUser(user: User): ApiUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    organization: user.organization,
    admin: user.admin,
    color: colorFor(user.id),
  }
}

export function presentGroup(group: Group, viewer: User, store: MetadataStore): ApiGroup {
  return {
    id: group.id,
    name: group.name,
    parentId: group.parentId,
    members: Object.entries(group.members).map(([userId, role]) => ({ userId, role })),
    abilities: groupAbilities(viewer, group, store.groupLookup),
  }
}

export function presentDeliverable(
  deliverable: StoredDeliverable,
  viewer: User,
  store: MetadataStore,
  progress: Progress | null,
): ApiDeliverable {
  return {
    id: deliverable.id,
    title: deliverable.title,
    type: deliverable.type,
    groupId: deliverable.groupId,
    createdAt: deliverable.createdAt,
    members: Object.entries(deliverable.members).map(([userId, role]) => ({ userId, role })),
    progress,
    abilities: deliverableAbilities(viewer, deliverable, store.groupLookup),
  }
}

/** Every entry names its objection and suggestion, null when its action has none. */
export function presentDecision(event: DecisionEvent): ApiDecision {
  return {
    action: event.action,
    userId: event.userId,
    at: event.at,
    note: event.note,
    meetingId: event.meetingId,
    hash: event.hash,
    objectionId: ('objectionId' in event ? event.objectionId : undefined) ?? null,
    suggestion: ('suggestion' in event ? event.suggestion : undefined) ?? null,
  }
}
