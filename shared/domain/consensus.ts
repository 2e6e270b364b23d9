/**
 * The consensus state machine per clause (DOMAIN.md "Consensus", API.md "Consensus"): which action the clause's
 * present state allows, and how an accepted decision changes the state. Plain functions over plain data; the
 * server folds the decision record through `applyDecision` to rebuild every section's state, and the client asks
 * `checkTransition` to explain why a button is disabled. What a request must carry (a note, an objection id) is
 * checked apart, in `consensusInput.ts`, so that asking about the state needs no inputs the user has not typed yet.
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

/** What every entry of the decision record holds, whatever its action. */
export interface DecisionBase {
  seq: number
  sectionId: string
  userId: string
  at: string
  note: string | null
  meetingId: string | null
  /** The clause's content hash when the decision was taken. */
  hash: string
}

/** One entry of the decision record: each action carries exactly what folding it needs. */
export type DecisionEvent =
  | (DecisionBase & { action: 'propose' | 'reopen' })
  | (DecisionBase & { action: 'object'; objectionId: string; suggestion: string | null })
  | (DecisionBase & { action: 'withdraw-objection' | 'dismiss-objection'; objectionId: string })
  | (DecisionBase & {
      action: 'agree'
      /** The locked element and the agreed canonical content. */
      item: ItemId
      content: string
      /** The agreed plain text (heading excluded); absent from agreements recorded before it was kept. */
      text?: string
    })

/** What the state rules read of an action: who takes it and, to withdraw or dismiss, which objection. */
export type Transition =
  | { action: 'propose' | 'object' | 'agree' | 'reopen'; userId: string }
  | { action: 'withdraw-objection' | 'dismiss-objection'; userId: string; objectionId: string }

export type RuleVerdict =
  | { ok: true }
  | { ok: false; kind: 'invalid' | 'conflict' | 'forbidden'; message: string }

const conflict = (message: string): RuleVerdict => ({ ok: false, kind: 'conflict', message })

/**
 * Whether the clause's present state allows the action. Who may take it at all is the policy's question
 * (`mayOnDeliverable`); this answers the state part and the objection author rule.
 */
export function checkTransition(state: SectionConsensus, transition: Transition): RuleVerdict {
  switch (transition.action) {
    case 'propose':
      return state.status === 'draft' ? { ok: true } : conflict(`The clause is ${state.status}, not draft.`)
    case 'object':
      return state.status === 'proposed'
        ? { ok: true }
        : conflict(`Objections are raised on proposed clauses; this one is ${state.status}.`)
    case 'withdraw-objection':
    case 'dismiss-objection': {
      const objection = state.objections.find((o) => o.id === transition.objectionId)
      if (!objection) return conflict('There is no such objection on this clause.')
      if (!objection.open) return conflict('That objection is already closed.')
      if (transition.action === 'withdraw-objection' && objection.userId !== transition.userId)
        return { ok: false, kind: 'forbidden', message: 'Only its author may withdraw an objection.' }
      return { ok: true }
    }
    case 'agree':
      if (state.status !== 'proposed')
        return conflict(`Only a proposed clause can be agreed; this one is ${state.status}.`)
      if (state.objections.some((o) => o.open)) return conflict('The clause has open objections.')
      return { ok: true }
    case 'reopen':
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
            id: event.objectionId,
            userId: event.userId,
            note: event.note ?? '',
            suggestion: event.suggestion,
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
          content: event.content,
          item: event.item,
          at: event.at,
          by: event.userId,
        },
        lastAgreedContent: event.content,
        lastAgreedText: event.text ?? null,
      }
    case 'reopen':
      return { ...state, status: 'draft', agreed: null, objections: state.objections.filter((o) => o.open) }
  }
}
