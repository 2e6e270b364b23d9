/**
 * Builds a deliverable's export in a given format from its live document and decision record: the use case behind
 * `GET /api/deliverables/:id/export`, with no knowledge of HTTP. Revision marks compare a base state (a version's
 * complete Yjs update) with the present, clause by clause.
 */
import type * as Y from 'yjs'
import type { PresentedComment, PresentedSuggestion } from '../../shared/api/annotations.ts'
import type { ExportFormat } from '../../shared/api/export.ts'
import type { DecisionEvent } from '../../shared/domain/consensus.ts'
import { mayOnDeliverable } from '../../shared/domain/policy.ts'
import type { User } from '../../shared/domain/types.ts'
import type { ConsensusService } from '../domain/consensusService.ts'
import { AuthorizationError, NotFoundError } from '../errors.ts'
import type { MetadataStore, StoredDeliverable } from '../storage/metadataStore.ts'
import { SYSTEM_USER } from '../sync/clientOwners.ts'
import type { DocumentHub } from '../sync/documentHub.ts'
import type { VersionService } from '../versions/versionService.ts'
import type { OpenAnnotations } from './annotationsDocx.ts'
import { composeDocument, type ExportSource, headerOf } from './composeDocument.ts'
import { writeDocxOffThread } from './docxOffThread.ts'
import type { ExportDocument, MeetingOfRecord } from './exportDocument.ts'
import { writeHtml } from './htmlWriter.ts'
import { writeMarkdown } from './markdownWriter.ts'
import { convertWithOffice } from './officeConverter.ts'
import { applyPendingRevisions } from './pendingRevisions.ts'

export interface ExportOptions {
  format: ExportFormat
  /** Only the clauses that are agreed. */
  agreedOnly?: boolean
  /** A complete Yjs update of an earlier state: the export then carries revision marks from it to the present. */
  from?: Uint8Array
  /** Open suggestions as Word tracked changes and open comments as Word comments (.docx and PDF; not with `from`). */
  annotations?: boolean
}

export interface ExportRequest extends Omit<ExportOptions, 'from'> {
  /** The id of a saved version of the deliverable: the export carries revision marks from it to the present. */
  marksFrom?: string
}

export interface ExportFile {
  bytes: Buffer
  contentType: string
  fileName: string
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
}

export interface ExportSources {
  hub: DocumentHub
  consensus: ConsensusService
  metadata: MetadataStore
  versions: VersionService
  /** The annotation service's public reads (needed only for `annotations`). */
  annotations?: AnnotationReader
}

export interface AnnotationReader {
  comments(deliverable: StoredDeliverable): Promise<PresentedComment[]>
  suggestions(deliverable: StoredDeliverable): Promise<PresentedSuggestion[]>
}

export class ExportService {
  constructor(private readonly sources: ExportSources) {}

  /** The gathered, laid-out document every writer prints. */
  async document(
    deliverable: StoredDeliverable,
    options: Omit<ExportOptions, 'format'> = {},
  ): Promise<ExportDocument> {
    const live = await this.sources.hub.get(deliverable.id)
    return composeDocument(await this.source(deliverable, options), live.doc)
  }

  /**
   * The export a user asks for (`GET /api/deliverables/:id/export`): for those who may export the deliverable,
   * with revision marks from one of its saved versions when `marksFrom` names one.
   */
  async exportFor(actor: User, deliverable: StoredDeliverable, request: ExportRequest): Promise<ExportFile> {
    if (!mayOnDeliverable(actor, 'export', deliverable, this.sources.metadata.groupLookup))
      throw new AuthorizationError('Your role on this deliverable does not allow exporting it.')
    const { marksFrom, ...options } = request
    if (marksFrom === undefined) return this.export(deliverable, options)
    const from = await this.sources.versions.stateOf(deliverable.id, marksFrom)
    if (!from) throw new NotFoundError('version not found')
    return this.export(deliverable, { ...options, from })
  }

  /** The export, asking no one's permission (`exportFor` does; benchmarks and tests call this). */
  async export(deliverable: StoredDeliverable, options: ExportOptions): Promise<ExportFile> {
    const live = await this.sources.hub.get(deliverable.id)
    const source = await this.source(deliverable, options)
    return {
      bytes: await write(source, live.doc, options.format),
      contentType: CONTENT_TYPES[options.format],
      // The file name needs the header's number and title only, not the body.
      fileName: fileNameFor({ header: headerOf(source, []) }, options.format),
    }
  }

