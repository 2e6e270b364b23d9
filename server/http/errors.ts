/** Typed errors that travel to one handler (`errorHandler`), which maps them to the API's error shape. */
import type { ErrorRequestHandler } from 'express'
import type { Logger } from 'pino'
import { StorageError } from '../storage/errors.ts'
import { MetadataUnreadableError } from '../storage/metadataStore.ts'
import { DocumentStorageMissingError } from '../sync/documentHub.ts'

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export class ValidationError extends HttpError {
  constructor(message: string) {
    super(400, 'invalid_request', message)
  }
}
export class AuthenticationError extends HttpError {
  constructor(message = 'You are not logged in, or your session has ended.') {
    super(401, 'unauthenticated', message)
  }
}
export class AuthorizationError extends HttpError {
  constructor(message = 'You are not allowed to do this.') {
    super(403, 'forbidden', message)
  }
}
export class NotFoundError extends HttpError {
  constructor(message = 'Not found.') {
    super(404, 'not_found', message)
  }
}
export class ConflictError extends HttpError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message)
  }
}
export class TooManyRequestsError extends HttpError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'too_many_requests', message)
  }
}
export class PayloadTooLargeError extends HttpError {
  constructor(message: string) {
    super(413, 'payload_too_large', message)
  }
}
export class UnavailableError extends HttpError {
  constructor(message: string) {
    super(503, 'unavailable', message)
  }
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof TooManyRequestsError) res.setHeader('Retry-After', String(error.retryAfterSeconds))
    if (error instanceof HttpError) {
      res.status(error.status).json({ error: { code: error.code, message: error.message } })
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
