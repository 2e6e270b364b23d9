/**
 * Applying an objection's suggestion in one step: the clause's own text (its blocks, not its heading nor its
 * sub-clauses) is replaced by the suggested text, one paragraph per line, as one ordinary editor transaction. It
 * travels to everyone as a normal collaborative edit, is undone with one Undo, and the lock guard still applies.
 */
import type { Editor } from '@tiptap/core'
import type { Node as PmNode } from '@tiptap/pm/model'
import { CLAUSE_HEADING, isClauseNode } from '../../shared/editor/clauseNodes.ts'
import { clausePosition } from '../editor/outline.ts'

export function paragraphsOf(editor: Editor, text: string): PmNode[] {
  const { schema } = editor.state
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  return lines.map((line) => schema.nodes.paragraph!.create(null, line ? schema.text(line) : null))
}

/** Returns false when the clause is not in the document or the edit was not allowed (e.g. the clause is locked). */
export function applySuggestionTo(editor: Editor, clauseId: string, text: string): boolean {
  const { state } = editor
  const pos = clausePosition(state.doc, clauseId)
  if (pos < 0) return false
  const clause = state.doc.nodeAt(pos)!
  const own: { from: number; to: number }[] = []
  let insertAt = pos + 1
  clause.forEach((child, offset) => {
    const from = pos + 1 + offset
    if (child.type.name === CLAUSE_HEADING) insertAt = from + child.nodeSize
    else if (!isClauseNode(child)) own.push({ from, to: from + child.nodeSize })
  })
  const paragraphs = paragraphsOf(editor, text)
  const tr = state.tr
  const contiguous =
    own.length > 0 && own[0]!.from === insertAt && own.every((r, i) => i === 0 || r.from === own[i - 1]!.to)
  if (contiguous) {
    tr.replaceWith(insertAt, own.at(-1)!.to, paragraphs)
  } else {
    for (const range of [...own].reverse()) tr.delete(range.from, range.to)
    tr.insert(tr.mapping.map(insertAt), paragraphs)
  }
  const before = state.doc
  editor.view.dispatch(tr.scrollIntoView())
  return editor.state.doc !== before
}
