/** The HTTP API router: middleware in order, then the routes, then 404 and the error handler. */
import express, { Router } from 'express'
import type { AppContext } from '../context.ts'
import { NotFoundError, UnavailableError } from '../errors.ts'
import { attachSession, originCheck } from './middleware.ts'
import { accountRoutes } from './routes/accounts.ts'
import { annotationRoutes } from './routes/annotations.ts'
import { consensusRoutes } from './routes/consensus.ts'
import { deliverableRoutes } from './routes/deliverables.ts'
import { exportRoutes } from './routes/export.ts'
import { groupRoutes } from './routes/groups.ts'
import { importRoutes } from './routes/import.ts'
import { meetingRoutes } from './routes/meetings.ts'
import { versionRoutes } from './routes/versions.ts'

export function apiRouter(ctx: AppContext): Router {
  const api = Router()
  const unreadable = ctx.metadata.unreadable
  // ok: this process serves; the node and what it depends on are reported beside it (docs/API.md).
  api.get('/health', async (_req, res) => {
    const report = await ctx.health()
    if (unreadable)
      res
        .status(503)
        .json({ ok: false, error: { code: 'storage_unavailable', message: unreadable }, ...report })
    else res.json({ ok: true, ...report })
  })
  // Unreadable metadata: the server stays up to say so, but serves nothing that could act on empty data
  // (a second first-run setup, for one) and never writes the file.
  if (unreadable)
    api.use(() => {
      throw new UnavailableError(unreadable)
    })
  api.use(originCheck(ctx.config))
  api.use(express.json({ limit: '1mb' }))
  api.use(attachSession(ctx.sessions, ctx.refreshOnMiss))
  api.use('/', accountRoutes(ctx))
  api.use('/groups', groupRoutes(ctx))
  api.use('/deliverables', importRoutes(ctx))
  api.use('/deliverables', exportRoutes(ctx))
  api.use('/deliverables', consensusRoutes(ctx))
  api.use('/deliverables', deliverableRoutes(ctx))
  api.use('/meetings', meetingRoutes(ctx))
  api.use('/deliverables', annotationRoutes(ctx))
  api.use('/deliverables', versionRoutes(ctx))
  api.use(() => {
    throw new NotFoundError('No such API route.')
  })
  return api
}
