/**
 * Login attempts are limited so that guessing passwords is slow, without letting a guesser lock the rightful
 * user out (limits configurable):
 * - per address, over all accounts: one attacker's pace;
 * - per account and address: a guesser spends only their own pair, so the user, from another address, still
 *   logs in;
 * - per account, over all addresses: a slower ceiling against guessing from many addresses at once.
 * Every attempt counts before the password is checked, so parallel guesses cannot overtake the count; a
 * success takes its attempt back from the account's counts.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import { TooManyRequestsError } from '../errors.ts'

export interface LoginLimits {
  perAddress: number
  /** Per account from one address. */
  perAccount: number
  /** Per account from all addresses together. */
  perAccountGlobal: number
  windowSeconds: number
}

export class LoginLimiter {
  private readonly byAddress: RateLimiterMemory
  private readonly byAccountFromAddress: RateLimiterMemory
  private readonly byAccount: RateLimiterMemory

  constructor(limits: LoginLimits) {
    const duration = limits.windowSeconds
    this.byAddress = new RateLimiterMemory({ points: limits.perAddress, duration })
    this.byAccountFromAddress = new RateLimiterMemory({ points: limits.perAccount, duration })
    this.byAccount = new RateLimiterMemory({ points: limits.perAccountGlobal, duration })
  }

  /** Counts one attempt; throws TooManyRequestsError once any limit is spent. */
  async attempt(email: string, address: string): Promise<void> {
    const account = accountKey(email)
    // One at a time, stopping at the first refusal: attempts an address may no longer make add nothing to the
    // account's ceiling, so that a single address cannot spend it and lock the account.
    await consume(this.byAddress, address)
    await consume(this.byAccountFromAddress, pairKey(account, address))
    await consume(this.byAccount, account)
  }

  async succeeded(email: string, address: string): Promise<void> {
    const account = accountKey(email)
    await this.byAccountFromAddress.delete(pairKey(account, address))
    // Only this attempt is taken back: a reset would hand guessers from many addresses a fresh ceiling each
    // time the user logs in.
    await this.byAccount.reward(account, 1)
  }
}

const accountKey = (email: string) => email.toLowerCase()
const pairKey = (account: string, address: string) => JSON.stringify([account, address])

async function consume(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key)
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))
      throw new TooManyRequestsError(`Too many login attempts. Try again in ${seconds} seconds.`, seconds)
    }
    throw rejection
  }
}
