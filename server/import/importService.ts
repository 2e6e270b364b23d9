/**
 * `POST /api/deliverables/import` as a use case: a .docx becomes a new deliverable of the group, created through
 * the deliverable service with its Yjs content built on the server from the Word document's clauses. Says what
 * the file held that the text does not take (tracked changes, comments, dropped styles and parts).
 */
import type { ImportReport } from '../../shared/api/export.ts'
import { buildClauses } from '../../shared/clauses/skeletons.ts'
import { newId } from '../../shared/domain/ids.ts'
import { mayOnGroup } from '../../shared/domain/policy.ts'
import type { DeliverableType, User } from '../../shared/domain/types.ts'
import { accordSchema } from '../../shared/editor/extensions.ts'
import type { DeliverableService } from '../domain/deliverableService.ts'
import { AuthorizationError, NotFoundError, ValidationError } from '../errors.ts'
import type { MetadataStore, StoredDeliverable } from '../storage/metadataStore.ts'
import type { DocumentHub } from '../sync/documentHub.ts'
import { DocxRefused, openDocx, type PackageLimits } from './docxPackage.ts'
import { type AnnotationWriter, type MadeAnnotations, makeAnnotations, takeMarkers } from './importMarks.ts'
import { mayHoldRaisedText, raisedTextAsVertAlign } from './raisedText.ts'
import { countRevisions } from './revisionCount.ts'
import { readWordDocument } from './wordDocument.ts'
import { countFormatChanges, countMoves, readWordRevisions, type WordRevisions } from './wordRevisions.ts'

export interface ImportInput {
  file: Uint8Array
  fileName: string
  groupId: string
  type: DeliverableType
  title?: string
}

export const TRACKED_CHANGES_HANDLING =
  'Tracked changes were not accepted silently: the text was imported as it reads with insertions kept and ' +
  'deletions left out (as Word shows it with "No markup"); review the result against the original. Comments were not imported.'

/** Where tracked changes and comments go (issue 24); without it they are counted and read as before. */
export interface AnnotationSink {
  hub: DocumentHub
  annotations: AnnotationWriter
}

export class ImportService {
  constructor(
    private readonly metadata: MetadataStore,
    private readonly deliverables: DeliverableService,
    private readonly limits?: PackageLimits,
    private readonly sink?: AnnotationSink,
  ) {}

  /** Refuses (403/404) before the file is read, so that nobody learns anything from a group they cannot use. */
  authorize(actor: User, groupId: string): void {
    const group = this.metadata.group(groupId)
    if (!group || !mayOnGroup(actor, 'view', group, this.metadata.groupLookup))
      throw new NotFoundError('No such group.')
    if (!mayOnGroup(actor, 'import-deliverable', group, this.metadata.groupLookup))
      throw new AuthorizationError('Only administrators and chairs of the group import deliverables into it.')
  }

