import type { FormEvent } from 'react'
import { useNavigate, useSearchParams } from 'react-router-dom'
import { DELIVERABLE_TYPES, type DeliverableType } from '../../shared/domain/types.ts'
import { api } from '../api/endpoints.ts'
import { DELIVERABLE_TYPE_LABELS } from '../api/types.ts'
import { useResource } from '../api/useResource.ts'
import { EmptyState, ErrorNote, Field, FormSubmit, Loading, PageHeader } from '../shell/ui.tsx'
import { formText, useBusyAction } from '../shell/useBusyAction.ts'

/** A new deliverable starts from its type's clause skeleton, which the server seeds. */
export function NewDeliverableScreen() {
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const groups = useResource(() => api.groups(), [])
  const { error, busy, run } = useBusyAction()
  const allowed = groups.data?.groups.filter((g) => g.abilities['create-deliverable']) ?? []
  const nameOf = (id: string | null) => groups.data?.groups.find((g) => g.id === id)?.name

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    void run(
      async () => {
        const answer = await api.createDeliverable({
          title: formText(form, 'title'),
          type: String(form.get('type')) as DeliverableType,
          groupId: String(form.get('groupId')),
        })
        navigate(`/d/${answer.deliverable.id}`)
      },
      { stayBusy: true },
    )
  }

  return (
    <>
      <PageHeader title="New deliverable" back={{ to: '/', label: 'Back to the workspace' }} />
      {groups.loading && <Loading what="groups" />}
      <ErrorNote error={groups.error} />
      {groups.data && allowed.length === 0 && (
        <EmptyState>
          <p>You cannot create deliverables: only administrators and chairs of a group can.</p>
        </EmptyState>
      )}
      {allowed.length > 0 && (
        <form className="form-card" onSubmit={submit}>
          <Field label="Title" name="title" required maxLength={300} autoComplete="off" />
          <div className="field">
            <label htmlFor="deliverable-type">Type</label>
            <select
              id="deliverable-type"
              name="type"
              defaultValue="technical-report"
              aria-describedby="type-hint"
            >
              {DELIVERABLE_TYPES.map((type) => (
                <option key={type} value={type}>
                  {DELIVERABLE_TYPE_LABELS[type]}
                </option>
              ))}
            </select>
            <p id="type-hint" className="field-hint">
              The type decides the clause skeleton the deliverable starts with.
            </p>
          </div>
          <div className="field">
            <label htmlFor="deliverable-group">Group</label>
            <select
              id="deliverable-group"
              name="groupId"
              defaultValue={params.get('group') ?? allowed[0]?.id}
            >
              {allowed.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.parentId && nameOf(g.parentId) ? `${nameOf(g.parentId)} › ${g.name}` : g.name}
                </option>
              ))}
            </select>
          </div>
          <FormSubmit error={error} busy={busy} label="Create deliverable" busyLabel="Creating…" />
        </form>
      )}
    </>
  )
}
