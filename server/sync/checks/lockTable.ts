/**
 * The clause elements that no update may change, bound to their Yjs item ids (SYNC.md §1), never to the `id`
 * attribute that anyone can copy by pasting. Agreed clauses are locked whole (heading and own content);
 * required clauses (2 to 5) only against removal. A Yjs item's parent never changes, so the ancestors of a
 * locked element, recorded when it is locked, stay its ancestors.
 */
import * as Y from 'yjs'
import type { ItemId } from '../../../shared/domain/consensus.ts'

export const itemKey = (id: { client: number; clock: number }): string => `${id.client}:${id.clock}`

export type Protection = 'agreed' | 'required'

export interface Entry {
  /** The section id recorded with the lock (for a required clause, a placeholder). */
  recordedId: string
  protection: Protection
  element: Y.XmlElement
}

/** The clause id a refusal names: the element's own `id`, which a locked clause keeps. */
export function sectionIdOf(entry: Entry): string {
  const id = entry.element.getAttribute('id')
  return typeof id === 'string' && id !== '' ? id : entry.recordedId
}

export class LockTable {
  /** Element item key → its protections; a required clause may be agreed too, and keeps both. */
  private readonly locked = new Map<string, Entry[]>()
  /** Ancestor item key → the protected elements below it. */
  private readonly ancestors = new Map<string, Entry[]>()

  /** How many elements are protected. */
  get size(): number {
    return this.locked.size
  }

  /** Protects the element whose item id is given; false when the document has no such element. */
  protect(doc: Y.Doc, item: ItemId, sectionId: string, protection: Protection): boolean {
    const element = elementAt(doc, item)
    if (!element) return false
    const key = itemKey(item)
    const entries = this.locked.get(key) ?? []
    if (entries.some((e) => e.protection === protection)) return true
    const entry: Entry = { recordedId: sectionId, protection, element }
    this.locked.set(key, [...entries, entry])
    let parent = element._item?.parent as Y.AbstractType<unknown> | null
    while (parent?._item) {
      const ancestorKey = itemKey(parent._item.id)
      const list = this.ancestors.get(ancestorKey) ?? []
      list.push(entry)
      this.ancestors.set(ancestorKey, list)
      parent = parent._item.parent as Y.AbstractType<unknown> | null
    }
    return true
  }

  /** Removes this one protection; any other protection of the element (a required clause's) stays. */
  unprotect(item: ItemId, protection: Protection): void {
    const key = itemKey(item)
    const entries = this.locked.get(key) ?? []
    const entry = entries.find((e) => e.protection === protection)
    if (!entry) return
    const rest = entries.filter((e) => e !== entry)
    if (rest.length === 0) this.locked.delete(key)
    else this.locked.set(key, rest)
    for (const [ancestorKey, list] of this.ancestors) {
      const others = list.filter((e) => e !== entry)
      if (others.length === 0) this.ancestors.delete(ancestorKey)
      else if (others.length !== list.length) this.ancestors.set(ancestorKey, others)
    }
  }

  /** The strongest lock on this element, if any: an agreed lock before the removal protection. */
  lockOn(key: string): Entry | undefined {
    const entries = this.locked.get(key)
    return entries?.find((e) => e.protection === 'agreed') ?? entries?.[0]
  }

  /** The protected elements below this item, if any. */
  below(key: string): Entry[] | undefined {
    return this.ancestors.get(key)
  }

  isAgreed(key: string): boolean {
    return this.locked.get(key)?.some((e) => e.protection === 'agreed') ?? false
  }
}

export function elementAt(doc: Y.Doc, item: ItemId): Y.XmlElement | null {
  if (item.clock >= Y.getState(doc.store, item.client)) return null
  const struct = Y.getItem(doc.store, Y.createID(item.client, item.clock))
  if (!(struct instanceof Y.Item) || struct.deleted || !(struct.content instanceof Y.ContentType)) return null
  const type = struct.content.type
  return type instanceof Y.XmlElement ? type : null
}
