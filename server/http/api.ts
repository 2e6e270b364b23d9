/** The HTTP API router: middleware in order, then the routes, then 404 and the error handler. */
import express, { Router } from 'express'
import type { AppContext } from '../context.ts'
import { NotFoundError } from './errors.ts'
import { attachSession, originCheck } from './middleware.ts'
import { accountRoutes } from './routes/accounts.ts'
import { consensusRoutes } from './routes/consensus.ts'
import { deliverableRoutes } from './routes/deliverables.ts'
import { groupRoutes } from './routes/groups.ts'

export function apiRouter(ctx: AppContext): Router {
  const api = Router()
  api.get('/health', (_req, res) => {
    res.json({ ok: true })
  })
  api.use(originCheck(ctx.config))
  api.use(express.json({ limit: '1mb' }))
  api.use(attachSession(ctx.sessions))
  api.use('/', accountRoutes(ctx))
  api.use('/groups', groupRoutes(ctx))
  api.use('/deliverables', consensusRoutes(ctx))
  api.use('/deliverables', deliverableRoutes(ctx))
  api.use(() => {
    throw new NotFoundError('No such API route.')
  })
  return api
}
