/**
 * The consensus table of API.md and DOMAIN.md ("Consensus"), written out once as the specification: who may take
 * each action (by role) and in which state of the clause. Used by the unit test of the shared rules and by the
 * HTTP test, so both check exactly the same table.
 */

export const ROLES = [
  'admin',
  'chair',
  'parentChair',
  'editor',
  'participant',
  'observer',
  'outsider',
] as const
export type Role = (typeof ROLES)[number]

/** `withdraw-own`: the caller wrote the objection; `withdraw-other`: someone else did. */
export const ACTIONS = [
  'propose',
  'object',
  'withdraw-own',
  'withdraw-other',
  'dismiss-objection',
  'agree',
  'reopen',
] as const
export type ActionCase = (typeof ACTIONS)[number]

/**
 * `proposed`: proposed, its one objection already withdrawn; `objected`: proposed with that objection open;
 * `agreed`: agreed after the objection was withdrawn. The action always names that objection (in `draft` there is
 * none).
 */
export const STATUSES = ['draft', 'proposed', 'objected', 'agreed'] as const
export type StatusCase = (typeof STATUSES)[number]

export type Outcome = 'allowed' | 'forbidden' | 'conflict' | 'invalid'

const CHAIRS: Role[] = ['chair', 'parentChair']
const MEMBERS_BUT_OBSERVERS: Role[] = [...CHAIRS, 'editor', 'participant']

interface Rule {
  who: Role[]
  /** The outcome for a role in `who`, by status. */
  when: Record<StatusCase, Outcome>
}

const C = 'conflict'
const A = 'allowed'

/** API.md "Consensus": propose (editors, chairs; from draft), object (members but observers), ... */
export const RULES: Record<ActionCase, Rule> = {
  propose: { who: [...CHAIRS, 'editor'], when: { draft: A, proposed: C, objected: C, agreed: C } },
  object: { who: MEMBERS_BUT_OBSERVERS, when: { draft: C, proposed: A, objected: A, agreed: C } },
  'withdraw-own': { who: MEMBERS_BUT_OBSERVERS, when: { draft: C, proposed: C, objected: A, agreed: C } },
  // Only its author withdraws an objection; an open one by someone else is not the caller's to withdraw.
  'withdraw-other': {
    who: MEMBERS_BUT_OBSERVERS,
    when: { draft: C, proposed: C, objected: 'forbidden', agreed: C },
  },
  'dismiss-objection': { who: CHAIRS, when: { draft: C, proposed: C, objected: A, agreed: C } },
  agree: { who: CHAIRS, when: { draft: C, proposed: A, objected: C, agreed: C } },
  reopen: { who: CHAIRS, when: { draft: C, proposed: C, objected: C, agreed: A } },
}

export function expectedOutcome(role: Role, action: ActionCase, status: StatusCase): Outcome {
  const rule = RULES[action]
  return rule.who.includes(role) ? rule.when[status] : 'forbidden'
}

/** Who wrote the clause's objection in a case: the caller for `withdraw-own` when it may object at all. */
export function objectionAuthor(role: Role, action: ActionCase): Role {
  if (action === 'withdraw-own' && MEMBERS_BUT_OBSERVERS.includes(role)) return role
  return role === 'participant' ? 'editor' : 'participant'
}

/** The API action a case sends. */
export function apiAction(action: ActionCase) {
  return action === 'withdraw-own' || action === 'withdraw-other' ? 'withdraw-objection' : action
}

export const NOTE = 'Discussed at the meeting.'

export function everyCase(): { role: Role; action: ActionCase; status: StatusCase; outcome: Outcome }[] {
  return ROLES.flatMap((role) =>
    ACTIONS.flatMap((action) =>
      STATUSES.map((status) => ({ role, action, status, outcome: expectedOutcome(role, action, status) })),
    ),
  )
}

export const STATUS_WORDS: Record<StatusCase, string> = {
  draft: 'a draft clause',
  proposed: 'a proposed clause without open objection',
  objected: 'a proposed clause with an open objection',
  agreed: 'an agreed clause',
}
