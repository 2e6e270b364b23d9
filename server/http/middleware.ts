/** Cross-cutting request handling: request ids, the Origin check and the session. */
import { randomUUID } from 'node:crypto'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { type ResolvedSession, type SessionService, sessionToken } from '../auth/sessions.ts'
import { type Config, isOwnOrigin } from '../config.ts'
import { AuthenticationError, AuthorizationError } from '../errors.ts'

declare global {
  namespace Express {
    interface Request {
      id: string
      auth?: ResolvedSession
    }
  }
}

export function requestId(): RequestHandler {
  return (req, res, next) => {
    req.id = randomUUID()
    res.setHeader('X-Request-Id', req.id)
    next()
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** A state-changing request whose Origin is present and foreign is refused (API.md "Conventions"). */
export function originCheck(config: Config): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next()
    if (!isOwnOrigin(req.headers.origin, req.socket, config))
      return next(new AuthorizationError('Requests from another site are not accepted.'))
    next()
  }
}

/**
 * Attaches the session, if any; `requireUser` then refuses requests without one. `refreshOnMiss` (a cluster node):
 * a cookie not known here may belong to a session another node created a moment ago.
 */
export function attachSession(sessions: SessionService, refreshOnMiss?: () => Promise<void>): RequestHandler {
  return (req, _res, next) => {
    const token = sessionToken(req.headers.cookie)
    const resolved = sessions.resolve(token)
    if (resolved || !token || !refreshOnMiss) {
      if (resolved) req.auth = resolved
      return next()
    }
    refreshOnMiss().then(() => {
      const again = sessions.resolve(token)
      if (again) req.auth = again
      next()
    }, next)
  }
}

export function requireUser(req: Request, _res: Response, next: NextFunction): void {
  next(req.auth ? undefined : new AuthenticationError())
}

/** The authenticated user of a request that passed `requireUser`. */
export function currentUser(req: Request): ResolvedSession['user'] {
  if (!req.auth) throw new AuthenticationError()
  return req.auth.user
}
