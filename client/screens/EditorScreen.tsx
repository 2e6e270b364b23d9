import type { Editor } from '@tiptap/core'
import { useCallback, useMemo, useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import type { DeliverableRole } from '../../shared/domain/types.ts'
import { loginPath, useMe } from '../api/auth.tsx'
import { api } from '../api/endpoints.ts'
import { roleOf } from '../api/members.ts'
import { DELIVERABLE_TYPE_LABELS } from '../api/types.ts'
import { useResource } from '../api/useResource.ts'
import { useAnnounce } from '../components/Announcer.tsx'
import { DocumentEditor } from '../components/editor/DocumentEditor.tsx'
import { EditorBanners } from '../components/editor/EditorBanners.tsx'
import { OutlineTree } from '../components/editor/OutlineTree.tsx'
import { PresenceList } from '../components/editor/PresenceList.tsx'
import { RecoveryPanel } from '../components/editor/RecoveryPanel.tsx'
import { SyncStatus } from '../components/editor/SyncStatus.tsx'
import { SkipLink } from '../components/SkipLink.tsx'
import { UserMenu } from '../components/UserMenu.tsx'
import { ErrorNote, Loading } from '../components/ui.tsx'
import { useCollabSession } from '../editor/useCollabSession.ts'
import { useOutline } from '../editor/useOutline.ts'
import { usePresence } from '../editor/usePresence.ts'
import { useStatusAnnouncements } from '../editor/useStatusAnnouncements.ts'
import { useUnsavedWarning } from '../editor/useUnsavedWarning.ts'

/** The deliverable editor: outline, live text, presence and an honest connection and saving state. */
export function EditorScreen() {
  const { id = '' } = useParams()
  const me = useMe()
  const loaded = useResource(() => api.deliverable(id), [id])
  const deliverable = loaded.data?.deliverable

  return (
    <>
      <SkipLink />
      {!deliverable ? (
        <>
          <header className="app-header">
            <Link to="/" className="back-link">
              <span aria-hidden="true">← </span>Workspace
            </Link>
          </header>
          <main id="main" tabIndex={-1} className="page">
            {loaded.loading && <Loading what="the deliverable" />}
            <ErrorNote error={loaded.error} />
          </main>
        </>
      ) : (
        <LiveEditor
          key={`${id}:${me.id}`}
          deliverableId={id}
          title={deliverable.title}
          typeLabel={DELIVERABLE_TYPE_LABELS[deliverable.type] ?? deliverable.type}
          mayEdit={!!deliverable.abilities['edit-text']}
          canManage={!!deliverable.abilities['manage-members']}
          role={roleOf<DeliverableRole>(deliverable.members, me.id)}
          sectionStatuses={Object.fromEntries((loaded.data?.sections ?? []).map((s) => [s.id, s.status]))}
        />
      )}
    </>
  )
}

interface LiveEditorProps {
  deliverableId: string
  title: string
  typeLabel: string
  mayEdit: boolean
  canManage: boolean
  role: DeliverableRole | undefined
  sectionStatuses: Record<string, string>
}

function LiveEditor(props: LiveEditorProps) {
  const me = useMe()
  const announce = useAnnounce()
  const control = useCollabSession(props.deliverableId, me.id, props.mayEdit)
  const { session, state } = control
  const [editor, setEditor] = useState<Editor | null>(null)
  const outline = useOutline(editor)
  const people = usePresence(control.generation >= 0 ? session : null, announce)
  useUnsavedWarning(state.unsaved)
  useStatusAnnouncements(state, announce)

  const recovering = control.recovery?.inProgress || control.recovery?.halted
  const canEdit = props.mayEdit && state.canEdit !== false && !state.ended && !recovering
  const statuses = useMemo(() => {
    const merged: Record<string, string> = { ...props.sectionStatuses }
    for (const [sectionId, section] of Object.entries(state.sections)) merged[sectionId] = section.status
    for (const locked of state.lockedIds) merged[locked] = 'agreed'
    return merged
  }, [props.sectionStatuses, state.sections, state.lockedIds])
  const onEditor = useCallback((next: Editor | null) => setEditor(next), [])
  const back = loginPath(`/d/${props.deliverableId}`)

  return (
    <div className="editor-page">
      <header className="editor-header">
        <div className="editor-title">
          <Link to="/" className="back-link">
            <span aria-hidden="true">← </span>Workspace
          </Link>
          <h1>{props.title}</h1>
          <span className="muted small">{props.typeLabel}</span>
        </div>
        <SyncStatus state={state} onDismissMerge={() => session?.dismissMerge()} />
        <PresenceList people={people} editor={editor} session={control.generation >= 0 ? session : null} />
        <div className="editor-header-actions">
          {props.canManage && (
            <Link to={`/d/${props.deliverableId}/members`} className="button small">
              Members
            </Link>
          )}
          <UserMenu />
        </div>
      </header>
      <div className="editor-layout">
        <nav className="outline" aria-label="Outline">
          <h2 id="outline-heading">Outline</h2>
          <OutlineTree outline={outline} statuses={statuses} editor={editor} labelledBy="outline-heading" />
        </nav>
        <main id="main" tabIndex={-1} className="editor-main">
          <EditorBanners
            mayEdit={props.mayEdit}
            serverCanEdit={state.canEdit}
            role={props.role}
            ended={state.ended}
            loginHref={back}
          />
          {control.recovery && (
            <RecoveryPanel recovery={control.recovery} onDismiss={control.dismissRecovery} />
          )}
          {control.generation >= 0 && (
            <DocumentEditor
              key={control.generation}
              session={session}
              title={props.title}
              user={{ name: me.name, organization: me.organization, color: me.color }}
              editable={canEdit && state.synced}
              readOnly={!canEdit}
              statuses={statuses}
              lockedIds={state.lockedIds}
              synced={state.synced}
              onEditor={onEditor}
              notify={announce}
            />
          )}
        </main>
      </div>
    </div>
  )
}
