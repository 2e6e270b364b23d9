/**
 * In the text itself: a status badge on every clause heading ("Draft", "Proposed · 1 objection", "Agreed"), and
 * under the heading of a locked clause the note that says why it cannot be typed into. Decorations only, never
 * written into the document (SYNC.md §1). Status and locks come from the editor's consensus state (the same the
 * lock guard enforces); open objection counts are pushed in with `setObjectionCounts`.
 */
import { Extension } from '@tiptap/core'
import type { Node as PmNode } from '@tiptap/pm/model'
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view'
import type { SectionStatus } from '../../shared/domain/types.ts'
import { CLAUSE_HEADING, isClauseNode } from '../../shared/editor/clauseNodes.ts'
import { type ConsensusView, consensusKey, consensusOf } from '../editor/consensusState.ts'
import { nodeDecoration, reuseDecorations } from '../editor/decorationReuse.ts'
import { textChange } from '../editor/textChange.ts'
import { STATUS_LABELS } from './clauseConsensus.ts'

export const LOCK_NOTE = 'Agreed — locked until a chair reopens it.'

type Counts = Readonly<Record<string, number>>

interface BadgeState {
  counts: Counts
  /** The consensus view the badges show, followed through its own meta (see `apply`). */
  view: ConsensusView
  set: DecorationSet
}

const badgeKey = new PluginKey<BadgeState>('accordConsensusBadges')

export function setObjectionCounts(view: EditorView, counts: Counts): void {
  view.dispatch(view.state.tr.setMeta(badgeKey, { counts }).setMeta('addToHistory', false))
}

export function badgeLabel(status: SectionStatus, openObjections: number): string {
  const label = STATUS_LABELS[status]
  if (openObjections === 0) return label
  return `${label} · ${openObjections} ${openObjections === 1 ? 'objection' : 'objections'}`
}

function lockNote(): HTMLElement {
  const note = document.createElement('div')
  note.className = 'clause-lock-note'
  note.contentEditable = 'false'
  note.setAttribute('role', 'note')
  note.setAttribute('data-testid', 'clause-lock-note')
  note.textContent = LOCK_NOTE
  return note
}

function badges(doc: PmNode, consensus: ConsensusView, counts: Counts): Decoration[] {
  const decorations: Decoration[] = []
  doc.descendants((node, pos) => {
    if (!isClauseNode(node)) return node.isBlock
    const id = String(node.attrs.id ?? '')
    const locked = consensus.locked.has(id)
    const status: SectionStatus = consensus.statuses[id] ?? 'draft'
    const heading = node.firstChild?.type.name === CLAUSE_HEADING ? node.firstChild : null
    if (heading) {
      decorations.push(
        nodeDecoration(pos + 1, pos + 1 + heading.nodeSize, {
          'data-consensus': badgeLabel(status, counts[id] ?? 0),
          class: `consensus-${status}${counts[id] ? ' has-objections' : ''}`,
        }),
      )
    }
    if (locked) {
      const at = pos + 1 + (heading?.nodeSize ?? 0)
      decorations.push(
        Decoration.widget(at, lockNote, { key: `lock-${id}`, side: -1, ignoreSelection: true }),
      )
    }
    return true
  })
  return decorations
}

/**
 * The badges of the next state. The consensus view is read from its meta, not from the new state: plugin states
 * are computed in order, and the consensus plugin's may not exist yet in the state being built. Typing (changes
 * inside text blocks, local or remote) only moves the badges; anything else may add, remove or renumber clauses.
 */
function nextBadges(tr: Transaction, value: BadgeState, before: PmNode): BadgeState {
  const view = (tr.getMeta(consensusKey) as ConsensusView | undefined) ?? value.view
  const counts = (tr.getMeta(badgeKey) as { counts: Counts } | undefined)?.counts ?? value.counts
  if (view === value.view && counts === value.counts) {
    if (!tr.docChanged) return value
    const change = textChange(before, tr.doc)
    if (change) return { ...value, set: value.set.map(change.map, tr.doc) }
  }
  // Equal badges stay the same objects: the view then compares them at no cost (see decorationReuse).
  return { counts, view, set: reuseDecorations(value.set, tr.mapping, tr.doc, badges(tr.doc, view, counts)) }
}

const badgesPlugin = () =>
  new Plugin<BadgeState>({
    key: badgeKey,
    props: { decorations: (state) => badgeKey.getState(state)?.set },
    state: {
      init: (_, state) => ({
        counts: {},
        view: consensusOf(state),
        set: DecorationSet.create(state.doc, badges(state.doc, consensusOf(state), {})),
      }),
      apply: (tr, value, oldState) => nextBadges(tr, value, oldState.doc),
    },
  })

export const ConsensusBadges = Extension.create({
  name: 'accordConsensusBadges',
  addProseMirrorPlugins: () => [badgesPlugin()],
})
