/**
 * Import a Word document (.docx) as a new deliverable, for those who may create deliverables in a group. After the
 * upload it says what the file held beyond the text (tracked changes, comments, dropped styles and parts) and
 * what was done with it, before the user opens the new deliverable.
 */
import { type FormEvent, useState } from 'react'
import { Link } from 'react-router-dom'
import { DELIVERABLE_TYPES } from '../../shared/domain/types.ts'
import { api } from '../api/endpoints.ts'
import { DELIVERABLE_TYPE_LABELS } from '../api/types.ts'
import { useResource } from '../api/useResource.ts'
import { EmptyState, ErrorNote, Field, Loading, PageHeader } from '../shell/ui.tsx'
import { useBusyAction } from '../shell/useBusyAction.ts'
import { type ImportAnswer, importDocx } from './importApi.ts'

export function ImportScreen() {
  const groups = useResource(() => api.groups(), [])
  const { error, busy, run } = useBusyAction()
  const [answer, setAnswer] = useState<ImportAnswer | null>(null)
  const allowed = groups.data?.groups.filter((g) => g.abilities['import-deliverable']) ?? []

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    if (!String(form.get('title') ?? '').trim()) form.delete('title')
    void run(async () => setAnswer(await importDocx(form)))
  }

  return (
    <>
      <PageHeader title="Import a Word document" back={{ to: '/', label: 'Back to the workspace' }} />
      {groups.loading && <Loading what="groups" />}
      <ErrorNote error={groups.error} />
      {groups.data && allowed.length === 0 && (
        <EmptyState>
          <p>You cannot import: only administrators and chairs of a group can.</p>
        </EmptyState>
      )}
      {allowed.length > 0 && (
        <form className="form-card" onSubmit={submit}>
          <div className="field">
            <label htmlFor="import-file">Word document (.docx)</label>
            <input
              id="import-file"
              name="file"
              type="file"
              required
              accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
              aria-describedby="import-file-hint"
            />
            <p id="import-file-hint" className="field-hint">
              Headings become clauses; tracked changes and comments are counted and reported, never accepted
              silently.
            </p>
          </div>
          <Field
            label="Title (optional; the file name otherwise)"
            name="title"
            maxLength={300}
            autoComplete="off"
          />
          <div className="field">
            <label htmlFor="import-type">Type</label>
            <select id="import-type" name="type" defaultValue="technical-report">
              {DELIVERABLE_TYPES.map((type) => (
                <option key={type} value={type}>
                  {DELIVERABLE_TYPE_LABELS[type]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="import-group">Group</label>
            <select id="import-group" name="groupId" defaultValue={allowed[0]?.id}>
              {allowed.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </div>
          <ErrorNote error={error} />
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </form>
      )}
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
