/**
 * Blocks local edits inside agreed clauses before they reach the shared document. The server refuses them anyway
 * (and the replica would have to be rebuilt); stopping them here keeps the user's session intact. A clause's own
 * territory is everything inside it except the insides of its sub-clauses, which are clauses of their own.
 */
import { Extension } from '@tiptap/core'
import type { Node as PmNode } from '@tiptap/pm/model'
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import { isClauseNode } from '../../shared/editor/clauseNodes.ts'
import { consensusOf } from './consensusState.ts'

interface Territory {
  from: number
  to: number
  /** Closed intervals inside `from..to` that belong to sub-clauses. */
  holes: [number, number][]
}

export function lockedTerritories(doc: PmNode, locked: ReadonlySet<string>): Territory[] {
  if (locked.size === 0) return []
  const territories: Territory[] = []
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
      territories.push({ from: pos + 1, to: pos + node.nodeSize - 1, holes })
    }
    return true
  })
  return territories
}

/** True when the closed range touches a position of a locked clause's own territory. */
export function touchesTerritory(territories: readonly Territory[], from: number, to: number): boolean {
  for (const t of territories) {
    if (to < t.from || from > t.to) continue
    const start = Math.max(from, t.from)
    const end = Math.min(to, t.to)
    // Blocked unless [start, end] lies entirely inside one hole.
    if (!t.holes.some(([a, b]) => start >= a && end <= b)) return true
  }
  return false
}

/** True when a step of the transaction touches a locked territory of the document that step applies to. */
export function touchesLockedClause(tr: Transaction, locked: ReadonlySet<string>): boolean {
  return tr.steps.some((step, index) => {
    const raw = step as unknown as { from?: number; to?: number; pos?: number }
    const from = raw.from ?? raw.pos
    const to = raw.to ?? raw.pos
    if (from === undefined || to === undefined) return false
    return touchesTerritory(lockedTerritories(tr.docs[index]!, locked), from, to)
  })
}

export const LockGuard = Extension.create({
  name: 'accordLockGuard',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('accordLockGuard'),
        filterTransaction: (tr, state) => {
          if (!tr.docChanged) return true
          // Remote changes and undo replays come from Yjs: they are the shared truth, never blocked here.
          if ((tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin)
            return true
          const { locked } = consensusOf(state)
          return locked.size === 0 || !touchesLockedClause(tr, locked)
        },
      }),
    ]
  },
})
