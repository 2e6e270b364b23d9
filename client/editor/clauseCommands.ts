/**
 * Clause structure commands with their keyboard shortcuts: add a clause after / a sub-clause, remove, move up or
 * down, promote or demote, and sort the entries of a clause. Required clauses (2 to 5, as the server says) are
 * never removed; agreed clauses are neither changed nor moved. Moves and sorts go through yStructure.ts (see
 * there why).
 */
import { type Editor, Extension } from '@tiptap/core'
import type { Node as PmNode } from '@tiptap/pm/model'
import { type EditorState, TextSelection, type Transaction } from '@tiptap/pm/state'
import * as Y from 'yjs'
import { plainText } from '../../shared/clauses/clauseText.ts'
import { newId } from '../../shared/domain/ids.ts'
import { CLAUSE, CLAUSE_HEADING, isClauseNode } from '../../shared/editor/clauseNodes.ts'
import { sortPlan } from './alphabetical.ts'
import { SORTABLE_ENTRIES, type SortableEntry } from './clauseDecorations.ts'
import { consensusOf } from './consensusState.ts'
import { type NotifyOptions, quietByDefault } from './notify.ts'
import { buildOutline, type ClauseAt, clauseAt, clausePosition } from './outline.ts'
import { type MoveKind, planMove, reorderUnits, transactStructure, yElementOf } from './yStructure.ts'

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    accordClauses: {
      addClauseAfter: () => ReturnType
      addSubClause: () => ReturnType
      removeClause: () => ReturnType
      moveClause: (kind: MoveKind) => ReturnType
      /** Sorts the clause given by its id (stable) or position (now), or the one holding the caret. */
      sortEntries: (entry: SortableEntry, clause?: string | number) => ReturnType
    }
  }
}

function currentClause(state: EditorState): ClauseAt | null {
  return clauseAt(state.selection.$from)
}

function containsLocked(node: PmNode, locked: ReadonlySet<string>): boolean {
  if (locked.size === 0) return false
  let found = locked.has(String(node.attrs.id))
  node.descendants((child) => {
    if (found) return false
    if (isClauseNode(child) && locked.has(String(child.attrs.id))) found = true
    return isClauseNode(child)
  })
  return found
}

function numberAt(state: EditorState, pos: number): string {
  const entry = buildOutline(state.doc).find((e) => e.pos === pos)
  return entry?.number || `"${entry?.title ?? ''}"`
}

function newClause(state: EditorState, kind: unknown): PmNode {
  const { schema } = state
  return schema.nodes[CLAUSE]!.create({ id: newId(), kind: typeof kind === 'string' ? kind : 'numbered' }, [
    schema.nodes[CLAUSE_HEADING]!.create(),
    schema.nodes.paragraph!.create(),
  ])
}

/**
 * Inserts a new clause, of the current clause's kind, where `placeFor` says (null: not allowed there), and puts
 * the caret into its heading.
 */
function insertClause(
  state: EditorState,
  tr: Transaction,
  dispatch: unknown,
  placeFor: (found: ClauseAt) => number | null,
): boolean {
  const found = currentClause(state)
  const pos = found && placeFor(found)
  if (!found || pos === null) return false
  if (dispatch) {
    tr.insert(pos, newClause(state, found.node.attrs.kind))
    tr.setSelection(TextSelection.create(tr.doc, pos + 2)).scrollIntoView()
  }
  return true
}

/** The clause to sort: the one with this id, the one at this position, or the one holding the caret. */
function clauseToSort(state: EditorState, where?: number | string): { node: PmNode; pos: number } | null {
  if (where === undefined) return currentClause(state)
  const pos = typeof where === 'string' ? clausePosition(state.doc, where) : where
  const node = pos >= 0 ? state.doc.nodeAt(pos) : null
  return node && isClauseNode(node) ? { node, pos } : null
}

/** Puts the cursor at the end of the heading of the clause with this id and brings it into view. */
export function focusClause(editor: Editor, id: string): void {
  const target = clausePosition(editor.state.doc, id)
  if (target < 0) return
  const clause = editor.state.doc.nodeAt(target)!
  const headingEnd = target + 1 + (clause.firstChild?.nodeSize ?? 2) - 1
  const selection = TextSelection.near(editor.state.doc.resolve(headingEnd), -1)
  editor.view.dispatch(editor.state.tr.setSelection(selection).scrollIntoView())
}

const MOVE_WORDS: Record<MoveKind, string> = {
  up: 'moved up',
  down: 'moved down',
  promote: 'promoted',
  demote: 'demoted',
}

