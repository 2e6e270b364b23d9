/**
 * Sync connections are limited per session (limit configurable): a client that opens and drops sockets in a loop
 * is refused with 429 before any WebSocket work, so that the people in a meeting keep the server's time. Honest
 * clients open one socket per open deliverable and reconnect with a growing back-off, far below the limit.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'

export interface ConnectionLimits {
  perSession: number
  windowSeconds: number
}

export class ConnectionLimiter {
  private readonly bySession: RateLimiterMemory

  constructor(limits: ConnectionLimits) {
    this.bySession = new RateLimiterMemory({ points: limits.perSession, duration: limits.windowSeconds })
  }

  /** Counts one connection; resolves with null when allowed, or with the seconds to wait before the next. */
  async attempt(sessionId: string): Promise<number | null> {
    try {
      await this.bySession.consume(sessionId)
      return null
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))
      throw rejection
    }
  }
}
