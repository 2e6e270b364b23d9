/**
 * Clipboard HTML from Word, LibreOffice and web pages read as the structure of an ITU-T text: Word's list
 * paragraphs become lists (wordLists.ts), paragraphs typed "NOTE –" become NOTE blocks, and headings (<h1>…<h6>,
 * Word's `p.MsoHeading2`) are found with their level and their typed number removed (shared/clauses/typedText.ts),
 * so they can become clauses. What the schema cannot hold (styles, classes, Office elements) is left for its
 * parse rules to drop.
 */

import { noteText, typedHeading } from '../../../shared/clauses/typedText.ts'
import type { ClauseKind } from '../../../shared/editor/clauseNodes.ts'
import { convertWordLists } from './wordLists.ts'

export interface PastedHeading {
  title: string
  kind: ClauseKind | null
  /** Its typed number's depth, or else its heading level. */
  level: number
  /** What follows it up to the next heading. */
  body: HTMLElement
}

export interface PastedText {
  /** What comes before the first heading. */
  lead: HTMLElement
  headings: PastedHeading[]
}

/** Drops what Word adds around the content (conditional comments, Office namespaces, style blocks). */
export function cleanPastedHtml(html: string): string {
  return (
    html
      // Conditional markers around visible content (`<!--[if !supportLists]-->…<!--[endif]-->`) go first, so that
      // the hidden blocks below (`<!--[if gte mso 9]><xml>…<![endif]-->`) never reach across content.
      .replace(/<!--\[if [^\]]*\]-->|<!--\[endif\]-->/gi, '')
      .replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, '')
      .replace(/<!\[(?:end)?if[^>]*>/gi, '')
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<\/?[a-z]+:[^>]*>/gi, '')
      .replace(/<(style|script|xml|meta|link|title)[\s\S]*?<\/\1>/gi, '')
      .replace(/<(meta|link)[^>]*>/gi, '')
  )
}

const WRAPPERS = new Set(['DIV', 'SECTION', 'ARTICLE', 'MAIN', 'SPAN', 'FONT', 'CENTER'])

function headingLevel(element: Element): number | null {
  const tag = /^H([1-6])$/.exec(element.tagName)
  if (tag) return Number(tag[1])
  const word = /(?:^|\s)MsoHeading([1-9])(?:\s|$)/i.exec(element.className)
  return word && element.tagName === 'P' ? Number(word[1]) : null
}

/** NOTE paragraphs (typed "NOTE –", or Word's and the ITU template's "Note" style) as the schema's NOTE block. */
function convertNotes(root: Element): void {
  for (const paragraph of Array.from(root.querySelectorAll('p'))) {
    if (paragraph.closest('li, td, th')) continue
    const text = paragraph.textContent ?? ''
    const rest = noteText(text)
    if (rest === null && !/(?:^|\s)Note(?:\s|$)/.test(paragraph.className)) continue
    if (rest !== null) dropLeadingText(paragraph, text.length - rest.length)
    paragraph.setAttribute('data-type', 'note')
  }
}

/** Removes the first `count` characters of an element's text, across however many text nodes hold them. */
function dropLeadingText(element: Element, count: number): void {
  const walker = element.ownerDocument.createTreeWalker(element, NodeFilter.SHOW_TEXT)
  let left = count
  for (let node = walker.nextNode(); node && left > 0; node = walker.nextNode()) {
    const value = node.nodeValue ?? ''
    node.nodeValue = value.slice(Math.min(left, value.length))
    left -= Math.min(left, value.length)
  }
}

/** The clipboard's body, cleaned and with lists and NOTEs converted. */
export function readClipboardBody(html: string): HTMLElement {
  const body = new DOMParser().parseFromString(cleanPastedHtml(html), 'text/html').body
  convertWordLists(body)
  convertNotes(body)
  return body
}

/** The HTML the schema reads, for a paste without headings. */
export function normalizePastedHtml(html: string): string {
  // Accord's own copy (marked by ProseMirror) is already in the schema's terms.
  return html.includes('data-pm-slice') ? html : readClipboardBody(html).innerHTML
}

/** Top-level blocks, looking through the wrappers Word and web pages put around them (`div.WordSection1`). */
function blocksOf(container: Element): Node[] {
  const out: Node[] = []
  for (const child of Array.from(container.childNodes)) {
    const wrapper =
      child instanceof Element && WRAPPERS.has(child.tagName) && child.querySelector('h1,h2,h3,h4,h5,h6,p')
    if (wrapper) out.push(...blocksOf(child as Element))
    else out.push(child)
  }
  return out
}

/** Splits the clipboard at its headings; null when it has none (a paste of text into the current clause). */
export function readPastedText(html: string): PastedText | null {
  const body = readClipboardBody(html)
  const doc = body.ownerDocument
  const lead = doc.createElement('div')
  const headings: PastedHeading[] = []
  let current = lead
  for (const node of blocksOf(body)) {
    const level = node instanceof Element ? headingLevel(node) : null
    if (level === null) {
      current.append(node)
      continue
    }
    const typed = typedHeading(node.textContent ?? '')
    current = doc.createElement('div')
    headings.push({ title: typed.title, kind: typed.kind, level: typed.depth ?? level, body: current })
  }
  return headings.length > 0 ? { lead, headings } : null
}
