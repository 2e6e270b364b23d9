/** API.md "Groups and deliverables": groups, their working groups, chairs and members. */
import { Router } from 'express'
import { createGroupBody, groupRoleBody } from '../../../shared/api/groups.ts'
import type { AppContext } from '../../context.ts'
import { currentUser, requireUser } from '../middleware.ts'
import { presentGroup } from '../presenters.ts'
import { memberRoute, parseBody } from '../validation.ts'

export function groupRoutes(ctx: AppContext): Router {
  const router = Router()
  const { groups, memberships, metadata } = ctx
  router.use(requireUser)

  router.get('/', (req, res) => {
    const user = currentUser(req)
    res.json({ groups: groups.all().map((g) => presentGroup(g, user, metadata)) })
  })

  router.post('/', async (req, res) => {
    const user = currentUser(req)
    const group = await groups.create(user, parseBody(createGroupBody, req.body))
    res.status(201).json({ group: presentGroup(group, user, metadata) })
  })

  router.put('/:id/members/:userId', async (req, res) => {
    const user = currentUser(req)
    const { role } = parseBody(groupRoleBody, req.body)
    const { id, userId } = memberRoute(req.params)
    const group = await memberships.setGroupRole(user, id, userId, role)
    res.json({ group: presentGroup(group, user, metadata) })
  })

  router.delete('/:id/members/:userId', async (req, res) => {
    const { id, userId } = memberRoute(req.params)
    await memberships.removeFromGroup(currentUser(req), id, userId)
    res.status(204).end()
  })

  return router
}
