/**
 * Everything the editor shows that is not in the document: clause numbers on headings, the numbers of definition
 * entries (3.2.1, 3.2.2), placeholders in empty fields, consensus status and locks, and warnings for entries out
 * of alphabetical order. Derived data stays out of the shared document (SYNC.md §1): it is all decorations.
 */
import { Extension } from '@tiptap/core'
import type { Node as PmNode } from '@tiptap/pm/model'
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import { ReplaceStep } from '@tiptap/pm/transform'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { CLAUSE_HEADING, isClauseNode } from '../../shared/editor/clauseNodes.ts'
import { outOfOrder } from './alphabetical.ts'
import { type ConsensusView, consensusKey, consensusOf } from './consensusState.ts'
import { buildOutline, type OutlineEntry } from './outline.ts'

export const SORTABLE_ENTRIES = { definition: 'definitionTerm', abbreviation: 'abbreviationTerm' } as const
export type SortableEntry = keyof typeof SORTABLE_ENTRIES

const PLACEHOLDERS: Record<string, string> = {
  clauseHeading: 'Clause title',
  definitionTerm: 'term',
  definitionSource: 'source',
  definitionText: 'definition',
  abbreviationTerm: 'Abbreviation',
  abbreviationExpansion: 'Expansion',
  referenceTag: '[tag]',
  referenceText: 'Reference text',
  requirementId: 'ID',
  requirementText: 'Requirement statement',
}

const ENTRY_NOUNS: Record<SortableEntry, string> = { definition: 'Terms', abbreviation: 'Abbreviations' }

export interface OrderProblem {
  clausePos: number
  clauseId: string
  number: string
  entry: SortableEntry
}

export type SortRequest = (problem: OrderProblem) => void

/** Terms of the entries of one kind directly in a clause, with their positions. */
export function entryTerms(clause: PmNode, clausePos: number, entry: SortableEntry) {
  const terms: { pos: number; node: PmNode; term: string }[] = []
  clause.forEach((child, offset) => {
    if (child.type.name !== entry) return
    let term = ''
    child.forEach((field) => {
      if (field.type.name === SORTABLE_ENTRIES[entry]) term = field.textContent
    })
    terms.push({ pos: clausePos + 1 + offset, node: child, term })
  })
  return terms
}

export function orderProblems(doc: PmNode, outline: readonly OutlineEntry[]): OrderProblem[] {
  const problems: OrderProblem[] = []
  for (const entry of outline) {
    const clause = doc.nodeAt(entry.pos)
    if (!clause) continue
    for (const kind of Object.keys(SORTABLE_ENTRIES) as SortableEntry[]) {
      const terms = entryTerms(clause, entry.pos, kind)
      if (terms.length > 1 && outOfOrder(terms.map((t) => t.term)).length > 0) {
        problems.push({ clausePos: entry.pos, clauseId: entry.id, number: entry.number, entry: kind })
      }
    }
  }
  return problems
}

function buildDecorations(
  doc: PmNode,
  locked: ReadonlySet<string>,
  statuses: Record<string, string>,
  onSort: SortRequest,
) {
  const decorations: Decoration[] = []
  const outline = buildOutline(doc)
  for (const entry of outline) {
    const clause = doc.nodeAt(entry.pos)
    if (!clause) continue
    const isLocked = locked.has(entry.id)
    const status = isLocked ? 'agreed' : statuses[entry.id]
    if (status) {
      decorations.push(
        Decoration.node(entry.pos, entry.pos + clause.nodeSize, { class: `clause status-${status}` }),
      )
    }
    let definitionCount = 0
    clause.forEach((child, offset) => {
      const pos = entry.pos + 1 + offset
      if (isClauseNode(child)) return
      const attrs: Record<string, string> = {}
      if (child.type.name === CLAUSE_HEADING) {
        attrs.role = 'heading'
        attrs['aria-level'] = String(Math.min(entry.level + 1, 6))
        if (entry.number) attrs['data-number'] = entry.number
        attrs.class = `clause-heading level-${Math.min(entry.level, 4)} kind-${entry.kind}`
        if (child.content.size === 0) Object.assign(attrs, placeholder(CLAUSE_HEADING))
      }
      if (child.type.name === 'definition') {
        definitionCount++
        if (entry.number) attrs['data-number'] = `${entry.number}.${definitionCount}`
      }
      // Agreed text cannot be typed into at all; sub-clauses (separate clauses) stay editable.
      if (isLocked) attrs.contenteditable = 'false'
      if (Object.keys(attrs).length > 0) decorations.push(Decoration.node(pos, pos + child.nodeSize, attrs))
      decorateEmptyFields(child, pos, decorations)
    })
  }
  for (const problem of orderProblems(doc, outline)) {
    const clause = doc.nodeAt(problem.clausePos)!
    const terms = entryTerms(clause, problem.clausePos, problem.entry)
    const flagged = new Set(outOfOrder(terms.map((t) => t.term)))
    terms.forEach((term, index) => {
      if (!flagged.has(index)) return
      decorations.push(
        Decoration.node(term.pos, term.pos + term.node.nodeSize, {
          class: 'out-of-order',
          title: 'Not in alphabetical order',
        }),
      )
    })
    decorations.push(
      Decoration.widget(terms[0]!.pos, () => orderWarning(problem, onSort), {
        side: -1,
        key: `order-${problem.clauseId}-${problem.entry}`,
        ignoreSelection: true,
        stopEvent: () => true,
      }),
    )
  }
  return DecorationSet.create(doc, decorations)
}

