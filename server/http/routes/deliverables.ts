/** API.md "Groups and deliverables": deliverables, their members and sections. */
import { Router } from 'express'
import { createDeliverableBody, deliverableRoleBody } from '../../../shared/api/deliverables.ts'
import type { User } from '../../../shared/domain/types.ts'
import type { AppContext } from '../../context.ts'
import { progressOf } from '../../domain/deliverableService.ts'
import { NotFoundError } from '../../errors.ts'
import type { StoredDeliverable } from '../../storage/metadataStore.ts'
import { currentUser, requireUser } from '../middleware.ts'
import { presentDeliverable } from '../presenters.ts'
import { routeDeliverable } from '../routeDeliverable.ts'
import { memberRoute, parseBody, routeId } from '../validation.ts'

export function deliverableRoutes(ctx: AppContext): Router {
  const router = Router()
  const { metadata, deliverables, memberships, consensus } = ctx
  router.use(requireUser)

  /** A deliverable as lists and changes answer it: with its progress, or null while its document is unreadable. */
  const presentWithProgress = async (deliverable: StoredDeliverable, viewer: User) =>
    presentDeliverable(deliverable, viewer, metadata, await deliverables.progress(deliverable.id))

  router.get('/', async (req, res) => {
    const user = currentUser(req)
    const visible = deliverables.listVisible(user)
    res.json({ deliverables: await Promise.all(visible.map((d) => presentWithProgress(d, user))) })
  })

  router.post('/', async (req, res) => {
    const user = currentUser(req)
    const deliverable = await deliverables.create(user, parseBody(createDeliverableBody, req.body))
    res.status(201).json({ deliverable: await presentWithProgress(deliverable, user) })
  })

  router.get('/:id', async (req, res) => {
    const { user, deliverable } = routeDeliverable(req, deliverables)
    const sections = await consensus.sections(deliverable.id)
    res.json({ deliverable: presentDeliverable(deliverable, user, metadata, progressOf(sections)), sections })
  })

  router.get('/:id/sections/:sectionId', async (req, res) => {
    const { deliverable } = routeDeliverable(req, deliverables)
    const sectionId = routeId(req.params.sectionId)
    const section = (await consensus.sections(deliverable.id)).find((s) => s.id === sectionId)
    if (!section) throw new NotFoundError('No such section in this deliverable.')
    res.json({ section })
  })

  router.put('/:id/members/:userId', async (req, res) => {
    const user = currentUser(req)
    const { role } = parseBody(deliverableRoleBody, req.body)
    const { id, userId } = memberRoute(req.params)
    const deliverable = await memberships.setDeliverableRole(user, id, userId, role)
    res.json({ deliverable: await presentWithProgress(deliverable, user) })
  })

  router.delete('/:id/members/:userId', async (req, res) => {
    const { id, userId } = memberRoute(req.params)
    await memberships.removeFromDeliverable(currentUser(req), id, userId)
    res.status(204).end()
  })

  return router
}
