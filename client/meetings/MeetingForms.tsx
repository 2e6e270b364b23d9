/** The forms of the meetings feature: a new meeting, an agenda item, a contribution, an action item. */
import type { FormEvent } from 'react'
import { useNavigate, useSearchParams } from 'react-router-dom'
import type { ApiMeeting } from '../../shared/api/meetings.ts'
import { EmptyState, Field, FormSubmit, PageHeader, SelectField } from '../shell/ui.tsx'
import { formText, useBusyAction } from '../shell/useBusyAction.ts'
import { useAllowedGroups } from '../workspace/allowedGroups.tsx'
import { meetingsApi } from './meetingsApi.ts'

/** A local date and time from an input, as ISO 8601 with the browser's offset applied. */
const isoFrom = (value: string) => new Date(value).toISOString()

/** Chairs and administrators plan a meeting of a group they chair (the server decides again). */
export function NewMeetingScreen() {
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const { all, allowed: mine } = useAllowedGroups('manage-members')
  const { error, busy, run } = useBusyAction()
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const place = formText(form, 'place')
    void run(
      async () => {
        const { meeting } = await meetingsApi.create({
          groupId: formText(form, 'groupId'),
          title: formText(form, 'title'),
          start: isoFrom(formText(form, 'start')),
          end: isoFrom(formText(form, 'end')),
          timeZone: formText(form, 'timeZone'),
          ...(place ? { place } : {}),
        })
        navigate(`/meetings/${meeting.id}`)
      },
      { stayBusy: true },
    )
  }
  return (
    <>
      <PageHeader title="New meeting" back={{ to: '/', label: 'Back to the workspace' }} />
      {all.data && mine.length === 0 ? (
        <EmptyState>
          <p>Only chairs and administrators plan meetings.</p>
        </EmptyState>
      ) : (
        <form className="form-card" onSubmit={submit}>
          <SelectField
            label="Group"
            name="groupId"
            defaultValue={params.get('group') ?? undefined}
            choices={mine.map((g) => ({ value: g.id, label: g.name }))}
          />
          <Field label="Title" name="title" required maxLength={300} autoComplete="off" />
          <Field label="Start" name="start" type="datetime-local" required />
          <Field label="End" name="end" type="datetime-local" required />
          <Field label="Place" name="place" maxLength={200} hint="Leave empty for a remote meeting." />
          <Field
            label="Time zone"
            name="timeZone"
            required
            defaultValue={Intl.DateTimeFormat().resolvedOptions().timeZone}
          />
          <FormSubmit error={error} busy={busy} label="Plan the meeting" />
        </form>
      )}
    </>
  )
}

type Run = (action: () => Promise<unknown>) => void

/** A small form that sends its fields and clears itself once the server took them. */
function submitWith(run: Run, send: (form: FormData) => Promise<unknown>) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const element = event.currentTarget
    const form = new FormData(element)
    run(() => send(form).then(() => element.reset()))
  }
}

export function AgendaItemForm({ meeting, run }: { meeting: ApiMeeting; run: Run }) {
  const onSubmit = submitWith(run, (form) => {
    const minutes = Number(formText(form, 'timebox'))
    return meetingsApi.agenda(meeting.id, [
      ...meeting.agenda,
      {
        title: formText(form, 'title'),
        timeboxMinutes: minutes > 0 ? minutes : null,
        clauses: [],
        contributionIds: [],
      },
    ])
  })
  return (
    <form className="meeting-request" onSubmit={onSubmit} aria-label="Add an agenda item">
      <Field label="Agenda item" name="title" required maxLength={300} autoComplete="off" />
      <Field label="Minutes" name="timebox" type="number" min={1} max={1440} />
      <button type="submit" className="button small">
        Add to the agenda
      </button>
    </form>
  )
}

export function ContributionForm({ meeting, run }: { meeting: ApiMeeting; run: Run }) {
  const onSubmit = submitWith(run, (form) =>
    meetingsApi.contribute(meeting.id, {
      number: formText(form, 'number'),
      title: formText(form, 'title'),
      sources: formText(form, 'sources')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    }),
  )
  return (
    <form className="meeting-request" onSubmit={onSubmit} aria-label="Register a contribution">
      <Field
        label="Number"
        name="number"
        required
        placeholder="FGMV-I-012"
        maxLength={40}
        autoComplete="off"
      />
      <Field label="Title of the contribution" name="title" required maxLength={300} autoComplete="off" />
      <Field label="Source organizations" name="sources" required hint="Separated by commas." />
      <button type="submit" className="button small">
        Register
      </button>
    </form>
  )
}

export function ActionItemForm({ meeting, run }: { meeting: ApiMeeting; run: Run }) {
  const onSubmit = submitWith(run, (form) =>
    meetingsApi.actionItem(meeting.id, { text: formText(form, 'text'), owner: formText(form, 'owner') }),
  )
  return (
    <form className="meeting-request" onSubmit={onSubmit} aria-label="Record an action item">
      <Field label="Action" name="text" required maxLength={300} autoComplete="off" />
      <Field label="Owner" name="owner" required maxLength={120} autoComplete="off" />
      <button type="submit" className="button small">
        Record the action
      </button>
    </form>
  )
}
