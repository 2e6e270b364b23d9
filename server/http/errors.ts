/** The one handler that maps the server's typed errors (server/errors.ts) to statuses and the API's error shape. */
import type { ErrorRequestHandler } from 'express'
import type { Logger } from 'pino'
import {
  AuthenticationError,
  AuthorizationError,
  ConflictError,
  DomainError,
  NotFoundError,
  TooManyRequestsError,
  UnavailableError,
  ValidationError,
} from '../errors.ts'
import { StorageError } from '../storage/errors.ts'
import { MetadataUnreadableError } from '../storage/metadataStore.ts'
import { DocumentHeldElsewhereError, DocumentStorageMissingError } from '../sync/documentHub.ts'

/** Each domain error's status and code in the API (API.md "Conventions"). */
function statusOf(error: DomainError): { status: number; code: string } {
  if (error instanceof ValidationError) return { status: 400, code: 'invalid_request' }
  if (error instanceof AuthenticationError) return { status: 401, code: 'unauthenticated' }
  if (error instanceof AuthorizationError) return { status: 403, code: 'forbidden' }
  if (error instanceof NotFoundError) return { status: 404, code: 'not_found' }
  if (error instanceof ConflictError) return { status: 409, code: error.code }
  if (error instanceof TooManyRequestsError) return { status: 429, code: 'too_many_requests' }
  if (error instanceof UnavailableError) return { status: 503, code: 'unavailable' }
  return { status: 500, code: 'internal' }
}

/** What Express and body-parser raise with a status of their own: a malformed address or body, too large, not JSON. */
const FRAMEWORK_ERRORS: Record<number, { code: string; message: string }> = {
  400: { code: 'invalid_request', message: 'The address or request is not valid.' },
  413: { code: 'payload_too_large', message: 'The request body is too large.' },
  415: { code: 'unsupported_media_type', message: 'Send JSON (application/json).' },
}

function frameworkError(error: unknown): { status: number; code: string; message: string } | undefined {
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown }
  if (typeof status !== 'number') return undefined
  if (status === 400 && type === 'entity.parse.failed')
    return { status, code: 'invalid_json', message: 'The request body is not valid JSON.' }
  const known = FRAMEWORK_ERRORS[status]
  return known && { status, ...known }
}

export const MOVING = 'This document is moving to another server. Try again in a moment.'

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof TooManyRequestsError) res.setHeader('Retry-After', String(error.retryAfterSeconds))
    // A cluster node asked for a document another node holds (moving between owners): retry shortly.
    if (error instanceof DocumentHeldElsewhereError) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.validForMs / 1000))))
      res.status(503).json({ error: { code: 'document_moving', message: MOVING } })
      return
    }
    if (error instanceof DomainError) {
      const { status, code } = statusOf(error)
      res.status(status).json({ error: { code, message: error.message } })
      return
    }
    // Unreadable or unwritable storage: say so plainly; the files are left as they are.
    if (
      error instanceof StorageError ||
      error instanceof DocumentStorageMissingError ||
      error instanceof MetadataUnreadableError
    ) {
      logger.error({ err: error, reqId: req.id }, 'storage error')
      res.status(503).json({ error: { code: 'storage_unavailable', message: error.message } })
      return
    }
    const framework = frameworkError(error)
    if (framework) {
      res.status(framework.status).json({ error: { code: framework.code, message: framework.message } })
      return
    }
    logger.error({ err: error, reqId: req.id }, 'unhandled error')
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on the server.' } })
  }
}
