/**
 * What an export is made of, in two steps. `ExportSource` is everything gathered from the server's stores, as
 * plain data (the deliverable, its groups, the editors the header names, the consensus states and decisions,
 * the authors of Yjs clients, a version's state for revision marks); `composeDocument` reads a Y.Doc of the text
 * and lays everything out into the ExportDocument the writers print. The second step is the expensive one on a
 * large deliverable (reading every run, with each character's author for revision marks): for a .docx it runs on
 * the export worker, from a copy of the document's state that the event loop takes in one encode.
 */
import type * as Y from 'yjs'
import type { DecisionEvent, SectionConsensus } from '../../shared/domain/consensus.ts'
import { initialSectionConsensus } from '../../shared/domain/consensus.ts'
import type { Group, User } from '../../shared/domain/types.ts'
import type { StoredDeliverable } from '../storage/metadataStore.ts'
import { type OpenAnnotations, placeAnnotations } from './annotationsDocx.ts'
import { type ModelClause, readModel } from './documentModel.ts'
import {
  changeLog,
  consensusRows,
  type ExportDocument,
  type HeaderInfo,
  type MeetingOfRecord,
} from './exportDocument.ts'
import { resolveHeader } from './header.ts'
import { layoutClauses } from './layout.ts'

export interface ExportSource {
  deliverable: StoredDeliverable
  group: Group | undefined
  parent: Group | undefined
  /** The users the header may name (the deliverable's members), by id. */
  users: [string, User][]
  /** Each clause's consensus state, where it has one (others are drafts). */
  states: [string, SectionConsensus][]
  /** Every decision on the deliverable, in the order taken. */
  decisions: DecisionEvent[]
  /** The meetings those decisions were taken at, as the change log names them. */
  meetings: MeetingOfRecord[]
  /** Only the clauses that are agreed. */
  agreedOnly: boolean
  /** A complete Yjs update of an earlier state: the export then carries revision marks from it to the present. */
  from: Uint8Array | null
  /** The name of each Yjs client's owner, where the server knows it (revision authors). */
  authors: [number, string][]
  /** When the export was asked for (ISO 8601). */
  now: string
  /** Open suggestions and comments, to write as Word tracked changes and comments; null when not asked for. */
  annotations: OpenAnnotations | null
  /** The display names of the annotations' authors, by user id. */
  names: [string, string][]
}

/** The document header of `source` (its keywords and abstract from those clauses of `clauses`). */
export function headerOf(source: ExportSource, clauses: readonly ModelClause[]): HeaderInfo {
  const users = new Map(source.users)
  return resolveHeader({
    deliverable: source.deliverable,
    group: source.group,
    parent: source.parent,
    user: (id) => users.get(id),
    clauses,
    now: new Date(source.now),
  })
}

/** The laid-out document of `source`, its text read from `doc` (the live document, or a copy of its state). */
export function composeDocument(source: ExportSource, doc: Y.Doc): ExportDocument {
  const { deliverable } = source
  const texts = source.annotations ? new Map<Y.XmlText, number>() : undefined
  const present = readModel(doc, { withClients: source.from !== null, ...(texts ? { texts } : {}) })
  const states = new Map(source.states)
  const stateOf = (id: string) => states.get(id) ?? initialSectionConsensus()
  const agreed = new Set(present.filter((c) => stateOf(c.id).status === 'agreed').map((c) => c.id))
  const lastAgreement = new Map<string, DecisionEvent>()
  for (const event of source.decisions)
    if (event.action === 'agree') lastAgreement.set(event.sectionId, event)
  const log = changeLog(source.decisions, present, source.meetings)
  const keep = (clauses: ModelClause[]) =>
    source.agreedOnly ? clauses.filter((c) => agreed.has(c.id)) : clauses
  let clauses = layoutClauses(keep(present), { type: deliverable.type, agreed, changeLog: log })
  let comments: ExportDocument['comments']
  if (source.annotations && texts) {
    const names = new Map(source.names)
    const placed = placeAnnotations(
      doc,
      clauses,
      texts,
      source.annotations,
      (id) => names.get(id) ?? 'Unknown user',
    )
    clauses = placed.clauses
    comments = placed.comments
  }
  const now = new Date(source.now)
  return {
    type: deliverable.type,
    header: headerOf(source, present),
    clauses,
    changeLog: log,
    consensus: consensusRows(keep(present), stateOf, (id) => lastAgreement.get(id), source.meetings),
    revisionDate: source.from ? now.toISOString().replace(/\.\d+Z$/, 'Z') : null,
    pendingRevisions: source.from
      ? { base: source.from, authors: source.authors, agreed: [...agreed] }
      : null,
    agreedOnly: source.agreedOnly,
    ...(comments ? { comments } : {}),
  }
}
