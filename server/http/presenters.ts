/** What the API returns: public fields only (never a password hash), with the caller's abilities. */

import { colorFor } from '../../shared/domain/colors.ts'
import { deliverableAbilities, groupAbilities } from '../../shared/domain/policy.ts'
import type { Group, User } from '../../shared/domain/types.ts'
import type { MetadataStore, StoredDeliverable } from '../storage/metadataStore.ts'

export function presentUser(user: User) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    organization: user.organization,
    admin: user.admin,
    color: colorFor(user.id),
  }
}

export function presentGroup(group: Group, viewer: User, store: MetadataStore) {
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
  progress: { agreed: number; total: number } | null,
) {
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
