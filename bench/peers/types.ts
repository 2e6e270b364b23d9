/** The servers under test and what a load generator needs to reach one of their documents. */

/** The servers compared, plus the floor: a bare forwarder measured alongside them in the meeting (not a peer). */
export type PeerKind = 'accord' | 'y-websocket' | 'hocuspocus' | 'floor'

export const PEERS: readonly PeerKind[] = ['accord', 'y-websocket', 'hocuspocus']

export const FLOOR: PeerKind = 'floor'

export const PEER_LABELS: Record<PeerKind, string> = {
  accord: 'Accord',
  'y-websocket': 'y-websocket 2.1.0',
  hocuspocus: 'Hocuspocus 3.4.3',
  floor: 'floor: bare forwarder',
}

/** One document on one server; plain data, sent to the load generator over IPC. */
export interface DocumentTarget {
  peer: PeerKind
  /** y-websocket style base: clients connect to `${wsBase}/${name}`; Hocuspocus clients to `wsBase` itself. */
  wsBase: string
  httpBase: string
  name: string
  /** Session cookies of users who may edit (typists, writers); '' where the server has no authentication. */
  editors: string[]
  /** Session cookies of users who may only read. */
  readers: string[]
  /** Accord only: the chair's cookie (consensus actions). */
  chair?: string
  /** Accord seeds the deliverable's skeleton itself; for the others the first writer sends the same skeleton. */
  serverSeeded: boolean
}

export interface PeerStartOptions {
  /** Extra environment (Accord: e.g. COMPACT_AFTER_BYTES). */
  env?: Record<string, string>
  /** Write V8 CPU profiles of the server process (one per thread) into this directory when it exits. */
  cpuProfileDir?: string
}

export interface PeerServer {
  readonly kind: PeerKind
  readonly pid: number
  readonly httpBase: string
  start(options?: PeerStartOptions): Promise<void>
  /** Graceful stop (SIGTERM); the data directory stays until `dispose`. */
  stop(): Promise<void>
  /** Stop and start again on the same data; resolves with the milliseconds from spawn to answering HTTP. */
  restart(options?: PeerStartOptions): Promise<number>
  newDocument(users: { editors: number; readers: number }): Promise<DocumentTarget>
  /** Stops and removes everything the peer wrote. */
  dispose(): Promise<void>
  /** Accord only: where its documents live. */
  readonly dataDir?: string
  /** The server's own log (stdout and stderr). */
  readonly logPath: string
}
