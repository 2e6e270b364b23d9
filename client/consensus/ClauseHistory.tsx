import type { ConsensusAction } from '../../shared/domain/consensus.ts'
import type { ApiUser } from '../api/types.ts'
import type { HistoryEvent } from './consensusApi.ts'
import { formatWhen } from './formatWhen.ts'
import { userName } from './useClauseRecord.ts'

const VERBS: Record<ConsensusAction, string> = {
  propose: 'proposed it for agreement',
  object: 'objected',
  'withdraw-objection': 'withdrew an objection',
  'dismiss-objection': 'dismissed an objection',
  agree: 'declared consensus (agreed)',
  reopen: 'reopened it',
}

interface Props {
  events: readonly HistoryEvent[] | null
  users: ReadonlyMap<string, ApiUser>
  failed: boolean
}

/** The clause's decision record, newest first: who, when, what, and the note on record. */
export function ClauseHistory({ events, users, failed }: Props) {
  if (events === null && failed)
    return (
      <p className="hint">
        The history could not be loaded; it is read again as soon as the server can be reached.
      </p>
    )
  if (events === null) return <p className="hint">Loading the history…</p>
  if (events.length === 0)
    return <p className="hint">No decisions yet: the clause is a draft since it was written.</p>
  return (
    <ol className="history-list" data-testid="clause-history">
      {[...events].reverse().map((event) => (
        <li
          key={`${event.at}-${event.action}-${event.objectionId ?? ''}`}
          className={`history-${event.action}`}
        >
          <time dateTime={event.at}>{formatWhen(event.at)}</time>
          <span>
            <strong>{userName(users, event.userId)}</strong> {VERBS[event.action] ?? event.action}
            {event.meetingId && <span className="muted"> (during a meeting)</span>}
          </span>
          {event.note && <q className="history-note">{event.note}</q>}
        </li>
      ))}
    </ol>
  )
}
