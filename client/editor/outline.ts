/**
 * The clause tree of the editor's document, numbered with the shared rules, with the position of each clause so
 * the outline can jump to it. Pure: takes a ProseMirror node, returns plain data.
 */
import type { Node as PmNode, ResolvedPos } from '@tiptap/pm/model'
import { type ClauseNode, type NumberedClause, numberClauses } from '../../shared/clauses/numbering.ts'
import {
  CLAUSE_HEADING,
  CLAUSE_KINDS,
  type ClauseKind,
  isClauseNode,
} from '../../shared/editor/clauseNodes.ts'

export interface OutlineEntry extends NumberedClause {
  /** Position of the clause node itself (before its opening token). */
  pos: number
  /** Index of the parent entry in the flat list, -1 for top-level clauses. */
  parent: number
}

export function clauseKind(node: PmNode): ClauseKind {
  const kind = node.attrs.kind as string
  return (CLAUSE_KINDS as readonly string[]).includes(kind) ? (kind as ClauseKind) : 'numbered'
}

export function headingText(clause: PmNode): string {
  const first = clause.firstChild
  return first && first.type.name === CLAUSE_HEADING ? first.textContent : ''
}

export function buildOutline(doc: PmNode): OutlineEntry[] {
  const positions: { pos: number; parent: number }[] = []
  const visit = (node: PmNode, pos: number, parent: number): ClauseNode => {
    const index = positions.length
    positions.push({ pos, parent })
    const children: ClauseNode[] = []
    node.forEach((child, offset) => {
      if (isClauseNode(child)) children.push(visit(child, pos + 1 + offset, index))
    })
    return { id: String(node.attrs.id ?? ''), kind: clauseKind(node), title: headingText(node), children }
  }
  const roots: ClauseNode[] = []
  doc.forEach((child, offset) => {
    if (isClauseNode(child)) roots.push(visit(child, offset, -1))
  })
  // numberClauses flattens in the same pre-order as `visit`, so entry i belongs to positions[i].
  return numberClauses(roots).map((entry, i) => ({ ...entry, ...positions[i]! }))
}

export interface ClauseAt {
  node: PmNode
  pos: number
  depth: number
}

/** The innermost clause around a position, or null outside any clause. */
export function clauseAt($pos: ResolvedPos): ClauseAt | null {
  for (let depth = $pos.depth; depth > 0; depth--) {
    const node = $pos.node(depth)
    if (isClauseNode(node)) return { node, pos: $pos.before(depth), depth }
  }
  return null
}

/** Where the clause with this id starts (the first, if a duplicate is not yet repaired); -1 when there is none. */
export function clausePosition(doc: PmNode, id: string): number {
  let found = -1
  doc.descendants((node, pos) => {
    if (found >= 0) return false
    if (isClauseNode(node) && node.attrs.id === id) found = pos
    return isClauseNode(node)
  })
  return found
}

/**
 * An outline entry as the screen holds it: without its position, which changes with every keystroke above the
 * clause (find the clause in the current text with clausePosition when needed).
 */
export type OutlineRow = Omit<OutlineEntry, 'pos'>

/** Same clause shown the same way: what an outline row displays. */
export function sameOutlineRow(a: OutlineRow, b: OutlineRow): boolean {
  return a.id === b.id && a.number === b.number && a.title === b.title && a.level === b.level
}

/** Where each clause starts, by id (the first, for a duplicate not yet repaired): one walk over the clauses. */
export function clausePositions(doc: PmNode): Map<string, number> {
  const found = new Map<string, number>()
  doc.descendants((node, pos) => {
    if (!isClauseNode(node)) return false
    const id = String(node.attrs.id ?? '')
    if (!found.has(id)) found.set(id, pos)
    return true
  })
  return found
}

/**
 * Where the clause's own text starts: inside its first text block after the heading (in a paragraph, a list, a
 * table or an entry), not in a sub-clause. Null when the clause has no text of its own.
 */
export function clauseTextStart(doc: PmNode, clausePos: number): number | null {
  const clause = doc.nodeAt(clausePos)
  if (!clause) return null
  let found: number | null = null
  clause.forEach((child, offset) => {
    if (found !== null || child.type.name === CLAUSE_HEADING || isClauseNode(child)) return
    const childPos = clausePos + 1 + offset
    if (child.isTextblock) found = childPos + 1
    else
      child.descendants((node, pos) => {
        if (found !== null) return false
        if (node.isTextblock) found = childPos + 1 + pos + 1
        return found === null
      })
  })
  return found
}
