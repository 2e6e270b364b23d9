import type { Editor } from '@tiptap/core'
import { memo, useCallback, useEffect, useMemo, useState } from 'react'
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
import type { CollabSession, SettledState } from '../collab/collabSession.ts'
import { EditorBanners } from '../collab/EditorBanners.tsx'
import { PresenceList } from '../collab/PresenceList.tsx'
import { RecoveryPanel } from '../collab/RecoveryPanel.tsx'
import { MergeNote, SyncStatus } from '../collab/SyncStatus.tsx'
import { type CollabControl, useCollabSession } from '../collab/useCollabSession.ts'
import { usePresence } from '../collab/usePresence.ts'
import { useStatusAnnouncements } from '../collab/useStatusAnnouncements.ts'
import { useUnsavedWarning } from '../collab/useUnsavedWarning.ts'
import { ClausePanel } from '../consensus/ClausePanel.tsx'
import { ConsensusOutline } from '../consensus/ConsensusOutline.tsx'
import { ConsensusProgress } from '../consensus/ConsensusProgress.tsx'
import { KeptTextActions } from '../consensus/KeptTextActions.tsx'
import { useConsensusController } from '../consensus/useConsensusController.ts'
import { ExportMenu } from '../export/ExportMenu.tsx'
import { EditorMeeting } from '../meetings/EditorMeeting.tsx'
import { roleOf } from '../members/members.ts'
import { useAnnounce } from '../shell/Announcer.tsx'
import { Drawer, DrawerToggle, useDrawer } from '../shell/Drawer.tsx'
import { type BarItem, OverflowBar } from '../shell/OverflowBar.tsx'
import { SkipLink } from '../shell/SkipLink.tsx'
import { ErrorNote, Loading } from '../shell/ui.tsx'
import { DocumentEditor } from './DocumentEditor.tsx'
import { takePrefetchedDeliverable } from './deliverablePrefetch.ts'
import { useOutline } from './useOutline.ts'

