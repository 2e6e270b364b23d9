/**
 * The consensus rules per clause (DOMAIN.md "Consensus", API.md "Consensus"): which action is allowed in which
 * state, and how an accepted decision changes the state. Plain functions over plain data; the server folds the
 * decision record through `applyDecision` to rebuild every section's state, and the client uses `checkAction`
 * to explain why a button is disabled.
 */
import type { Objection, SectionStatus } from './types.ts'

export const CONSENSUS_ACTIONS = [
  'propose',
  'object',
  'withdraw-objection',
  'dismiss-objection',
  'agree',
  'reopen',
] as const
export type ConsensusAction = (typeof CONSENSUS_ACTIONS)[number]

/** The Yjs item id of the clause element, to which a lock is bound (SYNC.md §1). */
export interface ItemId {
  client: number
  clock: number
}

export interface SectionConsensus {
  status: SectionStatus
  objections: Objection[]
  /** Set while agreed: what was agreed and which element is locked. */
  agreed: { hash: string; content: string; item: ItemId; at: string; by: string } | null
  /** The content of the last agreement, kept after a reopen to show what changed since. */
  lastAgreedContent: string | null
  /** The plain text of the last agreement (the clause's own text), for the redline after a reopen. */
  lastAgreedText: string | null
}

export const initialSectionConsensus = (): SectionConsensus => ({
  status: 'draft',
  objections: [],
  agreed: null,
  lastAgreedContent: null,
  lastAgreedText: null,
})

/** One entry of the decision record. */
export interface DecisionEvent {
  seq: number
  sectionId: string
  action: ConsensusAction
  userId: string
  at: string
  note: string | null
  meetingId: string | null
  /** The clause's content hash when the decision was taken. */
  hash: string
  objectionId?: string
  suggestion?: string | null
  /** For `agree`: the locked element and the agreed canonical content. */
  item?: ItemId
  content?: string
  /** For `agree`: the agreed plain text (heading excluded). */
  text?: string
}

export interface ActionRequest {
  action: ConsensusAction
  userId: string
  note?: string | null
  objectionId?: string | null
}

export type ActionVerdict =
  | { ok: true }
  | { ok: false; kind: 'invalid' | 'conflict' | 'forbidden'; message: string }

const conflict = (message: string): ActionVerdict => ({ ok: false, kind: 'conflict', message })
const invalid = (message: string): ActionVerdict => ({ ok: false, kind: 'invalid', message })

const hasText = (value: string | null | undefined): boolean =>
  typeof value === 'string' && value.trim() !== ''

/**
 * Whether the action is allowed in the section's present state. Who may take it at all is the policy's
 * question (`mayOnDeliverable`); this answers the state part and the objection author rule.
 */
export function checkAction(state: SectionConsensus, request: ActionRequest): ActionVerdict {
  switch (request.action) {
    case 'propose':
      return state.status === 'draft' ? { ok: true } : conflict(`The clause is ${state.status}, not draft.`)
    case 'object':
      if (!hasText(request.note)) return invalid('An objection needs a reason (note).')
      return state.status === 'proposed'
        ? { ok: true }
        : conflict(`Objections are raised on proposed clauses; this one is ${state.status}.`)
    case 'withdraw-objection':
    case 'dismiss-objection': {
      if (!request.objectionId) return invalid('objectionId is required.')
      if (request.action === 'dismiss-objection' && !hasText(request.note))
        return invalid('Dismissing an objection needs the reason it was not sustained (note).')
      const objection = state.objections.find((o) => o.id === request.objectionId)
      if (!objection) return conflict('There is no such objection on this clause.')
      if (!objection.open) return conflict('That objection is already closed.')
      if (request.action === 'withdraw-objection' && objection.userId !== request.userId)
        return { ok: false, kind: 'forbidden', message: 'Only its author may withdraw an objection.' }
      return { ok: true }
    }
    case 'agree':
      if (state.status !== 'proposed')
        return conflict(`Only a proposed clause can be agreed; this one is ${state.status}.`)
      if (state.objections.some((o) => o.open)) return conflict('The clause has open objections.')
      return { ok: true }
    case 'reopen':
      if (!hasText(request.note)) return invalid('Reopening needs a reason (note).')
      return state.status === 'agreed'
        ? { ok: true }
        : conflict(`Only an agreed clause can be reopened; this one is ${state.status}.`)
  }
}

/** The state after an accepted decision. Pure: the same record always folds to the same state. */
export function applyDecision(state: SectionConsensus, event: DecisionEvent): SectionConsensus {
  switch (event.action) {
    case 'propose':
      return { ...state, status: 'proposed' }
    case 'object':
      return {
        ...state,
        objections: [
          ...state.objections,
          {
            id: event.objectionId ?? String(event.seq),
            userId: event.userId,
            note: event.note ?? '',
            suggestion: event.suggestion ?? null,
            open: true,
          },
        ],
      }
    case 'withdraw-objection':
    case 'dismiss-objection':
      return {
        ...state,
        objections: state.objections.map((o) =>
          o.id === event.objectionId
            ? {
                ...o,
                open: false,
                closedBy: event.action === 'withdraw-objection' ? 'withdrawn' : 'dismissed',
              }
            : o,
        ),
      }
    case 'agree':
      return {
        ...state,
        status: 'agreed',
        agreed: {
          hash: event.hash,
          content: event.content ?? '',
          item: event.item ?? { client: -1, clock: -1 },
          at: event.at,
          by: event.userId,
        },
        lastAgreedContent: event.content ?? null,
        lastAgreedText: event.text ?? null,
      }
    case 'reopen':
      return { ...state, status: 'draft', agreed: null, objections: state.objections.filter((o) => o.open) }
  }
}
