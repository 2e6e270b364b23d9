/**
 * Import a Word document (.docx) as a new deliverable, for those who may create deliverables in a group. After the
 * upload it says what the file held beyond the text (tracked changes, comments, dropped styles and parts) and
 * what was done with it, before the user opens the new deliverable.
 */
import { type FormEvent, useState } from 'react'
import { Link } from 'react-router-dom'
import { Field, FormSubmit, PageHeader, SelectField } from '../shell/ui.tsx'
import { formText, useBusyAction } from '../shell/useBusyAction.ts'
import { AllowedGroupsForm, useAllowedGroups } from '../workspace/allowedGroups.tsx'
import { DeliverableTypeField } from '../workspace/DeliverableTypeField.tsx'
import { type ImportAnswer, importDocx } from './importApi.ts'

export function ImportScreen() {
  const groups = useAllowedGroups('import-deliverable')
  const { allowed } = groups
  const { error, busy, run } = useBusyAction()
  const [answer, setAnswer] = useState<ImportAnswer | null>(null)

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    if (!formText(form, 'title')) form.delete('title')
    void run(async () => setAnswer(await importDocx(form)))
  }

  return (
    <>
      <PageHeader title="Import a Word document" back={{ to: '/', label: 'Back to the workspace' }} />
      <AllowedGroupsForm {...groups} onSubmit={submit}>
        <Field
          label="Word document (.docx)"
          name="file"
          type="file"
          required
          accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
          hint="Headings become clauses; tracked changes and comments are counted and reported, never accepted silently."
        />
        <Field
          label="Title (optional; the file name otherwise)"
          name="title"
          maxLength={300}
          autoComplete="off"
        />
        <DeliverableTypeField />
        <SelectField
          label="Group"
          name="groupId"
          defaultValue={allowed[0]?.id}
          choices={allowed.map((g) => ({ value: g.id, label: g.name }))}
        />
        <FormSubmit error={error} busy={busy} label="Import" busyLabel="Importing…" />
      </AllowedGroupsForm>
      {answer && <ImportSummary answer={answer} />}
    </>
  )
}

function ImportSummary({ answer }: { answer: ImportAnswer }) {
  const { trackedChanges, dropped, clauses } = answer.import
  return (
    <section className="form-card" role="status" aria-labelledby="import-result">
      <h2 id="import-result">Imported “{answer.deliverable.title}”</h2>
      <p>{clauses} clauses were created.</p>
      <p>
        The file held {trackedChanges.insertions} tracked insertions, {trackedChanges.deletions} tracked
        deletions and {trackedChanges.comments} comments. {trackedChanges.handling}
      </p>
      {dropped.length > 0 && (
        <>
          <h3>Not imported</h3>
          <ul>
            {dropped.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
      <Link to={`/d/${answer.deliverable.id}`} className="button primary">
        Open the deliverable
      </Link>
    </section>
  )
}
