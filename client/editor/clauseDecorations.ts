/**
 * Everything the editor shows that is not in the document: clause numbers on headings, the numbers of definition
 * entries (3.2.1, 3.2.2), placeholders in empty fields, consensus status and locks, and warnings for entries out
 * of alphabetical order. Derived data stays out of the shared document (SYNC.md §1): it is all decorations.
 */
import { Extension } from '@tiptap/core'
import type { Node as PmNode } from '@tiptap/pm/model'
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import type { Mapping } from '@tiptap/pm/transform'
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view'
import { CLAUSE_HEADING, isClauseNode } from '../../shared/editor/clauseNodes.ts'
import { outOfOrder } from './alphabetical.ts'
import { type ConsensusView, consensusKey, consensusOf } from './consensusState.ts'
import { nodeDecoration, reuseDecorations } from './decorationReuse.ts'
import { buildOutline, type OutlineEntry } from './outline.ts'
import { type TextChange, textChange } from './textChange.ts'

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

/** The decorations, and the order problems the user is offered to sort (the toolbar reads them too). */
interface DecorationState {
  set: DecorationSet
  problems: readonly OrderProblem[]
  consensus: ConsensusView
  /** The user may sort here: false for readers and while the text cannot be edited. */
  sortOffered: boolean
}

/** What the plugin shows for this document and consensus state: the decorations and the problems offered. */
function decorationsOf(
  doc: PmNode,
  consensus: ConsensusView,
  sortOffered: boolean,
  onSort: SortRequest,
): { decorations: Decoration[]; problems: OrderProblem[] } {
  const { locked, statuses } = consensus
  const decorations: Decoration[] = []
  const outline = buildOutline(doc)
  for (const entry of outline) {
    const clause = doc.nodeAt(entry.pos)
    if (!clause) continue
    const isLocked = locked.has(entry.id)
    const status = isLocked ? 'agreed' : (statuses[entry.id] ?? 'draft')
    decorations.push(
      nodeDecoration(entry.pos, entry.pos + clause.nodeSize, { class: `clause status-${status}` }),
    )
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
      if (Object.keys(attrs).length > 0) decorations.push(nodeDecoration(pos, pos + child.nodeSize, attrs))
      decorateEmptyFields(child, pos, decorations)
    })
  }
  const problems = orderProblems(doc, outline)
  for (const problem of problems) {
    const clause = doc.nodeAt(problem.clausePos)!
    const terms = entryTerms(clause, problem.clausePos, problem.entry)
    const flagged = new Set(outOfOrder(terms.map((t) => t.term)))
    terms.forEach((term, index) => {
      if (!flagged.has(index)) return
      decorations.push(
        nodeDecoration(term.pos, term.pos + term.node.nodeSize, {
          class: 'out-of-order',
          title: 'Not in alphabetical order',
        }),
      )
    })
    // An agreed clause cannot be sorted by anyone: only say what is wrong, as to a reader.
    const sortable = sortOffered && !locked.has(problem.clauseId)
    decorations.push(
      Decoration.widget(terms[0]!.pos, () => orderWarning(problem, sortable ? onSort : null), {
        side: -1,
        // The key names all the widget shows: ProseMirror keeps a widget's DOM while its key is the same.
        key: `order-${problem.clauseId}-${problem.entry}-${problem.number}-${sortable ? 'sort' : 'note'}`,
        ignoreSelection: true,
        stopEvent: () => true,
      }),
    )
  }
  const offered = problems.filter((problem) => sortOffered && !locked.has(problem.clauseId))
  return { decorations, problems: offered }
}

/** The plugin's state for `doc`, keeping the decorations of `previous` that did not change (see decorationReuse). */
function buildDecorations(
  doc: PmNode,
  consensus: ConsensusView,
  sortOffered: boolean,
  onSort: SortRequest,
  previous?: { set: DecorationSet; mapping: Mapping },
): DecorationState {
  const { decorations, problems } = decorationsOf(doc, consensus, sortOffered, onSort)
  const set = previous
    ? reuseDecorations(previous.set, previous.mapping, doc, decorations)
    : DecorationSet.create(doc, decorations)
  return { set, problems, consensus, sortOffered }
}

function placeholder(type: string): Record<string, string> {
  return { 'data-placeholder': PLACEHOLDERS[type] ?? '', 'data-empty': 'true' }
}

