/**
 * A live document's clauses as the server reads them many times per change (every hello's welcome, every
 * consensus action): the list in document order, kept until the text changes, and each clause's content hash,
 * kept until something inside that clause changes.
 */
import * as Y from 'yjs'
import { type ClauseEntry, clauseHash, listClauses } from '../../shared/clauses/clauseText.ts'

export class ClauseIndex {
  private list: ClauseEntry[] | null = null
  private readonly hashes = new WeakMap<Y.XmlElement, string>()

  constructor(
    doc: Y.Doc,
    private readonly body: () => Y.XmlFragment,
  ) {
    doc.on('update', () => {
      this.list = null
    })
    // Yjs lists every changed type and its ancestors: a clause whose content changed is among them.
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      for (const type of transaction.changedParentTypes.keys())
        if (type instanceof Y.XmlElement) this.hashes.delete(type)
    })
  }

  clauses(): ClauseEntry[] {
    this.list ??= listClauses(this.body())
    return this.list
  }

  hashOf(element: Y.XmlElement): string {
    let hash = this.hashes.get(element)
    if (hash === undefined) {
      hash = clauseHash(element)
      this.hashes.set(element, hash)
    }
    return hash
  }
}
