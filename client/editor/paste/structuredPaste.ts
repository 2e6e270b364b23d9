/**
 * A paste with headings becomes clauses: the text before the first heading goes where the caret is, as any paste;
 * each heading becomes a clause holding the text after it, nested and placed by its level (headingLevels.ts):
 * a sub-clause of the clause pasted into, after its own text, or a clause after it or its ancestor. Clause numbers
 * are Accord's; typed ones were removed. One transaction, so one Undo takes the whole paste back, and the lock
 * guard judges it like any edit.
 */
import { Fragment, DOMParser as PmDOMParser, type Node as PmNode, Slice } from '@tiptap/pm/model'
import { type EditorState, TextSelection, type Transaction } from '@tiptap/pm/state'
import { newId } from '../../../shared/domain/ids.ts'
import { CLAUSE, CLAUSE_HEADING, isClauseNode } from '../../../shared/editor/clauseNodes.ts'
import type { PastedHeading, PastedText } from './clipboardHtml.ts'
import { placeHeadings } from './headingLevels.ts'

/** The clauses around a position, outermost first, with their depth in the resolved position. */
function clausePath(doc: PmNode, pos: number): number[] {
  const $pos = doc.resolve(pos)
  const depths: number[] = []
  for (let depth = 1; depth <= $pos.depth; depth++) if (isClauseNode($pos.node(depth))) depths.push(depth)
  return depths
}

/** The clause ids along the path to the caret, outermost first. */
export function clauseIdsAt(state: EditorState): string[] {
  const $from = state.selection.$from
  return clausePath(state.doc, $from.pos).map((depth) => String($from.node(depth).attrs.id))
}

function clauseNodes(
  state: EditorState,
  pasted: PastedText,
  landingDepth: number,
): { node: PmNode; depth: number }[] {
  const { schema } = state
  const parser = PmDOMParser.fromSchema(schema)
  const placements = placeHeadings(
    pasted.headings.map((h) => h.level),
    landingDepth,
  )
  const build = (index: number): PmNode => {
    const heading: PastedHeading = pasted.headings[index]!
    const body = parser.parse(heading.body, { topNode: schema.nodes[CLAUSE]!.create() }).content
    const children = placements.flatMap((p, i) => (p.parent === index ? [build(i)] : []))
    const kind = heading.kind === 'annex' || heading.kind === 'appendix' ? heading.kind : 'numbered'
    const title = schema.nodes[CLAUSE_HEADING]!.create(
      null,
      heading.title ? schema.text(heading.title) : null,
    )
    // Sub-clauses take their top-level ancestor's numbering style whatever their own kind says.
    return schema.nodes[CLAUSE]!.create(
      { id: newId(12), kind: placements[index]!.depth === 1 ? kind : 'numbered' },
      Fragment.from(title).append(body).append(Fragment.from(children)),
    )
  }
  return placements.flatMap((p, i) => (p.parent === -1 ? [{ node: build(i), depth: p.depth }] : []))
}

/**
 * A pasted slice that starts with a NOTE, a list or a table, closed at its start: ProseMirror would otherwise pour
 * that first block's text into the paragraph at the caret. A slice starting with a paragraph is left open, so a
 * pasted sentence still joins the paragraph it is pasted into.
 */
export function keepFirstBlock(slice: Slice): Slice {
  const first = slice.content.firstChild
  if (slice.openStart === 0 || !first || first.type.name === 'paragraph') return slice
  return new Slice(slice.content, 0, slice.openEnd)
}

/** The paste as one transaction; null when the caret is in no clause. */
export function structuredPaste(state: EditorState, pasted: PastedText): Transaction | null {
  const landing = clausePath(state.doc, state.selection.from)
  if (landing.length === 0) return null
  const tr = state.tr
  const lead = keepFirstBlock(PmDOMParser.fromSchema(state.schema).parseSlice(pasted.lead))
  if (lead.content.size > 0) tr.replaceSelection(lead)
  else if (!state.selection.empty) tr.deleteSelection()
  const caret = tr.selection.from
  const clauses = clauseNodes(state, pasted, landing.length)
  let last: { depth: number; end: number } | null = null
  for (const { node, depth } of clauses) {
    const $caret = tr.doc.resolve(caret)
    const path = clausePath(tr.doc, caret)
    let at: number
    if (last && last.depth === depth) at = last.end
    else if (depth > path.length) at = endOfOwnText($caret.node(path.at(-1)!), $caret.start(path.at(-1)!))
    else at = $caret.after(path[depth - 1]!)
    tr.insert(at, node)
    last = { depth, end: at + node.nodeSize }
  }
  if (last) tr.setSelection(TextSelection.near(tr.doc.resolve(last.end), -1))
  return tr.scrollIntoView()
}

/** The position after a clause's heading and own blocks, before its first sub-clause. */
function endOfOwnText(clause: PmNode, contentStart: number): number {
  let at = contentStart + clause.content.size
  clause.forEach((child, offset) => {
    if (isClauseNode(child)) at = Math.min(at, contentStart + offset)
  })
  return at
}
