/**
 * The typed errors of the server's use cases. They say what went wrong in the domain's words; `http/errors.ts`
 * alone maps them to statuses and the API's error shape, so that services, sync and auth know nothing of HTTP.
 */
export class DomainError extends Error {}

/** The request is malformed or breaks an input rule. */
export class ValidationError extends DomainError {}
/** No valid session. */
export class AuthenticationError extends DomainError {
  constructor(message = 'You are not logged in, or your session has ended.') {
    super(message)
  }
}
/** The user may not do this. */
export class AuthorizationError extends DomainError {
  constructor(message = 'You are not allowed to do this.') {
    super(message)
  }
}
/** No such thing, or one the user may not see. */
export class NotFoundError extends DomainError {
  constructor(message = 'Not found.') {
    super(message)
  }
}
/** Not allowed in the present state; `code` names the conflict for clients that react to it. */
export class ConflictError extends DomainError {
  constructor(
    message: string,
    readonly code = 'conflict',
  ) {
    super(message)
  }
}
export class TooManyRequestsError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message)
  }
}
/** The server cannot do it right now (storage in doubt, disk full). */
export class UnavailableError extends DomainError {}
