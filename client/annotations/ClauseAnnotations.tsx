/**
 * The selected clause's open suggestions and comment threads, inside its consensus panel: every proposed change
 * must be accepted, rejected or withdrawn before the clause can be agreed. Editors and chairs accept and reject,
 * the author withdraws; a refusal (an agreed clause, text changed since) is shown in the server's words.
 */
import type { ReactNode } from 'react'
import type { PresentedSuggestion } from '../../shared/api/annotations.ts'
import { formatWhen } from '../consensus/formatWhen.ts'
import { ErrorNote } from '../shell/ui.tsx'
import { annotationsApi, type SuggestionDecision } from './annotationsApi.ts'
import { ReopenAndAccept } from './ReopenAndAccept.tsx'
import { threadsOf } from './threads.ts'
import type { AnnotationsController } from './useAnnotations.ts'
import { useRequest } from './useRequest.ts'

interface Props {
  clauseId: string
  annotations: AnnotationsController
  /** The clause is agreed: accepting needs a reopen first ("Reopen and accept" for whoever may reopen). */
  agreed: boolean
  mayReopen: boolean
  clauseLabel: string
}

const DONE: Record<SuggestionDecision, string> = {
  accept: 'Suggestion accepted',
  reject: 'Suggestion rejected',
  withdraw: 'Suggestion withdrawn',
}

/**
 * An editor's or chair's two decisions, first the one that changes the text (not offered on an agreed clause,
 * where it would be refused); `children` ends their labels.
 */
function DecisionButtons(props: {
  busy: boolean
  onDecide: (decision: 'accept' | 'reject') => void
  agreed: boolean
  children: ReactNode
}) {
  const decisions = [
    ['accept', 'Accept', 'button small primary'],
    ['reject', 'Reject', 'button small'],
  ] as const
  return decisions
    .filter(([decision]) => !(props.agreed && decision === 'accept'))
    .map(([decision, label, style]) => (
      <button
        key={decision}
        type="button"
        className={style}
        disabled={props.busy}
        onClick={() => props.onDecide(decision)}
      >
        {label}
        {props.children}
      </button>
    ))
}

export function ClauseAnnotations(props: Props) {
  const { clauseId, annotations } = props
  const open = annotations.suggestions.filter((s) => s.sectionId === clauseId && s.status === 'open')
  const threads = threadsOf(annotations.comments).filter(
    (t) => t.first.sectionId === clauseId && !t.first.resolved,
  )
  return (
    <>
      <section className="panel-section" aria-labelledby="clause-suggestions-title">
        <h3 id="clause-suggestions-title">Suggestions</h3>
        {open.length > 1 && annotations.mayDecide && (
          <DecideAll
            clauseId={clauseId}
            count={open.length}
            annotations={annotations}
            agreed={props.agreed}
          />
        )}
        {open.length === 0 ? (
          <p className="small muted">No open suggestions.</p>
        ) : (
          <ul className="suggestion-list" data-testid="clause-suggestions">
            {open
              .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
              .map((suggestion) => (
                <SuggestionItem key={suggestion.id} suggestion={suggestion} {...props} />
              ))}
          </ul>
        )}
      </section>
      <section className="panel-section" aria-labelledby="clause-comments-title">
        <h3 id="clause-comments-title">Comments</h3>
        {threads.length === 0 ? (
          <p className="small muted">No open comments.</p>
        ) : (
          <ul className="clause-comment-list">
            {threads.map(({ first, replies }) => (
              <li key={first.id}>
                <button
                  type="button"
                  className="button small link"
                  onClick={() => annotations.setActiveThread(first.id)}
                >
                  {annotations.authorName(first.authorId)}: {first.deleted ? 'Message deleted' : first.body}
                </button>
                <span className="small muted">
                  {' '}
                  {replies.length} {replies.length === 1 ? 'reply' : 'replies'}
                  {first.removed ? ' · text removed' : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  )
}

function SuggestionItem({
  suggestion,
  annotations,
  agreed,
  mayReopen,
  clauseLabel,
}: Props & { suggestion: PresentedSuggestion }) {
  const request = useRequest()
  const decide = (decision: SuggestionDecision) =>
    request.run(async () => {
      const answer = await annotationsApi.decide(annotations.deliverableId, suggestion.id, decision)
      annotations.merge([], [answer.suggestion])
      annotations.announce(DONE[decision])
    })
  const own = suggestion.authorId === annotations.userId
  const kind = !suggestion.original ? 'Insert' : !suggestion.replacement ? 'Delete' : 'Replace'
  return (
    <li className="suggestion-item" data-testid="suggestion-item">
      <p className="small">
        <strong>{annotations.authorName(suggestion.authorId)}</strong>{' '}
        <time dateTime={suggestion.createdAt}>{formatWhen(suggestion.createdAt)}</time>
      </p>
      <p className="suggestion-change">
        {kind}
        {suggestion.original && (
          <>
            {' '}
            <del>{suggestion.original}</del>
          </>
        )}
        {suggestion.original && suggestion.replacement && ' with'}
        {suggestion.replacement && (
          <>
            {' '}
            <ins>{suggestion.replacement}</ins>
          </>
        )}
        {suggestion.removed && <span className="muted"> (its text was removed)</span>}
      </p>
      <div className="suggestion-actions">
        {annotations.mayDecide && agreed && mayReopen && (
          <ReopenAndAccept suggestion={suggestion} annotations={annotations} clauseLabel={clauseLabel} />
        )}
        {annotations.mayDecide && (
          <DecisionButtons busy={request.busy} onDecide={decide} agreed={agreed}>
            <span className="visually-hidden">
              {' '}
              suggestion by {annotations.authorName(suggestion.authorId)}
            </span>
          </DecisionButtons>
        )}
        {own && annotations.maySuggest && (
          <button
            type="button"
            className="button small"
            disabled={request.busy}
            onClick={() => decide('withdraw')}
          >
            Withdraw<span className="visually-hidden"> your suggestion</span>
          </button>
        )}
      </div>
      {annotations.mayDecide && agreed && !mayReopen && (
        <p className="small muted">The clause is agreed: a chair may reopen it and accept this suggestion.</p>
      )}
      <ErrorNote error={request.error} />
    </li>
  )
}

/**
 * Accept all or reject all of the clause's open suggestions in one step: the server applies them oldest first as
 * one edit, or refuses, naming the one that no longer applies, and changes nothing.
 */
function DecideAll({
  clauseId,
  count,
  annotations,
  agreed,
}: {
  clauseId: string
  count: number
  annotations: AnnotationsController
  agreed: boolean
}) {
  const request = useRequest()
  const decideAll = (decision: 'accept' | 'reject') =>
    request.run(async () => {
      const answer = await annotationsApi.decideAll(annotations.deliverableId, clauseId, decision)
      annotations.merge([], answer.suggestions)
      const n = answer.suggestions.length
      annotations.announce(
        `${n} suggestion${n === 1 ? '' : 's'} ${decision === 'accept' ? 'accepted' : 'rejected'}`,
      )
    })
  return (
    <div className="suggestion-bulk">
      <DecisionButtons busy={request.busy} onDecide={decideAll} agreed={agreed}>
        {' '}
        all {count}
      </DecisionButtons>
      <ErrorNote error={request.error} />
    </div>
  )
}
