/**
 * Named versions of a deliverable (issue 22, items 1 and 2): save (by someone, or by the product at a
 * milestone), list, read one, compare two (or one with now), restore. The policy decides who; the store keeps
 * them durable; a restore is an ordinary edit through the live document's checks, refused where it would change
 * an agreed clause.
 */
import * as Y from 'yjs'
import type {
  ApiComparison,
  ApiVersion,
  ApiVersionDetail,
  ComparedSide,
  VersionOrigin,
} from '../../shared/api/versions.ts'
import { NOW } from '../../shared/api/versions.ts'
import { newId } from '../../shared/domain/ids.ts'
import { mayOnDeliverable } from '../../shared/domain/policy.ts'
import type { Deliverable, User } from '../../shared/domain/types.ts'
import {
  type ClauseConsensusRecord,
  clauseRecords,
  type VersionClause,
} from '../../shared/versions/clauseRecord.ts'
import { compareClauses } from '../../shared/versions/compare.ts'
import type { ConsensusBook } from '../domain/consensusBook.ts'
import type { ConsensusService } from '../domain/consensusService.ts'
import { AuthorizationError, ConflictError, NotFoundError, UnavailableError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import type { DocumentHub } from '../sync/documentHub.ts'
import type { LiveDocument } from '../sync/liveDocument.ts'
import { restoreUpdate } from './restoreEdit.ts'
import type { StoredVersion } from './versionFile.ts'
import type { VersionStorage } from './versionStore.ts'

export interface RestoreOutcome {
  /** False when the document already held the version's content. */
  changed: boolean
}

export class VersionService {
  /** One save at a time per deliverable, so that saving order (`seq`) is the order of the files. */
  private readonly saving = new Map<string, Promise<unknown>>()

  constructor(
    private readonly hub: DocumentHub,
    private readonly consensus: ConsensusService,
    private readonly store: VersionStorage,
    private readonly groupLookup: Parameters<typeof mayOnDeliverable>[3],
    private readonly logger: Logger,
  ) {}

  /** A version named by an editor, a chair or an administrator. */
  async save(deliverable: Deliverable, user: User, name: string): Promise<ApiVersion> {
    if (!mayOnDeliverable(user, 'save-version', deliverable, this.groupLookup))
      throw new AuthorizationError('Only editors, chairs and administrators save versions.')
    return this.capture(deliverable.id, name, user.id, 'saved')
  }

  /**
   * A version the product saves by itself at a milestone: every clause agreed, or (for the meetings module) a
   * meeting closed. Asks no one's permission.
   */
  saveAutomatic(
    deliverableId: string,
    name: string,
    origin: Exclude<VersionOrigin, 'saved'>,
  ): Promise<ApiVersion> {
    return this.capture(deliverableId, name, null, origin)
  }

  /** For the meetings module, when a meeting closes: the version it leaves behind for each of its deliverables. */
  saveAtMeetingClose(deliverableId: string, meetingTitle: string): Promise<ApiVersion> {
    return this.saveAutomatic(deliverableId, `Output of ${meetingTitle}`, 'meeting-closed')
  }

  private capture(
    deliverableId: string,
    name: string,
    createdBy: string | null,
    origin: VersionOrigin,
  ): Promise<ApiVersion> {
    const previous = this.saving.get(deliverableId) ?? Promise.resolve()
    const saved = previous
      .catch(() => undefined)
      .then(async () => {
        const live = await this.hub.get(deliverableId)
        const book = await this.consensus.book(deliverableId)
        // The clause tree and the state are read in the same turn: no update can come in between.
        const clauses = presentClauses(live, book)
        const update = Y.encodeStateAsUpdate(live.doc)
        // A version never holds what the server could still forget: what it captured is made durable first.
        await live.flush()
        if (!live.writable)
          throw new UnavailableError('The server cannot save right now; no version was saved.')
        const { versions } = await this.store.list(deliverableId)
        const version: StoredVersion = {
          id: newId(),
          name,
          createdAt: new Date().toISOString(),
          createdBy,
          origin,
          seq: Math.max(0, ...versions.map((v) => v.seq)) + 1,
          clauses,
          update,
        }
        await this.store.write(deliverableId, version)
        this.logger.info({ deliverableId, versionId: version.id, origin, createdBy }, 'version saved')
        return presentVersion(version)
      })
    this.saving.set(deliverableId, saved)
    // Forget a save once it ended, unless another one queued behind it.
    void saved
      .catch(() => undefined)
      .then(() => {
        if (this.saving.get(deliverableId) === saved) this.saving.delete(deliverableId)
      })
    return saved
  }

  /** Resolves once every save begun so far has ended (saved or failed): the server awaits it before it closes. */
  async settled(): Promise<void> {
    // A save that ended forgets itself; one queued meanwhile is awaited on the next turn.
    while (this.saving.size > 0) await Promise.allSettled([...this.saving.values()])
  }

  /** Newest first; a version file that does not read back intact is reported, not skipped in silence. */
  async list(
    deliverableId: string,
  ): Promise<{ versions: ApiVersion[]; unreadable: { id: string; message: string }[] }> {
    const { versions, unreadable } = await this.store.list(deliverableId)
    for (const { id, error } of unreadable)
      this.logger.error({ deliverableId, versionId: id, err: error }, 'version file unreadable')
    return {
      versions: versions.map(presentVersion),
      unreadable: unreadable.map(({ id, error }) => ({ id, message: error.message })),
    }
  }

  async detail(deliverableId: string, versionId: string): Promise<ApiVersionDetail> {
    const version = await this.stored(deliverableId, versionId)
    return { ...presentVersion(version), clauses: version.clauses }
  }

  /** `to` may be `now`: the present document with its consensus state. */
  async compare(deliverableId: string, fromId: string, toId: string): Promise<ApiComparison> {
    const from = await this.stored(deliverableId, fromId)
    let to: { side: ComparedSide; clauses: VersionClause[] }
    if (toId === NOW) {
      const live = await this.hub.get(deliverableId)
      const book = await this.consensus.book(deliverableId)
      to = {
        side: { id: NOW, name: 'Now', createdAt: new Date().toISOString() },
        clauses: presentClauses(live, book),
      }
    } else {
      const version = await this.stored(deliverableId, toId)
      to = { side: sideOf(version), clauses: version.clauses }
    }
    return { from: sideOf(from), to: to.side, ...compareClauses(from.clauses, to.clauses) }
  }

  /**
   * Makes the document hold the version's content again, as a new edit by `user` through the same checks as a
   * client's update: refused as a whole (409, nothing changed) where it would change an agreed clause.
   */
  async restore(deliverable: Deliverable, user: User, versionId: string): Promise<RestoreOutcome> {
    if (!mayOnDeliverable(user, 'restore-version', deliverable, this.groupLookup))
      throw new AuthorizationError('Only editors, chairs and administrators restore versions.')
    const version = await this.stored(deliverable.id, versionId)
    const live = await this.hub.get(deliverable.id)
    const owners = live.clientOwners()
    const update = restoreUpdate(live.doc, version.update, (clientId) => owners.has(clientId))
    if (!update) return { changed: false }
    const refusal = live.editAs(user.id, update)
    if (refusal) {
      const clauses = new Map(live.clauses().map((c) => [c.id, c]))
      const named = (refusal.sectionIds ?? []).map((id) => {
        const clause = clauses.get(id)
        return clause ? `${clause.number ? `${clause.number} ` : ''}“${clause.title}”` : id
      })
      const which = named.length > 0 ? ` (${named.join(', ')})` : ''
      this.logger.info(
        { deliverableId: deliverable.id, versionId, reason: refusal.reason },
        'restore refused',
      )
      if (refusal.reason === 'storage-unavailable') throw new UnavailableError(refusal.message)
      throw new ConflictError(
        `Restoring “${version.name}” was refused and nothing was changed${which}: ${refusal.message}`,
        refusal.reason.replace(/-/g, '_'),
      )
    }
    await live.flush()
    this.logger.info({ deliverableId: deliverable.id, versionId, userId: user.id }, 'version restored')
    return { changed: true }
  }

  /** The whole document of a saved version as one Yjs update (the base of an export's revision marks), or null. */
  async stateOf(deliverableId: string, versionId: string): Promise<Uint8Array | null> {
    return (await this.store.read(deliverableId, versionId))?.update ?? null
  }

  private async stored(deliverableId: string, versionId: string): Promise<StoredVersion> {
    const version = await this.store.read(deliverableId, versionId)
    if (!version) throw new NotFoundError('No such version of this deliverable.')
    return version
  }
}

/** The present clauses with their consensus state now. */
function presentClauses(live: LiveDocument, book: ConsensusBook): VersionClause[] {
  const consensusOf = (clauseId: string): ClauseConsensusRecord => {
    const state = book.state(clauseId)
    return {
      status: state.status,
      agreedHash: state.agreed?.hash ?? null,
      openObjections: state.objections.filter((o) => o.open).length,
    }
  }
  return clauseRecords(live.body, consensusOf, (element) => live.clauseHash(element))
}

function presentVersion(version: ApiVersion): ApiVersion {
  const { id, name, createdAt, createdBy, origin } = version
  return { id, name, createdAt, createdBy, origin }
}

const sideOf = (version: StoredVersion): ComparedSide => ({
  id: version.id,
  name: version.name,
  createdAt: version.createdAt,
})
