import type { FormEvent } from 'react'
import { useNavigate, useSearchParams } from 'react-router-dom'
import { useMe } from '../account/auth.tsx'
import { api } from '../api/endpoints.ts'
import { useResource } from '../api/useResource.ts'
import { EmptyState, Field, FormSubmit, PageHeader } from '../shell/ui.tsx'
import { formText, useBusyAction } from '../shell/useBusyAction.ts'

/** Administrators create the focus group (no parent) and its working groups (with the focus group as parent). */
export function NewGroupScreen() {
  const me = useMe()
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const groups = useResource(() => api.groups(), [])
  const { error, busy, run } = useBusyAction()
  const focusGroups = groups.data?.groups.filter((g) => !g.parentId) ?? []

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const parentId = String(form.get('parentId') ?? '')
    void run(
      async () => {
        await api.createGroup({
          name: formText(form, 'name'),
          ...(parentId ? { parentId } : {}),
        })
        navigate('/')
      },
      { stayBusy: true },
    )
  }

  return (
    <>
      <PageHeader title="New group" back={{ to: '/', label: 'Back to the workspace' }} />
      {!me.admin ? (
        <EmptyState>
          <p>Only administrators create groups.</p>
        </EmptyState>
      ) : (
        <form className="form-card" onSubmit={submit}>
          <Field label="Name" name="name" required maxLength={120} autoComplete="off" />
          <div className="field">
            <label htmlFor="group-parent">Part of</label>
            <select
              id="group-parent"
              name="parentId"
              defaultValue={params.get('parent') ?? ''}
              aria-describedby="group-parent-hint"
            >
              <option value="">Nothing: this is a focus group</option>
              {focusGroups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name} (working group)
                </option>
              ))}
            </select>
            <p id="group-parent-hint" className="field-hint">
              A focus group has no parent; its working groups are part of it.
            </p>
          </div>
          <FormSubmit error={error ?? groups.error} busy={busy} label="Create group" busyLabel="Creating…" />
        </form>
      )}
    </>
  )
}
