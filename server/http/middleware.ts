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

/** Attaches the session, if any; `requireUser` then refuses requests without one. */
export function attachSession(sessions: SessionService): RequestHandler {
  return (req, _res, next) => {
    const resolved = sessions.resolve(sessionToken(req.headers.cookie))
    if (resolved) req.auth = resolved
    next()
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
