/**
 * A Word document read by mammoth (its document tree, not its HTML) turned into our clause tree: headings become
 * clauses (typed numbers removed), entry paragraphs become definition, abbreviation, reference, requirement and
 * NOTE blocks (by the export's style names, or by their ITU form in the clauses that hold them), lists and tables
 * become ours, and everything the schema cannot hold is counted in a summary instead of being kept. Only text
 * enters: links with a safe scheme, never images, fields, scripts or embedded objects.
 */
import mammoth from 'mammoth'
import type { ClauseSpec, PmNode } from '../../shared/clauses/skeletons.ts'
import { isSafeUrl } from '../../shared/editor/extensions.ts'
import { ENTRY_STYLE_NAMES, GENERATED_STYLE_NAMES, RECORD_HEADING_STYLE_NAME } from '../export/styles.ts'
import { parseHeading } from './headingNumbers.ts'
import { MARKER } from './wordRevisions.ts'

/* mammoth's document tree, as far as it is read here. */
interface MElement {
  type: string
  children?: MElement[]
  styleName?: string | null
  styleId?: string | null
  numbering?: { level: string; isOrdered: boolean } | null
  value?: string
  href?: string
  isBold?: boolean
  isItalic?: boolean
  isUnderline?: boolean
  isStrikethrough?: boolean
  verticalAlignment?: string
  font?: string | null
  fontSize?: number | null
  highlight?: string | null
  isHeader?: boolean
  breakType?: string
}

export interface ReadWordResult {
  clauses: ClauseSpec[]
  dropped: string[]
}

const MAX_TABLE_DEPTH = 4

export async function readWordDocument(docx: Uint8Array): Promise<ReadWordResult> {
  let tree: MElement | undefined
  await mammoth.convertToHtml(
    { buffer: Buffer.from(docx) },
    {
      transformDocument: (document: MElement) => {
        tree = document
        return { type: 'document', children: [] }
      },
    },
  )
  if (!tree) return { clauses: [], dropped: [] }
  return new Converter().convert(tree.children ?? [])
}

interface OpenClause {
  spec: ClauseSpec & { blocks: PmNode[]; children: ClauseSpec[] }
  level: number
  /** The typed number, used to recognise the clauses that hold entries (2, 3.x, 4). */
  number: string
}

class Converter {
  private readonly roots: OpenClause[] = []
  private readonly stack: OpenClause[] = []
  private readonly counts = new Map<string, number>()
  private inRecord = false
  private anyTypedNumber = false
  private pendingList: { node: PmNode; ordered: boolean } | null = null

  convert(children: MElement[]): ReadWordResult {
    for (const element of children) this.top(element)
    this.pendingList = null
    if (!this.anyTypedNumber)
      for (const root of this.roots)
        if (root.spec.kind === 'unnumbered' && !(root as OpenClause & { fixed?: boolean }).fixed)
          root.spec.kind = 'numbered'
    const finish = (open: OpenClause): ClauseSpec => ({
      ...open.spec,
      blocks:
        open.spec.blocks.length > 0 || open.spec.children.length > 0
          ? open.spec.blocks
          : [{ type: 'paragraph' }],
    })
    const build = (spec: ClauseSpec): ClauseSpec => ({ ...spec, children: (spec.children ?? []).map(build) })
    const clauses = this.roots.map((root) => build(finish(root)))
    return { clauses, dropped: [...this.counts].map(([what, n]) => `${n} ${what}`) }
  }

