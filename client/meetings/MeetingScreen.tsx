/**
 * A meeting's page: its data, agenda, contributions with their dispositions, the decisions taken while it was
 * open (clause, action, note, time, hash, contributions), action items, attendance, the queue while in progress,
 * and the report. Buttons follow the abilities the server sent.
 */
import { type ReactNode, useEffect, useId, useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import type { ApiMeeting, ApiMeetingDecision } from '../../shared/api/meetings.ts'
import {
  DISPOSITION_LABELS,
  DISPOSITIONS,
  type DispositionKind,
  ordinal,
} from '../../shared/domain/meetings.ts'
import type { MeetingLiveState } from '../../shared/domain/meetingsLive.ts'
import { errorMessage } from '../api/http.ts'
import { useResource } from '../api/useResource.ts'
import { ErrorNote, Loading, PageHeader, TableHead } from '../shell/ui.tsx'
import { ContributionFile } from './ContributionFile.tsx'
import { ActionItemForm, AgendaItemForm, ContributionForm } from './MeetingForms.tsx'
import { meetingsApi } from './meetingsApi.ts'
import './meetings.css'

async function loadMeeting(id: string) {
  const [{ meeting }, { decisions }] = await Promise.all([meetingsApi.get(id), meetingsApi.decisions(id)])
  return { meeting, decisions }
}

export function MeetingScreen() {
  const { id = '' } = useParams()
  const loaded = useResource(() => loadMeeting(id), [id])
  const [error, setError] = useState<string | null>(null)
  const data = loaded.data
  const run = (action: () => Promise<unknown>) => {
    setError(null)
    action().then(loaded.reload, (cause: unknown) => setError(errorMessage(cause)))
  }
  if (!data) {
    return (
      <>
        <PageHeader title="Meeting" back={{ to: '/', label: 'Workspace' }} />
        {loaded.loading && <Loading what="the meeting" />}
        <ErrorNote error={loaded.error} />
      </>
    )
  }
  const { meeting, decisions } = data
  return (
    <div className="meeting-page">
      <PageHeader title={meeting.title} back={{ to: '/', label: 'Workspace' }}>
        {meeting.abilities.open && meeting.status === 'scheduled' && (
          <button
            type="button"
            className="button primary"
            onClick={() => run(() => meetingsApi.open(meeting.id))}
          >
            Open the meeting
          </button>
        )}
        {meeting.abilities.close && meeting.status === 'open' && (
          <button type="button" className="button" onClick={() => run(() => meetingsApi.close(meeting.id))}>
            Close the meeting
          </button>
        )}
        <a className="button" href={meetingsApi.reportUrl(meeting.id, 'docx')} download>
          Report (.docx)
        </a>
        <a className="button" href={meetingsApi.reportUrl(meeting.id, 'md')} download>
          Report (.md)
        </a>
      </PageHeader>
      {error && (
        <p className="error-note" role="alert">
          {error}
        </p>
      )}
      <p>
        {ordinal(meeting.number)} meeting, {meeting.place ?? 'remote'}, {formatRange(meeting)} ·{' '}
        <strong>{meeting.status}</strong>
      </p>
      {meeting.status === 'open' && <LiveSummary meetingId={meeting.id} />}
      <Agenda meeting={meeting} />
      {meeting.abilities['manage-agenda'] && meeting.status !== 'closed' && (
        <AgendaItemForm meeting={meeting} run={run} />
      )}
      <Contributions meeting={meeting} run={run} />
      {meeting.abilities['register-contribution'] && <ContributionForm meeting={meeting} run={run} />}
      <Decisions decisions={decisions} />
      <Part id="actions" title="Action items" empty={meeting.actionItems.length === 0 ? 'None yet.' : null}>
        <ul>
          {meeting.actionItems.map((a) => (
            <li key={a.id}>
              ACTION: {a.text} ({a.ownerName})
            </li>
          ))}
        </ul>
      </Part>
      {meeting.abilities['record-action-item'] && <ActionItemForm meeting={meeting} run={run} />}
      <Part
        id="attendance"
        title="Attendance"
        empty={meeting.attendance.length === 0 ? 'Recorded while the meeting is open.' : null}
      >
        <ul>
          {meeting.attendance.map((a) => (
            <li key={a.userId}>
              {a.name} ({a.organization})
            </li>
          ))}
        </ul>
      </Part>
    </div>
  )
}

function formatRange(meeting: ApiMeeting): string {
  const format = (iso: string) =>
    new Intl.DateTimeFormat('en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: meeting.timeZone,
    }).format(new Date(iso))
  return `${format(meeting.start)} to ${format(meeting.end)} (${meeting.timeZone})`
}

