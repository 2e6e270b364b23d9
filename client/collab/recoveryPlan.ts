/**
 * After a refusal (SYNC.md §3) the client starts over from the server's document and re-applies the user's own
 * work where it is still allowed. This module decides what to re-apply, on plain ProseMirror JSON: clauses are
 * matched by their `id` attribute; a clause whose own content (heading and blocks, not sub-clauses) differs and is
 * not locked gets its differing blocks replaced; a clause that only the user had gets inserted after its previous
 * sibling. Everything that cannot be re-applied is listed with its text, so the user can copy it.
 */
import { CLAUSE } from '../../shared/editor/clauseNodes.ts'

export interface JsonNode {
  type: string
  attrs?: Record<string, unknown>
  content?: JsonNode[]
  text?: string
  marks?: unknown[]
}

export interface ReplaceBlocks {
  kind: 'replace-blocks'
  clauseId: string
  /** Index among the clause's own children (heading and blocks, sub-clauses not counted). */
  start: number
  deleteCount: number
  insert: JsonNode[]
}

export interface InsertClause {
  kind: 'insert-clause'
  /** null: at the top level of the body. */
  parentId: string | null
  /** The sibling clause it follows; null: before every sibling clause. */
  afterId: string | null
  clause: JsonNode
}

export type RecoveryOp = ReplaceBlocks | InsertClause

export interface KeptText {
  clauseId: string
  title: string
  text: string
}

export interface RecoveryPlan {
  ops: RecoveryOp[]
  /** Work that was not re-applied: clauses locked, refused, or everything when the user may not edit. */
  kept: KeptText[]
}

export interface RecoveryOptions {
  /** Clause ids the user's edits may not touch (agreed, or named by the refusal). */
  locked: ReadonlySet<string>
  /** False when the user may not edit at all: nothing is re-applied, all differing work is kept. */
  canEdit: boolean
  /** Clause ids the refusal named: their saved text is always offered, even when re-applied. */
  refused?: ReadonlySet<string>
}

/** A clause in ProseMirror JSON (the Yjs element test is `isClauseElement`, shared/clauses/clauseText.ts). */
export const isClauseJson = (node: JsonNode) => node.type === CLAUSE
export const clauseId = (node: JsonNode) => (typeof node.attrs?.id === 'string' ? node.attrs.id : '')
export const ownChildren = (clause: JsonNode) =>
  (clause.content ?? []).filter((child) => !isClauseJson(child))
const subClauses = (node: JsonNode) => (node.content ?? []).filter(isClauseJson)

interface Located {
  node: JsonNode
  parentId: string | null
  previousId: string | null
  /** Ids of this clause and its ancestors. */
  lineage: string[]
}

function indexClauses(doc: JsonNode): Map<string, Located> {
  const found = new Map<string, Located>()
  const walk = (node: JsonNode, parentId: string | null, lineage: string[]) => {
    let previousId: string | null = null
    for (const child of subClauses(node)) {
      const id = clauseId(child)
      const childLineage = [...lineage, id]
      // The first of duplicated ids wins: the server repairs duplicates anyway.
      if (id && !found.has(id)) found.set(id, { node: child, parentId, previousId, lineage: childLineage })
      walk(child, id || parentId, childLineage)
      previousId = id || previousId
    }
  }
  walk(doc, null, [])
  return found
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** The smallest run of blocks to replace so that `fresh` becomes `saved`: common head and tail stay. */
export function blockDiff(
  saved: JsonNode[],
  fresh: JsonNode[],
): Omit<ReplaceBlocks, 'kind' | 'clauseId'> | null {
  let head = 0
  while (head < saved.length && head < fresh.length && same(saved[head], fresh[head])) head++
  let tail = 0
  while (
    tail < saved.length - head &&
    tail < fresh.length - head &&
    same(saved[saved.length - 1 - tail], fresh[fresh.length - 1 - tail])
  ) {
    tail++
  }
  if (head === saved.length && head === fresh.length) return null
  return {
    start: head,
    deleteCount: fresh.length - head - tail,
    insert: saved.slice(head, saved.length - tail),
  }
}

export function planRecovery(saved: JsonNode, fresh: JsonNode, options: RecoveryOptions): RecoveryPlan {
  const savedClauses = indexClauses(saved)
  const freshClauses = indexClauses(fresh)
  const ops: RecoveryOp[] = []
  const kept: KeptText[] = []
  const inserted = new Set<string>()
  const keep = (id: string, node: JsonNode) => {
    if (!kept.some((k) => k.clauseId === id))
      kept.push({ clauseId: id, title: titleOf(node), text: ownText(node) })
  }

  for (const [id, located] of savedClauses) {
    // A clause inside one we insert whole travels with it.
    if (located.lineage.slice(0, -1).some((ancestor) => inserted.has(ancestor))) continue
    const current = freshClauses.get(id)
    if (options.refused?.has(id)) keep(id, located.node)
    if (current) {
      const diff = blockDiff(ownChildren(located.node), ownChildren(current.node))
      if (!diff) continue
      if (!options.canEdit || options.locked.has(id)) keep(id, located.node)
      else ops.push({ kind: 'replace-blocks', clauseId: id, ...diff })
      continue
    }
    const parentOk = located.parentId === null || freshClauses.has(located.parentId)
    const blocked = located.parentId !== null && options.locked.has(located.parentId)
    if (!options.canEdit || !parentOk || blocked) {
      keep(id, located.node)
      continue
    }
    const afterId = located.previousId && freshClauses.has(located.previousId) ? located.previousId : null
    const clause = withoutClauses(located.node, (childId) => freshClauses.has(childId))
    ops.push({ kind: 'insert-clause', parentId: located.parentId, afterId, clause })
    inserted.add(id)
  }
  return { ops, kept }
}

/** A copy of the clause without the sub-clauses that already exist elsewhere (they must not be duplicated). */
function withoutClauses(node: JsonNode, exists: (id: string) => boolean): JsonNode {
  if (!node.content) return node
  const content = node.content
    .filter((child) => !isClauseJson(child) || !exists(clauseId(child)))
    .map((child) => (isClauseJson(child) ? withoutClauses(child, exists) : child))
  return { ...node, content }
}

export function plainTextOf(node: JsonNode): string {
  if (node.type === 'text') return node.text ?? ''
  if (node.type === 'hardBreak') return '\n'
  const children = node.content ?? []
  const inline = children.every((child) => child.type === 'text' || child.type === 'hardBreak')
  return children.map(plainTextOf).join(inline ? '' : ENTRY_TYPES.has(node.type) ? ' ' : '\n')
}

const ENTRY_TYPES = new Set(['definition', 'abbreviation', 'reference', 'requirement', 'tableRow'])

export function titleOf(clause: JsonNode): string {
  const heading = (clause.content ?? []).find((child) => child.type === 'clauseHeading')
  return heading ? plainTextOf(heading) : ''
}

/** The clause's own text (heading excluded, sub-clauses excluded), as a user would copy it. */
export function ownText(clause: JsonNode): string {
  return ownChildren(clause)
    .filter((child) => child.type !== 'clauseHeading')
    .map(plainTextOf)
    .join('\n')
}
