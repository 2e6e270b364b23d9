/**
 * Duplicate clause ids (from a split, a paste or an undo) are repaired by the server, as a server-side edit:
 * within each group of clauses sharing an id, an agreed clause keeps it (a locked clause is never renamed),
 * otherwise the first in document order does; the others, and clauses without an id, get fresh ids.
 */
import * as Y from 'yjs'
import { clauseIdOf, isClauseElement, listClauses } from '../../shared/clauses/clauseText.ts'
import { newId } from '../../shared/domain/ids.ts'
import type { DecodedUpdate, Struct } from './checks/decodedUpdate.ts'
import type { Integration } from './checks/integration.ts'
import { itemKey, type LockTable } from './checks/lockTable.ts'

function isClauseStruct(struct: Struct): struct is Y.Item {
  return (
    struct instanceof Y.Item &&
    struct.content instanceof Y.ContentType &&
    isClauseElement(struct.content.type)
  )
}

/**
 * Only an update that adds a clause or writes a clause's `id` attribute can create a duplicate. Where the
 * attribute lands comes from the integration plan: `Y.decodeUpdate` reports no map key for an attribute written
 * over an earlier value.
 */
export function mayDuplicateClauseIds(integration: Integration): boolean {
  for (const [struct, container] of integration.containers) {
    if (isClauseStruct(struct)) return true
    if (container.kind === 'collected' || container.key !== 'id') continue
    if (container.kind === 'stored' && isClauseElement(container.type)) return true
    if (container.kind === 'new' && isClauseStruct(container.item)) return true
  }
  return false
}

/** The item keys of the clause elements an update inserts: on a duplicate, these are the copies. */
export function insertedClauseKeys(update: DecodedUpdate): Set<string> {
  const keys = new Set<string>()
  for (const s of update.structs) if (isClauseStruct(s)) keys.add(itemKey(s.id))
  return keys
}

/**
 * Renames the duplicates in one transaction; returns how many clauses got a new id. Within a group, an agreed
 * clause keeps the id, else one that existed before this update (a pasted copy never takes over the
 * original's id, status and objections), else the first in document order.
 */
export function repairClauseIds(
  body: Y.XmlFragment,
  locks: LockTable,
  origin: unknown,
  inserted: Set<string> = new Set(),
): number {
  const byId = new Map<string, Y.XmlElement[]>()
  const renames: Y.XmlElement[] = []
  for (const { element } of listClauses(body)) {
    const id = clauseIdOf(element)
    if (!id) {
      renames.push(element)
      continue
    }
    const group = byId.get(id) ?? []
    group.push(element)
    byId.set(id, group)
  }
  for (const group of byId.values()) {
    if (group.length < 2) continue
    const keeper =
      group.find((e) => e._item && locks.isAgreed(itemKey(e._item.id))) ??
      group.find((e) => e._item && !inserted.has(itemKey(e._item.id))) ??
      group[0]
    for (const element of group) if (element !== keeper) renames.push(element)
  }
  if (renames.length === 0) return 0
  body.doc!.transact(() => {
    for (const element of renames) element.setAttribute('id', newId(12))
  }, origin)
  return renames.length
}
