/**
 * The printed form of each clause, in the terms every writer shares: paragraphs of a named style made of runs,
 * and tables. Here live the ITU presentation rules of DOMAIN.md: literal clause numbers in headings, the standard
 * sentences of 3.1, 3.2, 4, annexes and appendices, "None." for an empty clause 2 to 5, definitions as
 * `3.2.1 term [source]: definition`, abbreviations and references on one line, numbered NOTEs. Runs the product
 * adds (numbers, sentences, marks) are `generated`: the import knows them by their style and leaves them out.
 */
import { documentNoun } from '../../shared/clauses/skeletons.ts'
import type { DeliverableType } from '../../shared/domain/types.ts'
import { type Block, type Inline, inlineText, type ModelClause } from './documentModel.ts'

export type ParaStyle =
  | 'heading'
  | 'body'
  | 'note'
  | 'definition'
  | 'abbreviation'
  | 'reference'
  | 'requirement'
  | 'listItem'
  | 'generated'
  | 'draftMark'

export interface Revision {
  type: 'ins' | 'del'
  author: string
  /** When it was made (ISO 8601); without one, the export's date. */
  date?: string
}

export interface Run extends Inline {
  /** Numbers, labels and tabs ("\t": between a heading's number and its title, an abbreviation and its expansion). */
  generated?: boolean
  revision?: Revision
  /** An empty run marking where a Word comment's range starts or ends (annotationsDocx.ts). */
  comment?: { id: number; edge: 'start' | 'end' }
}

export interface Para {
  type: 'para'
  style: ParaStyle
  runs: Run[]
  /** Heading level (1 = top) or list nesting level (0 = top). */
  level?: number
  ordered?: boolean
}

export interface TableItem {
  type: 'table'
  rows: { header: boolean; cells: Item[][] }[]
}

export type Item = Para | TableItem

export interface LaidOutClause {
  clause: ModelClause
  items: Item[]
}

export interface LayoutOptions {
  type: DeliverableType
  /** Clause ids that are agreed: the others carry the "Draft: not agreed" marking. */
  agreed: ReadonlySet<string>
  /** Generated paragraphs appended to the front-matter "Change log" clause. */
  changeLog: string[]
}

export const DRAFT_MARK = 'Draft: not agreed'

export function layoutClauses(clauses: readonly ModelClause[], options: LayoutOptions): LaidOutClause[] {
  return clauses.map((clause) => ({ clause, items: layoutClause(clause, options) }))
}

const gen = (text: string): Run => ({ text, generated: true })
const generatedPara = (text: string, style: ParaStyle = 'generated'): Para => ({
  type: 'para',
  style,
  runs: [gen(text)],
})

export function headingPara(clause: ModelClause): Para {
  const runs: Run[] = clause.number ? [gen(clause.number), gen('\t'), ...clause.title] : clause.title
  return { type: 'para', style: 'heading', level: clause.level, runs }
}

function layoutClause(clause: ModelClause, options: LayoutOptions): Item[] {
  const items: Item[] = [headingPara(clause)]
  if (!options.agreed.has(clause.id)) items.push(generatedPara(DRAFT_MARK, 'draftMark'))
  const sentence = standardSentence(clause, options.type)
  const firstText = clause.blocks[0]?.kind === 'paragraph' ? inlineText(clause.blocks[0].runs).trim() : ''
  if (sentence && firstText !== sentence) items.push(generatedPara(sentence))
  items.push(...blockItems(clause.blocks, clause.number))
  if (isNoneClause(clause) && !clause.blocks.some((b) => blockText(b).trim() !== ''))
    items.push(generatedPara('None.'))
  if (clause.kind === 'unnumbered' && clause.level === 1 && inlineText(clause.title).trim() === 'Change log')
    items.push(...options.changeLog.map((line) => generatedPara(line)))
  return items
}

/** Clauses 2 to 5 are never removed; when empty they say "None." (DOMAIN.md). */
function isNoneClause(clause: ModelClause): boolean {
  return ['2', '3', '4', '5'].includes(clause.number) && !clause.hasChildren
}

export function standardSentence(clause: ModelClause, type: DeliverableType): string | null {
  const noun = documentNoun(type)
  if (clause.number === '3.1') return `This ${noun} uses the following terms defined elsewhere:`
  if (clause.number === '3.2') return `This ${noun} defines the following terms:`
  if (clause.number === '4') return `This ${noun} uses the following abbreviations and acronyms:`
  if (clause.level === 1 && clause.kind === 'annex')
    return `(This annex forms an integral part of this ${noun}.)`
  if (clause.level === 1 && clause.kind === 'appendix')
    return `(This appendix does not form an integral part of this ${noun}.)`
  return null
}

