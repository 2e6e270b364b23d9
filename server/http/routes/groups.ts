/** API.md "Groups and deliverables": groups, their working groups, chairs and members. */
import { Router } from 'express'
import { newId } from '../../../shared/domain/ids.ts'
import { mayGlobally, mayOnGroup } from '../../../shared/domain/policy.ts'
import type { Group } from '../../../shared/domain/types.ts'
import type { AppContext } from '../../context.ts'
import { AuthorizationError, NotFoundError, ValidationError } from '../../errors.ts'
import { currentUser, requireUser } from '../middleware.ts'
import { presentGroup } from '../presenters.ts'
import { createGroupBody, groupRoleBody } from '../schemas.ts'
import { parseBody, routeId } from '../validation.ts'

export function groupRoutes(ctx: AppContext): Router {
  const router = Router()
  const { metadata } = ctx
  router.use(requireUser)

  router.get('/', (req, res) => {
    const user = currentUser(req)
    res.json({ groups: metadata.data.groups.map((g) => presentGroup(g, user, metadata)) })
  })

  router.post('/', async (req, res) => {
    const user = currentUser(req)
    if (!mayGlobally(user, 'create-group')) throw new AuthorizationError('Only administrators create groups.')
    const body = parseBody(createGroupBody, req.body)
    if (body.parentId !== undefined) {
      const parent = metadata.group(body.parentId)
      if (!parent) throw new ValidationError('parentId: no such group.')
      if (parent.parentId !== null)
        throw new ValidationError('parentId: working groups belong to a focus group.')
    }
    const group: Group = { id: newId(), name: body.name, parentId: body.parentId ?? null, members: {} }
    await metadata.update((data) => {
      data.groups.push(group)
    })
    res.status(201).json({ group: presentGroup(group, user, metadata) })
  })

  const memberTarget = (
    req: { params: Record<string, string | string[] | undefined> },
    user: ReturnType<typeof currentUser>,
  ) => {
    const group = metadata.group(routeId(req.params.id))
    if (!group) throw new NotFoundError('No such group.')
    if (!mayOnGroup(user, 'manage-members', group, metadata.groupLookup))
      throw new AuthorizationError('Only administrators and chairs set roles in a group.')
    const targetId = routeId(req.params.userId)
    if (!metadata.user(targetId)) throw new NotFoundError('No such user.')
    return { group, targetId }
  }

  router.put('/:id/members/:userId', async (req, res) => {
    const user = currentUser(req)
    const body = parseBody(groupRoleBody, req.body)
    const { group, targetId } = memberTarget(req, user)
    await metadata.update(() => {
      group.members[targetId] = body.role
    })
    ctx.access.groupChanged(group.id)
    res.json({ group: presentGroup(group, user, metadata) })
  })

  router.delete('/:id/members/:userId', async (req, res) => {
    const { group, targetId } = memberTarget(req, currentUser(req))
    await metadata.update(() => {
      delete group.members[targetId]
    })
    ctx.access.groupChanged(group.id)
    res.status(204).end()
  })

  return router
}