function placeholder(type: string): Record<string, string> {
  return { 'data-placeholder': PLACEHOLDERS[type] ?? '', 'data-empty': 'true' }
}

function decorateEmptyFields(block: PmNode, blockPos: number, out: Decoration[]): void {
  if (!['definition', 'abbreviation', 'reference', 'requirement'].includes(block.type.name)) return
  block.forEach((field, offset) => {
    if (field.content.size > 0) return
    const pos = blockPos + 1 + offset
    out.push(Decoration.node(pos, pos + field.nodeSize, placeholder(field.type.name)))
  })
}

function orderWarning(problem: OrderProblem, onSort: SortRequest): HTMLElement {
  const box = document.createElement('div')
  box.className = 'order-warning'
  box.contentEditable = 'false'
  const where = problem.number ? ` in ${problem.number}` : ''
  const text = document.createElement('span')
  text.textContent = `${ENTRY_NOUNS[problem.entry]}${where} are not in alphabetical order.`
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'button small'
  button.textContent = `Sort ${problem.entry === 'definition' ? 'terms' : 'abbreviations'}${where}`
  button.addEventListener('mousedown', (event) => event.preventDefault())
  button.addEventListener('click', () => onSort(problem))
  box.append(text, button)
  return box
}

export const clauseDecorationsKey = new PluginKey<DecorationSet>('accordClauseDecorations')

export const ClauseDecorations = Extension.create<{ onSort: SortRequest }>({
  name: 'accordClauseDecorations',
  addOptions() {
    return { onSort: () => undefined }
  },
  addProseMirrorPlugins() {
    const onSort: SortRequest = (problem) => this.options.onSort(problem)
    const compute = (doc: PmNode, view: ConsensusView) => {
      const { locked, statuses } = view
      return buildDecorations(doc, locked, statuses, onSort)
    }
    return [
      new Plugin<DecorationSet>({
        key: clauseDecorationsKey,
        state: {
          init: (_, state) => compute(state.doc, consensusOf(state)),
          apply: (tr, value, oldState, newState) => {
            // The new state's consensus plugin may not be applied yet while this one is: read the change from
            // the transaction itself.
            const next = (tr.getMeta(consensusKey) as ConsensusView | undefined) ?? consensusOf(oldState)
            if (next !== consensusOf(oldState)) return compute(newState.doc, next)
            if (!tr.docChanged) return value
            // Typing inside a paragraph changes no number, badge or warning: map instead of walking the whole
            // deliverable on every keystroke (measured: the walk dominated keystrokes on 120,000 words).
            return isPlainTyping(tr) ? value.map(tr.mapping, tr.doc) : compute(newState.doc, next)
          },
        },
        props: {
          decorations: (state) => clauseDecorationsKey.getState(state),
        },
      }),
    ]
  },
})

/** Fields whose text the alphabetical-order warnings read. */
const SORTED_FIELDS = new Set(['definitionTerm', 'abbreviationTerm'])

/**
 * True when every step replaces text with text inside one non-empty text block that stays non-empty and is
 * neither a heading nor a sorted term: nothing the decorations derive can have changed.
 */
export function isPlainTyping(tr: Transaction): boolean {
  return tr.steps.every((step, index) => {
    if (!(step instanceof ReplaceStep)) return false
    const { from, to, slice } = step as ReplaceStep & { from: number; to: number }
    if (slice.openStart > 0 || slice.openEnd > 0) return false
    let textOnly = true
    slice.content.forEach((node) => {
      if (!node.isText) textOnly = false
    })
    if (!textOnly) return false
    const doc = tr.docs[index]!
    const $from = doc.resolve(from)
    const parent = $from.parent
    if (!parent.isTextblock || !$from.sameParent(doc.resolve(to))) return false
    if (parent.type.name === CLAUSE_HEADING || SORTED_FIELDS.has(parent.type.name)) return false
    const sizeAfter = parent.content.size - (to - from) + slice.size
    return parent.content.size > 0 && sizeAfter > 0
  })
}
