import type { Editor } from '@tiptap/core'
import { useCallback, useMemo, useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import type { DeliverableRole } from '../../shared/domain/types.ts'
import { loginPath, useMe } from '../api/auth.tsx'
import { api } from '../api/endpoints.ts'
import { roleOf } from '../api/members.ts'
import { type ApiDeliverable, type ApiSection, DELIVERABLE_TYPE_LABELS } from '../api/types.ts'
import { useResource } from '../api/useResource.ts'
import { useAnnounce } from '../components/Announcer.tsx'
import { DocumentEditor } from '../components/editor/DocumentEditor.tsx'
import { EditorBanners } from '../components/editor/EditorBanners.tsx'
import { PresenceList } from '../components/editor/PresenceList.tsx'
import { RecoveryPanel } from '../components/editor/RecoveryPanel.tsx'
import { SyncStatus } from '../components/editor/SyncStatus.tsx'
import { SkipLink } from '../components/SkipLink.tsx'
import { UserMenu } from '../components/UserMenu.tsx'
import { ErrorNote, Loading } from '../components/ui.tsx'
import { ClausePanel } from '../consensus/ClausePanel.tsx'
import { ConsensusOutline } from '../consensus/ConsensusOutline.tsx'
import { ConsensusProgress } from '../consensus/ConsensusProgress.tsx'
import { KeptTextActions } from '../consensus/KeptTextActions.tsx'
import { useConsensusController } from '../consensus/useConsensusController.ts'
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
          sections={loaded.data?.sections ?? NO_SECTIONS}
          abilities={deliverable.abilities}
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
  sections: readonly ApiSection[]
  abilities: ApiDeliverable['abilities']
}

const NO_SECTIONS: readonly ApiSection[] = []

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
  // The consensus state of every clause: the API's sections, then live messages and the user's own actions.
  const consensus = useConsensusController({
    deliverableId: props.deliverableId,
    userId: me.id,
    abilities: props.abilities,
    sections: props.sections,
    live: state.sections,
    outline,
    editor,
  })
  const statuses = useMemo(() => {
    const merged: Record<string, string> = {}
    for (const [sectionId, section] of Object.entries(consensus.clauses)) merged[sectionId] = section.status
    for (const locked of state.lockedIds) merged[locked] = 'agreed'
    return merged
  }, [consensus.clauses, state.lockedIds])
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
        <ConsensusProgress progress={consensus.progress} />
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
          <ConsensusOutline
            outline={outline}
            statuses={statuses}
            editor={editor}
            controller={consensus}
            labelledBy="outline-heading"
          />
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
            <RecoveryPanel
              recovery={control.recovery}
              onDismiss={control.dismissRecovery}
              renderActions={(item) => <KeptTextActions controller={consensus} item={item} />}
            />
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
        <ClausePanel
          controller={consensus}
          outline={outline}
          editor={editor}
          body={control.generation >= 0 ? session.body : null}
          synced={state.synced}
          editable={canEdit && state.synced}
          lockedIds={state.lockedIds}
        />
      </div>
    </div>
  )
}
