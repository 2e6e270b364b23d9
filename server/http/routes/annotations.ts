/** API.md "Comments and suggestions", and the rest of what docs/API.md documents for them. */
import { type Request, Router } from 'express'
import { z } from 'zod'
import {
  editCommentBody,
  newCommentBody,
  newSuggestionBody,
  revisedSuggestionBody,
} from '../../../shared/api/annotations.ts'
import { fields } from '../../../shared/api/fields.ts'
import type { AppContext } from '../../context.ts'
import type { SuggestionDecision } from '../../domain/annotationService.ts'
import { sendJsonIfChanged } from '../conditionalJson.ts'
import { requireUser } from '../middleware.ts'
import { routeDeliverable } from '../routeDeliverable.ts'
import { parseBody, routeId } from '../validation.ts'

/** `accept` may reopen an agreed section in the same step (chairs): both are recorded. */
const reopenNote = fields.note.min(1, 'must not be empty').optional()
const acceptBody = z.object({ reopenNote })
const decideAllBody = z.object({ sectionId: fields.id, reopenNote })

export function annotationRoutes(ctx: AppContext): Router {
  const router = Router()
  const { annotations, deliverables } = ctx
  router.use(requireUser)

  /** The caller and the deliverable the route names, when the caller may see it (404 otherwise). */
  const caller = (req: Request) => routeDeliverable(req, deliverables)

  router.get('/:id/comments', async (req, res) => {
    sendJsonIfChanged(req, res, { comments: await annotations.comments(caller(req).deliverable) })
  })

  router.post('/:id/comments', async (req, res) => {
    const { user, deliverable } = caller(req)
    const comment = await annotations.addComment(deliverable, user, parseBody(newCommentBody, req.body))
    res.status(201).json({ comment })
  })

  router.patch('/:id/comments/:commentId', async (req, res) => {
    const { user, deliverable } = caller(req)
    const change = parseBody(editCommentBody, req.body)
    const comment = await annotations.editComment(deliverable, user, routeId(req.params.commentId), change)
    res.json({ comment })
  })

  router.delete('/:id/comments/:commentId', async (req, res) => {
    const { user, deliverable } = caller(req)
    const comment = await annotations.editComment(deliverable, user, routeId(req.params.commentId), 'delete')
    res.json({ comment })
  })

  for (const [verb, resolve] of [
    ['resolve', true],
    ['reopen', false],
  ] as const)
    router.post(`/:id/comments/:commentId/${verb}`, async (req, res) => {
      const { user, deliverable } = caller(req)
      const comment = await annotations.resolveComment(
        deliverable,
        user,
        routeId(req.params.commentId),
        resolve,
      )
      res.json({ comment })
    })

  router.get('/:id/suggestions', async (req, res) => {
    sendJsonIfChanged(req, res, { suggestions: await annotations.suggestions(caller(req).deliverable) })
  })

  router.post('/:id/suggestions', async (req, res) => {
    const { user, deliverable } = caller(req)
    const input = parseBody(newSuggestionBody, req.body)
    const suggestion = await annotations.addSuggestion(deliverable, user, input)
    res.status(201).json({ suggestion })
  })

  router.patch('/:id/suggestions/:suggestionId', async (req, res) => {
    const { user, deliverable } = caller(req)
    const input = parseBody(revisedSuggestionBody, req.body)
    const id = routeId(req.params.suggestionId)
    const suggestion = await annotations.reviseSuggestion(deliverable, user, id, input)
    res.json({ suggestion })
  })

  // Before `/:suggestionId/...`: a section's open suggestions all at once, accepted as one edit.
  for (const decision of ['accept', 'reject'] as const)
    router.post(`/:id/suggestions/${decision}-all`, async (req, res) => {
      const { user, deliverable } = caller(req)
      const { sectionId, reopenNote } = parseBody(decideAllBody, req.body)
      const options = decision === 'accept' ? { reopenNote } : {}
      res.json({ suggestions: await annotations.decideAll(deliverable, user, sectionId, decision, options) })
    })

  for (const decision of ['accept', 'reject', 'withdraw'] as const satisfies SuggestionDecision[])
    router.post(`/:id/suggestions/:suggestionId/${decision}`, async (req, res) => {
      const { user, deliverable } = caller(req)
      const options = decision === 'accept' ? parseBody(acceptBody, req.body) : {}
      const id = routeId(req.params.suggestionId)
      const suggestion = await annotations.decide(deliverable, user, id, decision, options)
      res.json({ suggestion })
    })

  router.get('/:id/mentionable', (req, res) => {
    const { user, deliverable } = caller(req)
    const users = annotations.mentionable(deliverable, user)
    res.json({ users: users.map(({ id, name, organization }) => ({ id, name, organization })) })
  })

  router.get('/:id/for-me', async (req, res) => {
    const { user, deliverable } = caller(req)
    res.json({ items: await annotations.forMe(deliverable, user) })
  })

  router.post('/:id/for-me/read', async (req, res) => {
    const { user, deliverable } = caller(req)
    res.json({ items: await annotations.markRead(deliverable, user) })
  })

  return router
}
