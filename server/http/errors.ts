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
import { DocumentStorageMissingError } from '../sync/documentHub.ts'

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

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof TooManyRequestsError) res.setHeader('Retry-After', String(error.retryAfterSeconds))
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
    // body-parser's own errors: malformed JSON, too large.
    const status = typeof error?.status === 'number' ? error.status : 500
    if (status === 400 && error?.type === 'entity.parse.failed') {
      res
        .status(400)
        .json({ error: { code: 'invalid_json', message: 'The request body is not valid JSON.' } })
      return
    }
    if (status === 400) {
      res
        .status(400)
        .json({ error: { code: 'invalid_request', message: 'The address or request is not valid.' } })
      return
    }
    if (status === 413) {
      res
        .status(413)
        .json({ error: { code: 'payload_too_large', message: 'The request body is too large.' } })
      return
    }
    if (status === 415) {
      res
        .status(415)
        .json({ error: { code: 'unsupported_media_type', message: 'Send JSON (application/json).' } })
      return
    }
    logger.error({ err: error, reqId: req.id }, 'unhandled error')
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on the server.' } })
  }
}
