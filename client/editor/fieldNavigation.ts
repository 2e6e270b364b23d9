/**
 * How the caret moves among ITU-T entries (shared/editor/entryNodes.ts), and where NOTEs belong.
 *
 * A NOTE belongs to the entry before it: a new entry goes after the current entry's NOTEs, never between an
 * entry and its NOTE (a sort then moves each entry with the NOTEs that follow it, clauseCommands.ts).
 *
 * Tab and Shift+Tab move between an entry's fields as between table cells, from the last field of one entry to
 * the first of the next (passing over NOTEs), and back. Inside entries the editor keeps Tab: the browser's Tab
 * would leave the editor for the next button, such as "Sort terms", where the next space presses it and the text
 * being typed goes nowhere. Esc then Tab leaves the editor, from anywhere in it, as in other editors that keep Tab.
 */
import type { Node as PmNode, ResolvedPos } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { ENTRY_FIELDS } from '../../shared/editor/entryNodes.ts'

export const ENTRY_TYPES = new Set<string>(Object.keys(ENTRY_FIELDS))
export const FIELD_TYPES = new Set<string>(Object.values(ENTRY_FIELDS).flat())
export const NOTE = 'note'

const isEntry = (node: PmNode | null | undefined): node is PmNode => !!node && ENTRY_TYPES.has(node.type.name)
const isNote = (node: PmNode | null | undefined): node is PmNode => node?.type.name === NOTE

/** The position after the NOTEs that start at `pos` (`pos` itself when none does). */
export function afterNotes(doc: PmNode, pos: number): number {
  let end = pos
  for (let next = doc.resolve(end).nodeAfter; isNote(next); next = doc.resolve(end).nodeAfter) {
    end += next.nodeSize
  }
  return end
}

/** The end of the field at `index` of the entry whose content starts at `contentStart`. */
function fieldEnd(entry: PmNode, contentStart: number, index: number): number {
  let pos = contentStart
  for (let i = 0; i < index; i++) pos += entry.child(i).nodeSize
  return pos + 1 + entry.child(index).content.size
}

/** The depth of the entry (or of the NOTE belonging to an entry) holding the caret, or null outside them. */
function entryDepth($from: ResolvedPos): number | null {
  if (FIELD_TYPES.has($from.parent.type.name) && $from.depth >= 2 && isEntry($from.node(-1))) {
    return $from.depth - 1
  }
  if (!isNote($from.parent) || $from.depth < 2) return null
  const container = $from.node(-1)
  let index = $from.index(-1) - 1
  while (index >= 0 && isNote(container.child(index))) index--
  return index >= 0 && isEntry(container.child(index)) ? $from.depth : null
}

/**
 * Where Tab (`direction` 1) or Shift+Tab (-1) puts the caret: the end of the next (previous) field; `edge` when
 * the caret is in an entry but no field follows (precedes) in this run of entries; null outside entries, where
 * Tab keeps its usual meaning (lists, tables, leaving the editor).
 */
export function tabTarget($from: ResolvedPos, direction: 1 | -1): number | 'edge' | null {
  const depth = entryDepth($from)
  if (depth === null) return null
  const block = $from.node(depth)
  if (isEntry(block)) {
    const field = $from.index(depth) + direction
    if (field >= 0 && field < block.childCount) return fieldEnd(block, $from.start(depth), field)
  }
  const container = $from.node(depth - 1)
  const offsets: number[] = []
  container.forEach((_child, offset) => {
    offsets.push(offset)
  })
  for (let index = $from.index(depth - 1) + direction; index >= 0 && index < container.childCount; ) {
    const sibling = container.child(index)
    if (isEntry(sibling) && sibling.childCount > 0) {
      const contentStart = $from.start(depth - 1) + offsets[index]! + 1
      return fieldEnd(sibling, contentStart, direction > 0 ? 0 : sibling.childCount - 1)
    }
    if (!isNote(sibling)) break
    index += direction
  }
  return 'edge'
}

const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph'])

/** Esc then Tab (or Shift+Tab) leaves the editor wherever the caret is: the browser moves the focus on. */
export function escapeThenTabLeaves(): Plugin {
  let escaped = false
  return new Plugin({
    key: new PluginKey('accordEscapeThenTab'),
    props: {
      handleDOMEvents: {
        keydown: (_view, event) => {
          if (event.key === 'Escape') {
            escaped = true
            return false
          }
          if (MODIFIER_KEYS.has(event.key)) return false
          const leave = escaped && event.key === 'Tab' && !event.ctrlKey && !event.altKey && !event.metaKey
          escaped = false
          // True keeps the editor's own key handling out (its Tab bindings) without preventing the browser's.
          return leave
        },
        mousedown: () => {
          escaped = false
          return false
        },
      },
    },
  })
}
