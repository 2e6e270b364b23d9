/** The editor's extensions: the shared schema, collaboration bound to the replica, and Accord's own behaviour. */
import type { AnyExtension } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { accordSchemaExtensions, BODY_FIELD } from '../../shared/editor/extensions.ts'
import { AnnotationDecorations } from '../annotations/annotationDecorations.ts'
import type { CollabSession } from '../collab/collabSession.ts'
import { presenceColor, readableTextColor } from '../collab/colors.ts'
import { ConsensusBadges } from '../consensus/clauseBadges.ts'
import { CaretKeeper } from './caretKeeper.ts'
import { ClauseCommands } from './clauseCommands.ts'
import { ClauseDecorations, type SortRequest } from './clauseDecorations.ts'
import { ConsensusState } from './consensusState.ts'
import { EntryCommands } from './entryCommands.ts'
import { LockGuard } from './lockGuard.ts'
import { othersAwareness } from './othersAwareness.ts'
import { PasteCleanup } from './pasteCleanup.ts'
import { RefusalNotice } from './refusalNotice.ts'
import { RemoteChangeViewport } from './remoteChangeViewport.ts'
import { ScrollAfterFrame } from './scrollAfterFrame.ts'
import { SuggestionMode } from './suggestionMode.ts'
import { TextAnchors } from './textAnchors.ts'
import { STRUCTURE_ORIGIN } from './yStructure.ts'

export interface PresenceUser {
  name: string
  organization?: string
  color?: string
}

export interface EditorExtensionOptions {
  session: CollabSession
  user: PresenceUser
  notify: (message: string) => void
  onSort: SortRequest
}

function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = presenceColor(user.color)
  const caret = document.createElement('span')
  caret.className = 'collaboration-carets__caret'
  caret.style.borderColor = color
  const label = document.createElement('span')
  label.className = 'collaboration-carets__label'
  label.style.backgroundColor = color
  label.style.color = readableTextColor(color)
  label.textContent = typeof user.name === 'string' ? user.name : 'Someone'
  caret.append(label)
  return caret
}

export function editorExtensions(options: EditorExtensionOptions): AnyExtension[] {
  const { session } = options
  return [
    ...accordSchemaExtensions(),
    Collaboration.configure({
      document: session.ydoc,
      field: BODY_FIELD,
      // Moves and sorts are made on the Yjs document directly; they are the user's own changes to undo.
      yUndoOptions: { trackedOrigins: [STRUCTURE_ORIGIN] },
    }),
    CollaborationCaret.configure({
      provider: { awareness: othersAwareness(session.provider.awareness) },
      user: options.user,
      render: renderCaret,
    }),
    CaretKeeper,
    RemoteChangeViewport,
    ScrollAfterFrame,
    ConsensusState,
    LockGuard,
    RefusalNotice.configure({ notify: options.notify }),
    ClauseDecorations.configure({ onSort: options.onSort }),
    ConsensusBadges,
    ClauseCommands.configure({ notify: options.notify }),
    EntryCommands.configure({ notify: options.notify }),
    PasteCleanup,
    TextAnchors.configure({ doc: session.ydoc }),
    // Comments and suggestions (#24): drawn beside the text, and suggestion mode's interception of edits.
    AnnotationDecorations,
    SuggestionMode,
  ]
}
