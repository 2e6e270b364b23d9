/**
 * Facts about the stored document's tree that the checks ask for every update: the clause element around a
 * type, and how deeply a type is nested. A Yjs item's parent never changes, so both answers hold for the life
 * of the document and are cached per type: a keystroke costs one map lookup instead of a walk to the root, and
 * a crafted update that references thousands of stored items walks each level of the tree at most once.
 * Every walk is iterative: a deep document must never overflow the stack.
 */
import * as Y from 'yjs'
import { isClauseElement } from '../../../shared/clauses/clauseText.ts'

type Type = Y.AbstractType<unknown>

export function isClauseItem(item: Y.Item): boolean {
  return item.content instanceof Y.ContentType && isClauseElement(item.content.type)
}

export class DocumentTree {
  private readonly clauseOf = new WeakMap<Type, Y.Item | null>()
  private readonly depthOf = new WeakMap<Type, number>()

  /** The item of the clause element that is `type` or contains it; null outside every clause. */
  nearestClause(type: Type): Y.Item | null {
    const walked: Type[] = []
    let current: Type | null = type
    let found: Y.Item | null = null
    while (current) {
      const cached = this.clauseOf.get(current)
      if (cached !== undefined) {
        found = cached
        break
      }
      walked.push(current)
      const item: Y.Item | null = current._item
      if (item && isClauseItem(item)) {
        found = item
        break
      }
      current = item ? (item.parent as Type | null) : null
    }
    // Everything walked below the answer has the same nearest clause.
    for (const visited of walked) this.clauseOf.set(visited, found)
    return found
  }

  /** How many nested types hold `type`, itself included (a root type is 0). */
  depth(type: Type): number {
    const walked: Type[] = []
    let current: Type | null = type
    let base = 0
    while (current?._item) {
      const cached = this.depthOf.get(current)
      if (cached !== undefined) {
        base = cached
        break
      }
      walked.push(current)
      current = current._item.parent as Type | null
    }
    for (let i = walked.length - 1; i >= 0; i--) this.depthOf.set(walked[i]!, base + walked.length - i)
    return walked.length > 0 ? base + walked.length : base
  }
}
