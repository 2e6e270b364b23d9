/**
 * What a consensus request must carry, whatever the clause's state (API.md "Consensus"): a reason (note) to
 * object, to dismiss an objection and to reopen, since it goes into the record and the meeting's report; and the
 * objection that a withdrawal or a dismissal closes. The server checks this before the state rules
 * (`checkAction`); the client, which offers actions before anything is typed, asks the state rules alone.
 */
import {
  type ConsensusAction,
  checkTransition,
  type RuleVerdict,
  type SectionConsensus,
} from './consensus.ts'

/** A request as it arrives: any input may be missing. */
export interface ActionRequest {
  action: ConsensusAction
  userId: string
  note?: string | null
  objectionId?: string | null
  suggestion?: string | null
}

interface CommandBase {
  userId: string
  /** Trimmed; null when there is no text. */
  note: string | null
}

/** A request that carries everything its action needs. */
export type ConsensusCommand =
  | (CommandBase & { action: 'propose' })
  | (CommandBase & { action: 'agree' })
  | (CommandBase & { action: 'object'; note: string; suggestion: string | null })
  | (CommandBase & { action: 'withdraw-objection'; objectionId: string })
  | (CommandBase & { action: 'dismiss-objection'; objectionId: string; note: string })
  | (CommandBase & { action: 'reopen'; note: string })

type Refusal = Extract<RuleVerdict, { ok: false }>
export type ActionVerdict = { ok: true; command: ConsensusCommand } | Refusal

const accept = (command: ConsensusCommand): ActionVerdict => ({ ok: true, command })
const invalid = (message: string): Refusal => ({ ok: false, kind: 'invalid', message })

/** The command a request makes, or why the request itself is invalid (never a question of the state). */
export function checkActionInput(request: ActionRequest): ActionVerdict {
  const base = { userId: request.userId, note: request.note?.trim() || null }
  const { note } = base
  switch (request.action) {
    case 'propose':
    case 'agree':
      return accept({ ...base, action: request.action })
    case 'object':
      if (!note) return invalid('An objection needs a reason (note).')
      return accept({ ...base, action: 'object', note, suggestion: request.suggestion ?? null })
    case 'withdraw-objection':
    case 'dismiss-objection': {
      const { objectionId } = request
      if (!objectionId) return invalid('objectionId is required.')
      if (request.action === 'withdraw-objection')
        return accept({ ...base, action: 'withdraw-objection', objectionId })
      if (!note) return invalid('Dismissing an objection needs the reason it was not sustained (note).')
      return accept({ ...base, action: 'dismiss-objection', objectionId, note })
    }
    case 'reopen':
      if (!note) return invalid('Reopening needs a reason (note).')
      return accept({ ...base, action: 'reopen', note })
  }
}

/** The server's whole check of a request: its inputs first, then the clause's present state. */
export function checkAction(state: SectionConsensus, request: ActionRequest): ActionVerdict {
  const input = checkActionInput(request)
  if (!input.ok) return input
  const verdict = checkTransition(state, input.command)
  return verdict.ok ? input : verdict
}
