/**
 * The one place that decides "may user U do action A on object O". The server's use cases (server/domain), the
 * sync server and the client (through the abilities the API returns) all ask these functions; nothing else
 * decides.
 */
import { CONSENSUS_ACTIONS } from './consensus.ts'
import type { Deliverable, DeliverableRole, Group, User } from './types.ts'

/** The capacities in which a user stands towards a deliverable; a user may hold several. */
export type Capacity = 'admin' | 'chair' | DeliverableRole

export type GroupLookup = (groupId: string) => Group | undefined

/**
 * What may be done to a deliverable, each through the API or the sync server; each is an ability in answers. The
 * consensus actions are the state machine's own list (consensus.ts), so a new one cannot be missed here: the rules
 * table below must then name it.
 */
export const DELIVERABLE_ACTIONS = [
  'view',
  'edit-text',
  'manage-members',
  'export',
  ...CONSENSUS_ACTIONS,
] as const
export type DeliverableAction = (typeof DELIVERABLE_ACTIONS)[number]

export const GROUP_ACTIONS = ['view', 'manage-members', 'create-deliverable', 'import-deliverable'] as const
export type GroupAction = (typeof GROUP_ACTIONS)[number]

/** Who may take each deliverable action, by capacity (API.md "Groups and deliverables" and "Consensus"). */
const DELIVERABLE_RULES: Record<DeliverableAction, readonly Capacity[]> = {
  view: ['admin', 'chair', 'editor', 'participant', 'observer'],
  'edit-text': ['admin', 'chair', 'editor'],
  'manage-members': ['admin', 'chair'],
  // Anyone who may see a deliverable may take it away as a file.
  export: ['admin', 'chair', 'editor', 'participant', 'observer'],
  propose: ['chair', 'editor'],
  object: ['chair', 'editor', 'participant'],
  // Only the objection's author; checked against the objection by the consensus rules.
  'withdraw-objection': ['chair', 'editor', 'participant'],
  'dismiss-objection': ['chair'],
  agree: ['chair'],
  reopen: ['chair'],
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
      return chairsGroupOrParent(user, group, lookup)
    case 'create-deliverable':
    // An import creates a deliverable: the same people.
    case 'import-deliverable':
      // API.md: administrators and chairs of the group itself.
      return group.members[user.id] === 'chair'
  }
}

export type GlobalAction = 'create-user' | 'remove-user' | 'create-group'

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
  const entries = DELIVERABLE_ACTIONS.map(
    (action) => [action, mayOnDeliverable(user, action, deliverable, lookup)] as const,
  )
  return Object.fromEntries(entries) as DeliverableAbilities
}

export function groupAbilities(user: User, group: Group, lookup: GroupLookup): GroupAbilities {
  const entries = GROUP_ACTIONS.map((action) => [action, mayOnGroup(user, action, group, lookup)] as const)
  return Object.fromEntries(entries) as GroupAbilities
}
