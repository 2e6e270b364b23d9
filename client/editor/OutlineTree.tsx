import type { Editor } from '@tiptap/core'
import { TextSelection } from '@tiptap/pm/state'
import { type KeyboardEvent, memo, useCallback, useEffect, useRef, useState } from 'react'
import type { SectionStatus } from '../../shared/domain/types.ts'
import { STATUS_LABELS } from '../consensus/clauseConsensus.ts'
import { focusClause } from './clauseCommands.ts'
import { clausePosition, clauseTextStart, type OutlineRow, sameOutlineRow } from './outline.ts'

interface Props {
  outline: OutlineRow[]
  statuses: Readonly<Record<string, SectionStatus>>
  /** Open objections per clause id, shown beside the status. */
  objections?: Readonly<Record<string, number>>
  editor: Editor | null
  labelledBy: string
}

/**
 * Scrolls the text to a clause. With an editable editor the caret goes to the start of the clause's text, so that
 * typing adds to the text and never renames the clause; a clause with no text of its own gets it at the end of
 * its heading.
 */
export function jumpToClause(editor: Editor, entry: OutlineRow): void {
  // The outline is rebuilt after a pause in typing: find the clause in the current text.
  const pos = clausePosition(editor.state.doc, entry.id)
  if (pos < 0) return
  const dom = editor.view.nodeDOM(pos)
  if (dom instanceof HTMLElement) dom.scrollIntoView({ block: 'start' })
  if (!editor.isEditable) return
  // Focus first: focusing a contenteditable puts the browser's caret at its start, which the editor would read.
  editor.view.focus()
  const textStart = clauseTextStart(editor.state.doc, pos)
  if (textStart === null) {
    focusClause(editor, entry.id)
    return
  }
  const { tr } = editor.state
  editor.view.dispatch(tr.setSelection(TextSelection.create(tr.doc, textStart)).scrollIntoView())
}

/**
 * The clause tree as an ARIA tree: one tab stop; Up and Down move, Right goes to the first sub-clause, Left to the
 * parent, Home and End to the ends, Enter or Space opens the clause in the text.
 */
export function OutlineTree({ outline, statuses, objections, editor, labelledBy }: Props) {
  const [active, setActive] = useState(0)
  const list = useRef<HTMLDivElement>(null)
  const activeIndex = Math.min(active, Math.max(outline.length - 1, 0))

  const focusItem = useCallback((index: number) => {
    setActive(index)
    list.current?.querySelector<HTMLElement>(`[data-index="${index}"]`)?.focus()
  }, [])

  // Read at call time, so that the callback (a prop of every row) stays the same while the outline changes.
  const current = useRef(outline)
  current.current = outline
  const open = useCallback(
    (index: number) => {
      const entry = current.current[index]
      if (editor && entry) jumpToClause(editor, entry)
    },
    [editor],
  )

  // Keep the roving tab stop on the same clause when the outline changes under it.
  const activeId = useRef<string | undefined>(undefined)
  useEffect(() => {
    const index = outline.findIndex((e) => e.id === activeId.current)
    if (index >= 0 && index !== activeIndex) setActive(index)
  }, [outline, activeIndex])
  activeId.current = outline[activeIndex]?.id

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const entry = outline[activeIndex]
    if (!entry) return
    let next: number | null = null
    switch (event.key) {
      case 'ArrowDown':
        next = Math.min(activeIndex + 1, outline.length - 1)
        break
      case 'ArrowUp':
        next = Math.max(activeIndex - 1, 0)
        break
      case 'Home':
        next = 0
        break
      case 'End':
        next = outline.length - 1
        break
      case 'ArrowRight':
        next = outline[activeIndex + 1]?.parent === activeIndex ? activeIndex + 1 : activeIndex
        break
      case 'ArrowLeft':
        next = entry.parent >= 0 ? entry.parent : activeIndex
        break
      case 'Enter':
      case ' ':
        event.preventDefault()
        open(activeIndex)
        return
      default:
        return
    }
    event.preventDefault()
    focusItem(next)
  }

  if (outline.length === 0) return <p className="hint">The deliverable has no clauses yet.</p>

  return (
    <div className="outline-tree" role="tree" aria-labelledby={labelledBy} ref={list} onKeyDown={onKeyDown}>
      {outline.map((entry, index) => (
        <OutlineItem
          key={entry.path.join('.')}
          entry={entry}
          index={index}
          // A clause the server has not told about yet (just added) is a draft.
          status={statuses[entry.id] ?? 'draft'}
          objections={objections?.[entry.id] ?? 0}
          tabbable={index === activeIndex}
          hasChildren={outline[index + 1]?.parent === index}
          onOpen={open}
          onFocusIndex={setActive}
        />
      ))}
    </div>
  )
}

interface ItemProps {
  entry: OutlineRow
  index: number
  status: SectionStatus
  objections: number
  tabbable: boolean
  hasChildren: boolean
  onOpen: (index: number) => void
  onFocusIndex: (index: number) => void
}

const OutlineItem = memo(function OutlineItem({
  entry,
  index,
  status,
  objections,
  tabbable,
  hasChildren,
  onOpen,
  onFocusIndex,
}: ItemProps) {
  const title = entry.title || 'Untitled clause'
  const statusLabel = STATUS_LABELS[status]
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the tree handles keys for all its items (roving focus)
    <div
      role="treeitem"
      aria-level={entry.level}
      aria-expanded={hasChildren ? true : undefined}
      aria-selected={tabbable}
      tabIndex={tabbable ? 0 : -1}
      data-index={index}
      data-clause-id={entry.id}
      className={`outline-item level-${Math.min(entry.level, 5)}`}
      onClick={() => {
        onFocusIndex(index)
        onOpen(index)
      }}
      onFocus={() => onFocusIndex(index)}
    >
      {entry.number && <span className="outline-number">{entry.number}</span>}
      {entry.number && ' '}
      <span className="outline-title">{title}</span>{' '}
      <span className={`status-badge status-${status}`}>{statusLabel}</span>
      {objections > 0 && ' '}
      {objections > 0 && (
        <span className="objection-count">
          <span aria-hidden="true">{objections}</span>
          <span className="visually-hidden">
            {objections} open {objections === 1 ? 'objection' : 'objections'}
          </span>
        </span>
      )}
    </div>
  )
}, sameRow)

/** Rows render the same whatever the clause's position: typing above a clause must not re-render the tree. */
function sameRow(a: ItemProps, b: ItemProps): boolean {
  return (
    sameOutlineRow(a.entry, b.entry) &&
    a.index === b.index &&
    a.status === b.status &&
    a.objections === b.objections &&
    a.tabbable === b.tabbable &&
    a.hasChildren === b.hasChildren &&
    a.onOpen === b.onOpen &&
    a.onFocusIndex === b.onFocusIndex
  )
}
