/**
 * Use cases on accounts (API.md "Accounts"): the first administrator, logging in and out, and the users that
 * administrators create and remove. Sessions end through the session service, which closes their live sockets.
 */
import { timingSafeEqual } from 'node:crypto'
import type { CreateUserBody, LoginBody, SetupBody } from '../../shared/api/accounts.ts'
import { newId } from '../../shared/domain/ids.ts'
import { mayGlobally } from '../../shared/domain/policy.ts'
import type { User } from '../../shared/domain/types.ts'
import type { LoginLimiter } from '../auth/loginLimiter.ts'
import { dummyHash, hashPassword, verifyPassword } from '../auth/passwords.ts'
import type { SessionService } from '../auth/sessions.ts'
import { AuthenticationError, AuthorizationError, ConflictError, NotFoundError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import type { MetadataStore, StoredUser } from '../storage/metadataStore.ts'

export interface AccountSettings {
  /** The first-run setup token. */
  setupToken: string
  /** scrypt's cost for new password hashes. */
  passwordCost: number
}

/** A user with a fresh session, whose token the caller hands to the browser. */
export interface SignedIn {
  user: StoredUser
  token: string
}

/** Compares in constant time, so that the answer's timing does not reveal how much of a guess was right. */
function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

export class AccountService {
  /** A hash to check unknown e-mails against, so that timing does not reveal which accounts exist. */
  private timingDecoy: Promise<string> | undefined

  constructor(
    private readonly metadata: MetadataStore,
    private readonly sessions: SessionService,
    private readonly loginLimiter: LoginLimiter,
    private readonly logger: Logger,
    private readonly settings: AccountSettings,
  ) {}

  get setupNeeded(): boolean {
    return !this.metadata.data.setupCompleted
  }

  /** Creates the first administrator, signed in; refused once setup is done or with a wrong token. */
  async setUp(input: SetupBody): Promise<SignedIn> {
    if (!this.setupNeeded) throw new ConflictError('Setup is already done.', 'already_set_up')
    if (!sameSecret(input.token, this.settings.setupToken))
      throw new AuthorizationError('The setup token is not valid.')
    const user = await this.newUser({ ...input, admin: true })
    // Checked again inside the write: two setups racing past the first check must not both succeed.
    const created = await this.metadata.update((data) => {
      if (data.setupCompleted) return false
      data.setupCompleted = true
      data.users.push(user)
      return true
    })
    if (!created) throw new ConflictError('Setup is already done.', 'already_set_up')
    this.logger.info({ userId: user.id }, 'first administrator created')
    return this.signIn(user)
  }

  /**
   * Counts the attempt against the limits from `address`, checks the password and starts a fresh session; the
   * one presented with the request (if any) ends, so that a planted session cannot be carried into the login.
   */
  async logIn(credentials: LoginBody, address: string, presentedSessionId?: string): Promise<SignedIn> {
    await this.loginLimiter.attempt(credentials.email, address)
    const user = this.metadata.userByEmail(credentials.email)
    this.timingDecoy ??= dummyHash(this.settings.passwordCost)
    const valid = await verifyPassword(credentials.password, user?.passwordHash ?? (await this.timingDecoy))
    if (!user || !valid) throw new AuthenticationError('Wrong e-mail or password.')
    await this.loginLimiter.succeeded(credentials.email, address)
    if (presentedSessionId) await this.sessions.revoke(presentedSessionId)
    return this.signIn(user)
  }

  async logOut(sessionId: string | undefined): Promise<void> {
    if (sessionId) await this.sessions.revoke(sessionId)
  }

  /** Every active user: anyone signed in may list them, to add members. */
  activeUsers(): StoredUser[] {
    return this.metadata.data.users.filter((u) => !u.removed)
  }

  async createUser(actor: User, input: CreateUserBody): Promise<StoredUser> {
    if (!mayGlobally(actor, 'create-user')) throw new AuthorizationError('Only administrators create users.')
    const user = await this.newUser(input)
    const created = await this.metadata.update((data) => {
      if (data.users.some((u) => !u.removed && u.email.toLowerCase() === input.email.toLowerCase()))
        return false
      data.users.push(user)
      return true
    })
    if (!created) throw new ConflictError('A user with this e-mail already exists.', 'email_taken')
    return user
  }

  /** Marks the user removed (the decision record still names them) and ends every session of theirs. */
  async removeUser(actor: User, userId: string): Promise<void> {
    if (!mayGlobally(actor, 'remove-user')) throw new AuthorizationError('Only administrators remove users.')
    if (!this.metadata.user(userId)) throw new NotFoundError('No such user.')
    if (userId === actor.id) throw new ConflictError('You cannot remove yourself.')
    await this.metadata.update((data) => {
      const user = data.users.find((u) => u.id === userId)
      if (user) user.removed = true
    })
    await this.sessions.revokeAllOf(userId)
  }

  private async signIn(user: StoredUser): Promise<SignedIn> {
    const { token } = await this.sessions.create(user.id)
    return { user, token }
  }

  private async newUser(input: CreateUserBody): Promise<StoredUser> {
    return {
      id: newId(),
      email: input.email,
      name: input.name,
      organization: input.organization ?? '',
      admin: input.admin ?? false,
      passwordHash: await hashPassword(input.password, this.settings.passwordCost),
      createdAt: new Date().toISOString(),
      removed: false,
    }
  }
}
