/**
 * Server-side, revocable sessions. The cookie carries a random token; the store keeps only its SHA-256, so the
 * metadata file alone yields no live session. Revocation is announced so that live sockets close at once.
 */
import { createHash, randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { parse as parseCookies } from 'cookie'
import type { MetadataStore, StoredSession, StoredUser } from '../storage/metadataStore.ts'

export const SESSION_COOKIE = 'accord_session'

/** The session token of a Cookie header (HTTP requests and WebSocket upgrades alike). */
export function sessionToken(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined
  return parseCookies(cookieHeader)[SESSION_COOKIE]
}
const SESSION_DAYS = 30

export interface ResolvedSession {
  session: StoredSession
  user: StoredUser
}

export interface SessionEvents {
  /** A session ended (logout, user removed): its sockets must close. */
  revoked: [sessionIds: string[]]
}

const digest = (token: string) => createHash('sha256').update(token).digest('base64url')

export class SessionService extends EventEmitter<SessionEvents> {
  constructor(private readonly store: MetadataStore) {
    super()
  }

  /** Creates a new session (never reuses one: no session fixation) and returns the cookie token. */
  async create(userId: string): Promise<{ token: string; session: StoredSession }> {
    const token = randomBytes(32).toString('base64url')
    const now = new Date()
    const session: StoredSession = {
      id: digest(token),
      userId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString(),
    }
    await this.store.update((data) => {
      data.sessions = data.sessions.filter((s) => Date.parse(s.expiresAt) > now.getTime())
      data.sessions.push(session)
    })
    return { token, session }
  }

  resolve(token: string | undefined): ResolvedSession | null {
    if (!token || token.length > 200) return null
    const id = digest(token)
    const session = this.store.data.sessions.find((s) => s.id === id)
    if (!session || Date.parse(session.expiresAt) <= Date.now()) return null
    const user = this.store.user(session.userId)
    return user ? { session, user } : null
  }

  /** True while the session exists and its user is active: checked again on live sockets. */
  isLive(sessionId: string): boolean {
    const session = this.store.data.sessions.find((s) => s.id === sessionId)
    return !!session && Date.parse(session.expiresAt) > Date.now() && !!this.store.user(session.userId)
  }

  async revoke(sessionId: string): Promise<void> {
    await this.store.update((data) => {
      data.sessions = data.sessions.filter((s) => s.id !== sessionId)
    })
    this.emit('revoked', [sessionId])
  }

  async revokeAllOf(userId: string): Promise<void> {
    const ids = await this.store.update((data) => {
      const ended = data.sessions.filter((s) => s.userId === userId).map((s) => s.id)
      data.sessions = data.sessions.filter((s) => s.userId !== userId)
      return ended
    })
    this.emit('revoked', ids)
  }
}
