/** API.md "Groups and deliverables": deliverables, their members and sections. */
import { Router } from 'express'
import { mayOnDeliverable, mayOnGroup } from '../../../shared/domain/policy.ts'
import type { AppContext } from '../../context.ts'
import { AuthorizationError, NotFoundError } from '../../errors.ts'
import { currentUser, requireUser } from '../middleware.ts'
import { presentDeliverable } from '../presenters.ts'
import { createDeliverableBody, deliverableRoleBody } from '../schemas.ts'
import { parseBody, routeId } from '../validation.ts'

export function deliverableRoutes(ctx: AppContext): Router {
  const router = Router()
  const { metadata, deliverables, consensus } = ctx
  router.use(requireUser)

  router.get('/', async (req, res) => {
    const user = currentUser(req)
    const visible = deliverables.listVisible(user)
    const presented = await Promise.all(
      visible.map(async (d) => presentDeliverable(d, user, metadata, await deliverables.progress(d.id))),
    )
    res.json({ deliverables: presented })
  })

  router.post('/', async (req, res) => {
    const user = currentUser(req)
    const body = parseBody(createDeliverableBody, req.body)
    const group = metadata.group(body.groupId)
    if (!group) throw new NotFoundError('No such group.')
    if (!mayOnGroup(user, 'create-deliverable', group, metadata.groupLookup))
      throw new AuthorizationError('Only administrators and chairs of the group create its deliverables.')
    const deliverable = await deliverables.create(body)
    ctx.logger.info(
      { deliverableId: deliverable.id, type: body.type, userId: user.id },
      'deliverable created',
    )
    res.status(201).json({
      deliverable: presentDeliverable(
        deliverable,
        user,
        metadata,
        await deliverables.progress(deliverable.id),
      ),
    })
  })

  router.get('/:id', async (req, res) => {
    const user = currentUser(req)
    const deliverable = deliverables.visible(user, routeId(req.params.id))
    const sections = await consensus.sections(deliverable.id)
    const progress = { agreed: sections.filter((s) => s.status === 'agreed').length, total: sections.length }
    res.json({ deliverable: presentDeliverable(deliverable, user, metadata, progress), sections })
  })

  router.get('/:id/sections/:sectionId', async (req, res) => {
    const deliverable = deliverables.visible(currentUser(req), routeId(req.params.id))
    const sectionId = routeId(req.params.sectionId)
    const section = (await consensus.sections(deliverable.id)).find((s) => s.id === sectionId)
    if (!section) throw new NotFoundError('No such section in this deliverable.')
    res.json({ section })
  })

  const memberTarget = (
    req: { params: Record<string, string | string[] | undefined> },
    user: ReturnType<typeof currentUser>,
  ) => {
    const deliverable = deliverables.visible(user, routeId(req.params.id))
    if (!mayOnDeliverable(user, 'manage-members', deliverable, metadata.groupLookup))
      throw new AuthorizationError('Only administrators and chairs set roles on a deliverable.')
    const targetId = routeId(req.params.userId)
    if (!metadata.user(targetId)) throw new NotFoundError('No such user.')
    return { deliverable, targetId }
  }

  router.put('/:id/members/:userId', async (req, res) => {
    const user = currentUser(req)
    const body = parseBody(deliverableRoleBody, req.body)
    const { deliverable, targetId } = memberTarget(req, user)
    await metadata.update(() => {
      deliverable.members[targetId] = body.role
    })
    ctx.access.deliverableChanged(deliverable.id)
    res.json({
      deliverable: presentDeliverable(
        deliverable,
        user,
        metadata,
        await deliverables.progress(deliverable.id),
      ),
    })
  })

  router.delete('/:id/members/:userId', async (req, res) => {
    const { deliverable, targetId } = memberTarget(req, currentUser(req))
    await metadata.update(() => {
      delete deliverable.members[targetId]
    })
    ctx.access.deliverableChanged(deliverable.id)
    res.status(204).end()
  })

  return router
}