function decorateEmptyFields(block: PmNode, blockPos: number, out: Decoration[]): void {
  if (!['definition', 'abbreviation', 'reference', 'requirement'].includes(block.type.name)) return
  block.forEach((field, offset) => {
    if (field.content.size > 0) return
    const pos = blockPos + 1 + offset
    out.push(nodeDecoration(pos, pos + field.nodeSize, placeholder(field.type.name)))
  })
}

function orderWarning(problem: OrderProblem, onSort: SortRequest | null): HTMLElement {
  const box = document.createElement('div')
  box.className = 'order-warning'
  box.contentEditable = 'false'
  const where = problem.number ? ` in ${problem.number}` : ''
  const text = document.createElement('span')
  text.textContent = `${ENTRY_NOUNS[problem.entry]}${where} are not in alphabetical order.`
  box.append(text)
  if (!onSort) return box
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'button small'
  button.textContent = `Sort ${problem.entry === 'definition' ? 'terms' : 'abbreviations'}${where}`
  button.addEventListener('mousedown', (event) => event.preventDefault())
  button.addEventListener('click', () => onSort(problem))
  box.append(button)
  return box
}

const clauseDecorationsKey = new PluginKey<DecorationState>('accordClauseDecorations')
const SORT_OFFERED = 'accordSortOffered'

/** Whether the user is offered sorting: the screen says so when the editor becomes editable or read-only. */
export function setSortOffered(view: EditorView, offered: boolean): void {
  if (clauseDecorationsKey.getState(view.state)?.sortOffered === offered) return
  view.dispatch(view.state.tr.setMeta(SORT_OFFERED, offered).setMeta('addToHistory', false))
}

/** The entries out of order in the clause at `clausePos` that this user may sort, if any. */
export function sortableProblemAt(state: EditorState, clausePos: number): OrderProblem | undefined {
  return clauseDecorationsKey.getState(state)?.problems.find((problem) => problem.clausePos === clausePos)
}

/** Fields whose text the alphabetical-order warnings read. */
const SORTED_FIELDS = new Set(['definitionTerm', 'abbreviationTerm'])

/**
 * Typing inside a text block that stays non-empty and is not a sorted term changes no number, badge, placeholder
 * or warning: the decorations only move.
 */
function movesOnly(change: TextChange | null): change is TextChange {
  return (
    !!change &&
    change.blocks.every(
      ({ before, after }) =>
        !SORTED_FIELDS.has(after.type.name) && before.content.size > 0 && after.content.size > 0,
    )
  )
}

export const ClauseDecorations = Extension.create<{ onSort: SortRequest }>({
  name: 'accordClauseDecorations',
  addOptions() {
    return { onSort: () => undefined }
  },
  addProseMirrorPlugins() {
    const onSort: SortRequest = (problem) => this.options.onSort(problem)
    const apply = (tr: Transaction, value: DecorationState, oldState: EditorState): DecorationState => {
      // The new state's consensus plugin may not be applied yet while this one is: read the change from the
      // transaction itself.
      const consensus = (tr.getMeta(consensusKey) as ConsensusView | undefined) ?? value.consensus
      const sortOffered = (tr.getMeta(SORT_OFFERED) as boolean | undefined) ?? value.sortOffered
      const previous = { set: value.set, mapping: tr.mapping }
      if (consensus !== value.consensus || sortOffered !== value.sortOffered)
        return buildDecorations(tr.doc, consensus, sortOffered, onSort, previous)
      if (!tr.docChanged) return value
      // Measured: walking the whole deliverable on every keystroke dominated typing on 120,000 words.
      const change = textChange(oldState.doc, tr.doc)
      if (!movesOnly(change)) return buildDecorations(tr.doc, consensus, sortOffered, onSort, previous)
      const problems = value.problems.map((p) => ({ ...p, clausePos: change.map.map(p.clausePos) }))
      return { ...value, set: value.set.map(change.map, tr.doc), problems }
    }
    return [
      new Plugin<DecorationState>({
        key: clauseDecorationsKey,
        state: {
          init: (_, state) => buildDecorations(state.doc, consensusOf(state), false, onSort),
          apply: (tr, value, oldState) => apply(tr, value, oldState),
        },
        props: {
          decorations: (state) => clauseDecorationsKey.getState(state)?.set,
        },
      }),
    ]
  },
})
