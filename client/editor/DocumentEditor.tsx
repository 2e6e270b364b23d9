import type { Editor } from '@tiptap/core'
import { EditorContent, useEditor } from '@tiptap/react'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { CollabSession } from '../collab/collabSession.ts'
import type { SortRequest } from './clauseDecorations.ts'
import { type ConsensusView, setConsensusState } from './consensusState.ts'
import { EditorToolbar } from './EditorToolbar.tsx'
import { editorExtensions, type PresenceUser } from './editorExtensions.ts'

interface Props {
  session: CollabSession
  title: string
  user: PresenceUser
  /** Typing allowed now: the user may edit and the first sync is done. */
  editable: boolean
  /** The user may not edit at all (the toolbar goes away). */
  readOnly: boolean
  synced: boolean
  /** Statuses, locks and required clauses, as the server said them. */
  consensus: ConsensusView
  onEditor: (editor: Editor | null) => void
  notify: (message: string) => void
}

/** The Tiptap editor bound to one replica; remounted (by key) when the replica is replaced after a refusal. */
export function DocumentEditor(props: Props) {
  const { session, notify } = props
  const editorRef = useRef<Editor | null>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: extensions are fixed for the editor's lifetime
  const extensions = useMemo(() => {
    const onSort: SortRequest = (problem) => {
      // By id: the button was drawn with the clause's position then, and text may have come before it since.
      editorRef.current?.commands.sortEntries(problem.entry, problem.clauseId)
    }
    return editorExtensions({ session, user: props.user, notify, onSort })
  }, [session])
  const editor = useEditor(
    {
      extensions,
      editable: false,
      shouldRerenderOnTransaction: false,
      editorProps: {
        attributes: {
          // Tiptap's own role is lost when editorProps are set again on re-render: state it here.
          role: 'textbox',
          'aria-label': `Text of ${props.title}`,
          'aria-multiline': 'true',
          class: 'itu-document',
          lang: 'en',
          spellcheck: 'true',
        },
      },
    },
    [session],
  )
  editorRef.current = editor
  const [linking, setLinking] = useState(false)

  const { onEditor } = props
  useEffect(() => {
    onEditor(editor)
    return () => onEditor(null)
  }, [editor, onEditor])

  useEffect(() => {
    if (!editor || editor.isDestroyed) return
    if (editor.isEditable !== props.editable) editor.setEditable(props.editable)
  }, [editor, props.editable])

  useEffect(() => {
    if (!editor || editor.isDestroyed) return
    setConsensusState(editor.view, props.consensus)
  }, [editor, props.consensus])

  return (
    // Catches Ctrl+K from the editor inside it; every control in it has its own keyboard handling.
    // biome-ignore lint/a11y/noStaticElementInteractions: a container listening to its children's keys
    <div
      className="document-area"
      onKeyDown={(event) => {
        if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k' && props.editable) {
          event.preventDefault()
          setLinking(true)
        }
      }}
    >
      {!props.readOnly && (
        <EditorToolbar editor={editor} disabled={!props.editable} linking={linking} setLinking={setLinking} />
      )}
      {!props.synced && (
        <p className="sync-wait" role="status">
          Loading the latest text from the server…
        </p>
      )}
      <div className="paper">
        <EditorContent editor={editor} />
      </div>
    </div>
  )
}
