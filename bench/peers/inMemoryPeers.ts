/**
 * The two peers that keep documents in memory only: the reference y-websocket server (`setupWSConnection`
 * from y-websocket@2.1.0's `bin/utils`, as its `bin/server.cjs` runs it) and Hocuspocus with default
 * settings. Neither authenticates nor stores: documents are created by the first client that opens them. And
 * the floor, a bare forwarder (see forwarderServer.ts), spoken to like the reference server.
 */
import path from 'node:path'
import { freePort } from '../../test/support/ports.ts'
import { PinnedServer } from './pinnedServer.ts'
import type { DocumentTarget, PeerKind, PeerServer, PeerStartOptions } from './types.ts'

abstract class InMemoryPeer implements PeerServer {
  abstract readonly kind: PeerKind
  protected readonly process: PinnedServer
  protected port = 0
  private documents = 0

  constructor(readonly logPath: string) {
    this.process = new PinnedServer(path.basename(logPath, '.log'), logPath)
  }

  get pid(): number {
    return this.process.pid
  }

  get httpBase(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** The server's entry point, next to this file. */
  protected abstract readonly script: string

  private args(options: PeerStartOptions): string[] {
    const profile = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : []
    return ['--import', 'tsx', ...profile, path.join(import.meta.dirname, this.script)]
  }

  async start(options: PeerStartOptions = {}): Promise<void> {
    this.port ||= await freePort()
    await this.process.start(
      this.args(options),
      { ...options.env, HOST: '127.0.0.1', PORT: String(this.port) },
      this.httpBase,
    )
  }

  stop(): Promise<void> {
    return this.process.stop()
  }

  async restart(options: PeerStartOptions = {}): Promise<number> {
    await this.process.stop()
    const started = performance.now()
    await this.start(options)
    return performance.now() - started
  }

  dispose(): Promise<void> {
    return this.process.stop()
  }

  /** Clients reach a document at `${wsBase}/${name}` (y-websocket, the floor) or at `wsBase` itself (Hocuspocus). */
  private wsBase(): string {
    return `ws://127.0.0.1:${this.port}`
  }

  async newDocument(users: { editors: number; readers: number }): Promise<DocumentTarget> {
    return {
      peer: this.kind,
      wsBase: this.wsBase(),
      httpBase: this.httpBase,
      name: `bench-${++this.documents}-${Date.now().toString(36)}`,
      editors: Array.from({ length: users.editors }, () => ''),
      readers: Array.from({ length: users.readers }, () => ''),
      serverSeeded: false,
    }
  }
}

export class YWebsocketPeer extends InMemoryPeer {
  readonly kind = 'y-websocket' as const
  protected readonly script = 'yWebsocketServer.ts'
}

export class HocuspocusPeer extends InMemoryPeer {
  readonly kind = 'hocuspocus' as const
  protected readonly script = 'hocuspocusServer.ts'
}

export class ForwarderPeer extends InMemoryPeer {
  readonly kind = 'floor' as const
  protected readonly script = 'forwarderServer.ts'
}
