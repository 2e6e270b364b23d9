/**
 * A comment's text field with an @-mention picker: typing `@` offers the deliverable's members in a list box
 * (the ARIA 1.2 combobox pattern: the field points at the list with `aria-controls` and at the highlighted member
 * with `aria-activedescendant`; ArrowDown/ArrowUp move, Enter inserts `@Name`, Escape closes). The field keeps its
 * textbox role: HTML allows no other role on a textarea, and a textbox may own an active descendant.
 */
import { type KeyboardEvent, useId, useLayoutEffect, useRef, useState } from 'react'
import { insertMention, type Mentionable, membersMatching, mentionQueryAt } from './mentions.ts'

interface Props {
  label: string
  value: string
  onChange: (value: string) => void
  members: readonly Mentionable[]
  rows: number
  autoFocus?: boolean
}

interface Picking {
  start: number
  caret: number
  offered: Mentionable[]
  active: number
}

export function MentionField({ label, value, onChange, members, rows, autoFocus }: Props) {
  const field = useRef<HTMLTextAreaElement>(null)
  const [picking, setPicking] = useState<Picking | null>(null)
  const caretAfterInsert = useRef<number | null>(null)
  const listId = useId()
  const optionId = (index: number) => `${listId}-option-${index}`

  // After a mention was inserted, the caret goes after it (React has just written the new value).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the value was written
  useLayoutEffect(() => {
    const caret = caretAfterInsert.current
    if (caret === null || !field.current) return
    caretAfterInsert.current = null
    field.current.setSelectionRange(caret, caret)
  }, [value])

  const look = (text: string, caret: number) => {
    const typing = mentionQueryAt(text, caret)
    const offered = typing ? membersMatching(members, typing.query) : []
    setPicking(typing && offered.length > 0 ? { start: typing.start, caret, offered, active: 0 } : null)
  }

  const choose = (member: Mentionable) => {
    if (!picking) return
    const next = insertMention(value, picking.start, picking.caret, member)
    caretAfterInsert.current = next.caret
    setPicking(null)
    onChange(next.text)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!picking) return
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return
    const count = picking.offered.length
    const moveBy = { ArrowDown: 1, ArrowUp: -1 }[event.key]
    if (moveBy !== undefined) setPicking({ ...picking, active: (picking.active + moveBy + count) % count })
    else if (event.key === 'Enter') choose(picking.offered[picking.active]!)
    // Closes the list only: the form (or a drawer) around it stays open.
    else if (event.key === 'Escape') setPicking(null)
    else return
    event.preventDefault()
    event.stopPropagation()
  }

  const open = picking !== null
  return (
    <div className="mention-field">
      <label>
        {label}
        <textarea
          ref={field}
          value={value}
          rows={rows}
          required
          // biome-ignore lint/a11y/noAutofocus: the form opens because the user asked to write in it
          autoFocus={autoFocus}
          aria-autocomplete="list"
          aria-controls={open ? listId : undefined}
          aria-activedescendant={open ? optionId(picking.active) : undefined}
          onChange={(event) => {
            onChange(event.target.value)
            look(event.target.value, event.target.selectionStart)
          }}
          onKeyDown={onKeyDown}
          onClick={(event) => look(value, event.currentTarget.selectionStart)}
          onBlur={() => setPicking(null)}
        />
      </label>
      {open && (
        <div className="mention-options" role="listbox" id={listId} aria-label="Members to mention">
          {picking.offered.map((member, index) => (
            // biome-ignore lint/a11y/useFocusableInteractive: the field keeps focus and names the option as its active descendant
            <div
              key={member.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === picking.active}
              className={index === picking.active ? 'active' : undefined}
              // Chosen on mouse down, before the field loses focus and closes the list.
              onMouseDown={(event) => {
                event.preventDefault()
                choose(member)
              }}
            >
              {member.name}
              {member.organization && <span className="muted"> ({member.organization})</span>}
            </div>
          ))}
        </div>
      )}
      <p className="visually-hidden" aria-live="polite">
        {open
          ? `${picking.offered.length} member${picking.offered.length === 1 ? '' : 's'} to mention: arrows to choose, Enter to insert, Escape to close.`
          : ''}
      </p>
    </div>
  )
}
