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

export const DefinitionTerm = field('definitionTerm', 'definition-term')
export const DefinitionSource = field('definitionSource', 'definition-source')
export const DefinitionText = field('definitionText', 'definition-text')
export const Definition = entry('definition', ENTRY_FIELDS.definition, 'entry definition')

export const AbbreviationTerm = field('abbreviationTerm', 'abbreviation-term')
export const AbbreviationExpansion = field('abbreviationExpansion', 'abbreviation-expansion')
export const Abbreviation = entry('abbreviation', ENTRY_FIELDS.abbreviation, 'entry abbreviation')

export const ReferenceTag = field('referenceTag', 'reference-tag')
export const ReferenceText = field('referenceText', 'reference-text')
export const Reference = entry('reference', ENTRY_FIELDS.reference, 'entry reference')

export const RequirementId = field('requirementId', 'requirement-id')
export const RequirementText = field('requirementText', 'requirement-text')
export const Requirement = entry('requirement', ENTRY_FIELDS.requirement, 'entry requirement')

export const Note = Node.create({
  name: 'note',
  group: 'block',
  content: 'inline*',
  defining: true,
  parseHTML() {
    return [{ tag: 'p[data-type="note"]' }]
  },
  renderHTML({ HTMLAttributes }) {
    return ['p', { ...HTMLAttributes, 'data-type': 'note', class: 'note' }, 0]
  },
})

export const entryNodes = [
  Definition,
  DefinitionTerm,
  DefinitionSource,
  DefinitionText,
  Abbreviation,
  AbbreviationTerm,
  AbbreviationExpansion,
  Reference,
  ReferenceTag,
  ReferenceText,
  Requirement,
  RequirementId,
  RequirementText,
  Note,
]