  async import(
    actor: User,
    input: ImportInput,
  ): Promise<{ deliverable: StoredDeliverable; report: ImportReport }> {
    this.authorize(actor, input.groupId)
    let pkg: ReturnType<typeof openDocx>
    try {
      pkg = openDocx(input.file, this.limits)
    } catch (error) {
      if (error instanceof DocxRefused) throw new ValidationError(error.message)
      throw error
    }
    const revisions = countRevisions(pkg.part('word/document.xml') ?? '', pkg.part('word/comments.xml'))
    const formatChanges = countFormatChanges(pkg.part('word/document.xml') ?? '')
    const moves = countMoves(pkg.part('word/document.xml') ?? '')
    let revisionsRead: WordRevisions | null = null
    let read: Awaited<ReturnType<typeof readWordDocument>>
    try {
      let documentXml = pkg.part('word/document.xml') ?? ''
      const original = documentXml
      if (this.sink && revisions.insertions + revisions.deletions + revisions.comments + moves > 0) {
        revisionsRead = readWordRevisions(
          documentXml,
          pkg.part('word/comments.xml'),
          pkg.part('word/commentsExtended.xml'),
        )
        documentXml = revisionsRead.documentXml
      }
      if (mayHoldRaisedText(documentXml)) documentXml = raisedTextAsVertAlign(documentXml)
      read = await readWordDocument(
        documentXml === original ? pkg.clean : pkg.withPart('word/document.xml', documentXml),
      )
    } catch {
      throw new ValidationError('The file is not a valid .docx: Word document parts could not be read.')
    }
    if (read.clauses.length === 0)
      throw new ValidationError(
        'The document has no headings (Heading 1, Heading 2, ... styles): nothing to make clauses of. Apply heading styles in Word and try again.',
      )
    const built = buildClauses(read.clauses, () => newId(12))
    const places = revisionsRead ? takeMarkers(built.doc) : null
    try {
      accordSchema().nodeFromJSON(built.doc).check()
    } catch (error) {
      throw new ValidationError(`The document could not be converted: ${(error as Error).message}`)
    }
    const title =
      input.title?.trim() || input.fileName.replace(/\.docx$/i, '').slice(0, 300) || 'Imported document'
    const deliverable = await this.deliverables.create(
      actor,
      { title, type: input.type, groupId: input.groupId },
      (skeleton) => {
        skeleton.doc = built.doc
        skeleton.requiredClauseIds = built.requiredClauseIds
      },
    )
    let made: MadeAnnotations | null = null
    if (this.sink && revisionsRead && places) {
      const live = await this.sink.hub.get(deliverable.id)
      made = await makeAnnotations({
        doc: live.doc,
        deliverable,
        user: actor,
        fileName: input.fileName || 'the Word file',
        revisions: revisionsRead,
        places,
        writer: this.sink.annotations,
      })
    }
    const dropped = [...read.dropped]
    const parts = pkg.leftOut.filter((name) => !/^(customXml|docProps)\//.test(name))
    if (parts.length > 0)
      dropped.push(
        `${parts.length} package parts not read (media, macros, embedded objects: ${parts.slice(0, 5).join(', ')}${parts.length > 5 ? ', ...' : ''})`,
      )
    const anyRevision = revisions.insertions + revisions.deletions + revisions.comments + moves > 0
    const handling = !anyRevision
      ? formatChanges > 0
        ? 'The file holds no tracked changes of its text and no comments.'
        : 'The file holds no tracked changes or comments.'
      : made && revisionsRead
        ? annotationsHandling(made, revisionsRead.insertedParagraphs, moves)
        : TRACKED_CHANGES_HANDLING
    return {
      deliverable,
      report: {
        clauses: countClauses(read.clauses),
        trackedChanges: {
          ...revisions,
          moves,
          formatChanges,
          handling: formatChanges > 0 ? `${handling} ${formatChangesHandling(formatChanges)}` : handling,
          ...(made ? { imported: made } : {}),
        },
        dropped,
      },
    }
  }
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** Formatting-only changes are never applied nor dropped unseen: the import says it ignored them. */
function formatChangesHandling(count: number): string {
  return `${plural(count, 'tracked change of formatting only (w:rPrChange, w:pPrChange) was', 'tracked changes of formatting only (w:rPrChange, w:pPrChange) were')} ignored: the text keeps the formatting as changed, and a suggestion changes text, not formatting.`
}

function annotationsHandling(made: MadeAnnotations, insertedParagraphs: number, moves: number): string {
  const parts = [
    `The text was imported as it read before its tracked changes; ${plural(made.suggestions, 'tracked change became a suggestion', 'tracked changes became suggestions')} and ${plural(made.comments, 'comment became a comment', 'comments became comments')}, in your name with each Word author named (for changes, in a comment on their section).`,
  ]
  if (moves > 0)
    parts.push(
      `${plural(moves, 'passage was', 'passages were')} moved: each became a suggestion to delete it at its old place and one to insert it at its new place (a paragraph moved whole is kept as text at its new place).`,
    )
  if (made.headingChanges > 0)
    parts.push(
      `${plural(made.headingChanges, 'change of a heading is', 'changes of headings are')} told in a comment on ${made.headingChanges === 1 ? 'its clause' : 'their clauses'} (a suggestion cannot change a heading).`,
    )
  if (insertedParagraphs > 0)
    parts.push(
      `${insertedParagraphs} paragraph${insertedParagraphs === 1 ? ' was' : 's were'} inserted whole and kept as text (a suggestion changes text within a paragraph).`,
    )
  if (made.notImported.length > 0)
    parts.push(`${made.notImported.length} could not be placed: ${made.notImported.slice(0, 5).join('; ')}.`)
  return parts.join(' ')
}

function countClauses(specs: readonly { children?: readonly unknown[] }[]): number {
  let n = 0
  const stack = [...specs]
  while (stack.length > 0) {
    const spec = stack.pop()!
    n += 1
    stack.push(...((spec.children ?? []) as { children?: readonly unknown[] }[]))
  }
  return n
}