  private drop(what: string, n = 1): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + n)
  }

  private top(element: MElement): void {
    if (element.type === 'table') {
      this.table(element)
      return
    }
    if (element.type !== 'paragraph') {
      this.drop('other elements outside paragraphs')
      return
    }
    const styleName = element.styleName ?? ''
    const headingLevel = this.headingLevel(element)
    if (styleName === RECORD_HEADING_STYLE_NAME) this.inRecord = true
    if (this.inRecord) return
    if (GENERATED_STYLE_NAMES.includes(styleName)) return
    if (headingLevel !== null) {
      this.heading(element, headingLevel)
      return
    }
    const current = this.stack.at(-1)
    if (!current) {
      this.drop('paragraphs before the first heading (document header, cover page)')
      return
    }
    const node = this.paragraphNode(element, current)
    if (!node) return
    if (node.type === 'listItem') {
      this.listItem(node, element.numbering?.isOrdered ?? false, current)
      return
    }
    this.pendingList = null
    current.spec.blocks.push(node)
  }

  private headingLevel(element: MElement): number | null {
    const match =
      /^heading\s*(\d)$/i.exec(element.styleName ?? '') ?? /^Heading(\d)$/i.exec(element.styleId ?? '')
    return match ? Number(match[1]) : null
  }

  private heading(element: MElement, level: number): void {
    this.pendingList = null
    // Markers of tracked changes and comments (wordRevisions.ts) stay with the title, out of the number's way.
    const text = this.plain(element)
    const markers = text.match(MARKER) ?? []
    const parsed = parseHeading(text.replace(MARKER, ''))
    if (markers.length > 0) parsed.title = `${markers.join('')}${parsed.title}`
    if (parsed.number) this.anyTypedNumber = true
    while (this.stack.length > 0 && this.stack.at(-1)!.level >= level) this.stack.pop()
    const parent = this.stack.at(-1)
    const open: OpenClause & { fixed?: boolean } = {
      spec: { title: parsed.title, kind: parent ? 'numbered' : parsed.kind, blocks: [], children: [] },
      level,
      number: parsed.number ?? '',
      fixed: parsed.alwaysUnnumbered || parsed.kind !== 'unnumbered',
    }
    if (!parent && ['2', '3', '4', '5'].includes(parsed.number ?? '')) open.spec.required = true
    if (parent) parent.spec.children.push(open.spec)
    else this.roots.push(open)
    this.stack.push(open)
  }

  /** The clause's section number as typed: "3.1" of an "3.1" heading, or of its nearest numbered ancestor. */
  private sectionOf(current: OpenClause): string {
    return current.number
  }

  private paragraphNode(element: MElement, current: OpenClause): PmNode | null {
    const styleName = element.styleName ?? ''
    const text = this.plain(element)
    const bare = text.replace(MARKER, '')
    const section = this.sectionOf(current)
    const inTitle = (re: RegExp) => re.test(current.spec.title)
    this.noteStyle(styleName)
    if (styleName === ENTRY_STYLE_NAMES.note || /^NOTE(\s+\d+)?\s*[–—-]\s/.test(bare))
      return { type: 'note', content: this.inlines(element, /^NOTE(\s+\d+)?\s*[–—-]\s*/) }
    if (
      styleName === ENTRY_STYLE_NAMES.definition ||
      (/^3\.\d/.test(section) && /^\d+(\.\d+)+\s+\S/.test(bare))
    )
      return definitionNode(text)
    if (styleName === ENTRY_STYLE_NAMES.abbreviation || (section === '4' && /^\S+\t+\S/.test(bare)))
      return splitEntry(
        text,
        /^(\S[^\t]*?)\t+([\s\S]*)$/,
        'abbreviation',
        'abbreviationTerm',
        'abbreviationExpansion',
      )
    if (
      styleName === ENTRY_STYLE_NAMES.reference ||
      ((section === '2' || inTitle(/^bibliography$/i)) && /^\[[^\]]+\]/.test(bare))
    )
      return splitEntry(text, /^(\[[^\]]*\])\s*([\s\S]*)$/, 'reference', 'referenceTag', 'referenceText')
    if (styleName === ENTRY_STYLE_NAMES.requirement)
      return splitEntry(text, /^([^:]*?):\s*([\s\S]*)$/, 'requirement', 'requirementId', 'requirementText')
    if (element.numbering)
      return { type: 'listItem', content: [{ type: 'paragraph', content: this.inlines(element) }] }
    const content = this.inlines(element)
    return content.length > 0 || text === ''
      ? { type: 'paragraph', ...(content.length > 0 ? { content } : {}) }
      : null
  }

  private noteStyle(styleName: string): void {
    const known = /^(normal|body text.*|list paragraph|default paragraph font|plain text|)$/i.test(styleName)
    if (!known && !Object.values(ENTRY_STYLE_NAMES).includes(styleName as never))
      this.drop(`paragraphs in the style "${styleName.slice(0, 40)}" (imported as plain paragraphs)`)
  }

  private listItem(item: PmNode, ordered: boolean, current: OpenClause): void {
    if (!this.pendingList || this.pendingList.ordered !== ordered) {
      const node: PmNode = { type: ordered ? 'orderedList' : 'bulletList', content: [] }
      this.pendingList = { node, ordered }
      current.spec.blocks.push(node)
    }
    this.pendingList.node.content!.push(item)
  }

  private table(element: MElement, depth = 0): void {
    const current = this.stack.at(-1)
    if (this.inRecord) return
    if (!current) {
      this.drop('tables before the first heading (document header)')
      return
    }
    this.pendingList = null
    current.spec.blocks.push(this.tableNode(element, depth))
  }

  private tableNode(element: MElement, depth: number): PmNode {
    const rows = (element.children ?? []).filter((r) => r.type === 'tableRow')
    const width = Math.max(1, ...rows.map((r) => (r.children ?? []).length))
    return {
      type: 'table',
      content: rows.map((row) => {
        const cells = (row.children ?? []).filter((c) => c.type === 'tableCell')
        while (cells.length < width) cells.push({ type: 'tableCell', children: [] })
        return {
          type: 'tableRow',
          content: cells.map((cell) => ({
            type: row.isHeader ? 'tableHeader' : 'tableCell',
            content: this.cellBlocks(cell, depth),
          })),
        }
      }),
    }
  }

  private cellBlocks(cell: MElement, depth: number): PmNode[] {
    const blocks: PmNode[] = []
    for (const child of cell.children ?? []) {
      if (child.type === 'paragraph') {
        const content = this.inlines(child)
        blocks.push(content.length > 0 ? { type: 'paragraph', content } : { type: 'paragraph' })
      } else if (child.type === 'table') {
        if (depth + 1 >= MAX_TABLE_DEPTH) {
          this.drop('tables nested too deep (their text kept as paragraphs)')
          blocks.push({ type: 'paragraph', content: [{ type: 'text', text: this.plain(child) || ' ' }] })
        } else blocks.push(this.tableNode(child, depth + 1))
      }
    }
    return blocks.length > 0 ? blocks : [{ type: 'paragraph' }]
  }

  /** The plain text of an element: text, tabs as "\t", breaks as newlines. */
  private plain(element: MElement): string {
    let out = ''
    const stack: MElement[] = [element]
    while (stack.length > 0) {
      const node = stack.pop()!
      if (node.type === 'text') out += node.value ?? ''
      else if (node.type === 'tab') out += '\t'
      else if (node.type === 'break' && node.breakType === 'line') out += '\n'
      else for (let i = (node.children ?? []).length - 1; i >= 0; i--) stack.push(node.children![i]!)
    }
    return out
  }

  /** Text runs with the marks our schema holds; `strip` removes a leading label (NOTE –) from the text. */
  private inlines(element: MElement, strip?: RegExp): PmNode[] {
    const out: PmNode[] = []
    const visit = (node: MElement, href: string | null) => {
      switch (node.type) {
        case 'hyperlink': {
          const safe = node.href && isSafeUrl(node.href) ? node.href : null
          if (node.href && !safe)
            this.drop('links with a scheme other than http, https or mailto (their text kept)')
          for (const child of node.children ?? []) visit(child, safe)
          return
        }
        case 'run':
          this.runFormatting(node)
          for (const child of node.children ?? []) {
            if (child.type === 'text' && child.value) out.push(textNode(child.value, node, href))
            else if (child.type === 'tab') out.push(textNode('\t', node, href))
            else if (child.type === 'break' && child.breakType === 'line') out.push({ type: 'hardBreak' })
            else if (child.type === 'image') this.drop('images (pictures are not part of the text)')
            else if (child.type === 'noteReference') this.drop('footnote or endnote references')
            else if (child.type === 'hyperlink' || child.type === 'run') visit(child, href)
          }
          return
        case 'image':
          this.drop('images (pictures are not part of the text)')
          return
        default:
          for (const child of node.children ?? []) visit(child, href)
      }
    }
    for (const child of element.children ?? []) visit(child, null)
    if (strip) stripLeading(out, strip)
    return out.filter((n) => n.type !== 'text' || (n.text ?? '') !== '')
  }

  private runFormatting(run: MElement): void {
    if (run.font || run.fontSize || run.highlight)
      this.drop('runs with fonts, sizes or highlights (their text kept, that formatting not)')
  }
}

