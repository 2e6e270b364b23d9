import type { Editor } from '@tiptap/core'
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { avatarTexts } from './avatarText.ts'
import type { CollabSession } from './collabSession.ts'
import { readableTextColor } from './colors.ts'
import type { Person } from './usePresence.ts'

/** Where a person's caret is in the editor, or null when they have none (or it cannot be resolved). */
function caretPosition(editor: Editor, session: CollabSession, clientId: number): number | null {
  const cursor = session.provider.awareness.getStates().get(clientId)?.cursor as
    | { head?: unknown }
    | undefined
  const sync = ySyncPluginKey.getState(editor.state) as
    | { type: Y.XmlFragment; binding?: { mapping: Map<unknown, unknown> } }
    | undefined
  if (!cursor?.head || !sync?.binding) return null
  return relativePositionToAbsolutePosition(
    session.ydoc,
    sync.type,
    Y.createRelativePositionFromJSON(cursor.head),
    sync.binding.mapping as never,
  )
}

function scrollToPerson(editor: Editor | null, session: CollabSession | null, person: Person): void {
  if (!editor || !session) return
  const pos = caretPosition(editor, session, person.clientId)
  if (pos === null) return
  const { node } = editor.view.domAtPos(Math.min(pos, editor.state.doc.content.size))
  const element = node instanceof HTMLElement ? node : node.parentElement
  element?.scrollIntoView({ block: 'center' })
}

/** Who is in the document; activating a person scrolls the text to their caret. */
export function PresenceList({
  people,
  editor,
  session,
}: {
  people: Person[]
  editor: Editor | null
  session: CollabSession | null
}) {
  const others = people.filter((p) => !p.self).length
  const texts = avatarTexts(people)
  return (
    <section className="presence" aria-label="People in this document">
      <span className="visually-hidden">
        {others === 0
          ? 'Nobody else is here.'
          : `${others} other ${others === 1 ? 'person' : 'people'} here.`}
      </span>
      <ul className="presence-list">
        {people.map((person, index) => {
          const label = `${person.name}${person.organization ? `, ${person.organization}` : ''}${person.self ? ' (you)' : ''}`
          return (
            <li key={person.clientId}>
              <button
                type="button"
                className="avatar"
                style={{ backgroundColor: person.color, color: readableTextColor(person.color) }}
                title={person.self ? label : `${label}: show where they are`}
                disabled={person.self || !person.hasCaret}
                onClick={() => scrollToPerson(editor, session, person)}
              >
                <span aria-hidden="true">{texts[index]}</span>
                <span className="visually-hidden">
                  {person.self ? label : `${label}. Show where they are in the text`}
                </span>
              </button>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
