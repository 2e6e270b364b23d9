/**
 * Blocks local edits inside agreed clauses before they reach the shared document. The server refuses them anyway
 * (and the replica would have to be rebuilt); stopping them here keeps the user's session intact. A clause's own
 * territory is everything inside it except the insides of its sub-clauses, which are clauses of their own. A
 * blocked edit (or a format to type with, such as Ctrl+B at the caret) is never silent: the user is told why.
 */
import { Extension } from '@tiptap/core'
import type { Node as PmNode } from '@tiptap/pm/model'
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import { isClauseNode } from '../../shared/editor/clauseNodes.ts'
import { consensusOf } from './consensusState.ts'
import { buildOutline, clauseAt } from './outline.ts'
import { changesText, explainRefusal } from './refusalNotice.ts'

interface Territory {
  from: number
  to: number
  /** Closed intervals inside `from..to` that belong to sub-clauses. */
  holes: [number, number][]
}

export function lockedTerritories(doc: PmNode, locked: ReadonlySet<string>): Territory[] {
  return lockedTerritoriesWithClauses(doc, locked).map(({ territory }) => territory)
}

function lockedTerritoriesWithClauses(
  doc: PmNode,
  locked: ReadonlySet<string>,
): { territory: Territory; clausePos: number }[] {
  if (locked.size === 0) return []
  const territories: { territory: Territory; clausePos: number }[] = []
  doc.descendants((node, pos) => {
    if (!isClauseNode(node)) return node.isBlock
    if (locked.has(String(node.attrs.id))) {
      const holes: [number, number][] = []
      node.forEach((child, offset) => {
        if (isClauseNode(child)) {
          const start = pos + 1 + offset
          holes.push([start + 1, start + child.nodeSize - 1])
        }
      })
      territories.push({ territory: { from: pos + 1, to: pos + node.nodeSize - 1, holes }, clausePos: pos })
    }
    return true
  })
  return territories
}

function touches(t: Territory, from: number, to: number): boolean {
  if (to < t.from || from > t.to) return false
  const start = Math.max(from, t.from)
  const end = Math.min(to, t.to)
  // Blocked unless [start, end] lies entirely inside one hole.
  return !t.holes.some(([a, b]) => start >= a && end <= b)
}

/** True when the closed range touches a position of a locked clause's own territory. */
export function touchesTerritory(territories: readonly Territory[], from: number, to: number): boolean {
  return territories.some((t) => touches(t, from, to))
}

/** The locked clause a step of the transaction touches (its position in that step's document), or null. */
function lockedClauseTouched(
  tr: Transaction,
  locked: ReadonlySet<string>,
): { doc: PmNode; pos: number } | null {
  for (const [index, step] of tr.steps.entries()) {
    const raw = step as unknown as { from?: number; to?: number; pos?: number }
    const from = raw.from ?? raw.pos
    const to = raw.to ?? raw.pos
    if (from === undefined || to === undefined) continue
    const doc = tr.docs[index]!
    const hit = lockedTerritoriesWithClauses(doc, locked).find(({ territory }) =>
      touches(territory, from, to),
    )
    if (hit) return { doc, pos: hit.clausePos }
  }
  return null
}

/** True when a step of the transaction touches a locked territory of the document that step applies to. */
export function touchesLockedClause(tr: Transaction, locked: ReadonlySet<string>): boolean {
  return lockedClauseTouched(tr, locked) !== null
}

/** What the user is told: "Clause 3.2 is agreed: its text is locked until a chair reopens it." */
export function lockMessage(doc: PmNode, clausePos: number): string {
  const entry = buildOutline(doc).find((e) => e.pos === clausePos)
  const name = entry?.number ? `Clause ${entry.number}` : `"${entry?.title ?? 'This clause'}"`
  return `${name} is agreed: its text is locked until a chair reopens it.`
}

/** Why nothing can be written where the selection is (an end of it in an agreed clause's own text), or null. */
export function lockReason(state: EditorState): string | null {
  const { locked } = consensusOf(state)
  if (locked.size === 0) return null
  for (const $pos of [state.selection.$from, state.selection.$to]) {
    const here = clauseAt($pos)
    if (here && locked.has(String(here.node.attrs.id))) return lockMessage(state.doc, here.pos)
  }
  return null
}

export const LockGuard = Extension.create({
  name: 'accordLockGuard',
  addProseMirrorPlugins() {
    let current: EditorView | null = null
    const refuse = (message: string) => {
      // Said after the refused transaction is done with (the notice reads the view's state).
      const view = current
      if (view) queueMicrotask(() => explainRefusal(view, message))
      return false
    }
    return [
      new Plugin({
        key: new PluginKey('accordLockGuard'),
        view: (view) => {
          current = view
          return {
            destroy: () => {
              current = null
            },
          }
        },
        props: {
          handleDOMEvents: {
            // Agreed text is not editable in the DOM (clauseDecorations.ts): a key there makes no transaction to
            // refuse, so the key itself is answered.
            keydown: (view, event) => {
              const reason = view.editable && changesText(event) ? lockReason(view.state) : null
              if (reason) explainRefusal(view, reason)
              return false
            },
          },
        },
        filterTransaction: (tr, state) => {
          if (!tr.docChanged) {
            // A format to type with (Ctrl+B at the caret) in agreed text would only be refused at the next key.
            const reason = tr.storedMarksSet && tr.storedMarks?.length ? lockReason(state) : null
            return reason ? refuse(reason) : true
          }
          // Remote changes and undo replays come from Yjs: they are the shared truth, never blocked here.
          if ((tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin)
            return true
          const { locked } = consensusOf(state)
          const hit = locked.size === 0 ? null : lockedClauseTouched(tr, locked)
          return hit ? refuse(lockMessage(hit.doc, hit.pos)) : true
        },
      }),
    ]
  },
})
