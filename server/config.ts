/** The process's settings, from the environment (API.md "Process"), with defaults for an embedded start. */
import os from 'node:os'
import path from 'node:path'
import { DEFAULT_MAX_UPDATE_STRUCTS } from './sync/checks/limits.ts'

export interface Config {
  port: number
  host: string
  dataDir: string
  /** DATABASE_URL: keep durable state in PostgreSQL instead of files under dataDir (docs/STORAGE.md). */
  databaseUrl: string | undefined
  /**
   * REDIS_URL: run as one node of a cluster (docs/CLUSTER.md): messages between nodes go through this Redis, and
   * every document has one owner node (a lease in PostgreSQL). Needs DATABASE_URL.
   */
  redisUrl: string | undefined
  /** NODE_ID: this node's name in the cluster (leases, logs, /api/health); the host name when unset. */
  nodeId: string
  /** NODE_URL: where the other nodes reach this one directly (requests for a document it owns). */
  nodeUrl: string | undefined
  /** How long a document's lease lasts without renewal; a dead owner's documents move after this. */
  leaseMs: number
  setupToken: string | undefined
  /** Origins (PUBLIC_ORIGIN) accepted besides the address we listen at, e.g. a reverse proxy's https origin. */
  publicOrigins: string[]
  /** Express's `trust proxy` (TRUST_PROXY); false: X-Forwarded-For is ignored, a request's address is the socket's. */
  trustProxy: TrustProxy
  cookieSecure: boolean
  /** Login attempts per account from one address. */
  loginLimitPerAccount: number
  /** Login attempts per account from all addresses together: only many addresses reach it. */
  loginLimitPerAccountGlobal: number
  loginLimitPerAddress: number
  loginLimitWindowSeconds: number
  /** Sync connections one session may open per window (a reconnect loop is refused with 429). */
  syncConnectionsPerSession: number
  syncConnectionsWindowSeconds: number
  maxSyncMessageBytes: number
  /** Structs in one update (each costs about 10 µs to check and apply): bounds one message's stall. */
  maxUpdateStructs: number
  maxAwarenessMessageBytes: number
  /** Compact a document's log into a snapshot after this many appended bytes. */
  compactAfterBytes: number
  /** Keep a document in memory this long after its last client leaves. */
  unloadAfterMs: number
  scryptCost: number
  clientDir: string
  logLevel: string
}

/** What Express's `trust proxy` setting takes: a boolean, a hop count, or names/addresses/CIDRs (comma-separated). */
export type TrustProxy = boolean | number | string

function intFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const parsed = Number.parseInt(value, 10)
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new Error(`Expected a non-negative integer, got "${value}"`)
  return parsed
}

/**
 * Unset, X-Forwarded-For is ignored: otherwise any client could name the address the login limit counts.
 * Behind a reverse proxy, name the proxy (`loopback`, `10.0.0.2`, `10.0.0.0/8, fd00::/8`) or a hop count (`1`).
 */
function trustProxyFrom(value: string | undefined): TrustProxy {
  const text = value?.trim() ?? ''
  if (text === '' || text === 'false') return false
  if (text === 'true') return true
  if (/^\d+$/.test(text)) return Number(text)
  return text
}

/** PUBLIC_ORIGIN entries in the form browsers send (`https://accord.example.org`, no path or trailing slash). */
function originsFrom(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((text) => {
      const url = URL.canParse(text) ? new URL(text) : undefined
      if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
        throw new Error(`PUBLIC_ORIGIN: expected origins such as https://accord.example.org, got "${text}"`)
      return url.origin
    })
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const port = intFrom(env.PORT, 8080)
  const host = env.HOST || '127.0.0.1'
  const config: Config = {
    port,
    host,
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    nodeId: env.NODE_ID || os.hostname(),
    nodeUrl: env.NODE_URL || undefined,
    leaseMs: intFrom(env.LEASE_MS, 10_000),
    setupToken: env.SETUP_TOKEN || undefined,
    publicOrigins: originsFrom(env.PUBLIC_ORIGIN),
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    cookieSecure: env.COOKIE_SECURE === 'true',
    loginLimitPerAccount: intFrom(env.LOGIN_LIMIT_PER_ACCOUNT, 10),
    loginLimitPerAccountGlobal: intFrom(env.LOGIN_LIMIT_PER_ACCOUNT_GLOBAL, 100),
    loginLimitPerAddress: intFrom(env.LOGIN_LIMIT_PER_ADDRESS, 100),
    loginLimitWindowSeconds: intFrom(env.LOGIN_LIMIT_WINDOW_SECONDS, 15 * 60),
    syncConnectionsPerSession: intFrom(env.SYNC_CONNECTIONS_PER_SESSION, 30),
    syncConnectionsWindowSeconds: intFrom(env.SYNC_CONNECTIONS_WINDOW_SECONDS, 10),
    maxSyncMessageBytes: intFrom(env.MAX_SYNC_MESSAGE_BYTES, 8 * 1024 * 1024),
    maxUpdateStructs: intFrom(env.MAX_UPDATE_STRUCTS, DEFAULT_MAX_UPDATE_STRUCTS),
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

/** The connection a request arrived on, as the socket knows it (never as the client's headers claim). */
export interface LocalEndpoint {
  localAddress?: string | undefined
  localPort?: number | undefined
}

/**
 * Same-origin check for state-changing requests and upgrades (API.md "Conventions"): an Origin header, when
 * present, must be one of PUBLIC_ORIGIN or the address we listen at. The Host header is not consulted: the
 * client writes it, so a page reached through DNS rebinding (Origin and Host both `http://evil.example:8080`)
 * would pass.
 */
export function isOwnOrigin(origin: string | undefined, connection: LocalEndpoint, config: Config): boolean {
  if (origin === undefined) return true
  return config.publicOrigins.includes(origin) || listeningOrigins(connection, config).includes(origin)
}

const ALL_INTERFACES = new Set(['0.0.0.0', '::'])
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost'])

/**
 * The origins of this listener, reached directly: HOST, the address the connection reached (which is what a
 * browser names when HOST is all interfaces), and localhost when we listen on loopback. The port is the
 * connection's own, so it is the bound one even when PORT is 0.
 */
function listeningOrigins({ localAddress, localPort }: LocalEndpoint, config: Config): string[] {
  if (localPort === undefined) return []
  const hosts: string[] = []
  const allInterfaces = ALL_INTERFACES.has(config.host)
  if (!allInterfaces) hosts.push(config.host)
  if (localAddress) hosts.push(localAddress.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, ''))
  if (allInterfaces || LOOPBACK_HOSTS.has(config.host)) hosts.push('localhost')
  return hosts.flatMap((host) => {
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${localPort}`
    // An address that makes no URL (an IPv6 zone id) is no origin a browser could send.
    return URL.canParse(url) ? [new URL(url).origin] : []
  })
}