  /** Everything an export needs from the server's stores, as plain data (ExportSource). */
  private async source(
    deliverable: StoredDeliverable,
    options: Omit<ExportOptions, 'format'>,
  ): Promise<ExportSource> {
    const { hub, consensus, metadata } = this.sources
    const live = await hub.get(deliverable.id)
    const book = await consensus.book(deliverable.id)
    const annotations = options.annotations ? await this.openAnnotations(deliverable) : null
    const group = metadata.group(deliverable.groupId)
    const users: [string, User][] = []
    for (const id of Object.keys(deliverable.members)) {
      const user = metadata.user(id)
      if (user)
        users.push([
          id,
          { id, name: user.name, email: user.email, organization: user.organization, admin: user.admin },
        ])
    }
    return {
      deliverable,
      group,
      parent: group?.parentId ? metadata.group(group.parentId) : undefined,
      users,
      states: [...book.allStates()],
      decisions: [...book.all()].sort((a, b) => a.seq - b.seq),
      meetings: this.meetingsOfRecord(deliverable.id, book.all()),
      agreedOnly: options.agreedOnly ?? false,
      from: options.from ?? null,
      authors: options.from ? this.authors(live.clientOwners()) : [],
      now: new Date().toISOString(),
      annotations,
      names: annotations ? this.namesOf(annotations) : [],
    }
  }

  /** The meetings of these decisions, with the contributions they agreed for this deliverable. */
  private meetingsOfRecord(deliverableId: string, decisions: Iterable<DecisionEvent>): MeetingOfRecord[] {
    const ids = new Set<string>()
    for (const event of decisions) if (event.meetingId) ids.add(event.meetingId)
    const meetings: MeetingOfRecord[] = []
    for (const id of ids) {
      const meeting = this.sources.metadata.meeting(id)
      if (!meeting) continue
      meetings.push({
        id,
        label: `meeting ${meeting.number}, "${meeting.title}"`,
        contributions: meeting.contributions.flatMap((c) => {
          const kind = c.disposition?.kind
          const targets = c.targets.filter((t) => t.deliverableId === deliverableId)
          if ((kind !== 'agreed' && kind !== 'agreed-with-modifications') || targets.length === 0) return []
          return [{ number: c.number, disposition: kind, sectionIds: targets.map((t) => t.sectionId) }]
        }),
      })
    }
    return meetings
  }

  private async openAnnotations(deliverable: StoredDeliverable): Promise<OpenAnnotations> {
    const reader = this.sources.annotations
    if (!reader) throw new Error('annotations asked for without an annotation reader')
    const [comments, suggestions] = await Promise.all([
      reader.comments(deliverable),
      reader.suggestions(deliverable),
    ])
    return { comments, suggestions }
  }

  /** The display name of every author of an open annotation (Word's revision and comment authors). */
  private namesOf(open: OpenAnnotations): [string, string][] {
    const ids = new Set([...open.comments, ...open.suggestions].map((a) => a.authorId))
    return [...ids].map((id) => [id, this.sources.metadata.user(id)?.name ?? 'Unknown user'])
  }

  /** The name of the user who owns each Yjs client that the server knows (not its own: those are the product's). */
  private authors(owners: ReadonlyMap<number, string>): [number, string][] {
    const names: [number, string][] = []
    for (const [client, owner] of owners) {
      const name = owner !== SYSTEM_USER ? this.sources.metadata.user(owner)?.name : undefined
      if (name) names.push([client, name])
    }
    return names
  }
}

async function write(source: ExportSource, doc: Y.Doc, format: ExportFormat): Promise<Buffer> {
  if (format === 'docx' || format === 'pdf') {
    // The event loop only gathers plain data and forwards the document's recent updates to the worker's copy of
    // it; reading and laying out the text, revision marks and writing the file happen on the export worker.
    const docx = (await writeDocxOffThread({ source, doc })).bytes
    return format === 'pdf' ? convertWithOffice(docx, { from: 'docx', to: 'pdf' }) : docx
  }
  const document = applyPendingRevisions(composeDocument(source, doc))
  return Buffer.from(format === 'html' ? writeHtml(document) : writeMarkdown(document), 'utf8')
}

/** An ASCII file name from the document number or title (safe in a Content-Disposition header). */
export function fileNameFor(document: Pick<ExportDocument, 'header'>, format: ExportFormat): string {
  const base = `${document.header.documentNumber} ${document.header.title}`
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
  return `${base || 'deliverable'}.${format}`
}
