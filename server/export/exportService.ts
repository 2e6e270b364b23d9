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
import { type OpenAnnotations, placeAnnotations } from './annotationsDocx.ts'
import { type ModelClause, readModel } from './documentModel.ts'
import { writeDocxOffThread } from './docxOffThread.ts'
import { changeLog, consensusRows, type ExportDocument } from './exportDocument.ts'
import { resolveHeader } from './header.ts'
import { writeHtml } from './htmlWriter.ts'
import { layoutClauses } from './layout.ts'
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
    const { hub, consensus, metadata } = this.sources
    const live = await hub.get(deliverable.id)
    const book = await consensus.book(deliverable.id)
    // Read before the document: nothing may change it between reading its text and placing the anchors.
    const open = options.annotations ? await this.openAnnotations(deliverable) : null
    const withClients = options.from !== undefined
    const texts = open ? new Map<Y.XmlText, number>() : undefined
    const present = readModel(live.doc, { withClients, ...(texts ? { texts } : {}) })
    const agreed = new Set(present.filter((c) => book.state(c.id).status === 'agreed').map((c) => c.id))
    const events = [...book.allStates().keys()]
      .flatMap((id) => book.history(id))
      .sort((a, b) => a.seq - b.seq)
    const lastAgreement = new Map<string, DecisionEvent>()
    for (const event of events) if (event.action === 'agree') lastAgreement.set(event.sectionId, event)
    const log = changeLog(events, present)
    const keep = (clauses: ModelClause[]) =>
      options.agreedOnly ? clauses.filter((c) => agreed.has(c.id)) : clauses
    const layoutOptions = { type: deliverable.type, agreed, changeLog: log }
    let clauses = layoutClauses(keep(present), layoutOptions)
    let comments: ExportDocument['comments']
    if (open && texts) {
      const nameOf = (id: string) => metadata.user(id)?.name ?? 'Unknown user'
      const placed = placeAnnotations(live.doc, clauses, texts, open, nameOf)
      clauses = placed.clauses
      comments = placed.comments
    }
    const now = new Date()
    const pendingRevisions = options.from
      ? { base: options.from, authors: this.authors(live.clientOwners()), agreed: [...agreed] }
      : null
    const group = metadata.group(deliverable.groupId)
    return {
      type: deliverable.type,
      header: resolveHeader({
        deliverable,
        group,
        parent: group?.parentId ? metadata.group(group.parentId) : undefined,
        user: (id) => metadata.user(id),
        clauses: present,
        now,
      }),
      clauses,
      changeLog: log,
      consensus: consensusRows(
        keep(present),
        (id) => book.state(id),
        (id) => lastAgreement.get(id),
      ),
      revisionDate: options.from ? now.toISOString().replace(/\.\d+Z$/, 'Z') : null,
      pendingRevisions,
      agreedOnly: options.agreedOnly ?? false,
      ...(comments ? { comments } : {}),
    }
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
  private async openAnnotations(deliverable: StoredDeliverable): Promise<OpenAnnotations> {
    const reader = this.sources.annotations
    if (!reader) throw new Error('annotations asked for without an annotation reader')
    const [comments, suggestions] = await Promise.all([
      reader.comments(deliverable),
      reader.suggestions(deliverable),
    ])
    return { comments, suggestions }
  }

  async export(deliverable: StoredDeliverable, options: ExportOptions): Promise<ExportFile> {
    const document = await this.document(deliverable, options)
    const bytes = await write(document, options.format)
    return {
      bytes,
      contentType: CONTENT_TYPES[options.format],
      fileName: fileNameFor(document, options.format),
    }
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

async function write(document: ExportDocument, format: ExportFormat): Promise<Buffer> {
  switch (format) {
    case 'docx':
      return (await writeDocxOffThread(document)).bytes
    case 'pdf':
      return convertWithOffice((await writeDocxOffThread(document)).bytes, { from: 'docx', to: 'pdf' })
    case 'html':
      return Buffer.from(writeHtml(applyPendingRevisions(document)), 'utf8')
    case 'md':
      return Buffer.from(writeMarkdown(applyPendingRevisions(document)), 'utf8')
  }
}

/** An ASCII file name from the document number or title (safe in a Content-Disposition header). */
export function fileNameFor(document: ExportDocument, format: ExportFormat): string {
  const base = `${document.header.documentNumber} ${document.header.title}`
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
  return `${base || 'deliverable'}.${format}`
}
