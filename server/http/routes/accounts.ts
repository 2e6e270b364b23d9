/** API.md "Accounts": first-run setup, login, logout, the current user, user administration. */
import type { Response } from 'express'
import { Router } from 'express'
import { createUserBody, loginBody, setupBody } from '../../../shared/api/accounts.ts'
import { SESSION_COOKIE } from '../../auth/sessions.ts'
import type { AppContext } from '../../context.ts'
import { currentUser, requireUser } from '../middleware.ts'
import { presentUser } from '../presenters.ts'
import { parseBody, routeId } from '../validation.ts'

const SESSION_MAX_AGE_MS = 30 * 86_400_000

export function accountRoutes(ctx: AppContext): Router {
  const router = Router()
  const { accounts } = ctx

  const setSessionCookie = (res: Response, token: string) => {
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.config.cookieSecure,
      path: '/',
      maxAge: SESSION_MAX_AGE_MS,
    })
  }

  router.get('/setup', (_req, res) => {
    res.json({ needed: accounts.setupNeeded })
  })

  router.post('/setup', async (req, res) => {
    const { user, token } = await accounts.setUp(parseBody(setupBody, req.body))
    setSessionCookie(res, token)
    res.status(201).json({ user: presentUser(user) })
  })

  router.post('/auth/login', async (req, res) => {
    const credentials = parseBody(loginBody, req.body)
    // The socket's address unless TRUST_PROXY names the proxy in front of us (Express then reads X-Forwarded-For).
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown'
    const { user, token } = await accounts.logIn(credentials, address, req.auth?.session.id)
    setSessionCookie(res, token)
    res.json({ user: presentUser(user) })
  })

  router.post('/auth/logout', async (req, res) => {
    await accounts.logOut(req.auth?.session.id)
    res.clearCookie(SESSION_COOKIE, { path: '/' })
    res.status(204).end()
  })

  router.get('/me', requireUser, (req, res) => {
    res.json({ user: presentUser(currentUser(req)) })
  })

  router.get('/users', requireUser, (_req, res) => {
    res.json({ users: accounts.activeUsers().map(presentUser) })
  })

  router.post('/users', requireUser, async (req, res) => {
    const user = await accounts.createUser(currentUser(req), parseBody(createUserBody, req.body))
    res.status(201).json({ user: presentUser(user) })
  })

  router.delete('/users/:id', requireUser, async (req, res) => {
    await accounts.removeUser(currentUser(req), routeId(req.params.id))
    res.status(204).end()
  })

  return router
}
