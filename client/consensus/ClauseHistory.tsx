import type { ReactNode } from 'react'
import type { ClauseContribution, ClauseSuggestion } from '../../shared/api/clauseHistory.ts'
import type { ConsensusAction } from '../../shared/domain/consensus.ts'
import { DISPOSITION_LABELS } from '../../shared/domain/meetings.ts'
import type { ApiUser } from '../api/types.ts'
import type { HistoryEvent } from './consensusApi.ts'
import { formatWhen } from './formatWhen.ts'
import { type ClauseOrigins, userName } from './useClauseRecord.ts'

const VERBS: Record<ConsensusAction, string> = {
  propose: 'proposed it for agreement',
  object: 'objected',
  'withdraw-objection': 'withdrew an objection',
  'dismiss-objection': 'dismissed an objection',
  agree: 'declared consensus (agreed)',
  reopen: 'reopened it',
}

const DECIDED: Record<Exclude<ClauseSuggestion['status'], 'open'>, string> = {
  accepted: 'accepted',
  rejected: 'rejected',
  withdrawn: 'withdrew',
}

interface Props {
  events: readonly HistoryEvent[] | null
  origins: ClauseOrigins
  users: ReadonlyMap<string, ApiUser>
  failed: boolean
}

/** One line of the history: when, a class for its kind, what happened and the note on record. */
interface Entry {
  key: string
  at: string
  kind: string
  what: ReactNode
  note: string | null
}

/** `"shared" → "persistent"`, a deletion or an insertion in words. */
function change(s: ClauseSuggestion): string {
  if (s.replacement === '') return `delete “${s.original}”`
  if (s.original === '') return `insert “${s.replacement}”`
  return `“${s.original}” → “${s.replacement}”`
}

function entries(
  events: readonly HistoryEvent[],
  origins: ClauseOrigins,
  users: ReadonlyMap<string, ApiUser>,
) {
  const who = (id: string) => <strong>{userName(users, id)}</strong>
  const list: Entry[] = events.map((event) => ({
    key: `d-${event.at}-${event.action}-${event.objectionId ?? ''}`,
    at: event.at,
    kind: event.action,
    what: (
      <>
        {who(event.userId)} {VERBS[event.action] ?? event.action}
        {event.meetingId && <span className="muted"> (during a meeting)</span>}
      </>
    ),
    note: event.note,
  }))
  for (const c of origins.contributions) list.push(contributionEntry(c))
  for (const s of origins.suggestions) {
    list.push({
      key: `s-${s.id}`,
      at: s.createdAt,
      kind: 'suggestion',
      what: (
        <>
          {who(s.authorId)} suggested {change(s)}
        </>
      ),
      note: null,
    })
    if (s.status !== 'open' && s.decidedBy && s.decidedAt)
      list.push({
        key: `s-${s.id}-${s.status}`,
        at: s.decidedAt,
        kind: `suggestion-${s.status}`,
        what: (
          <>
            {who(s.decidedBy)} {DECIDED[s.status]}{' '}
            {s.status === 'withdrawn' ? 'their' : `${userName(users, s.authorId)}’s`} suggestion {change(s)}
          </>
        ),
        note: null,
      })
  }
  return list.sort((a, b) => b.at.localeCompare(a.at))
}

function contributionEntry(c: ClauseContribution): Entry {
  const label = (
    <>
      Contribution <strong>{c.number}</strong> ({c.title}), {c.meetingTitle}
    </>
  )
  if (!c.disposition)
    return {
      key: `c-${c.contributionId}`,
      at: c.registeredAt,
      kind: 'contribution',
      what: <>{label}: registered</>,
      note: null,
    }
  return {
    key: `c-${c.contributionId}`,
    at: c.disposition.at,
    kind: 'contribution',
    what: (
      <>
        {label}: {DISPOSITION_LABELS[c.disposition.kind].toLowerCase()}
      </>
    ),
    note: c.disposition.note,
  }
}

/**
 * The clause's record, newest first: the decisions (who, when, what, the note on record), the contributions that
 * proposed to change it with their disposition, and the suggestions made on it with who decided them.
 */
export function ClauseHistory({ events, origins, users, failed }: Props) {
  if (events === null && failed)
    return (
      <p className="hint">
        The history could not be loaded; it is read again as soon as the server can be reached.
      </p>
    )
  if (events === null) return <p className="hint">Loading the history…</p>
  const list = entries(events, origins, users)
  if (list.length === 0)
    return <p className="hint">No decisions yet: the clause is a draft since it was written.</p>
  return (
    <ol className="history-list" data-testid="clause-history">
      {list.map((entry) => (
        <li key={entry.key} className={`history-${entry.kind}`}>
          <time dateTime={entry.at}>{formatWhen(entry.at)}</time>
          <span>{entry.what}</span>
          {entry.note && <q className="history-note">{entry.note}</q>}
        </li>
      ))}
    </ol>
  )
}
