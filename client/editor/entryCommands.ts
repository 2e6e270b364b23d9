/**
 * The ITU-T domain blocks (shared/editor/entryNodes.ts): commands that insert each one in its canonical field
 * order, and keys that make their fields behave like a form: Enter goes to the next field (or starts the next
 * entry), Tab and Shift+Tab go from field to field (fieldNavigation.ts), Backspace at the start of a field never
 * merges it into its neighbour. A new entry never separates an entry from its NOTEs.
 */
import { Extension } from '@tiptap/core'
import type { NodeType, Node as PmNode } from '@tiptap/pm/model'
import { type EditorState, Plugin, PluginKey, TextSelection, type Transaction } from '@tiptap/pm/state'
import { CLAUSE_HEADING, isClauseNode } from '../../shared/editor/clauseNodes.ts'
import { ENTRY_FIELDS, type EntryType } from '../../shared/editor/entryNodes.ts'
import { consensusOf } from './consensusState.ts'
import {
  afterNotes,
  ENTRY_TYPES,
  escapeThenTabLeaves,
  FIELD_TYPES,
  NOTE,
  tabTarget,
} from './fieldNavigation.ts'
import { type NotifyOptions, quietByDefault } from './notify.ts'
import { clauseAt, headingText } from './outline.ts'

export type InsertableBlock = EntryType | 'note'

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    accordEntries: {
      insertEntry: (type: InsertableBlock) => ReturnType
    }
  }
}

/**
 * Where a new block goes: after the clause-level block holding the cursor (after the heading when in it), and
 * after the NOTEs that belong to it, unless a NOTE is added to a NOTE.
 */
function insertionPoint(state: EditorState, type: InsertableBlock): number {
  const { $from } = state.selection
  const clause = clauseAt($from)
  const depth = clause ? clause.depth + 1 : 1
  if ($from.depth < depth) return clause ? clause.pos + clause.node.nodeSize - 1 : state.doc.content.size
  const after = $from.after(depth)
  const block = $from.node(depth).type.name
  const belongsTo = ENTRY_TYPES.has(block) || (block === NOTE && type !== NOTE)
  return belongsTo ? afterNotes(state.doc, after) : after
}

function fieldsFor(type: EntryType, state: EditorState): readonly string[] {
  if (type !== 'definition') return ENTRY_FIELDS[type]
  // Terms defined elsewhere carry their source; terms defined here do not (DOMAIN.md 3.1 and 3.2).
  const clause = clauseAt(state.selection.$from)
  const elsewhere = clause ? /elsewhere/i.test(headingText(clause.node)) : false
  return elsewhere ? ENTRY_FIELDS.definition : ENTRY_FIELDS.definition.filter((f) => f !== 'definitionSource')
}

/** The next requirement identifier after the highest one in the document (REQ-001, MV-REQ-012 ...). */
export function nextRequirementId(doc: PmNode): string {
  let prefix = 'REQ-'
  let width = 3
  let highest = 0
  doc.descendants((node) => {
    if (node.type.name !== 'requirementId') return true
    const match = /^(.*?)(\d+)$/.exec(node.textContent.trim())
    if (match) {
      const value = Number(match[2])
      if (value >= highest) {
        highest = value
        prefix = match[1]!
        width = match[2]!.length
      }
    }
    return false
  })
  return `${prefix}${String(highest + 1).padStart(width, '0')}`
}

function createEntry(state: EditorState, type: EntryType, fields: readonly string[]): PmNode {
  const { schema } = state
  const children = fields.map((field) => {
    const initial = field === 'requirementId' ? nextRequirementId(state.doc) : ''
    return schema.nodes[field]!.create(null, initial ? schema.text(initial) : null)
  })
  return (schema.nodes[type] as NodeType).create(null, children)
}

/** The entry field around the cursor, with its entry. */
function fieldContext(state: EditorState) {
  const { $from } = state.selection
  if ($from.depth < 2 || !FIELD_TYPES.has($from.parent.type.name)) return null
  const entry = $from.node($from.depth - 1)
  if (!ENTRY_TYPES.has(entry.type.name)) return null
  return { $from, entry, entryPos: $from.before($from.depth - 1), index: $from.index($from.depth - 1) }
}

function moveInto(tr: Transaction, pos: number, bias: 1 | -1 = 1): Transaction {
  return tr.setSelection(TextSelection.near(tr.doc.resolve(pos), bias)).scrollIntoView()
}

const TAB_EDGE_MESSAGES = {
  1: 'This is the last field here: Enter adds an entry, Esc then Tab leaves the editor.',
  [-1]: 'This is the first field here: Esc then Shift+Tab leaves the editor.',
} as const

