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

interface Entry {
  sectionId: string
  protection: Protection
}

export class LockTable {
  private readonly locked = new Map<string, Entry>()
  /** Ancestor item key → the protected elements below it. */
  private readonly ancestors = new Map<string, Entry[]>()

  get size(): number {
    return this.locked.size
  }

  /** Protects the element whose item id is given; false when the document has no such element. */
  protect(doc: Y.Doc, item: ItemId, sectionId: string, protection: Protection): boolean {
    const element = elementAt(doc, item)
    if (!element) return false
    const key = itemKey(item)
    const existing = this.locked.get(key)
    // An agreed lock is stronger than the removal protection of a required clause.
    if (existing && (existing.protection === 'agreed' || protection === 'required')) return true
    const entry: Entry = { sectionId, protection }
    this.locked.set(key, entry)
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

  unprotect(item: ItemId, protection: Protection): void {
    const key = itemKey(item)
    const entry = this.locked.get(key)
    if (!entry || entry.protection !== protection) return
    this.locked.delete(key)
    for (const [ancestorKey, list] of this.ancestors) {
      const rest = list.filter((e) => e !== entry)
      if (rest.length === 0) this.ancestors.delete(ancestorKey)
      else this.ancestors.set(ancestorKey, rest)
    }
  }

  /** The lock on this element, if any. */
  lockOn(key: string): Entry | undefined {
    return this.locked.get(key)
  }

  /** The protected elements below this item, if any. */
  below(key: string): Entry[] | undefined {
    return this.ancestors.get(key)
  }

  isAgreed(key: string): boolean {
    return this.locked.get(key)?.protection === 'agreed'
  }

  agreedSectionIds(): string[] {
    return [...this.locked.values()].filter((e) => e.protection === 'agreed').map((e) => e.sectionId)
  }

  agreedKeys(): string[] {
    return [...this.locked].filter(([, e]) => e.protection === 'agreed').map(([k]) => k)
  }
}

export function elementAt(doc: Y.Doc, item: ItemId): Y.XmlElement | null {
  if (item.clock >= Y.getState(doc.store, item.client)) return null
  const struct = Y.getItem(doc.store, Y.createID(item.client, item.clock))
  if (!(struct instanceof Y.Item) || struct.deleted || !(struct.content instanceof Y.ContentType)) return null
  const type = struct.content.type
  return type instanceof Y.XmlElement ? type : null
}
