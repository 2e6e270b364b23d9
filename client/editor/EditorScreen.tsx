import type { Editor } from '@tiptap/core'
import { useCallback, useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import type { Section } from '../../shared/api/sections.ts'
import type { DeliverableRole } from '../../shared/domain/types.ts'
import { loginPath, useMe } from '../account/auth.tsx'
import { UserMenu } from '../account/UserMenu.tsx'
import { CommentMargin } from '../annotations/CommentMargin.tsx'
import { SuggestionToggle } from '../annotations/SuggestionToggle.tsx'
import { useAnnotations } from '../annotations/useAnnotations.ts'
import { api } from '../api/endpoints.ts'
import { type ApiDeliverable, DELIVERABLE_TYPE_LABELS } from '../api/types.ts'
import { useResource } from '../api/useResource.ts'
import { EditorBanners } from '../collab/EditorBanners.tsx'
import { PresenceList } from '../collab/PresenceList.tsx'
import { RecoveryPanel } from '../collab/RecoveryPanel.tsx'
import { SyncStatus } from '../collab/SyncStatus.tsx'
import { useCollabSession } from '../collab/useCollabSession.ts'
import { usePresence } from '../collab/usePresence.ts'
import { useStatusAnnouncements } from '../collab/useStatusAnnouncements.ts'
import { useUnsavedWarning } from '../collab/useUnsavedWarning.ts'
import { ClausePanel } from '../consensus/ClausePanel.tsx'
import { ConsensusOutline } from '../consensus/ConsensusOutline.tsx'
import { ConsensusProgress } from '../consensus/ConsensusProgress.tsx'
import { KeptTextActions } from '../consensus/KeptTextActions.tsx'
import { useConsensusController } from '../consensus/useConsensusController.ts'
import { roleOf } from '../members/members.ts'
import { useAnnounce } from '../shell/Announcer.tsx'
import { SkipLink } from '../shell/SkipLink.tsx'
import { ErrorNote, Loading } from '../shell/ui.tsx'
import { DocumentEditor } from './DocumentEditor.tsx'
import { useOutline } from './useOutline.ts'

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
  sections: readonly Section[]
  abilities: ApiDeliverable['abilities']
}

const NO_SECTIONS: readonly Section[] = []

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
  // Comments and suggestions (#24); suggestion mode lets a participant place a caret while nothing changes.
  const annotations = useAnnotations({
    deliverableId: props.deliverableId,
    userId: me.id,
    abilities: props.abilities,
    session: control.generation >= 0 ? session : null,
    online: state.connection === 'online',
    editor,
    users: consensus.users,
    announce: consensus.announce,
  })
  const suggestingOnly = annotations.intercepting && !state.ended && !recovering
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
          <SuggestionToggle annotations={annotations} />
          <div className="annotated-document">
            {control.generation >= 0 && (
              <DocumentEditor
                key={control.generation}
                session={session}
                title={props.title}
                user={{ name: me.name, organization: me.organization, color: me.color }}
                editable={(canEdit || suggestingOnly) && state.synced}
                readOnly={!canEdit}
                consensus={consensus.view}
                synced={state.synced}
                onEditor={onEditor}
                notify={announce}
              />
            )}
            <CommentMargin
              annotations={annotations}
              editor={editor}
              outline={outline}
              selectedClauseId={consensus.selectedId}
            />
          </div>
        </main>
        <ClausePanel
          controller={consensus}
          outline={outline}
          editor={editor}
          body={control.generation >= 0 ? session.body : null}
          synced={state.synced}
          editable={canEdit && state.synced}
          annotations={annotations}
        />
      </div>
    </div>
  )
}
