import type { FormEvent } from 'react'
import { useNavigate, useSearchParams } from 'react-router-dom'
import type { DeliverableType } from '../../shared/domain/types.ts'
import { api } from '../api/endpoints.ts'
import { Field, FormSubmit, PageHeader, SelectField } from '../shell/ui.tsx'
import { formText, useBusyAction } from '../shell/useBusyAction.ts'
import { AllowedGroupsForm, useAllowedGroups } from './allowedGroups.tsx'
import { DeliverableTypeField } from './DeliverableTypeField.tsx'

/** A new deliverable starts from its type's clause skeleton, which the server seeds. */
export function NewDeliverableScreen() {
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const groups = useAllowedGroups('create-deliverable')
  const { allowed } = groups
  const { error, busy, run } = useBusyAction()
  const nameOf = (id: string | null) => groups.all.data?.groups.find((g) => g.id === id)?.name

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
      <AllowedGroupsForm {...groups} onSubmit={submit}>
        <Field label="Title" name="title" required maxLength={300} autoComplete="off" />
        <DeliverableTypeField hint="The type decides the clause skeleton the deliverable starts with." />
        <SelectField
          label="Group"
          name="groupId"
          defaultValue={params.get('group') ?? allowed[0]?.id}
          choices={allowed.map((g) => ({
            value: g.id,
            label: g.parentId && nameOf(g.parentId) ? `${nameOf(g.parentId)} › ${g.name}` : g.name,
          }))}
        />
        <FormSubmit error={error} busy={busy} label="Create deliverable" busyLabel="Creating…" />
      </AllowedGroupsForm>
    </>
  )
}