const isEmptyEntry = (fields: Inline[][]) => fields.every((f) => inlineText(f).trim() === '')

const bold = (runs: readonly Inline[]): Run[] => runs.map((r) => ({ ...r, bold: true }))

/**
 * A two-part entry on one line of its style (`term<TAB>expansion`, `tag<TAB>text`, `id: text`), the separator
 * generated; nothing when both parts are empty.
 */
function entry(style: ParaStyle, first: Run[], separator: string, second: Run[]): Item[] {
  if (isEmptyEntry([first, second])) return []
  return [{ type: 'para', style, runs: [...first, gen(separator), ...second] }]
}

function blockItems(blocks: readonly Block[], clauseNumber: string): Item[] {
  const items: Item[] = []
  let definitions = 0
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!
    switch (block.kind) {
      case 'paragraph':
        items.push({ type: 'para', style: 'body', runs: block.runs })
        break
      case 'note': {
        const series = noteSeries(blocks, i)
        const label = series.count > 1 ? `NOTE ${series.index} – ` : 'NOTE – '
        items.push({ type: 'para', style: 'note', runs: [gen(label), ...block.runs] })
        break
      }
      case 'definition': {
        if (isEmptyEntry([block.term, block.source, block.text])) break
        definitions += 1
        const number = clauseNumber ? `${clauseNumber}.${definitions} ` : ''
        const source = inlineText(block.source).trim()
        const runs: Run[] = [gen(number), ...bold(block.term)]
        if (source) runs.push(gen(' ['), ...block.source, gen(']'))
        runs.push(gen(': '), ...block.text)
        items.push({ type: 'para', style: 'definition', runs })
        break
      }
      case 'abbreviation':
        items.push(...entry('abbreviation', block.term, '\t', block.expansion))
        break
      case 'reference':
        items.push(...entry('reference', block.tag, '\t', block.text))
        break
      case 'requirement':
        items.push(...entry('requirement', bold(block.id), ': ', block.text))
        break
      case 'list':
        items.push(...listItems(block, 0))
        break
      case 'table':
        items.push({
          type: 'table',
          rows: block.rows.map((row) => ({
            header: row.header,
            cells: row.cells.map((cell) => blockItems(cell, '')),
          })),
        })
        break
    }
  }
  return items
}

/** NOTEs in a row are numbered NOTE 1, NOTE 2 (DOMAIN.md); a single one is just NOTE. */
function noteSeries(blocks: readonly Block[], index: number): { index: number; count: number } {
  let start = index
  while (start > 0 && blocks[start - 1]!.kind === 'note') start--
  let end = index
  while (end + 1 < blocks.length && blocks[end + 1]!.kind === 'note') end++
  return { index: index - start + 1, count: end - start + 1 }
}

function listItems(list: Extract<Block, { kind: 'list' }>, level: number): Item[] {
  const items: Item[] = []
  for (const entry of list.items) {
    let first = true
    for (const block of entry) {
      if (block.kind === 'list') items.push(...listItems(block, level + 1))
      else if (block.kind === 'paragraph' && first)
        items.push({ type: 'para', style: 'listItem', level, ordered: list.ordered, runs: block.runs })
      else items.push(...blockItems([block], ''))
      first = false
    }
  }
  return items
}

export function blockText(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
    case 'note':
      return inlineText(block.runs)
    case 'definition':
      return [block.term, block.source, block.text].map(inlineText).join(' ')
    case 'abbreviation':
      return `${inlineText(block.term)} ${inlineText(block.expansion)}`
    case 'reference':
      return `${inlineText(block.tag)} ${inlineText(block.text)}`
    case 'requirement':
      return `${inlineText(block.id)} ${inlineText(block.text)}`
    case 'list':
      return block.items.map((item) => item.map(blockText).join(' ')).join(' ')
    case 'table':
      return block.rows.map((row) => row.cells.map((c) => c.map(blockText).join(' ')).join(' ')).join(' ')
  }
}

/** The visible text of an item (for comparing versions and for plain-text writers). */
export function itemText(item: Item): string {
  if (item.type === 'para') return item.runs.map((r) => r.text).join('')
  return item.rows.map((row) => row.cells.map((cell) => cell.map(itemText).join('\n')).join('\t')).join('\n')
}
