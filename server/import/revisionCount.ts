/**
 * What a Word file holds that mammoth reads silently: tracked insertions and deletions (mammoth keeps the
 * inserted text and drops the deleted) and comments. Counted from the XML itself so that the import can say what
 * it did with them instead of accepting them unseen.
 */
import { DOMParser } from '@xmldom/xmldom'

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'

export interface RevisionCount {
  insertions: number
  deletions: number
  comments: number
}

export function countRevisions(documentXml: string, commentsXml: string | null): RevisionCount {
  const count = (xml: string, name: string) => {
    const doc = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml')
    return doc.getElementsByTagNameNS(W, name).length
  }
  return {
    insertions: count(documentXml, 'ins'),
    deletions: count(documentXml, 'del'),
    comments: commentsXml ? count(commentsXml, 'comment') : 0,
  }
}
