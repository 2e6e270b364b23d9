/**
 * The clause tree of the editor's document, numbered with the shared rules, with the position of each clause so
 * the outline can jump to it. Pure: takes a ProseMirror node, returns plain data.
 */
import type { Node as PmNode, ResolvedPos } from '@tiptap/pm/model'
import { type ClauseNode, type NumberedClause, numberClauses } from '../../shared/clauses/numbering.ts'
import { CLAUSE, CLAUSE_HEADING, CLAUSE_KINDS, type ClauseKind } from '../../shared/editor/clauseNodes.ts'

export interface OutlineEntry extends NumberedClause {
  /** Position of the clause node itself (before its opening token). */
  pos: number
  /** Index of the parent entry in the flat list, -1 for top-level clauses. */
  parent: number
}

/** Clauses 2 to 5 never go away (DOMAIN.md); recognised by their place and their standard titles. */
const REQUIRED_TITLES = new Set(['references', 'definitions', 'abbreviations and acronyms', 'conventions'])

export function isRequiredClause(entry: Pick<NumberedClause, 'level' | 'kind' | 'title'>): boolean {
  return (
    entry.level === 1 && entry.kind === 'numbered' && REQUIRED_TITLES.has(entry.title.trim().toLowerCase())
  )
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
      if (child.type.name === CLAUSE) children.push(visit(child, pos + 1 + offset, index))
    })
    return { id: String(node.attrs.id ?? ''), kind: clauseKind(node), title: headingText(node), children }
  }
  const roots: ClauseNode[] = []
  doc.forEach((child, offset) => {
    if (child.type.name === CLAUSE) roots.push(visit(child, offset, -1))
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
    if (node.type.name === CLAUSE) return { node, pos: $pos.before(depth), depth }
  }
  return null
}

/** The outline entry of the clause whose node starts at `pos`. */
export function entryAt(outline: readonly OutlineEntry[], pos: number): OutlineEntry | undefined {
  return outline.find((entry) => entry.pos === pos)
}
