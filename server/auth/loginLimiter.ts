/**
 * Login attempts are limited per account and per address (limits configurable), so that guessing passwords is
 * slow for one account and for one attacker. A success clears the account's count.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import { TooManyRequestsError } from '../http/errors.ts'

export interface LoginLimits {
  perAccount: number
  perAddress: number
  windowSeconds: number
}

export class LoginLimiter {
  private readonly byAccount: RateLimiterMemory
  private readonly byAddress: RateLimiterMemory

  constructor(limits: LoginLimits) {
    this.byAccount = new RateLimiterMemory({ points: limits.perAccount, duration: limits.windowSeconds })
    this.byAddress = new RateLimiterMemory({ points: limits.perAddress, duration: limits.windowSeconds })
  }

  /** Counts one attempt; throws TooManyRequestsError once either limit is spent. */
  async attempt(email: string, address: string): Promise<void> {
    try {
      await Promise.all([this.byAccount.consume(email.toLowerCase()), this.byAddress.consume(address)])
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))
        throw new TooManyRequestsError(`Too many login attempts. Try again in ${seconds} seconds.`, seconds)
      }
      throw rejection
    }
  }

  async succeeded(email: string): Promise<void> {
    await this.byAccount.delete(email.toLowerCase())
  }
}
