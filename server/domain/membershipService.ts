/**
 * Use cases on roles: who holds which role in a group or on a deliverable. The policy decides who may change
 * them; every change is told to access control at once, so that the live sockets of the users it concerns are
 * downgraded or closed without waiting for a reconnect.
 */
import { mayOnDeliverable, mayOnGroup } from '../../shared/domain/policy.ts'
import type { DeliverableRole, Group, GroupRole, User } from '../../shared/domain/types.ts'
import { AuthorizationError, NotFoundError } from '../errors.ts'
import type { MetadataStore, StoredDeliverable } from '../storage/metadataStore.ts'
import type { AccessControl } from '../sync/accessControl.ts'
import type { DeliverableService } from './deliverableService.ts'

export class MembershipService {
  constructor(
    private readonly metadata: MetadataStore,
    private readonly deliverables: DeliverableService,
    private readonly access: AccessControl,
  ) {}

  setGroupRole(actor: User, groupId: string, userId: string, role: GroupRole): Promise<Group> {
    return this.changeGroup(actor, groupId, userId, role)
  }

  removeFromGroup(actor: User, groupId: string, userId: string): Promise<Group> {
    return this.changeGroup(actor, groupId, userId, null)
  }

  setDeliverableRole(
    actor: User,
    deliverableId: string,
    userId: string,
    role: DeliverableRole,
  ): Promise<StoredDeliverable> {
    return this.changeDeliverable(actor, deliverableId, userId, role)
  }

  removeFromDeliverable(actor: User, deliverableId: string, userId: string): Promise<StoredDeliverable> {
    return this.changeDeliverable(actor, deliverableId, userId, null)
  }

  /** A group's roles also decide who chairs its working groups' deliverables: access control re-checks those. */
  private async changeGroup(actor: User, groupId: string, userId: string, role: GroupRole | null) {
    const group = this.metadata.group(groupId)
    if (!group) throw new NotFoundError('No such group.')
    if (!mayOnGroup(actor, 'manage-members', group, this.metadata.groupLookup))
      throw new AuthorizationError('Only administrators and chairs set roles in a group.')
    await this.assign(group.members, userId, role)
    this.access.groupChanged(group.id)
    return group
  }

  private async changeDeliverable(
    actor: User,
    deliverableId: string,
    userId: string,
    role: DeliverableRole | null,
  ) {
    const deliverable = this.deliverables.visible(actor, deliverableId)
    if (!mayOnDeliverable(actor, 'manage-members', deliverable, this.metadata.groupLookup))
      throw new AuthorizationError('Only administrators and chairs set roles on a deliverable.')
    await this.assign(deliverable.members, userId, role)
    this.access.deliverableChanged(deliverable.id)
    return deliverable
  }

  /** Gives the user `role` in `members`, or takes them out when `role` is null. */
  private async assign<Role>(
    members: Record<string, Role>,
    userId: string,
    role: Role | null,
  ): Promise<void> {
    if (!this.metadata.user(userId)) throw new NotFoundError('No such user.')
    await this.metadata.update(() => {
      if (role === null) delete members[userId]
      else members[userId] = role
    })
  }
}
