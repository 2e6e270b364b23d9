/** Use cases on groups: focus groups and their working groups. Roles in them are `MembershipService`'s. */
import type { CreateGroupBody } from '../../shared/api/groups.ts'
import { newId } from '../../shared/domain/ids.ts'
import { mayGlobally } from '../../shared/domain/policy.ts'
import type { Group, User } from '../../shared/domain/types.ts'
import { AuthorizationError, ValidationError } from '../errors.ts'
import type { MetadataStore } from '../storage/metadataStore.ts'

export class GroupService {
  constructor(private readonly metadata: MetadataStore) {}

  /** Every group: anyone signed in sees the list, with their abilities on each. */
  all(): Group[] {
    return this.metadata.data.groups
  }

  /** A focus group, or a working group of one: groups nest one level deep. */
  async create(actor: User, input: CreateGroupBody): Promise<Group> {
    if (!mayGlobally(actor, 'create-group'))
      throw new AuthorizationError('Only administrators create groups.')
    if (input.parentId !== undefined) {
      const parent = this.metadata.group(input.parentId)
      if (!parent) throw new ValidationError('parentId: no such group.')
      if (parent.parentId !== null)
        throw new ValidationError('parentId: working groups belong to a focus group.')
    }
    const group: Group = { id: newId(), name: input.name, parentId: input.parentId ?? null, members: {} }
    await this.metadata.update((data) => {
      data.groups.push(group)
    })
    return group
  }
}