function textNode(text: string, run: MElement, href: string | null): PmNode {
  const marks: NonNullable<PmNode['marks']> = []
  if (run.isBold) marks.push({ type: 'bold' })
  if (run.isItalic) marks.push({ type: 'italic' })
  if (run.isUnderline && !href) marks.push({ type: 'underline' })
  if (run.isStrikethrough) marks.push({ type: 'strike' })
  if (run.verticalAlignment === 'subscript') marks.push({ type: 'subscript' })
  if (run.verticalAlignment === 'superscript') marks.push({ type: 'superscript' })
  if (href) marks.push({ type: 'link', attrs: { href } })
  return marks.length > 0 ? { type: 'text', text, marks } : { type: 'text', text }
}

function stripLeading(nodes: PmNode[], pattern: RegExp): void {
  const first = nodes.find((n) => n.type === 'text')
  if (first?.text) first.text = first.text.replace(pattern, '')
}

const field = (type: string, value: string): PmNode =>
  value ? { type, content: [{ type: 'text', text: value }] } : { type }

/** `3.2.1 term [source]: definition` (the number optional). */
function definitionNode(text: string): PmNode {
  const body = text.replace(/^[\dA-Z]+(\.\d+)+\s+/, '')
  const match =
    /^(.*?)(?:\s*\[([^\]]*)\])?\s*:\s+([\s\S]*)$/.exec(body) ??
    /^(.*?)(?:\s*\[([^\]]*)\])?\s*:([\s\S]*)$/.exec(body)
  const [term, source, definition] = match ? [match[1]!, match[2] ?? '', match[3]!] : [body, '', '']
  return {
    type: 'definition',
    content: [
      field('definitionTerm', term.trim()),
      ...(source ? [field('definitionSource', source.trim())] : []),
      field('definitionText', definition.trim()),
    ],
  }
}

function splitEntry(text: string, pattern: RegExp, type: string, first: string, second: string): PmNode {
  const match = pattern.exec(text)
  return {
    type,
    content: [field(first, (match?.[1] ?? text).trim()), field(second, (match?.[2] ?? '').trim())],
  }
}
