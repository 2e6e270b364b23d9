/**
 * Subscript and superscript as LibreOffice writes them: not `w:vertAlign` (which mammoth reads) but a raised or
 * lowered position with a smaller size (`<w:position w:val="-2"/><w:sz w:val="19"/>`). Such runs are rewritten
 * to `w:vertAlign` before mammoth reads the document, so that H₂O and mc² keep their marks (issue 22 left this
 * gap). A position without a size of its own is a layout tweak, not a subscript, and is left alone.
 */
import { DOMParser, type Element, XMLSerializer } from '@xmldom/xmldom'

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'

/** Whether the document may hold such runs (cheap: the XML is parsed only then). */
export const mayHoldRaisedText = (documentXml: string): boolean => documentXml.includes('<w:position ')

export function raisedTextAsVertAlign(documentXml: string): string {
  const doc = new DOMParser({ onError: () => undefined }).parseFromString(documentXml, 'text/xml')
  let changed = false
  for (const properties of Array.from(doc.getElementsByTagNameNS(W, 'rPr'))) {
    const position = child(properties, 'position')
    const size = child(properties, 'sz')
    const value = Number(position?.getAttributeNS(W, 'val') ?? position?.getAttribute('w:val') ?? 0)
    if (!position || !size || !Number.isFinite(value) || value === 0 || child(properties, 'vertAlign'))
      continue
    const vertAlign = doc.createElementNS(W, 'w:vertAlign')
    vertAlign.setAttributeNS(W, 'w:val', value < 0 ? 'subscript' : 'superscript')
    properties.replaceChild(vertAlign, position)
    properties.removeChild(size)
    const complexSize = child(properties, 'szCs')
    if (complexSize) properties.removeChild(complexSize)
    changed = true
  }
  return changed ? new XMLSerializer().serializeToString(doc) : documentXml
}

function child(parent: Element, name: string): Element | null {
  for (let node = parent.firstChild; node; node = node.nextSibling)
    if (node.nodeType === 1 && (node as Element).namespaceURI === W && (node as Element).localName === name)
      return node as Element
  return null
}
