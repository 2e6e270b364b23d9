/**
 * Everything the annotation components of the editor screen share: the deliverable's comments and suggestions
 * (kept live), what the user may do with them (abilities from the server), suggestion mode and its draft, and the
 * thread the user is looking at. Draws them in the editor through AnnotationDecorations.
 */
import type { Editor } from '@tiptap/core'
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import type { PresentedComment, PresentedSuggestion } from '../../shared/api/annotations.ts'
import type { ApiDeliverable, ApiUser } from '../api/types.ts'
import type { CollabSession } from '../collab/collabSession.ts'
import { userName } from '../consensus/useClauseRecord.ts'
import { setSuggestionHandler } from '../editor/suggestionMode.ts'
import { type Author, setAnnotationView } from './annotationDecorations.ts'
import { type AnnotationSnapshot, AnnotationStore } from './annotationStore.ts'
import { annotationsApi } from './annotationsApi.ts'
import type { Mentionable } from './mentions.ts'
import { type SuggestionDraft, SuggestionDrafts } from './suggestionDrafts.ts'

export interface AnnotationsInput {
  deliverableId: string
  userId: string
  abilities: ApiDeliverable['abilities']
  session: CollabSession | null
  /** The connection is up: after a reconnect, what was pushed meanwhile is fetched again. */
  online: boolean
  editor: Editor | null
  users: ReadonlyMap<string, ApiUser>
  announce: (message: string) => void
}

export interface AnnotationsController {
  deliverableId: string
  userId: string
  comments: readonly PresentedComment[]
  suggestions: readonly PresentedSuggestion[]
  error: string | null
  mayComment: boolean
  maySuggest: boolean
  mayDecide: boolean
  mayResolveAny: boolean
  /** Participants are always in suggestion mode; editors and chairs choose. */
  suggestionModeForced: boolean
  suggesting: boolean
  /**
   * Suggestion mode intercepts this editor's edits now: only then may a user who cannot edit get an editable
   * editor (an update of theirs would be refused by the server and end the replica).
   */
  intercepting: boolean
  setSuggesting: (on: boolean) => void
  draft: SuggestionDraft | null
  /** Whom a comment may mention (those who may see the deliverable), for the mention picker. */
  members: readonly Mentionable[]
  activeThreadId: string | null
  setActiveThread: (id: string | null) => void
  /** An item the user made or changed, from the server's answer (live messages bring it to others). */
  merge: (comments: PresentedComment[], suggestions: PresentedSuggestion[]) => void
  authorName: (userId: string) => string
  announce: (message: string) => void
}

