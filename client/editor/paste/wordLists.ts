/**
 * Word puts a list on the clipboard as paragraphs, not as a list: `<p class=MsoListParagraphCxSpFirst
 * style='mso-list:l0 level2 lfo1'>` with the bullet or number drawn in a `<span style='mso-list:Ignore'>`. This
 * turns each run of such paragraphs back into nested <ul>/<ol>, so a pasted list is a list and its bullets never
 * become typed "·" or "- " text.
 */

const IGNORE = '[style*="mso-list:Ignore" i], [style*="mso-list: Ignore" i]'

/** The list level in a Word style (`mso-list:l0 level2 lfo1` → 2); null when the style has no list. */
export function msoListLevel(style: string): number | null {
  const match = /mso-list\s*:\s*l\d+\s+level(\d+)/i.exec(style)
  return match ? Number(match[1]) : null
}

/** A numbered list marker ("1.", "a)", "(iv)", "12.") makes an ordered list; bullets ("·", "o", "§", "–") do not. */
export function isOrderedMarker(marker: string): boolean {
  return /^\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,5})[.)]$/i.test(marker.replace(/\u00a0/g, ' ').trim())
}

function listLevel(element: Element): number | null {
  if (element.tagName !== 'P') return null
  const level = msoListLevel(element.getAttribute('style') ?? '')
  if (level !== null) return level
  return /^MsoListParagraph/i.test(element.className) ? 1 : null
}

/** Replaces every run of Word list paragraphs under `root` with nested lists. */
export function convertWordLists(root: Element): void {
  const doc = root.ownerDocument
  const paragraphs = Array.from(root.querySelectorAll('p')).filter((p) => listLevel(p) !== null)
  const done = new Set<Element>()
  for (const first of paragraphs) {
    if (done.has(first)) continue
    const run: Element[] = []
    for (let p: Element | null = first; p && listLevel(p) !== null; p = p.nextElementSibling) {
      run.push(p)
      done.add(p)
    }
    const stack: { level: number; list: Element }[] = []
    let root_: Element | null = null
    for (const paragraph of run) {
      const level = listLevel(paragraph)!
      const marker = paragraph.querySelector(IGNORE)
      const ordered = isOrderedMarker(marker?.textContent ?? '')
      marker?.remove()
      while (stack.length > 1 && stack.at(-1)!.level > level) stack.pop()
      let top = stack.at(-1)
      if (!top || level > top.level) {
        const list = doc.createElement(ordered ? 'ol' : 'ul')
        const host = top?.list.lastElementChild
        if (host) host.append(list)
        else root_ = list
        top = { level, list }
        stack.push(top)
      }
      const item = doc.createElement('li')
      const body = doc.createElement('p')
      body.append(...Array.from(paragraph.childNodes))
      item.append(body)
      top.list.append(item)
    }
    first.before(root_!)
    for (const paragraph of run) paragraph.remove()
  }
  // Numbering Word drew for headings and other paragraphs: Accord numbers clauses itself.
  for (const marker of Array.from(root.querySelectorAll(IGNORE))) marker.remove()
}
