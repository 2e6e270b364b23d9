/**
 * The one place that decides "may user U do action A on object O". The server's use cases (server/domain), the
 * sync server and the client (through the abilities the API returns) all ask these functions; nothing else
 * decides.
 */
import { CONSENSUS_ACTIONS } from './consensus.ts'

/** What may be done with comments and suggestions (API.md "Comments and suggestions"). */
const ANNOTATION_ACTIONS = ['comment', 'suggest', 'decide-suggestion', 'resolve-comment'] as const

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
  'save-version',
  'restore-version',
  'export',
  ...CONSENSUS_ACTIONS,
  ...ANNOTATION_ACTIONS,
] as const
export type DeliverableAction = (typeof DELIVERABLE_ACTIONS)[number]

export const GROUP_ACTIONS = ['view', 'manage-members', 'create-deliverable', 'import-deliverable'] as const
export type GroupAction = (typeof GROUP_ACTIONS)[number]

/** Who may take each deliverable action, by capacity (API.md "Groups and deliverables" and "Consensus"). */
const DELIVERABLE_RULES: Record<DeliverableAction, readonly Capacity[]> = {
  view: ['admin', 'chair', 'editor', 'participant', 'observer'],
  'edit-text': ['admin', 'chair', 'editor'],
  'manage-members': ['admin', 'chair'],
  // API.md "Versions and import": editors and chairs (and administrators, who may edit the text too).
  'save-version': ['admin', 'chair', 'editor'],
  // A restore is an edit of the text, through the same checks: whoever may edit the text.
  'restore-version': ['admin', 'chair', 'editor'],
  // Anyone who may see a deliverable may take it away as a file.
  export: ['admin', 'chair', 'editor', 'participant', 'observer'],
  propose: ['chair', 'editor'],
  object: ['chair', 'editor', 'participant'],
  // Only the objection's author; checked against the objection by the consensus rules.
  'withdraw-objection': ['chair', 'editor', 'participant'],
  'dismiss-objection': ['chair'],
  agree: ['chair'],
  reopen: ['chair'],
  comment: ['admin', 'chair', 'editor', 'participant'],
  suggest: ['admin', 'chair', 'editor', 'participant'],
  // Accepting changes the text: those who may change it.
  'decide-suggestion': ['admin', 'chair', 'editor'],
  // Any thread; a thread's author may also resolve their own (the annotation rules check it).
  'resolve-comment': ['admin', 'chair', 'editor'],
}

/**
 * A "may" function from a rules table (who may take each action, by capacity) and what gives a user capacities
 * towards a subject (a deliverable, a meeting's standing): the user may when one of their capacities is listed.
 */
function ruledBy<Action extends string, Held extends string, Subject>(
  rules: Record<Action, readonly Held[]>,
  capacities: (user: User, subject: Subject, lookup: GroupLookup) => Set<Held>,
): (user: User, action: Action, subject: Subject, lookup: GroupLookup) => boolean {
  return (user, action, subject, lookup) => {
    const held = capacities(user, subject, lookup)
    return rules[action].some((capacity) => held.has(capacity))
  }
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

/** May the user take the action on the deliverable: does one of their capacities on it appear in its rule. */
export const mayOnDeliverable = ruledBy(DELIVERABLE_RULES, capacitiesOn)

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
  return abilitiesOf(DELIVERABLE_ACTIONS, (action) => mayOnDeliverable(user, action, deliverable, lookup))
}

export function groupAbilities(user: User, group: Group, lookup: GroupLookup): GroupAbilities {
  return abilitiesOf(GROUP_ACTIONS, (action) => mayOnGroup(user, action, group, lookup))
}

/**
 * Meetings (API.md "Meetings", issue 23). A user stands towards a group's meeting as an administrator, a chair of
 * the group or of its parent, a member (of the group, or an editor or participant of one of its deliverables), an
 * observer (observer of its deliverables only), as the presenter the chair named, and, towards one contribution,
 * as its contributor (a member who registered it or presents it).
 */
export type MeetingCapacity = 'admin' | 'chair' | 'member' | 'observer' | 'presenter' | 'contributor'

export const MEETING_ACTIONS = [
  'view',
  'create',
  'open',
  'close',
  'manage-agenda',
  'present',
  'name-presenter',
  'manage-queue',
  'request-floor',
  'register-contribution',
  'record-disposition',
  'record-action-item',
  'attach-document',
] as const
export type MeetingAction = (typeof MEETING_ACTIONS)[number]

/** Who may do what in a meeting; the HTTP routes and the live meeting messages both ask this table. */
const MEETING_RULES: Record<MeetingAction, readonly MeetingCapacity[]> = {
  view: ['admin', 'chair', 'member', 'observer'],
  create: ['admin', 'chair'],
  open: ['admin', 'chair'],
  close: ['admin', 'chair'],
  'manage-agenda': ['admin', 'chair'],
  // "Now discussing": the chair, or the member the chair named presenter.
  present: ['admin', 'chair', 'presenter'],
  'name-presenter': ['admin', 'chair'],
  'manage-queue': ['admin', 'chair'],
  'request-floor': ['admin', 'chair', 'member'],
  'register-contribution': ['admin', 'chair', 'member'],
  'record-disposition': ['admin', 'chair'],
  'record-action-item': ['admin', 'chair'],
  // A contribution's Word file: its contributor or the chair (reading it is `view`).
  'attach-document': ['admin', 'chair', 'contributor'],
}

export interface MeetingStanding {
  group: Group | undefined
  /** The user's roles on the deliverables of the meeting's group and its working groups. */
  deliverableRoles: readonly DeliverableRole[]
  presenterId?: string | null
  /** The contribution the action is about, when it is about one. */
  contribution?: { registeredBy: string; presenterId: string } | undefined
}

export function meetingCapacities(
  user: User,
  standing: MeetingStanding,
  lookup: GroupLookup,
): Set<MeetingCapacity> {
  const capacities = new Set<MeetingCapacity>()
  if (user.admin) capacities.add('admin')
  if (chairsGroupOrParent(user, standing.group, lookup)) capacities.add('chair')
  if (standing.group?.members[user.id] === 'member') capacities.add('member')
  if (standing.deliverableRoles.some((role) => role === 'editor' || role === 'participant'))
    capacities.add('member')
  if (standing.deliverableRoles.includes('observer')) capacities.add('observer')
  if (standing.presenterId && standing.presenterId === user.id) capacities.add('presenter')
  const contribution = standing.contribution
  if (
    contribution &&
    capacities.has('member') &&
    (contribution.registeredBy === user.id || contribution.presenterId === user.id)
  )
    capacities.add('contributor')
  return capacities
}

/** May the user take the action in the meeting: does one of their capacities in it appear in its rule. */
export const mayInMeeting = ruledBy(MEETING_RULES, meetingCapacities)

export type MeetingAbilities = Record<MeetingAction, boolean>

export function meetingAbilities(
  user: User,
  standing: MeetingStanding,
  lookup: GroupLookup,
): MeetingAbilities {
  return abilitiesOf(MEETING_ACTIONS, (action) => mayInMeeting(user, action, standing, lookup))
}

/** One boolean per action, as the policy answers it. */
function abilitiesOf<Action extends string>(actions: readonly Action[], may: (action: Action) => boolean) {
  return Object.fromEntries(actions.map((action) => [action, may(action)])) as Record<Action, boolean>
}
