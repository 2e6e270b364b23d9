/**
 * A deliverable's named versions (issue 22): save one with a name (for those the server allows), view one
 * read-only, compare two or one with now as a redline with its summary, restore one after confirmation (the
 * server's refusal, e.g. over an agreed clause, is shown in its own words).
 */
import { type FormEvent, useRef, useState } from 'react'
import { useParams } from 'react-router-dom'
import { NOW } from '../../shared/api/constants.ts'
import type { ApiComparison, ApiVersion, ApiVersionDetail } from '../../shared/api/versions.ts'
import { api } from '../api/endpoints.ts'
import { useResource } from '../api/useResource.ts'
import { formatWhen } from '../consensus/formatWhen.ts'
import { useAnnounce } from '../shell/Announcer.tsx'
import { ErrorNote, Field, Loading, PageHeader } from '../shell/ui.tsx'
import { formText, useBusyAction } from '../shell/useBusyAction.ts'
import { ComparisonView } from './ComparisonView.tsx'
import { RestoreConfirm } from './RestoreConfirm.tsx'
import { VersionList } from './VersionList.tsx'
import { VersionView } from './VersionView.tsx'
import { versionsApi } from './versionsApi.ts'
import './versions.css'

type Shown =
  | { kind: 'version'; version: ApiVersionDetail }
  | { kind: 'comparison'; comparison: ApiComparison }

export function VersionsScreen() {
  const { id = '' } = useParams()
  const announce = useAnnounce()
  const data = useResource(async () => {
    const [answer, list] = await Promise.all([api.deliverable(id), versionsApi.list(id)])
    return { deliverable: answer.deliverable, ...list }
  }, [id])
  const action = useBusyAction()
  const [shown, setShown] = useState<Shown | null>(null)
  const [confirming, setConfirming] = useState<ApiVersion | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  // After a restore the confirmation is gone: focus goes to its outcome, not to the top of the page.
  const outcome = useRef<HTMLDivElement>(null)
  const deliverable = data.data?.deliverable
  const versions = data.data?.versions ?? []
  const canSave = !!deliverable?.abilities['save-version']
  const canRestore = !!deliverable?.abilities['restore-version']

  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const name = formText(new FormData(form), 'name')
    setNotice(null)
    void action.run(async () => {
      await versionsApi.save(id, name)
      form.reset()
      announce(`Version “${name}” saved`)
      data.reload()
    })
  }
  const view = (version: ApiVersion) =>
    action.run(async () => {
      setShown({ kind: 'version', version: (await versionsApi.detail(id, version.id)).version })
    })
  const compare = (from: string, to: string) =>
    action.run(async () => {
      const { comparison } = await versionsApi.compare(id, from, to)
      setShown({ kind: 'comparison', comparison })
      announce(`Compared: ${comparison.summary.clausesChanged} clauses changed`)
    })
  const restore = async (version: ApiVersion) => {
    setConfirming(null)
    setNotice(null)
    await action.run(async () => {
      const { changed } = await versionsApi.restore(id, version.id)
      setNotice(
        changed
          ? `Restored “${version.name}”: the text is as it was then.`
          : `The text already is as in “${version.name}”: nothing to restore.`,
      )
      setShown(null)
    })
    outcome.current?.focus()
  }
  const compareForm = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    void compare(String(form.get('from')), String(form.get('to')))
  }

  return (
    <>
      <PageHeader
        title={deliverable ? `Versions of ${deliverable.title}` : 'Versions'}
        back={{ to: `/d/${id}`, label: 'Back to the deliverable' }}
      />
      {data.loading && !data.data && <Loading what="versions" />}
      <ErrorNote error={data.error} />
      {deliverable && (
        <div className="versions">
          {canSave && (
            <form className="form-card inline-fields" onSubmit={save} aria-label="Save a version">
              <Field
                label="Name of the new version"
                name="name"
                required
                maxLength={300}
                hint="For example: Output of meeting 3, Geneva"
              />
              <button type="submit" className="button primary" disabled={action.busy}>
                Save version
              </button>
            </form>
          )}
          <div ref={outcome} tabIndex={-1} className="versions-outcome">
            {notice && (
              <p className="info-note" role="status">
                {notice}
              </p>
            )}
            <ErrorNote error={action.error} />
          </div>
          {data.data?.unreadable.map((u) => (
            <p key={u.id} className="error-note">
              A version could not be read: {u.message}
            </p>
          ))}
          <VersionList
            versions={versions}
            busy={action.busy}
            canRestore={canRestore}
            onView={(v) => void view(v)}
            onCompareWithNow={(v) => void compare(v.id, NOW)}
            onRestore={setConfirming}
          />
          {confirming && (
            <RestoreConfirm
              key={confirming.id}
              version={confirming}
              busy={action.busy}
              onConfirm={() => void restore(confirming)}
              onCancel={() => setConfirming(null)}
            />
          )}
          {versions.length > 0 && (
            <form className="form-card inline-fields" onSubmit={compareForm} aria-label="Compare versions">
              <VersionSelect name="from" label="Compare" versions={versions} />
              <VersionSelect name="to" label="with" versions={versions} withNow />
              <button type="submit" className="button" disabled={action.busy}>
                Compare
              </button>
            </form>
          )}
          {shown?.kind === 'version' && <VersionView version={shown.version} />}
          {shown?.kind === 'comparison' && <ComparisonView comparison={shown.comparison} />}
        </div>
      )}
    </>
  )
}

function VersionSelect(props: { name: string; label: string; versions: ApiVersion[]; withNow?: boolean }) {
  const selectId = `compare-${props.name}`
  return (
    <div className="field">
      <label htmlFor={selectId}>{props.label}</label>
      <select id={selectId} name={props.name} defaultValue={props.withNow ? NOW : props.versions[0]?.id}>
        {props.withNow && <option value={NOW}>Now (the present text)</option>}
        {props.versions.map((v) => (
          <option key={v.id} value={v.id}>
            {v.name} ({formatWhen(v.createdAt)})
          </option>
        ))}
      </select>
    </div>
  )
}