/** The deliverable editor: outline, live text, presence and an honest connection and saving state. */
export function EditorScreen() {
  const { id = '' } = useParams()
  const me = useMe()
  const loaded = useResource(() => takePrefetchedDeliverable(id) ?? api.deliverable(id), [id])
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
// What the header keeps in view when it is short of room, the most needed first; the rest goes into its menu.
const KEEP_FIRST = ['merge', 'people', 'progress', 'versions', 'members', 'user']
// Where the side columns become drawers (layout.css): three columns need 80rem, two need 60rem.
const CLAUSE_DRAWER_BELOW = '(max-width: 80rem)'
const OUTLINE_DRAWER_BELOW = '(max-width: 60rem)'

/**
 * Holds the replica. Its saving state flips twice per keystroke (the change, then the server's confirmation): only
 * the status pill follows it (LiveSyncStatus); this component and the editor screen follow the rest of the state
 * (SettledState), so typing renders nothing else. A React commit that changes the page saves the selection first,
 * a walk of the editor's DOM up to the caret: on the 120,000-word deliverable that is most of a React commit's cost.
 */
function LiveEditor(props: LiveEditorProps) {
  const me = useMe()
  const control = useCollabSession(props.deliverableId, me.id, props.mayEdit)
  const session = control.generation >= 0 ? control.session : null
  useUnsavedWarning(session)
  return (
    <EditorWorkspace
      {...props}
      session={session}
      generation={control.generation}
      state={control.state}
      recovery={control.recovery}
      dismissRecovery={control.dismissRecovery}
    />
  )
}

interface WorkspaceProps extends LiveEditorProps {
  /** Null before the first replica exists. */
  session: CollabSession | null
  generation: number
  state: SettledState
  recovery: CollabControl['recovery']
  dismissRecovery: () => void
}

/** While typing goes on, "All changes saved" waits this long for the next key before it shows. */
const SAVED_SETTLE_MS = 250

/**
 * The saving state, read from the replica itself (see LiveEditor). "Saving…" shows at once, so "All changes saved"
 * never shows while something is not on the server; "All changes saved" shows once the state stayed so for
 * SAVED_SETTLE_MS, so that the pill does not flip twice per keystroke (each flip is a React commit, which walks
 * the whole editor's DOM to save the selection).
 */
function LiveSyncStatus({
  session,
  state,
}: {
  session: CollabSession | null
  state: WorkspaceProps['state']
}) {
  const announce = useAnnounce()
  const [unsaved, setUnsaved] = useState(() => session?.getState().unsaved ?? false)
  useEffect(() => {
    if (!session) return
    let timer: ReturnType<typeof setTimeout> | undefined
    const follow = () => {
      clearTimeout(timer)
      if (session.getState().unsaved) setUnsaved(true)
      else timer = setTimeout(() => setUnsaved(false), SAVED_SETTLE_MS)
    }
    follow()
    const unsubscribe = session.subscribe(follow)
    return () => {
      clearTimeout(timer)
      unsubscribe()
    }
  }, [session])
  const shown = useMemo(() => ({ ...state, unsaved }), [state, unsaved])
  useStatusAnnouncements(shown, announce)
  return <SyncStatus state={shown} />
}

const EditorWorkspace = memo(function EditorWorkspace(props: WorkspaceProps) {
  const me = useMe()
  const announce = useAnnounce()
  const { session, generation, state, recovery, dismissRecovery } = props
  const [editor, setEditor] = useState<Editor | null>(null)
  const outline = useOutline(editor)
  const people = usePresence(session, announce)

  const recovering = recovery?.inProgress || recovery?.halted
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
    session,
    online: state.connection === 'online',
    editor,
    users: consensus.users,
    announce: consensus.announce,
  })
  const suggestingOnly = annotations.intercepting && !state.ended && !recovering
  const onEditor = useCallback((next: Editor | null) => setEditor(next), [])
  const back = loginPath(`/d/${props.deliverableId}`)

  const outlineDrawer = useDrawer('outline-drawer', OUTLINE_DRAWER_BELOW)
  const clauseDrawer = useDrawer('clause-drawer', CLAUSE_DRAWER_BELOW)
  // An objection raised from elsewhere (text kept after a refusal) is written in the clause panel: show it.
  const objectionNonce = consensus.objectionDraft?.nonce
  const showClausePanel = clauseDrawer.show
  useEffect(() => {
    if (objectionNonce !== undefined) showClausePanel()
  }, [objectionNonce, showClausePanel])

  // The header is one line at every width: what does not fit moves into its menu (KEEP_FIRST).
  const headerItems: BarItem[] = [
    ...(state.merged
      ? [
          {
            key: 'merge',
            node: <MergeNote merged={state.merged} onDismiss={() => session?.dismissMerge()} />,
          },
        ]
      : []),
    ...(consensus.progress.total > 0
      ? [{ key: 'progress', node: <ConsensusProgress progress={consensus.progress} /> }]
      : []),
    { key: 'people', node: <PresenceList people={people} editor={editor} session={session} /> },
    {
      key: 'versions',
      node: (
        <Link to={`/d/${props.deliverableId}/versions`} className="button small">
          Versions
        </Link>
      ),
    },
    ...(props.canManage
      ? [
          {
            key: 'members',
            node: (
              <Link to={`/d/${props.deliverableId}/members`} className="button small">
                Members
              </Link>
            ),
          },
        ]
      : []),
    { key: 'user', node: <UserMenu /> },
  ]

  return (
    <div className="editor-page">
      <header className="editor-header">
        <DrawerToggle drawer={outlineDrawer}>Outline</DrawerToggle>
        <div className="editor-title">
          <Link to="/" className="back-link">
            <span aria-hidden="true">← </span>Workspace
          </Link>
          <h1 title={props.title}>{props.title}</h1>
          <span className="muted small editor-type">{props.typeLabel}</span>
        </div>
        <LiveSyncStatus session={props.session} state={state} />
        <OverflowBar items={headerItems} keepFirst={KEEP_FIRST} />
        {/* Outside the bar: its panel must not be clipped by the bar's one line. */}
        {props.abilities.export && <ExportMenu deliverableId={props.deliverableId} />}
        <DrawerToggle drawer={clauseDrawer}>Clause</DrawerToggle>
      </header>
      <div className="editor-layout">
        <Drawer drawer={outlineDrawer} side="start" closeOnActivate='[role="treeitem"]'>
          <nav className="outline" aria-label="Outline">
            <h2 id="outline-heading">Outline</h2>
            <ConsensusOutline
              outline={outline}
              editor={editor}
              controller={consensus}
              labelledBy="outline-heading"
            />
          </nav>
        </Drawer>
        <main id="main" tabIndex={-1} className="editor-main">
          <div className="print-title" aria-hidden="true">
            <p className="print-type">{props.typeLabel}</p>
            <p className="print-name">{props.title}</p>
          </div>
          <EditorMeeting
            provider={session?.provider ?? null}
            deliverableId={props.deliverableId}
            outline={outline}
            editor={editor}
            me={me}
          />
          <EditorBanners
            mayEdit={props.mayEdit}
            serverCanEdit={state.canEdit}
            role={props.role}
            ended={state.ended}
            loginHref={back}
          />
          {recovery && (
            <RecoveryPanel
              recovery={recovery}
              onDismiss={dismissRecovery}
              renderActions={(item) => <KeptTextActions controller={consensus} item={item} />}
            />
          )}
          <SuggestionToggle annotations={annotations} />
          <div className="annotated-document">
            {session && (
              <DocumentEditor
                key={generation}
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
        <Drawer drawer={clauseDrawer} side="end">
          <ClausePanel
            controller={consensus}
            outline={outline}
            editor={editor}
            body={session?.body ?? null}
            synced={state.synced}
            editable={canEdit && state.synced}
            annotations={annotations}
          />
        </Drawer>
      </div>
    </div>
  )
})
