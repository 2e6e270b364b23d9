/** API.md "Versions and import" (named versions) and docs/API.md "Versions": save, list, read, compare, restore. */
import { Router } from 'express'
import { NOW, saveVersionBody } from '../../../shared/api/versions.ts'
import type { AppContext } from '../../context.ts'
import { ValidationError } from '../../errors.ts'
import { requireUser } from '../middleware.ts'
import { routeDeliverable } from '../routeDeliverable.ts'
import { parseBody, routeId } from '../validation.ts'

/** A version id named in the query; `now` too where the present document may stand in for one. */
function versionParam(value: unknown, name: string, nowAllowed: boolean): string {
  if (typeof value !== 'string' || value === '')
    throw new ValidationError(`${name}: name a version id${nowAllowed ? ' or "now"' : ''}.`)
  if (nowAllowed && value === NOW) return value
  return routeId(value)
}

export function versionRoutes(ctx: AppContext): Router {
  const router = Router({ mergeParams: true })
  router.use(requireUser)

  router.post('/:id/versions', async (req, res) => {
    const { user, deliverable } = routeDeliverable(req, ctx.deliverables)
    const { name } = parseBody(saveVersionBody, req.body)
    res.status(201).json({ version: await ctx.versions.save(deliverable, user, name) })
  })

  router.get('/:id/versions', async (req, res) => {
    const { deliverable } = routeDeliverable(req, ctx.deliverables)
    res.json(await ctx.versions.list(deliverable.id))
  })

  router.get('/:id/versions/:versionId', async (req, res) => {
    const { deliverable } = routeDeliverable(req, ctx.deliverables)
    res.json({ version: await ctx.versions.detail(deliverable.id, routeId(req.params.versionId)) })
  })

  router.post('/:id/versions/:versionId/restore', async (req, res) => {
    const { user, deliverable } = routeDeliverable(req, ctx.deliverables)
    res.json(await ctx.versions.restore(deliverable, user, routeId(req.params.versionId)))
  })

  router.get('/:id/compare', async (req, res) => {
    const { deliverable } = routeDeliverable(req, ctx.deliverables)
    const from = versionParam(req.query.from, 'from', false)
    const to = versionParam(req.query.to ?? NOW, 'to', true)
    res.json({ comparison: await ctx.versions.compare(deliverable.id, from, to) })
  })

  return router
}
