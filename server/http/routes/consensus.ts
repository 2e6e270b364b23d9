/** API.md "Consensus": actions on a section and its decision history. */
import { Router } from 'express'
import { sectionActionBody } from '../../../shared/api/consensus.ts'
import type { AppContext } from '../../context.ts'
import { NotFoundError } from '../../errors.ts'
import { clauseContributions, clauseSuggestions } from '../../meetings/clauseHistory.ts'
import { requireUser } from '../middleware.ts'
import { presentDecision } from '../presenters.ts'
import { routeDeliverable } from '../routeDeliverable.ts'
import { parseBody, routeId } from '../validation.ts'

export function consensusRoutes(ctx: AppContext): Router {
  const router = Router({ mergeParams: true })
  router.use(requireUser)

  router.post('/:id/sections/:sectionId/actions', async (req, res) => {
    const { user, deliverable } = routeDeliverable(req, ctx.deliverables)
    const sectionId = routeId(req.params.sectionId)
    // meetingId is accepted (API.md lists it) and dropped: the server decides which meeting an action is in.
    const { meetingId: _dropped, ...body } = parseBody(sectionActionBody, req.body)
    const section = await ctx.consensus.act(deliverable, user, { ...body, sectionId })
    res.json({ section })
  })

  router.get('/:id/sections/:sectionId/history', async (req, res) => {
    const { user, deliverable } = routeDeliverable(req, ctx.deliverables)
    const sectionId = routeId(req.params.sectionId)
    const events = await ctx.consensus.history(deliverable.id, sectionId)
    // A removed clause keeps its history; a section that never existed is not found.
    if (
      events.length === 0 &&
      !(await ctx.consensus.sections(deliverable.id)).some((s) => s.id === sectionId)
    )
      throw new NotFoundError('No such section in this deliverable.')
    // Beside the contract's `events`: what led to changes of the clause (docs/API.md).
    res.json({
      events: events.map(presentDecision),
      contributions: clauseContributions(ctx.meetings, user, deliverable, sectionId),
      suggestions: await clauseSuggestions(ctx.annotations, deliverable, sectionId),
    })
  })

  return router
}
