/**
 * A clause's own text (heading and sub-clauses excluded) as one string that a person would type, with every
 * character tied back to the document: its position when it is editable text, or, for what the layout adds
 * (line breaks between blocks, "NOTE – ", the colon after a term, the brackets around a source), where text typed
 * next to it belongs. Suggestions are read and applied through it.
 */
import type { Node as PmNode } from '@tiptap/pm/model'
import { CLAUSE_HEADING, isClauseNode } from '../../shared/editor/clauseNodes.ts'

export interface CharPlace {
  /** Document position of this character; null for text the layout adds. */
  pos: number | null
  /** Where text inserted just before / just after this character goes; null when nowhere sensible. */
  before: number | null
  after: number | null
  /** Index of the clause's own top-level block it belongs to; -1 for the line break between two of them. */
  block: number
}

export interface OwnBlock {
  /** Positions before and after the block node. */
  start: number
  end: number
  /** Its characters: `chars.slice(charFrom, charTo)`. */
  charFrom: number
  charTo: number
}

export interface ClauseTextMap {
  text: string
  chars: CharPlace[]
  blocks: OwnBlock[]
  /** Character ranges of the text blocks' own text (paragraphs, entry fields), without the layout's additions. */
  slots: { from: number; to: number }[]
  /** Where new blocks go when the clause has none of its own: after its heading. */
  insertAt: number
}

/** Text the layout shows around a text block of this type (document.css draws the same). */
const AROUND: Record<string, [string, string]> = {
  note: ['NOTE – ', ''],
  definitionSource: [' [', ']'],
  definitionText: [': ', ''],
  abbreviationExpansion: ['\t', ''],
  referenceText: [' ', ''],
  requirementText: [': ', ''],
}

/** The map of a clause node that starts at `clausePos` in its document. */
export function clauseTextMap(clause: PmNode, clausePos: number): ClauseTextMap {
  const chars: CharPlace[] = []
  const blocks: OwnBlock[] = []
  const slots: { from: number; to: number }[] = []
  let text = ''
  let insertAt = clausePos + 1
  const push = (ch: string, place: CharPlace) => {
    text += ch
    chars.push(place)
  }
  const fixed = (s: string, block: number, before: number | null, after: number | null) => {
    for (const ch of s) push(ch, { pos: null, before, after, block })
  }
  const textblock = (node: PmNode, pos: number, block: number) => {
    const [prefix, suffix] = AROUND[node.type.name] ?? ['', '']
    const contentStart = pos + 1
    fixed(prefix, block, null, contentStart)
    const from = chars.length
    node.forEach((inline, offset) => {
      const at = contentStart + offset
      if (inline.isText) {
        const value = inline.text ?? ''
        for (let i = 0; i < value.length; i++)
          push(value[i]!, { pos: at + i, before: at + i, after: at + i + 1, block })
      } else fixed(' ', block, at, at + inline.nodeSize)
    })
    slots.push({ from, to: chars.length })
    fixed(suffix, block, contentStart + node.content.size, null)
  }
  clause.forEach((child, offset) => {
    const pos = clausePos + 1 + offset
    if (child.type.name === CLAUSE_HEADING) {
      insertAt = pos + child.nodeSize
      return
    }
    if (isClauseNode(child)) return
    const block = blocks.length
    if (block > 0) fixed('\n', -1, null, null)
    const charFrom = chars.length
    if (child.isTextblock) textblock(child, pos, block)
    else {
      let first = true
      const inEntry =
        child.type.spec.group === 'block' && child.childCount > 0 && child.firstChild!.isTextblock
      child.descendants((node, innerPos) => {
        if (!node.isTextblock) return true
        if (!first && !inEntry) fixed('\n', block, null, null)
        first = false
        textblock(node, pos + 1 + innerPos, block)
        return false
      })
    }
    blocks.push({ start: pos, end: pos + child.nodeSize, charFrom, charTo: chars.length })
    insertAt = pos + child.nodeSize
  })
  return { text, chars, blocks, slots, insertAt }
}
