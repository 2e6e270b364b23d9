/**
 * Step 4: the lock check (SYNC.md §2), decided from the update alone. An inserted item (text, a format mark, an
 * attribute, a block, a sub-clause) is refused when its nearest clause element is agreed; a deleted item when it
 * is a protected clause, lies inside an agreed one, or is an ancestor of a protected one. The whole update is
 * refused when any part is, so an update touching clauses 1 and 2 at once never half-applies.
 */
import * as Y from 'yjs'
import { CLAUSE } from '../../../shared/editor/clauseNodes.ts'
import { type DecodedUpdate, resolveStruct } from './decodedUpdate.ts'
import { itemKey, type LockTable, sectionIdOf } from './lockTable.ts'
import { ACCEPT, type UpdateCheck, type Verdict } from './types.ts'

/** Deep enough for any real clause tree; guards against a crafted parent cycle inside one update. */
const MAX_DEPTH = 256

type Parent = Y.Item | 'root' | 'unknown'

function isClauseItem(item: Y.Item): boolean {
  return (
    item.content instanceof Y.ContentType &&
    item.content.type instanceof Y.XmlElement &&
    item.content.type.nodeName === CLAUSE
  )
}

/** The item of the type that contains `item` (stored items know it; decoded ones are resolved as Yjs does). */
function parentOf(doc: Y.Doc, update: DecodedUpdate, item: Y.Item, depth = 0): Parent {
  if (depth > MAX_DEPTH) return 'unknown'
  const parent = item.parent as unknown
  if (parent instanceof Y.AbstractType) return parent._item ?? 'root'
  if (typeof parent === 'string') return 'root'
  if (parent instanceof Y.ID) {
    const struct = resolveStruct(doc, update, parent)
    return struct instanceof Y.Item ? struct : 'unknown'
  }
  // No parent info: the parent is the origin's, else the right origin's (Item.getMissing).
  const neighbour = item.origin ?? item.rightOrigin
  if (!neighbour) return 'unknown'
  const struct = resolveStruct(doc, update, neighbour)
  return struct instanceof Y.Item ? parentOf(doc, update, struct, depth + 1) : 'unknown'
}

/** The nearest clause element at or above `start`. */
function nearestClause(doc: Y.Doc, update: DecodedUpdate, start: Parent): Y.Item | null {
  let current: Parent = start
  for (let depth = 0; depth < MAX_DEPTH && current instanceof Y.Item; depth++) {
    if (isClauseItem(current)) return current
    current = parentOf(doc, update, current)
  }
  return null
}

function locked(sectionIds: string[], message: string): Verdict {
  return { ok: false, reason: 'section-locked', message, sectionIds: [...new Set(sectionIds)] }
}

export function createClauseLockCheck(locks: LockTable): UpdateCheck {
  return {
    name: 'clause-lock',
    check({ doc, update }) {
      if (locks.size === 0) return ACCEPT
      const hits: string[] = []
      for (const struct of update.structs) {
        if (!(struct instanceof Y.Item)) continue
        // Already stored: applying it again changes nothing.
        if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue
        const clause = nearestClause(doc, update, parentOf(doc, update, struct))
        const lock = clause ? locks.lockOn(itemKey(clause.id)) : undefined
        if (lock?.protection === 'agreed') hits.push(sectionIdOf(lock))
      }
      if (hits.length > 0)
        return locked(hits, 'This clause is agreed: its text is locked until a chair reopens it.')

      for (const [client, ranges] of update.deleteSet.clients) {
        const stored = doc.store.clients.get(client)
        if (!stored) continue
        const state = Y.getState(doc.store, client)
        for (const { clock, len } of ranges) {
          if (clock >= state) continue
          let index = Y.findIndexSS(stored, clock)
          for (; index < stored.length && stored[index]!.id.clock < clock + len; index++) {
            const item = stored[index]
            if (!(item instanceof Y.Item) || item.deleted) continue
            const key = itemKey(item.id)
            const own = locks.lockOn(key)
            if (own) hits.push(sectionIdOf(own))
            for (const below of locks.below(key) ?? []) hits.push(sectionIdOf(below))
            const clause = nearestClause(doc, update, parentOf(doc, update, item))
            if (clause && locks.isAgreed(itemKey(clause.id)))
              hits.push(sectionIdOf(locks.lockOn(itemKey(clause.id))!))
          }
        }
      }
      if (hits.length > 0)
        return locked(hits, 'This change would remove or alter an agreed clause or one of clauses 2 to 5.')
      return ACCEPT
    },
  }
}
