/**
 * The clause structure of a deliverable (SYNC.md §1): the body is a sequence of nested `clause` elements, each
 * holding its heading, its own blocks, then its sub-clauses. Content expressions stay permissive on purpose:
 * y-tiptap deletes any element that does not fit the schema, and concurrent edits produce shapes that no single
 * editor makes.
 */
import { Node } from '@tiptap/core'

export const CLAUSE = 'clause'
export const CLAUSE_HEADING = 'clauseHeading'

/** A clause in a ProseMirror document (a Yjs element is tested by `isClauseElement`, shared/clauses/clauseText.ts). */
export const isClauseNode = (node: { type: { name: string } }): boolean => node.type.name === CLAUSE

/**
 * How a top-level clause is numbered: decimal (1, 2, 3.1), annex letters (Annex A, A.1), appendix Roman
 * numerals (Appendix I, I.1), or not at all (Summary, Keywords, Bibliography, front matter). Sub-clauses take
 * the style of their top-level ancestor, whatever their own attribute says.
 */
export const CLAUSE_KINDS = ['numbered', 'annex', 'appendix', 'unnumbered'] as const
export type ClauseKind = (typeof CLAUSE_KINDS)[number]

export const AccordDocument = Node.create({
  name: 'doc',
  topNode: true,
  content: '(clause | block)*',
})

export const Clause = Node.create({
  name: CLAUSE,
  // The first text block type of the expression is the clause's default block, the one ProseMirror creates when
  // Enter splits a block at its end: a paragraph, never a heading. The order changes nothing that is accepted.
  content: '(block | clauseHeading | clause)*',
  defining: true,
  isolating: true,
  draggable: false,
  addAttributes() {
    return {
      // Scalar attributes only: y-tiptap re-writes object-valued attributes on every visit (SYNC.md §2).
      id: {
        default: null,
        parseHTML: (element) => element.getAttribute('data-clause-id'),
        renderHTML: (attributes) => ({ 'data-clause-id': attributes.id }),
      },
      kind: {
        default: 'numbered',
        parseHTML: (element) => element.getAttribute('data-kind') ?? 'numbered',
        renderHTML: (attributes) => ({ 'data-kind': attributes.kind }),
      },
    }
  },
  parseHTML() {
    return [{ tag: 'section[data-clause-id]' }]
  },
  renderHTML({ HTMLAttributes }) {
    return ['section', { ...HTMLAttributes, class: 'clause' }, 0]
  },
})

export const ClauseHeading = Node.create({
  name: CLAUSE_HEADING,
  content: 'text*',
  marks: 'subscript superscript italic',
  defining: true,
  parseHTML() {
    return [{ tag: 'div.clause-heading' }]
  },
  renderHTML({ HTMLAttributes }) {
    return ['div', { ...HTMLAttributes, class: 'clause-heading' }, 0]
  },
})