export const EntryCommands = Extension.create<NotifyOptions>({
  name: 'accordEntries',
  // Before the core keymap: its Enter would split a field in two (two terms side by side) instead of moving on.
  priority: 1000,

  addOptions: quietByDefault,

  addCommands() {
    return {
      insertEntry:
        (type: InsertableBlock) =>
        ({ state, tr, dispatch }) => {
          const clause = clauseAt(state.selection.$from)
          if (clause && consensusOf(state).locked.has(String(clause.node.attrs.id))) return false
          if (dispatch) {
            // Built only when inserted: a requirement's identifier reads the whole document, and the toolbar asks
            // whether it could insert (no dispatch) far more often than anyone inserts.
            const pos = insertionPoint(state, type)
            const node =
              type === 'note'
                ? state.schema.nodes.note!.create()
                : createEntry(state, type, fieldsFor(type, state))
            tr.insert(pos, node)
            // In a requirement the identifier is filled in: start on the statement.
            const offset = type === 'requirement' ? node.child(0).nodeSize + 2 : type === 'note' ? 1 : 2
            moveInto(tr, pos + offset)
          }
          return true
        },
    }
  },

  addProseMirrorPlugins() {
    return [fieldStartInput, escapeThenTabLeaves()]
  },

  addKeyboardShortcuts() {
    const editor = this.editor
    const tab = (direction: 1 | -1) => {
      const target = tabTarget(editor.state.selection.$from, direction)
      if (target === null) return false
      if (target === 'edge') this.options.notify(TAB_EDGE_MESSAGES[direction])
      else editor.view.dispatch(moveInto(editor.state.tr, target, -1))
      return true
    }
    return {
      Tab: () => tab(1),
      'Shift-Tab': () => tab(-1),
      'Mod-Alt-d': () => editor.commands.insertEntry('definition'),
      'Mod-Alt-a': () => editor.commands.insertEntry('abbreviation'),
      'Mod-Alt-r': () => editor.commands.insertEntry('reference'),
      'Mod-Alt-q': () => editor.commands.insertEntry('requirement'),
      'Mod-Alt-n': () => editor.commands.insertEntry('note'),
      Enter: () => {
        const { state } = editor
        const heading = state.selection.$from.parent.type.name === CLAUSE_HEADING
        if (heading) return leaveHeading(editor.state, editor.view.dispatch)
        const field = fieldContext(state)
        if (!field) return false
        const { entry, entryPos, index } = field
        const tr = state.tr
        if (state.selection.empty === false) tr.deleteSelection()
        if (index < entry.childCount - 1) {
          let next = entryPos + 1
          for (let i = 0; i <= index; i++) next += entry.child(i).nodeSize
          editor.view.dispatch(moveInto(tr, next + 1))
          return true
        }
        // The next entry goes after this one's NOTEs (they belong to it).
        const after = tr.mapping.map(afterNotes(state.doc, entryPos + entry.nodeSize))
        const fields: string[] = []
        entry.forEach((child) => {
          fields.push(child.type.name)
        })
        const fresh = createEntry(state, entry.type.name as EntryType, fields)
        tr.insert(after, fresh)
        editor.view.dispatch(moveInto(tr, after + 2))
        return true
      },
      Backspace: () => {
        const { state } = editor
        const { $from, empty } = state.selection
        if (!empty || $from.parentOffset > 0) return false
        if ($from.parent.type.name === CLAUSE_HEADING) return true
        const field = fieldContext(state)
        if (!field) return false
        const { entry, entryPos, index } = field
        if (index > 0) {
          editor.view.dispatch(moveInto(state.tr, $from.before() - 1, -1))
          return true
        }
        if (entry.textContent === '') {
          const tr = state.tr.delete(entryPos, entryPos + entry.nodeSize)
          editor.view.dispatch(moveInto(tr, Math.max(0, entryPos - 1), -1))
        }
        return true
      },
      Delete: () => {
        const { $from, empty } = editor.state.selection
        if (!empty || $from.parentOffset < $from.parent.content.size) return false
        return FIELD_TYPES.has($from.parent.type.name) || $from.parent.type.name === CLAUSE_HEADING
      },
    }
  },
})

/** Enter in a clause heading goes to the clause's first block, creating a paragraph when there is none. */
function leaveHeading(state: EditorState, dispatch: (tr: Transaction) => void): boolean {
  const { $from } = state.selection
  const after = $from.after()
  const clause = $from.node($from.depth - 1)
  if (!isClauseNode(clause)) return false
  const next = state.doc.nodeAt(after)
  const tr = state.tr
  if (next?.isTextblock) {
    dispatch(moveInto(tr, after + 1))
    return true
  }
  tr.insert(after, state.schema.nodes.paragraph!.create())
  dispatch(moveInto(tr, after + 1))
  return true
}

/**
 * Fields are inline elements side by side; at the very start of one (empty or not), Chrome puts typed characters
 * at the end of the previous field instead ("metaverseAn integrative..." all in the term). There the text is
 * inserted by the editor itself, at its own selection.
 */
const fieldStartInput = new Plugin({
  key: new PluginKey('accordFieldStartInput'),
  props: {
    handleDOMEvents: {
      beforeinput: (view, event) => {
        const input = event as InputEvent
        if (input.inputType !== 'insertText' || input.isComposing || !input.data) return false
        const { $from, from, to } = view.state.selection
        if (!FIELD_TYPES.has($from.parent.type.name) || $from.parentOffset !== 0) return false
        input.preventDefault()
        view.dispatch(view.state.tr.insertText(input.data, from, to).scrollIntoView())
        return true
      },
    },
  },
})