export function useAnnotations(input: AnnotationsInput): AnnotationsController {
  const { deliverableId, userId, abilities, session, online, editor, users, announce } = input
  const store = useMemo(() => new AnnotationStore(deliverableId), [deliverableId])
  useEffect(() => () => store.destroy(), [store])
  const loaded = useSyncExternalStore(store.subscribe, store.getSnapshot)
  // Asked for as the live connection opens, while the text travels (asked once synced, the comments of a large
  // deliverable came ~50 ms after its text), and shown once the text is there: anchors resolve in the text, not in
  // an empty replica. Not earlier: the server would serve the lists before the replica's sync request, which it
  // has by then, and the text would wait for them.
  useEffect(() => {
    if (!session) return
    let asked = false
    const ask = () => {
      if (asked) return
      asked = true
      void store.load()
    }
    if (session.socketOpen) ask()
    return session.onSocketOpen(ask)
  }, [store, session])
  const [synced, setSynced] = useState(online)
  useEffect(() => {
    if (!online) return
    setSynced(true)
    // Connected (again): pushed changes reach this client from now on; what changed before, the load tells.
    void store.load({ ifChanged: true })
  }, [store, online])
  const snapshot = synced ? loaded : NOTHING_YET
  useEffect(
    () => session?.onAnnotations((message) => store.merge(message.comments, message.suggestions)),
    [session, store],
  )

  const mayComment = !!abilities.comment
  const members = useMentionable(deliverableId, mayComment)
  const maySuggest = !!abilities.suggest
  const mayEditText = !!abilities['edit-text']
  const suggestionModeForced = maySuggest && !mayEditText
  const [chosen, setSuggesting] = useState(false)
  const suggesting = maySuggest && (suggestionModeForced || chosen)
  const [draft, setDraft] = useState<SuggestionDraft | null>(null)
  const [activeThreadId, setActiveThread] = useState<string | null>(null)
  const [draftError, setDraftError] = useState<string | null>(null)
  const [interceptedEditor, setInterceptedEditor] = useState<Editor | null>(null)

  const merge = useCallback(
    (comments: PresentedComment[], suggestions: PresentedSuggestion[]) => store.merge(comments, suggestions),
    [store],
  )
  const announceRef = useRef(announce)
  announceRef.current = announce

  // Suggestion mode: the editor hands edits to the drafts instead of changing the text.
  useEffect(() => {
    if (!editor || editor.isDestroyed || !suggesting) return
    const drafts = new SuggestionDrafts(editor, {
      deliverableId,
      userId,
      onDraft: setDraft,
      onSent: (suggestion) => {
        setDraftError(null)
        store.merge([], [suggestion])
        announceRef.current('Suggestion saved')
      },
      onError: (message) => {
        setDraftError(message)
        announceRef.current(message)
      },
      isOpen: (id) => store.getSnapshot().suggestions.some((s) => s.id === id && s.status === 'open'),
    })
    setSuggestionHandler(editor.view, (edit) => drafts.edit(edit))
    setInterceptedEditor(editor)
    const onBlur = () => drafts.send()
    editor.on('blur', onBlur)
    return () => {
      setInterceptedEditor(null)
      editor.off('blur', onBlur)
      drafts.destroy()
      if (!editor.isDestroyed) setSuggestionHandler(editor.view, null)
      setDraft(null)
    }
  }, [editor, suggesting, deliverableId, userId, store])

  const authorOf = useCallback(
    (id: string): Author => ({ name: userName(users, id), color: users.get(id)?.color }),
    [users],
  )
  useEffect(() => {
    if (!editor || editor.isDestroyed) return
    setAnnotationView(editor.view, {
      comments: snapshot.comments,
      suggestions: snapshot.suggestions,
      draft,
      activeThreadId,
      authorOf,
    })
  }, [editor, snapshot, draft, activeThreadId, authorOf])

  const authorName = useCallback((id: string) => userName(users, id), [users])
  const intercepting = suggesting && !!editor && interceptedEditor === editor
  const error = draftError ?? snapshot.error
  const mayDecide = !!abilities['decide-suggestion']
  const mayResolveAny = !!abilities['resolve-comment']
  const controller: AnnotationsController = {
    deliverableId,
    userId,
    comments: snapshot.comments,
    suggestions: snapshot.suggestions,
    error,
    mayComment,
    maySuggest,
    mayDecide,
    mayResolveAny,
    suggestionModeForced,
    suggesting,
    intercepting,
    setSuggesting,
    draft,
    members,
    activeThreadId,
    setActiveThread,
    merge,
    authorName,
    announce,
  }
  // One object while none of its fields changed: the margin's threads are not drawn again on every keystroke.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the dependencies are the object's own fields
  return useMemo(() => controller, Object.values(controller))
}

const NOBODY: readonly Mentionable[] = []
const NOTHING_YET: AnnotationSnapshot = { comments: [], suggestions: [], loaded: false, error: null }

/** Whom the user may mention, fetched once when they may comment (a failure leaves the picker empty). */
function useMentionable(deliverableId: string, mayComment: boolean): readonly Mentionable[] {
  const [members, setMembers] = useState<readonly Mentionable[]>(NOBODY)
  useEffect(() => {
    if (!mayComment) return
    const controller = new AbortController()
    annotationsApi.mentionable(deliverableId, controller.signal).then(
      ({ users }) => setMembers(users),
      () => undefined,
    )
    return () => controller.abort()
  }, [deliverableId, mayComment])
  return members
}
