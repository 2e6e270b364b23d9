/**
 * Structural edits made directly on the shared Y.XmlFragment: moves (of clauses and of entries). Yjs has no move,
 * so a move is a copy inserted at the new place and the original deleted; doing it here (instead of through a
 * ProseMirror transaction that y-tiptap diffs) guarantees that only the moved element is recreated and that its
 * neighbours, which may be agreed and locked, stay untouched.
 */
import type { Node as PmNode } from '@tiptap/pm/model'
import type { EditorState } from '@tiptap/pm/state'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { isClauseElement } from '../../shared/clauses/clauseText.ts'

/** Transactions with this origin are undoable like typing (registered with the undo manager). */
export const STRUCTURE_ORIGIN = Symbol('accord-structure')

interface SyncState {
  doc: Y.Doc
  type: Y.XmlFragment
  binding: { mapping: Map<Y.AbstractType<unknown>, PmNode | PmNode[]> }
}

function syncState(state: EditorState): SyncState | null {
  const value = ySyncPluginKey.getState(state) as SyncState | undefined
  return value?.binding ? value : null
}

/** The Y element that renders as this ProseMirror node (by identity in y-tiptap's mapping). */
export function yElementOf(state: EditorState, node: PmNode): Y.XmlElement | null {
  const sync = syncState(state)
  if (!sync) return null
  for (const [type, mapped] of sync.binding.mapping)
    if (mapped === node && type instanceof Y.XmlElement) return type
  return null
}

export function transactStructure(state: EditorState, change: () => void): boolean {
  const sync = syncState(state)
  if (!sync) return false
  sync.doc.transact(change, STRUCTURE_ORIGIN)
  return true
}

type Parent = Y.XmlElement | Y.XmlFragment

function indexIn(parent: Parent, child: Y.XmlElement): number {
  return parent.toArray().indexOf(child)
}

/** Moves `element` so that it sits at `index` of `target` (an index counted before the move). */
function moveTo(element: Y.XmlElement, target: Parent, index: number): Y.XmlElement {
  const source = element.parent as Parent
  const copy = element.clone()
  target.insert(index, [copy])
  source.delete(indexIn(source, element), 1)
  return copy
}

/** The adjacent clause; sub-clauses follow their parent's blocks, so a clause never moves across a block. */
function siblingClause(element: Y.XmlElement, direction: -1 | 1): Y.XmlElement | null {
  const siblings = (element.parent as Parent).toArray()
  const sibling = siblings[siblings.indexOf(element) + direction]
  return isClauseElement(sibling) ? sibling : null
}

export type MoveKind = 'up' | 'down' | 'promote' | 'demote'

/** Where a clause would go, or null when the move is impossible. Returns the elements whose content changes. */
export function planMove(
  element: Y.XmlElement,
  kind: MoveKind,
): { touched: Y.XmlElement[]; run: () => Y.XmlElement } | null {
  const parent = element.parent as Parent
  const parentClause = isClauseElement(parent) ? parent : null
  const touched = parentClause ? [parentClause] : []
  if (kind === 'up' || kind === 'down') {
    const sibling = siblingClause(element, kind === 'up' ? -1 : 1)
    if (!sibling) return null
    const at = indexIn(parent, sibling) + (kind === 'down' ? 1 : 0)
    return { touched, run: () => moveTo(element, parent, at) }
  }
  if (kind === 'demote') {
    const previous = siblingClause(element, -1)
    if (!previous) return null
    return { touched: [...touched, previous], run: () => moveTo(element, previous, previous.length) }
  }
  if (!parentClause) return null
  const grand = parentClause.parent as Parent
  return {
    touched: [parentClause, ...(isClauseElement(grand) ? [grand] : [])],
    run: () => moveTo(element, grand, indexIn(grand, parentClause) + 1),
  }
}

/** Reorders units (runs of elements of one parent) into `order`, moving only the units not in `keep`. */
export function reorderUnits(
  parent: Y.XmlElement,
  units: Y.XmlElement[][],
  order: number[],
  keep: Set<number>,
): void {
  const first = units[0]?.[0]
  if (!first) return
  const children = parent.toArray()
  const before = children[children.indexOf(first) - 1] as Y.XmlElement | Y.XmlText | undefined
  const copies = new Map<number, Y.XmlElement[]>()
  units.forEach((unit, index) => {
    if (keep.has(index)) return
    copies.set(
      index,
      unit.map((element) => element.clone()),
    )
    for (const element of unit) parent.delete(parent.toArray().indexOf(element), 1)
  })
  let anchor: Y.XmlElement | Y.XmlText | undefined = before
  for (const index of order) {
    const copy = copies.get(index)
    if (copy) {
      const at = anchor ? parent.toArray().indexOf(anchor) + 1 : 0
      parent.insert(at, copy)
      anchor = copy[copy.length - 1]
    } else {
      const unit = units[index]!
      anchor = unit[unit.length - 1]
    }
  }
}
