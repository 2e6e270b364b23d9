/** The process's settings, from the environment (API.md "Process"), with defaults for an embedded start. */
import path from 'node:path'

export interface Config {
  port: number
  host: string
  dataDir: string
  setupToken: string | undefined
  /** The origin browsers use to reach us; derived from host and port unless PUBLIC_ORIGIN is set. */
  publicOrigins: string[]
  production: boolean
  cookieSecure: boolean
  loginLimitPerAccount: number
  loginLimitPerAddress: number
  loginLimitWindowSeconds: number
  /** Sync connections one session may open per window (a reconnect loop is refused with 429). */
  syncConnectionsPerSession: number
  syncConnectionsWindowSeconds: number
  maxSyncMessageBytes: number
  maxAwarenessMessageBytes: number
  /** Compact a document's log into a snapshot after this many appended bytes. */
  compactAfterBytes: number
  /** Keep a document in memory this long after its last client leaves. */
  unloadAfterMs: number
  scryptCost: number
  clientDir: string
  logLevel: string
}

function intFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const parsed = Number.parseInt(value, 10)
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new Error(`Expected a non-negative integer, got "${value}"`)
  return parsed
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const port = intFrom(env.PORT, 8080)
  const host = env.HOST || '127.0.0.1'
  const origins = (env.PUBLIC_ORIGIN ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
  const config: Config = {
    port,
    host,
    dataDir: path.resolve(env.DATA_DIR || './data'),
    setupToken: env.SETUP_TOKEN || undefined,
    publicOrigins: origins,
    production: env.NODE_ENV !== 'development',
    cookieSecure: env.COOKIE_SECURE === 'true',
    loginLimitPerAccount: intFrom(env.LOGIN_LIMIT_PER_ACCOUNT, 10),
    loginLimitPerAddress: intFrom(env.LOGIN_LIMIT_PER_ADDRESS, 100),
    loginLimitWindowSeconds: intFrom(env.LOGIN_LIMIT_WINDOW_SECONDS, 15 * 60),
    syncConnectionsPerSession: intFrom(env.SYNC_CONNECTIONS_PER_SESSION, 30),
    syncConnectionsWindowSeconds: intFrom(env.SYNC_CONNECTIONS_WINDOW_SECONDS, 10),
    maxSyncMessageBytes: intFrom(env.MAX_SYNC_MESSAGE_BYTES, 8 * 1024 * 1024),
    maxAwarenessMessageBytes: intFrom(env.MAX_AWARENESS_MESSAGE_BYTES, 16 * 1024),
    compactAfterBytes: intFrom(env.COMPACT_AFTER_BYTES, 4 * 1024 * 1024),
    unloadAfterMs: intFrom(env.UNLOAD_AFTER_MS, 30_000),
    scryptCost: intFrom(env.SCRYPT_COST, 2 ** 15),
    clientDir: path.resolve(env.CLIENT_DIR || 'dist/client'),
    logLevel: env.LOG_LEVEL || 'info',
    ...overrides,
  }
  return config
}

/**
 * Same-origin check for state-changing requests and upgrades (API.md "Conventions"): an Origin header, when
 * present, must name the host the request was sent to (or one of PUBLIC_ORIGIN, behind a proxy).
 */
export function isOwnOrigin(
  origin: string | undefined,
  hostHeader: string | undefined,
  config: Config,
): boolean {
  if (origin === undefined) return true
  if (config.publicOrigins.includes(origin)) return true
  try {
    const url = new URL(origin)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === hostHeader
  } catch {
    return false
  }
}
