/** API.md "Accounts": first-run setup, login, logout, the current user, user administration. */

import { timingSafeEqual } from 'node:crypto'
import type { Response } from 'express'
import { Router } from 'express'
import { newId } from '../../../shared/domain/ids.ts'
import { mayGlobally } from '../../../shared/domain/policy.ts'
import { dummyHash, hashPassword, verifyPassword } from '../../auth/passwords.ts'
import { SESSION_COOKIE, sessionToken } from '../../auth/sessions.ts'
import type { AppContext } from '../../context.ts'
import { AuthenticationError, AuthorizationError, ConflictError, NotFoundError } from '../../errors.ts'
import type { StoredUser } from '../../storage/metadataStore.ts'
import { currentUser, requireUser } from '../middleware.ts'
import { presentUser } from '../presenters.ts'
import { createUserBody, loginBody, setupBody } from '../schemas.ts'
import { parseBody, routeId } from '../validation.ts'

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

export function accountRoutes(ctx: AppContext): Router {
  const router = Router()
  const { metadata, sessions } = ctx
  let timingDecoy: Promise<string> | undefined

  const startSession = async (res: Response, user: StoredUser) => {
    const { token } = await sessions.create(user.id)
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.config.cookieSecure,
      path: '/',
      maxAge: 30 * 86_400_000,
    })
  }

  const newUser = async (input: {
    email: string
    name: string
    password: string
    organization?: string | undefined
    admin?: boolean | undefined
  }): Promise<StoredUser> => ({
    id: newId(),
    email: input.email,
    name: input.name,
    organization: input.organization ?? '',
    admin: input.admin ?? false,
    passwordHash: await hashPassword(input.password, ctx.passwordCost),
    createdAt: new Date().toISOString(),
    removed: false,
  })

  router.get('/setup', (_req, res) => {
    res.json({ needed: !metadata.data.setupCompleted })
  })

  router.post('/setup', async (req, res) => {
    const body = parseBody(setupBody, req.body)
    if (metadata.data.setupCompleted) throw new ConflictError('Setup is already done.', 'already_set_up')
    if (!sameToken(body.token, ctx.setupToken)) throw new AuthorizationError('The setup token is not valid.')
    const user = await newUser({ ...body, admin: true })
    const created = await metadata.update((data) => {
      if (data.setupCompleted) return false
      data.setupCompleted = true
      data.users.push(user)
      return true
    })
    if (!created) throw new ConflictError('Setup is already done.', 'already_set_up')
    ctx.logger.info({ userId: user.id }, 'first administrator created')
    await startSession(res, user)
    res.status(201).json({ user: presentUser(user) })
  })

  router.post('/auth/login', async (req, res) => {
    const body = parseBody(loginBody, req.body)
    // The socket's address unless TRUST_PROXY names the proxy in front of us (Express then reads X-Forwarded-For).
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown'
    await ctx.loginLimiter.attempt(body.email, address)
    const user = metadata.userByEmail(body.email)
    timingDecoy ??= dummyHash(ctx.passwordCost)
    const valid = await verifyPassword(body.password, user?.passwordHash ?? (await timingDecoy))
    if (!user || !valid) throw new AuthenticationError('Wrong e-mail or password.')
    await ctx.loginLimiter.succeeded(body.email, address)
    // A fresh session on every login, and the one presented (if any) ends: no session fixation.
    if (req.auth) await sessions.revoke(req.auth.session.id)
    await startSession(res, user)
    res.json({ user: presentUser(user) })
  })

  router.post('/auth/logout', async (req, res) => {
    const resolved = req.auth ?? sessions.resolve(sessionToken(req.headers.cookie))
    if (resolved) await sessions.revoke(resolved.session.id)
    res.clearCookie(SESSION_COOKIE, { path: '/' })
    res.status(204).end()
  })

  router.get('/me', requireUser, (req, res) => {
    res.json({ user: presentUser(currentUser(req)) })
  })

  router.get('/users', requireUser, (_req, res) => {
    res.json({ users: metadata.data.users.filter((u) => !u.removed).map(presentUser) })
  })

  router.post('/users', requireUser, async (req, res) => {
    if (!mayGlobally(currentUser(req), 'create-user'))
      throw new AuthorizationError('Only administrators create users.')
    const body = parseBody(createUserBody, req.body)
    const user = await newUser(body)
    const created = await metadata.update((data) => {
      if (data.users.some((u) => !u.removed && u.email.toLowerCase() === body.email.toLowerCase()))
        return false
      data.users.push(user)
      return true
    })
    if (!created) throw new ConflictError('A user with this e-mail already exists.', 'email_taken')
    res.status(201).json({ user: presentUser(user) })
  })

  router.delete('/users/:id', requireUser, async (req, res) => {
    const actor = currentUser(req)
    if (!mayGlobally(actor, 'create-user')) throw new AuthorizationError('Only administrators remove users.')
    const id = routeId(req.params.id)
    if (!metadata.user(id)) throw new NotFoundError('No such user.')
    if (id === actor.id) throw new ConflictError('You cannot remove yourself.')
    await metadata.update((data) => {
      const user = data.users.find((u) => u.id === id)
      if (user) user.removed = true
    })
    await sessions.revokeAllOf(id)
    res.status(204).end()
  })

  return router
}
