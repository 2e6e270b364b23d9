/**
 * Use cases on deliverables: create one with its seeded skeleton, find the visible ones, their progress, set the
 * document header of their exports.
 */
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import type { DocumentHeaderBody } from '../../shared/api/export.ts'
import type { Section } from '../../shared/api/sections.ts'
import { listClauses } from '../../shared/clauses/clauseText.ts'
import type { Skeleton } from '../../shared/clauses/skeletons.ts'
import { skeletonFor } from '../../shared/clauses/skeletonTypes.ts'
import { newId } from '../../shared/domain/ids.ts'
import { mayOnDeliverable, mayOnGroup } from '../../shared/domain/policy.ts'
import type { DeliverableType, DocumentHeaderFields, User } from '../../shared/domain/types.ts'
import { accordSchema, BODY_FIELD } from '../../shared/editor/extensions.ts'
import { AuthorizationError, NotFoundError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import type { MetadataStore, StoredDeliverable } from '../storage/metadataStore.ts'
import type { DocumentHub } from '../sync/documentHub.ts'
import type { ConsensusService } from './consensusService.ts'

export interface NewDeliverable {
  title: string
  type: DeliverableType
  groupId: string
}

export interface Progress {
  agreed: number
  total: number
}

export const progressOf = (sections: Section[]): Progress => ({
  agreed: sections.filter((s) => s.status === 'agreed').length,
  total: sections.length,
})

export class DeliverableService {
  constructor(
    private readonly metadata: MetadataStore,
    private readonly hub: DocumentHub,
    private readonly consensus: ConsensusService,
    private readonly logger: Logger,
  ) {}

  /** A new deliverable of the group, by one of its chairs or an administrator. */
  async create(
    actor: User,
    input: NewDeliverable,
    /** Replaces or fills the skeleton (an imported Word document's clauses). */
    fill?: (skeleton: Skeleton) => void,
  ): Promise<StoredDeliverable> {
    const group = this.metadata.group(input.groupId)
    if (!group) throw new NotFoundError('No such group.')
    if (!mayOnGroup(actor, 'create-deliverable', group, this.metadata.groupLookup))
      throw new AuthorizationError('Only administrators and chairs of the group create its deliverables.')
    const deliverable = await this.seed(input, fill)
    this.logger.info(
      { deliverableId: deliverable.id, type: input.type, userId: actor.id },
      'deliverable created',
    )
    return deliverable
  }

  /**
   * Seeds the type's skeleton on the server, once, with the very schema the editor uses (so every attribute
   * the editor would write is already there), records which clauses may never be removed, then the metadata.
   * Asks no one's permission: `create` does, and the demo seeds its samples with it.
   */
  async seed(
    input: NewDeliverable,
    /** Fills the skeleton before it is seeded (the demo's sample text); the structure stays the type's. */
    fill?: (skeleton: Skeleton) => void,
  ): Promise<StoredDeliverable> {
    const id = newId()
    const skeleton = skeletonFor(input.type, () => newId(12))
    fill?.(skeleton)
    const live = await this.hub.create(id, (doc) => {
      prosemirrorJSONToYXmlFragment(accordSchema(), skeleton.doc, doc.getXmlFragment(BODY_FIELD))
    })
    const required = new Set(skeleton.requiredClauseIds)
    const requiredClauseItems = listClauses(live.body)
      .filter((c) => required.has(c.id))
      .map((c) => ({ client: c.element._item!.id.client, clock: c.element._item!.id.clock }))
    for (const item of requiredClauseItems) live.protectRequired(item)
    const deliverable: StoredDeliverable = {
      id,
      title: input.title,
      type: input.type,
      groupId: input.groupId,
      members: {},
      createdAt: new Date().toISOString(),
      requiredClauseItems,
    }
    await this.metadata.update((data) => {
      data.deliverables.push(deliverable)
    })
    return deliverable
  }

  /** The deliverable if the user may see it; 404 otherwise (its existence is not revealed). */
  visible(user: User, id: string): StoredDeliverable {
    const deliverable = this.metadata.deliverable(id)
    if (!deliverable || !mayOnDeliverable(user, 'view', deliverable, this.metadata.groupLookup))
      throw new NotFoundError('No such deliverable, or you are not a member of it.')
    return deliverable
  }

  /**
   * Sets fields of the document header its exports print, for those who may change the text: an empty value
   * (text or list) restores the field's default; fields not named stay as they are. Answers the whole header.
   */
  async setExportHeader(
    actor: User,
    deliverable: StoredDeliverable,
    change: DocumentHeaderBody,
  ): Promise<DocumentHeaderFields> {
    if (!mayOnDeliverable(actor, 'edit-text', deliverable, this.metadata.groupLookup))
      throw new AuthorizationError('Only those who may change the text set its document header.')
    // Read and changed inside the serialized update, so that two changes at once both keep their fields.
    return this.metadata.update(() => {
      const header: DocumentHeaderFields = { ...deliverable.header }
      for (const [key, value] of Object.entries(change) as [keyof DocumentHeaderFields, unknown][]) {
        if (value === '' || (Array.isArray(value) && value.length === 0)) delete header[key]
        else Object.assign(header, { [key]: value })
      }
      deliverable.header = header
      return header
    })
  }

  listVisible(user: User): StoredDeliverable[] {
    return this.metadata.data.deliverables.filter((d) =>
      mayOnDeliverable(user, 'view', d, this.metadata.groupLookup),
    )
  }

  /** Null while the deliverable's document cannot be read: a list of deliverables still answers. */
  async progress(id: string): Promise<Progress | null> {
    try {
      return progressOf(await this.consensus.sections(id))
    } catch {
      return null
    }
  }
}