export const ClauseCommands = Extension.create<NotifyOptions>({
  name: 'accordClauses',
  // Before the core keymap, which binds Mod-Enter to "exit code block".
  priority: 1000,

  addOptions: quietByDefault,

  addCommands() {
    const notify = (message: string) => this.options.notify(message)
    return {
      addClauseAfter:
        () =>
        ({ state, tr, dispatch }) =>
          insertClause(state, tr, dispatch, (found) => {
            const parent = state.selection.$from.node(found.depth - 1)
            // The new clause goes into the parent clause, which must not be agreed.
            return isClauseNode(parent) && consensusOf(state).locked.has(String(parent.attrs.id))
              ? null
              : found.pos + found.node.nodeSize
          }),

      addSubClause:
        () =>
        ({ state, tr, dispatch }) =>
          insertClause(state, tr, dispatch, (found) =>
            consensusOf(state).locked.has(String(found.node.attrs.id))
              ? null
              : found.pos + found.node.nodeSize - 1,
          ),

      removeClause:
        () =>
        ({ state, tr, dispatch }) => {
          const found = currentClause(state)
          if (!found) return false
          const { locked, required } = consensusOf(state)
          if (required.has(String(found.node.attrs.id))) {
            const entry = buildOutline(state.doc).find((e) => e.pos === found.pos)
            if (dispatch && entry)
              notify(`Clause ${entry.number} (${entry.title}) is required and cannot be removed.`)
            return false
          }
          const parent = state.selection.$from.node(found.depth - 1)
          if (
            containsLocked(found.node, locked) ||
            (isClauseNode(parent) && locked.has(String(parent.attrs.id)))
          ) {
            if (dispatch) notify('This clause holds agreed text and cannot be removed.')
            return false
          }
          if (dispatch) {
            const label = numberAt(state, found.pos)
            tr.delete(found.pos, found.pos + found.node.nodeSize).scrollIntoView()
            notify(`Clause ${label} removed. Undo with Ctrl+Z.`)
          }
          return true
        },

      moveClause:
        (kind: MoveKind) =>
        ({ state, tr, dispatch, editor }) => {
          tr.setMeta('preventDispatch', true)
          const found = currentClause(state)
          const element = found && yElementOf(state, found.node)
          if (!found || !element) return false
          const plan = planMove(element, kind)
          const locked = consensusOf(state).locked
          const touchesLocked = plan?.touched.some((t) => locked.has(String(t.getAttribute('id'))))
          if (!plan || touchesLocked || containsLocked(found.node, locked)) return false
          if (!dispatch) return true
          const id = String(found.node.attrs.id)
          transactStructure(state, () => plan.run())
          focusClause(editor, id)
          const moved = currentClause(editor.state)
          if (moved) notify(`Clause ${MOVE_WORDS[kind]}: now ${numberAt(editor.state, moved.pos)}.`)
          return true
        },

      sortEntries:
        (entry: SortableEntry, where?: string | number) =>
        ({ state, tr, dispatch }) => {
          tr.setMeta('preventDispatch', true)
          const clause = clauseToSort(state, where)
          if (!clause) return false
          if (consensusOf(state).locked.has(String(clause.node.attrs.id))) return false
          const element = yElementOf(state, clause.node)
          if (!element) return false
          const units = entryUnits(element, entry)
          const plan = sortPlan(units.map((unit) => termOf(unit[0]!, entry)))
          if (plan.keep.size === units.length) return false
          if (dispatch) {
            transactStructure(state, () => reorderUnits(element, units, plan.order, plan.keep))
            notify(
              `${units.length - plan.keep.size} ${entry === 'definition' ? 'terms' : 'abbreviations'} moved into alphabetical order.`,
            )
          }
          return true
        },
    }
  },

  addKeyboardShortcuts() {
    return {
      'Mod-Enter': () => this.editor.commands.addClauseAfter(),
      'Mod-Shift-Enter': () => this.editor.commands.addSubClause(),
      'Mod-Alt-Backspace': () => this.editor.commands.removeClause(),
      'Alt-Shift-ArrowUp': () => this.editor.commands.moveClause('up'),
      'Alt-Shift-ArrowDown': () => this.editor.commands.moveClause('down'),
      'Alt-Shift-ArrowLeft': () => this.editor.commands.moveClause('promote'),
      'Alt-Shift-ArrowRight': () => this.editor.commands.moveClause('demote'),
    }
  },
})

/** Each entry of the kind with the NOTE paragraphs under it: they move together. */
function entryUnits(clause: Y.XmlElement, entry: SortableEntry): Y.XmlElement[][] {
  const units: Y.XmlElement[][] = []
  let current: Y.XmlElement[] | null = null
  for (const child of clause.toArray()) {
    if (child instanceof Y.XmlElement && child.nodeName === entry) {
      current = [child]
      units.push(current)
    } else if (current && child instanceof Y.XmlElement && child.nodeName === 'note') {
      current.push(child)
    } else {
      current = null
    }
  }
  return units
}

function termOf(element: Y.XmlElement, entry: SortableEntry): string {
  const field = element
    .toArray()
    .find((c) => c instanceof Y.XmlElement && c.nodeName === SORTABLE_ENTRIES[entry])
  return field instanceof Y.XmlElement ? plainText(field) : ''
}
