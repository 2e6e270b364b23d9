/**
 * Which consensus actions the user is offered on a clause, and why an offered one cannot be taken now. Who may
 * act comes from the server's `abilities` (the policy); when comes from the shared state rules (`checkTransition`). An
 * action the user's role never allows is not offered at all; one the state forbids is offered disabled, with the
 * reason.
 */
import { checkTransition, type Transition } from '../../shared/domain/consensus.ts'
import type { DeliverableAction } from '../../shared/domain/policy.ts'
import type { Objection } from '../../shared/domain/types.ts'
import { asSectionConsensus, type ClauseStatus } from './clauseConsensus.ts'

export type Abilities = Partial<Record<DeliverableAction, boolean>>

export type ClauseAction = 'propose' | 'agree' | 'object' | 'reopen'

export interface ActionOption<A extends string = ClauseAction> {
  action: A
  /** Null when the action can be taken now; otherwise why not, in words. */
  blocked: string | null
}

const CLAUSE_ACTIONS: ClauseAction[] = ['propose', 'object', 'agree', 'reopen']

export interface ClauseContext {
  userId: string
  /** The chair's text must be the server's before agreeing to it. */
  synced: boolean
}

/** The inputs (a note) are filled in by the user afterwards: only the state rules are asked here. */
function verdict(clause: ClauseStatus, transition: Transition): string | null {
  const result = checkTransition(asSectionConsensus(clause), transition)
  return result.ok ? null : result.message
}

export function clauseActions(
  abilities: Abilities,
  clause: ClauseStatus,
  context: ClauseContext,
): ActionOption[] {
  return CLAUSE_ACTIONS.filter((action) => abilities[action]).map((action) => {
    let blocked = verdict(clause, { action, userId: context.userId })
    if (!blocked && action === 'agree' && !context.synced)
      blocked = 'Waiting for the latest text from the server: you agree to the text you see.'
    return { action, blocked }
  })
}

export interface ObjectionOptions {
  withdraw: ActionOption<'withdraw-objection'> | null
  dismiss: ActionOption<'dismiss-objection'> | null
}

export function objectionActions(
  abilities: Abilities,
  clause: ClauseStatus,
  objection: Objection,
  userId: string,
): ObjectionOptions {
  const request = (action: 'withdraw-objection' | 'dismiss-objection'): Transition => ({
    action,
    userId,
    objectionId: objection.id,
  })
  const withdraw =
    abilities['withdraw-objection'] && objection.userId === userId && objection.open
      ? { action: 'withdraw-objection' as const, blocked: verdict(clause, request('withdraw-objection')) }
      : null
  const dismiss =
    abilities['dismiss-objection'] && objection.open
      ? { action: 'dismiss-objection' as const, blocked: verdict(clause, request('dismiss-objection')) }
      : null
  return { withdraw, dismiss }
}

export interface ApplyContext {
  /** Typing is possible now (the user may edit, the replica is synced, no recovery running). */
  editable: boolean
  locked: boolean
}

/** Why an editor cannot apply a suggestion now; null when they can; undefined when it is not theirs to do. */
export function applyBlocked(abilities: Abilities, context: ApplyContext): string | null | undefined {
  if (!abilities['edit-text']) return undefined
  if (context.locked) return 'The clause is agreed and locked until a chair reopens it.'
  if (!context.editable) return 'The text cannot be changed right now (not connected or not yet loaded).'
  return null
}
