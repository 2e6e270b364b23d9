/**
 * For text the server refused (kept by the recovery panel): raise it as an objection to the clause, with the
 * text as the suggested replacement. Offered when the user's role may object; disabled, with the reason, when
 * the clause's state does not allow objections now (e.g. it was just agreed).
 */
import { useId } from 'react'
import type { KeptText } from '../collab/recoveryPlan.ts'
import { clauseActions } from './actionOptions.ts'
import { draftClause } from './clauseConsensus.ts'
import type { ConsensusController } from './useConsensusController.ts'

export function KeptTextActions({ controller, item }: { controller: ConsensusController; item: KeptText }) {
  const id = useId()
  const { clauseId, text, title } = item
  if (!controller.abilities.object) return null
  const clause = controller.clauses[clauseId] ?? draftClause(clauseId)
  const option = clauseActions({ object: true }, clause, { userId: controller.userId, synced: true })[0]
  const blocked = option?.blocked ?? null
  return (
    <>
      <button
        type="button"
        className="button small"
        aria-disabled={blocked !== null || undefined}
        aria-describedby={blocked ? id : undefined}
        onClick={() => blocked === null && controller.raiseObjection(clauseId, text)}
      >
        Raise as objection<span className="visually-hidden"> to {title || 'the clause'}</span>
      </button>
      {blocked && (
        <span id={id} className="action-reason">
          {blocked}
        </span>
      )}
    </>
  )
}
