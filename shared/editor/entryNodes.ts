/**
 * The domain blocks of an ITU-T text (DOMAIN.md "Entry formats"): definition, abbreviation, reference and
 * requirement entries are made of named fields, so that export and checks can read the term apart from its
 * definition; NOTE paragraphs are their own block. Field order is free in the schema (see clauseNodes.ts on why
 * content stays permissive); the editor's commands create them in the canonical order.
 */
import { Node } from '@tiptap/core'

function field(name: string, cssClass: string) {
  return Node.create({
    name,
    content: 'inline*',
    defining: true,
    parseHTML() {
      return [{ tag: `span[data-field="${name}"]` }]
    },
    renderHTML({ HTMLAttributes }) {
      return ['span', { ...HTMLAttributes, 'data-field': name, class: cssClass }, 0]
    },
  })
}

function entry(name: string, fields: readonly string[], cssClass: string) {
  return Node.create({
    name,
    group: 'block',
    content: `(${fields.join(' | ')})*`,
    defining: true,
    parseHTML() {
      return [{ tag: `div[data-type="${name}"]` }]
    },
    renderHTML({ HTMLAttributes }) {
      return ['div', { ...HTMLAttributes, 'data-type': name, class: cssClass }, 0]
    },
  })
}

export const ENTRY_FIELDS = {
  definition: ['definitionTerm', 'definitionSource', 'definitionText'],
  abbreviation: ['abbreviationTerm', 'abbreviationExpansion'],
  reference: ['referenceTag', 'referenceText'],
  requirement: ['requirementId', 'requirementText'],
} as const
export type EntryType = keyof typeof ENTRY_FIELDS

/** The field's CSS class is its name in kebab case: `definitionTerm` is styled as `definition-term`. */
const fieldClass = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)

/** An entry's block node followed by its field nodes, in ENTRY_FIELDS order. */
function entryWithFields(type: EntryType) {
  const fields = ENTRY_FIELDS[type]
  return [entry(type, fields, `entry ${type}`), ...fields.map((name) => field(name, fieldClass(name)))]
}

export const Note = Node.create({
  name: 'note',
  group: 'block',
  content: 'inline*',
  defining: true,
  parseHTML() {
    // Above the paragraph's plain `p` rule, which would otherwise read a pasted NOTE as a paragraph.
    return [{ tag: 'p[data-type="note"]', priority: 60 }]
  },
  renderHTML({ HTMLAttributes }) {
    return ['p', { ...HTMLAttributes, 'data-type': 'note', class: 'note' }, 0]
  },
})

export const entryNodes = [...(Object.keys(ENTRY_FIELDS) as EntryType[]).flatMap(entryWithFields), Note]
