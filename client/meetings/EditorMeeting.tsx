/** The editor's meeting part: mounted once in the editor screen, shown only while a meeting is in progress. */
import type { Editor } from '@tiptap/core'
import { useCallback, useMemo } from 'react'
import type { WebsocketProvider } from 'y-websocket'
import type { OutlineRow } from '../editor/outline.ts'
import { MeetingBar } from './MeetingBar.tsx'
import { useMeetingLive } from './useMeetingLive.ts'

export function EditorMeeting(props: {
  provider: WebsocketProvider | null
  deliverableId: string
  outline: readonly OutlineRow[]
  editor: Editor | null
  me: { id: string; admin: boolean }
}) {
  const live = useMeetingLive(props.provider, props.deliverableId)
  const clauses = useMemo(
    () => props.outline.map((entry) => ({ id: entry.id, number: entry.number, title: entry.title })),
    [props.outline],
  )
  const editor = props.editor
  const root = useCallback(() => (editor && !editor.isDestroyed ? editor.view.dom : null), [editor])
  return (
    <MeetingBar
      live={live}
      me={props.me}
      deliverableId={props.deliverableId}
      clauses={clauses}
      editorRoot={root}
    />
  )
}