function Agenda({ meeting }: { meeting: ApiMeeting }) {
  return (
    <Part id="agenda" title="Agenda" empty={meeting.agenda.length === 0 ? 'No agenda yet.' : null}>
      <ol>
        {meeting.agenda.map((item) => (
          <li key={item.id}>
            {item.title}
            {item.timeboxMinutes && <span className="muted"> ({item.timeboxMinutes} min)</span>}
            {item.clauses.map((c) => (
              <span key={`${c.deliverableId}:${c.sectionId}`}>
                {' '}
                · <Link to={`/d/${c.deliverableId}`}>open the text</Link>
              </span>
            ))}
          </li>
        ))}
      </ol>
    </Part>
  )
}

function Contributions({
  meeting,
  run,
}: {
  meeting: ApiMeeting
  run: (action: () => Promise<unknown>) => void
}) {
  return (
    <Part
      id="contributions"
      title="Contributions"
      empty={meeting.contributions.length === 0 ? 'No contributions registered.' : null}
    >
      <table>
        <TableHead columns={['Number', 'Title', 'Source', 'File', 'Disposition']} actions={false} />
        <tbody>
          {meeting.contributions.map((c) => (
            <tr key={c.id}>
              <td>{c.number}</td>
              <td>{c.title}</td>
              <td>{c.sources.join(', ')}</td>
              <td>
                <ContributionFile meeting={meeting} contribution={c} run={run} />
              </td>
              <td>
                {c.disposition ? (
                  <span>
                    {DISPOSITION_LABELS[c.disposition.kind]}
                    {c.disposition.note && `: ${c.disposition.note}`}
                  </span>
                ) : (
                  <span className="muted">Not treated</span>
                )}
                {meeting.abilities['record-disposition'] && meeting.status !== 'closed' && (
                  <DispositionForm
                    number={c.number}
                    onRecord={(kind, note) =>
                      run(() => meetingsApi.disposition(meeting.id, c.id, kind, note))
                    }
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Part>
  )
}

function DispositionForm({
  number,
  onRecord,
}: {
  number: string
  onRecord: (kind: DispositionKind, note: string) => void
}) {
  const [kind, setKind] = useState<DispositionKind>('agreed')
  const [note, setNote] = useState('')
  const ids = useId()
  return (
    <form
      className="meeting-request"
      onSubmit={(event) => {
        event.preventDefault()
        onRecord(kind, note.trim())
      }}
    >
      <label htmlFor={`${ids}-kind`} className="visually-hidden">
        Disposition of {number}
      </label>
      <select id={`${ids}-kind`} value={kind} onChange={(e) => setKind(e.target.value as DispositionKind)}>
        {DISPOSITIONS.map((d) => (
          <option key={d} value={d}>
            {DISPOSITION_LABELS[d]}
          </option>
        ))}
      </select>
      <label htmlFor={`${ids}-note`} className="visually-hidden">
        Note on {number}
      </label>
      <input id={`${ids}-note`} placeholder="Note" value={note} onChange={(e) => setNote(e.target.value)} />
      <button type="submit" className="button small">
        Record<span className="visually-hidden"> the disposition of {number}</span>
      </button>
    </form>
  )
}

function Decisions({ decisions }: { decisions: ApiMeetingDecision[] }) {
  return (
    <Part id="decisions" title="Decisions" empty={decisions.length === 0 ? 'No decisions yet.' : null}>
      <table>
        <TableHead
          columns={['Deliverable', 'Clause', 'Action', 'Note', 'Time', 'Text hash', 'Contributions']}
          actions={false}
        />
        <tbody>
          {decisions.map((d) => (
            <tr key={`${d.deliverableId}:${d.sectionId}:${d.at}:${d.action}`}>
              <td>{d.deliverableTitle}</td>
              <td>{`${d.number} ${d.title}`.trim()}</td>
              <td>{d.action}</td>
              <td>{d.note}</td>
              <td>{new Date(d.at).toLocaleTimeString()}</td>
              <td>
                <code>{d.hash12}</code>
              </td>
              <td>{d.contributions.map((c) => c.number).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Part>
  )
}

/** The floor and the queue, read every few seconds (the editor has them live over its connection). */
function LiveSummary({ meetingId }: { meetingId: string }) {
  const [state, setState] = useState<MeetingLiveState | null>(null)
  useEffect(() => {
    let stopped = false
    const read = () =>
      meetingsApi.live(meetingId).then(
        (answer) => !stopped && setState(answer.state),
        () => undefined,
      )
    void read()
    const timer = setInterval(read, 3000)
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }, [meetingId])
  if (!state) return null
  return (
    <section aria-labelledby="live-heading">
      <h2 id="live-heading">In progress</h2>
      <p>{state.floor ? `${state.floor.name} has the floor.` : 'Nobody has the floor.'}</p>
      {state.queue.length > 0 && (
        <ol aria-label="Speaking queue">
          {state.queue.map((e) => (
            <li key={e.id}>
              {e.name}
              {e.note && `: ${e.note}`}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

/** A part of the page: its heading, then its content or what says it is empty. */
function Part({
  id,
  title,
  empty,
  children,
}: {
  id: string
  title: string
  empty: string | null
  children: ReactNode
}) {
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {empty === null ? children : <p className="muted">{empty}</p>}
    </section>
  )
}
