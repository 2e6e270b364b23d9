/**
 * Step: the lock check (SYNC.md §2.7), decided from the normalized update and where Yjs will put each item
 * (integration.ts), never from what a struct declares. An inserted item (text, a format mark, an attribute, a
 * block, a sub-clause) is refused when the type it lands in lies in an agreed clause (an attribute written on
 * the clause element itself lands in that clause); items landing in a type this update creates are covered by
 * that type's own check. A deleted item is refused when it is a protected clause, lies inside an agreed one, or
 * is an ancestor of a protected one. The whole update is refused when any part is, so an update touching clauses
 * 1 and 2 at once never half-applies.
 */
import * as Y from 'yjs'
import { itemKey, type LockTable, sectionIdOf } from './lockTable.ts'
import { ACCEPT, type CheckContext, type UpdateCheck, type Verdict } from './types.ts'

function locked(sectionIds: string[], message: string): Verdict {
  return { ok: false, reason: 'section-locked', message, sectionIds: [...new Set(sectionIds)] }
}

function insertionHits(context: CheckContext, locks: LockTable): string[] {
  const hits: string[] = []
  for (const container of context.integration().containers.values()) {
    if (container.kind !== 'stored') continue
    const clause = context.tree.nearestClause(container.type)
    if (!clause) continue
    const lock = locks.lockOn(itemKey(clause.id))
    if (lock?.protection === 'agreed') hits.push(sectionIdOf(lock))
  }
  return hits
}

function deletionHits({ doc, update, tree }: CheckContext, locks: LockTable): string[] {
  const hits: string[] = []
  for (const [client, ranges] of update.deleteSet.clients) {
    const stored = doc.store.clients.get(client)
    if (!stored) continue
    const state = Y.getState(doc.store, client)
    for (const { clock, len } of ranges) {
      if (clock >= state) continue
      for (
        let i = Y.findIndexSS(stored, clock);
        i < stored.length && stored[i]!.id.clock < clock + len;
        i++
      ) {
        const item = stored[i]
        if (!(item instanceof Y.Item) || item.deleted) continue
        const key = itemKey(item.id)
        const own = locks.lockOn(key)
        if (own) hits.push(sectionIdOf(own))
        for (const below of locks.below(key) ?? []) hits.push(sectionIdOf(below))
        const clause = tree.nearestClause(item.parent as Y.AbstractType<unknown>)
        const around = clause ? locks.lockOn(itemKey(clause.id)) : undefined
        if (around?.protection === 'agreed') hits.push(sectionIdOf(around))
      }
    }
  }
  return hits
}

export function createClauseLockCheck(locks: LockTable): UpdateCheck {
  return {
    name: 'clause-lock',
    check(context) {
      if (locks.size === 0) return ACCEPT
      const inserted = insertionHits(context, locks)
      if (inserted.length > 0)
        return locked(inserted, 'This clause is agreed: its text is locked until a chair reopens it.')
      const deleted = deletionHits(context, locks)
      if (deleted.length > 0)
        return locked(deleted, 'This change would remove or alter an agreed clause or one of clauses 2 to 5.')
      return ACCEPT
    },
  }
}
