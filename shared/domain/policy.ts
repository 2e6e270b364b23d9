/**
 * The one place that decides "may user U do action A on object O". The HTTP routes, the sync server and the
 * client (through the abilities the API returns) all ask these functions; nothing else decides.
 */
import type { Deliverable, DeliverableRole, Group, User } from './types.ts'

/** The capacities in which a user stands towards a deliverable; a user may hold several. */
export type Capacity = 'admin' | 'chair' | DeliverableRole

export type GroupLookup = (groupId: string) => Group | undefined

export type DeliverableAction =
  | 'view'
  | 'edit-text'
  | 'manage-members'
  | 'propose'
  | 'object'
  | 'withdraw-objection'
  | 'dismiss-objection'
  | 'agree'
  | 'reopen'
  | 'create-version'

export type GroupAction = 'view' | 'manage-members' | 'create-deliverable' | 'create-meeting'

/** Who may take each deliverable action, by capacity (API.md "Groups and deliverables" and "Consensus"). */
const DELIVERABLE_RULES: Record<DeliverableAction, readonly Capacity[]> = {
  view: ['admin', 'chair', 'editor', 'participant', 'observer'],
  'edit-text': ['admin', 'chair', 'editor'],
  'manage-members': ['admin', 'chair'],
  propose: ['chair', 'editor'],
  object: ['chair', 'editor', 'participant'],
  // Only the objection's author; checked against the objection by the consensus rules.
  'withdraw-objection': ['chair', 'editor', 'participant'],
  'dismiss-objection': ['chair'],
  agree: ['chair'],
  reopen: ['chair'],
  'create-version': ['chair', 'editor'],
}

/** True when the user chairs the group or the group's parent. */
export function chairsGroupOrParent(user: User, group: Group | undefined, lookup: GroupLookup): boolean {
  if (!group) return false
  if (group.members[user.id] === 'chair') return true
  const parent = group.parentId ? lookup(group.parentId) : undefined
  return parent?.members[user.id] === 'chair'
}

export function capacitiesOn(user: User, deliverable: Deliverable, lookup: GroupLookup): Set<Capacity> {
  const capacities = new Set<Capacity>()
  if (user.admin) capacities.add('admin')
  if (chairsGroupOrParent(user, lookup(deliverable.groupId), lookup)) capacities.add('chair')
  const role = deliverable.members[user.id]
  if (role) capacities.add(role)
  return capacities
}

export function mayOnDeliverable(
  user: User,
  action: DeliverableAction,
  deliverable: Deliverable,
  lookup: GroupLookup,
): boolean {
  const capacities = capacitiesOn(user, deliverable, lookup)
  return DELIVERABLE_RULES[action].some((capacity) => capacities.has(capacity))
}

export function mayOnGroup(user: User, action: GroupAction, group: Group, lookup: GroupLookup): boolean {
  if (user.admin) return true
  switch (action) {
    case 'view':
      return group.members[user.id] !== undefined || chairsGroupOrParent(user, group, lookup)
    case 'manage-members':
    case 'create-meeting':
      return chairsGroupOrParent(user, group, lookup)
    case 'create-deliverable':
      // API.md: administrators and chairs of the group itself.
      return group.members[user.id] === 'chair'
  }
}

export type GlobalAction = 'create-user' | 'list-users' | 'create-group'

export function mayGlobally(user: User, _action: GlobalAction): boolean {
  return user.admin
}

export type DeliverableAbilities = Record<DeliverableAction, boolean>
export type GroupAbilities = Record<GroupAction, boolean>

/** The abilities that API answers carry, so that the client shows buttons from the server's decision. */
export function deliverableAbilities(
  user: User,
  deliverable: Deliverable,
  lookup: GroupLookup,
): DeliverableAbilities {
  const entries = (Object.keys(DELIVERABLE_RULES) as DeliverableAction[]).map(
    (action) => [action, mayOnDeliverable(user, action, deliverable, lookup)] as const,
  )
  return Object.fromEntries(entries) as DeliverableAbilities
}

export function groupAbilities(user: User, group: Group, lookup: GroupLookup): GroupAbilities {
  return {
    view: mayOnGroup(user, 'view', group, lookup),
    'manage-members': mayOnGroup(user, 'manage-members', group, lookup),
    'create-deliverable': mayOnGroup(user, 'create-deliverable', group, lookup),
    'create-meeting': mayOnGroup(user, 'create-meeting', group, lookup),
  }
}
