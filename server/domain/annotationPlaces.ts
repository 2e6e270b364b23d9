/**
 * Where comments and suggestions stand in a deliverable's document: the text an anchor covers, the range an
 * accepted suggestion replaces, and whether an anchored text is gone (as answers and live messages present it).
 */
import type * as Y from 'yjs'
import type { PresentedComment, PresentedSuggestion } from '../../shared/api/annotations.ts'
import { anchorProblemMessage, resolveAnchor, singleTextRange } from '../../shared/clauses/anchors.ts'
import { findClauseElement } from '../../shared/clauses/clauseText.ts'
import type { Anchor, Comment, Suggestion } from '../../shared/domain/annotations.ts'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { ValidationError } from '../errors.ts'
import type { LiveDocument } from '../sync/liveDocument.ts'

export function anchoredText(doc: Y.Doc, clause: Y.XmlElement, anchor: Anchor): string {
  const resolved = resolveAnchor(doc, clause, anchor)
  if (typeof resolved === 'string') throw new ValidationError(`anchor: ${anchorProblemMessage(resolved)}`)
  return resolved.text
}

/**
 * The range a suggestion replaces in `doc` (the copy an acceptance is made on), or why it cannot be replaced:
 * only the very text it was made on is replaced, never what others wrote into the range since.
 */
export function rangeIn(
  doc: Y.Doc,
  suggestion: Suggestion,
): { text: Y.XmlText; from: number; to: number } | string {
  const clause = findClauseElement(doc.getXmlFragment(BODY_FIELD), suggestion.sectionId)
  if (!clause) return 'The section of this suggestion no longer exists.'
  const resolved = resolveAnchor(doc, clause, suggestion.anchor)
  const range = typeof resolved === 'string' ? null : singleTextRange(resolved)
  if (!range || typeof resolved === 'string' || resolved.text !== suggestion.original)
    return 'The text this suggestion was made on has changed since; review the suggestion again.'
  return range
}

/** Where an anchor stands now: `removed` once the text it was made on is gone (or its section is). */
function isRemoved(live: LiveDocument, sectionId: string, anchor: Anchor | null, made: string): boolean {
  if (!anchor) return false
  const entry = live.clauses().find((c) => c.id === sectionId)
  if (!entry) return true
  const resolved = resolveAnchor(live.doc, entry.element, anchor)
  // A position that no longer resolves inside the section (its text collected) counts as removed.
  if (typeof resolved === 'string') return true
  return made.length > 0 && resolved.text.length === 0
}

export function presentComment(live: LiveDocument, comment: Comment): PresentedComment {
  return { ...comment, removed: isRemoved(live, comment.sectionId, comment.anchor, comment.quote) }
}

export function presentSuggestion(live: LiveDocument, suggestion: Suggestion): PresentedSuggestion {
  return {
    ...suggestion,
    removed: isRemoved(live, suggestion.sectionId, suggestion.anchor, suggestion.original),
  }
}
