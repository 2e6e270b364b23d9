/**
 * The meeting in progress, inside the editor: the follow banner ("Following Ana (chair)" / "Not following: back
 * to the discussion"), the clause under discussion highlighted, who has the floor with the time left, the queue,
 * and the controls the server's state allows (the server decides again on every command). Joins, floor changes
 * and the current clause are said in a polite live region.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { followBanner, type MeetingLiveState, secondsLeft } from '../../shared/domain/meetingsLive.ts'
import { useFollow } from './useFollow.ts'
import type { MeetingLive } from './useMeetingLive.ts'
import './meetings.css'

export interface ClauseLabel {
  id: string
  number: string
  title: string
}

interface Props {
  live: MeetingLive
  me: { id: string; admin: boolean }
  deliverableId: string
  clauses: readonly ClauseLabel[]
  /** The editor's DOM, where clauses are found by id. */
  editorRoot: () => ParentNode | null
}

export function MeetingBar({ live, me, deliverableId, clauses, editorRoot }: Props) {
  const state = live.state
  const bar = useRef<HTMLElement>(null)
  const ignoreInside = useCallback(() => bar.current, [])
  const send = live.send
  const onHere = state?.clause?.deliverableId === deliverableId ? state.clause.sectionId : null
  const { following, setFollowing } = useFollow({
    active: state !== null,
    sectionId: onHere,
    root: editorRoot,
    ignoreInside,
    onChange: (next) => send({ kind: 'follow', following: next }),
  })
  // The server counts followers from our messages, per connection: say whether we follow when the meeting appears
  // and again on each new connection (a restarted server knows no follower).
  const meetingId = state?.meetingId
  const connection = live.connection
  const followingNow = useRef(following)
  followingNow.current = following
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new connection number is the signal to tell again
  useEffect(() => {
    if (meetingId) send({ kind: 'follow', following: followingNow.current })
  }, [meetingId, connection, send])
  const said = useAnnouncements(state, clauses)
  if (!state) return null

  const isChair = me.admin || state.chairIds.includes(me.id)
  const presents = isChair || state.presenter?.userId === me.id
  const leader = followBanner(state)
  const current = clauses.find((c) => c.id === onHere)
  return (
    <section ref={bar} className="meeting-bar" aria-label={`Meeting: ${state.title}`}>
      {onHere && (
        <style>{`.ProseMirror section[data-clause-id="${CSS.escape(onHere)}"] { box-shadow: -6px 0 0 var(--meeting-accent, #b45309); background: var(--meeting-bg, #fff7ed); }`}</style>
      )}
      <div className="meeting-banner" data-following={following}>
        {following ? (
          <p>
            {leader ? `Following ${leader}` : 'Following the meeting'}
            {current && <span className="muted">: {clauseLabel(current)}</span>}
          </p>
        ) : (
          <p>
            Not following:{' '}
            <button type="button" className="link-button" onClick={() => setFollowing(true)}>
              back to the discussion
            </button>
          </p>
        )}
        {presents && <span className="muted small">{state.followers} following</span>}
      </div>
      <Floor state={state} offsetMs={live.clockOffsetMs} />
      <Queue state={state} me={me} isChair={isChair} live={live} />
      {presents && (
        <DiscussControl
          clauses={clauses}
          current={onHere}
          onDiscuss={(id) => send({ kind: 'discuss', deliverableId, sectionId: id })}
        />
      )}
      {live.refused && (
        <p className="error-note" role="alert">
          {live.refused}
        </p>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {said}
      </p>
    </section>
  )
}

function clauseLabel(clause: ClauseLabel): string {
  return `${clause.number} ${clause.title}`.trim()
}

/** What changed, in words: the clause under discussion, the floor, who joined the queue. */
function useAnnouncements(state: MeetingLiveState | null, clauses: readonly ClauseLabel[]): string {
  const [said, setSaid] = useState('')
  const before = useRef<MeetingLiveState | null>(null)
  useEffect(() => {
    const prev = before.current
    before.current = state
    if (!state || !prev) return
    const parts: string[] = []
    if (state.clause?.sectionId !== prev.clause?.sectionId && state.clause) {
      const clause = clauses.find((c) => c.id === state.clause?.sectionId)
      parts.push(`Now discussing ${clause ? clauseLabel(clause) : 'another clause'}`)
    }
    if (state.floor && state.floor.since !== prev.floor?.since)
      parts.push(`${state.floor.name} has the floor`)
    for (const entry of state.queue)
      if (!prev.queue.some((e) => e.id === entry.id)) parts.push(`${entry.name} requested the floor`)
    if (parts.length > 0) setSaid(parts.join('. '))
  }, [state, clauses])
  return said
}

function Floor({ state, offsetMs }: { state: MeetingLiveState; offsetMs: number }) {
  const [now, setNow] = useState(() => Date.now())
  const ends = state.floor?.endsAt
  useEffect(() => {
    if (!ends) return
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [ends])
  if (!state.floor) return <p className="meeting-floor muted">Nobody has the floor.</p>
  const left = secondsLeft(state.floor, now + offsetMs)
  return (
    <p className="meeting-floor">
      <strong>{state.floor.name}</strong> has the floor
      {state.floor.organization && <span className="muted"> ({state.floor.organization})</span>}
      {left !== null && (
        <span className={left === 0 ? 'timer over' : 'timer'}>
          {' '}
          <span aria-hidden="true">
            {Math.floor(left / 60)}:{String(left % 60).padStart(2, '0')}
          </span>
          <span className="visually-hidden">{left} seconds left</span>
        </span>
      )}
    </p>
  )
}

function Queue({
  state,
  me,
  isChair,
  live,
}: {
  state: MeetingLiveState
  me: { id: string }
  isChair: boolean
  live: MeetingLive
}) {
  const noteId = useId()
  const [note, setNote] = useState('')
  const [guest, setGuest] = useState('')
  const queued = state.queue.some((e) => e.userId === me.id)
  const send = live.send
  return (
    <div className="meeting-queue">
      <h2 className="small-heading">Speaking queue{state.queueOpen ? '' : ' (closed)'}</h2>
      {state.queue.length === 0 ? (
        <p className="muted small">Nobody is waiting.</p>
      ) : (
        <ol aria-label="Speaking queue">
          {state.queue.map((entry) => (
            <li key={entry.id}>
              {entry.reply && <span className="badge">reply</span>} {entry.name}
              {entry.organization && <span className="muted"> ({entry.organization})</span>}
              {entry.note && <span className="muted">: {entry.note}</span>}
              {isChair && (
                <button
                  type="button"
                  className="link-button small"
                  onClick={() => send({ kind: 'remove-entry', entryId: entry.id })}
                >
                  Remove<span className="visually-hidden"> {entry.name}</span>
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      {queued ? (
        <button type="button" className="button small" onClick={() => send({ kind: 'withdraw' })}>
          Withdraw my request
        </button>
      ) : (
        state.queueOpen && (
          <form
            className="meeting-request"
            onSubmit={(event) => {
              event.preventDefault()
              send({ kind: 'request-floor', note: note.trim() || undefined })
              setNote('')
            }}
          >
            <label htmlFor={noteId}>To say (optional)</label>
            <input id={noteId} value={note} maxLength={300} onChange={(e) => setNote(e.target.value)} />
            <button type="submit" className="button small primary">
              Request the floor
            </button>
            {state.floor && state.floor.userId !== me.id && (
              <button
                type="button"
                className="button small"
                onClick={() => {
                  send({ kind: 'request-floor', reply: true, note: note.trim() || undefined })
                  setNote('')
                }}
              >
                Reply to {state.floor.name}
              </button>
            )}
          </form>
        )
      )}
      {isChair && (
        <div className="meeting-chair-controls">
          <button type="button" className="button small primary" onClick={() => send({ kind: 'next' })}>
            Give the floor to the next
          </button>
          <button
            type="button"
            className="button small"
            onClick={() => send({ kind: 'queue-open', open: !state.queueOpen })}
          >
            {state.queueOpen ? 'Close the queue' : 'Reopen the queue'}
          </button>
          <label>
            Speaking time{' '}
            <select
              value={state.speakingTimeSeconds ?? ''}
              onChange={(e) =>
                send({ kind: 'speaking-time', seconds: e.target.value ? Number(e.target.value) : null })
              }
            >
              <option value="">No limit</option>
              {[60, 120, 180, 300].map((s) => (
                <option key={s} value={s}>
                  {s / 60} min
                </option>
              ))}
            </select>
          </label>
          <form
            onSubmit={(event) => {
              event.preventDefault()
              if (guest.trim()) send({ kind: 'add-speaker', name: guest.trim() })
              setGuest('')
            }}
          >
            <label>
              Add someone in the room{' '}
              <input value={guest} maxLength={120} onChange={(e) => setGuest(e.target.value)} />
            </label>
            <button type="submit" className="button small">
              Add to the queue
            </button>
          </form>
        </div>
      )}
    </div>
  )
}

function DiscussControl({
  clauses,
  current,
  onDiscuss,
}: {
  clauses: readonly ClauseLabel[]
  current: string | null
  onDiscuss: (sectionId: string) => void
}) {
  const [chosen, setChosen] = useState(current ?? '')
  return (
    <form
      className="meeting-discuss"
      onSubmit={(event) => {
        event.preventDefault()
        if (chosen) onDiscuss(chosen)
      }}
    >
      <label>
        Now discussing{' '}
        <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
          <option value="">Choose a clause</option>
          {clauses.map((c) => (
            <option key={c.id} value={c.id}>
              {clauseLabel(c)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button small primary">
        Set
      </button>
    </form>
  )
}
