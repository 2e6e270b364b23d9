/**
 * The second half of reading a Word file's tracked changes and comments (wordRevisions.ts puts markers in its
 * text): the markers are taken out of the built document, each remembered as a place (the path of the text block
 * from the document's root, the hard-break segment and the offset in it); once the deliverable exists, each place
 * is found again in its Yjs document and the changes become suggestions and the comments threads, made through
 * the annotation service as the importing user (who may suggest and comment: the policy allows chairs and
 * administrators both), the Word author named in the text.
 */
import * as Y from 'yjs'
import type { PresentedComment, PresentedSuggestion } from '../../shared/api/annotations.ts'
import { anchorInText } from '../../shared/clauses/anchors.ts'
import { clauseIdOf, isClauseElement } from '../../shared/clauses/clauseText.ts'
import type { PmNode } from '../../shared/clauses/skeletons.ts'
import type { Anchor } from '../../shared/domain/annotations.ts'
import type { Deliverable, User } from '../../shared/domain/types.ts'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { MARKER, type MarkerKind, type WordChange, type WordRevisions } from './wordRevisions.ts'

/** Where a marker stood in the built document. */
export interface Place {
  /** Child indices from the document node to the text block. */
  path: number[]
  /** The text block is a clause heading (it takes no suggestion: its comments go on the whole section). */
  heading: boolean
  /** Hard breaks before it in the block. */
  segment: number
  offset: number
}

export type Places = Map<string, Place>

const key = (kind: MarkerKind, n: number | string) => `${kind}${n}`

/** Takes every marker out of the document (in place) and answers where each stood. */
export function takeMarkers(doc: PmNode): Places {
  const places: Places = new Map()
  const visit = (node: PmNode, path: number[]) => {
    const content = node.content ?? []
    if (content.some((child) => child.type === 'text' || child.type === 'hardBreak')) {
      let segment = 0
      let offset = 0
      const kept: PmNode[] = []
      for (const child of content) {
        if (child.type === 'hardBreak') {
          segment += 1
          offset = 0
        } else if (child.type === 'text') {
          let stripped = ''
          let last = 0
          for (const match of (child.text ?? '').matchAll(MARKER)) {
            stripped += child.text!.slice(last, match.index)
            last = match.index! + match[0].length
            places.set(key(match[1] as MarkerKind, match[2]!), {
              path,
              heading: node.type === 'clauseHeading',
              segment,
              offset: offset + stripped.length,
            })
          }
          stripped += (child.text ?? '').slice(last)
          offset += stripped.length
          if (stripped === '') continue
          child.text = stripped
        }
        kept.push(child)
      }
      node.content = kept
      return
    }
    for (const [index, child] of content.entries()) visit(child, [...path, index])
  }
  visit(doc, [])
  return places
}

/** The annotation service's writes that the import uses (its public methods, as the routes call them). */
export interface AnnotationWriter {
  addSuggestion(
    deliverable: Deliverable,
    user: User,
    input: { sectionId: string; anchor: Anchor; replacement: string },
  ): Promise<PresentedSuggestion>
  addComment(
    deliverable: Deliverable,
    user: User,
    input: { sectionId: string; anchor?: Anchor; body: string; replyTo?: string },
  ): Promise<PresentedComment>
}

export interface MadeAnnotations {
  suggestions: number
  /** The file's comments made threads or replies (the notes naming the authors of changes not counted). */
  comments: number
  /** Changes of a heading, which takes no suggestion: each told in a comment on its section instead. */
  headingChanges: number
  /** One line per change or comment that could not be placed, and why. */
  notImported: string[]
}

interface Located {
  text: Y.XmlText
  index: number
  sectionId: string
  heading: boolean
}

/** Finds a place again in the deliverable's Yjs document. */
function locate(body: Y.XmlFragment, place: Place | undefined): Located | null {
  if (!place) return null
  let node: Y.XmlFragment | Y.XmlElement = body
  let clause: Y.XmlElement | null = null
  for (const index of place.path) {
    const child: unknown = node.get(index)
    if (!(child instanceof Y.XmlElement)) return null
    if (isClauseElement(child)) clause = child
    node = child
  }
  if (!clause) return null
  let segment = 0
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlElement) segment += 1
    else if (child instanceof Y.XmlText && segment === place.segment && place.offset <= child.length)
      return { text: child, index: place.offset, sectionId: clauseIdOf(clause), heading: place.heading }
  }
  return null
}

const day = (date: string) => (date ? date.slice(0, 10) : 'undated')
const quoted = (text: string) => `“${text.length > 80 ? `${text.slice(0, 79)}…` : text}”`

export function describeChange(change: WordChange): string {
  const moved = change.deleted
    ? `${quoted(change.deleted)} moved away`
    : `${quoted(change.inserted)} moved here`
  const what = change.moved
    ? moved
    : !change.deleted
      ? `${quoted(change.inserted)} inserted`
      : !change.inserted
        ? `${quoted(change.deleted)} deleted`
        : `${quoted(change.deleted)} replaced by ${quoted(change.inserted)}`
  return `${what} (${change.author || 'unknown author'}, ${day(change.date)})`
}

/** Makes the file's changes suggestions and its comments threads in the new deliverable. */
export async function makeAnnotations(input: {
  doc: Y.Doc
  deliverable: Deliverable
  user: User
  fileName: string
  revisions: WordRevisions
  places: Places
  writer: AnnotationWriter
}): Promise<MadeAnnotations> {
  const { doc, deliverable, user, revisions, places, writer } = input
  const body = doc.getXmlFragment(BODY_FIELD)
  const made: MadeAnnotations = { suggestions: 0, comments: 0, headingChanges: 0, notImported: [] }
  const bySection = new Map<string, string[]>()
  for (const change of revisions.changes) {
    const from = locate(body, places.get(key(change.deleted ? 'd' : 'i', change.n)))
    const to = change.deleted ? locate(body, places.get(key('e', change.n))) : from
    if (from?.heading && to?.heading && from.text === to.text) {
      // Anchors lie in a section's own text, never its heading: the change is told where the meeting sees it.
      const note = `Tracked change in this clause’s heading, from ${input.fileName}: ${describeChange(change)}. A suggestion cannot change a heading; edit it in the text if the meeting agrees.`
      try {
        await writer.addComment(deliverable, user, { sectionId: from.sectionId, body: note.slice(0, 10_000) })
        made.headingChanges += 1
      } catch (error) {
        made.notImported.push(`${describeChange(change)} (a heading): ${(error as Error).message}`)
      }
      continue
    }
    if (!from || !to || from.text !== to.text || from.heading || to.index < from.index) {
      made.notImported.push(`${describeChange(change)}: not within the text of one paragraph or field`)
      continue
    }
    try {
      await writer.addSuggestion(deliverable, user, {
        sectionId: from.sectionId,
        anchor: anchorInText(from.text, from.index, to.index),
        replacement: change.inserted,
      })
      made.suggestions += 1
      bySection.set(from.sectionId, [...(bySection.get(from.sectionId) ?? []), describeChange(change)])
    } catch (error) {
      made.notImported.push(`${describeChange(change)}: ${(error as Error).message}`)
    }
  }
  // Who made each change in Word, where the meeting sees it: one note per section.
  for (const [sectionId, lines] of bySection) {
    const note = `Tracked changes imported from ${input.fileName} by ${user.name}, as suggestions in the importer's name. In Word: ${lines.join('; ')}.`
    try {
      await writer.addComment(deliverable, user, { sectionId, body: note.slice(0, 10_000) })
    } catch (error) {
      made.notImported.push(`the note naming the Word authors of the changes: ${(error as Error).message}`)
    }
  }
  const threadIds = new Map<string, string>()
  const ordered = [
    ...revisions.comments.filter((c) => !c.parentId),
    ...revisions.comments.filter((c) => c.parentId),
  ]
  for (const comment of ordered) {
    const text = `${comment.author} (Word comment, ${day(comment.date)}): ${comment.text || '(empty)'}`.slice(
      0,
      10_000,
    )
    try {
      const parent = comment.parentId ? threadIds.get(comment.parentId) : undefined
      const start = locate(body, places.get(key('s', comment.id)))
      const end = locate(body, places.get(key('f', comment.id)))
      const section = start?.sectionId ?? end?.sectionId
      if (!section) {
        made.notImported.push(`comment by ${comment.author}: its place in the text was not found`)
        continue
      }
      const anchor =
        start && end && !start.heading && !end.heading && start.sectionId === end.sectionId
          ? rangeAnchor(start, end)
          : undefined
      const onSection = { sectionId: section, body: text, ...(parent ? { replyTo: parent } : {}) }
      // A range the server will not take (reversed, across fields it cannot tell apart) leaves the thread on the
      // whole section rather than losing it.
      const created = await writer
        .addComment(deliverable, user, !parent && anchor ? { ...onSection, anchor } : onSection)
        .catch((error: unknown) => {
          if (parent || !anchor) throw error
          return writer.addComment(deliverable, user, onSection)
        })
      threadIds.set(comment.id, created.id)
      made.comments += 1
    } catch (error) {
      made.notImported.push(`comment by ${comment.author}: ${(error as Error).message}`)
    }
  }
  return made
}

/** An anchor from one place to another (in order), each end sticking to the text inside the range. */
function rangeAnchor(start: Located, end: Located): Anchor | undefined {
  if (start.text === end.text)
    return end.index >= start.index ? anchorInText(start.text, start.index, end.index) : undefined
  return {
    start: anchorInText(start.text, start.index, start.index).start,
    end: anchorInText(end.text, 0, end.index).end,
  }
}
