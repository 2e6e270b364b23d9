/**
 * Messages between nodes over Redis pub/sub: one connection publishes, one subscribes (a subscribed connection
 * runs no other command). Pub/sub is at most once: a message published while a node's subscriber is
 * reconnecting never reaches it. So the bus says when its subscriber came back (`resumed`), and the relay's
 * sequence numbers find what was lost; nothing durable ever travels only here.
 */
import { EventEmitter } from 'node:events'
import { createClient } from 'redis'
import type { Logger } from '../logger.ts'

/** Reconnects forever, quickly at first: an outage of Redis must heal by itself. */
function connectionTo(url: string) {
  return createClient({
    url,
    socket: {
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
      connectTimeout: 5000,
    },
  })
}
type Client = ReturnType<typeof connectionTo>

export interface BusEvents {
  /** The subscriber reconnected: messages sent meanwhile are lost. */
  resumed: []
  /** Redis cannot be reached (once per outage). */
  down: [error: Error]
}

export class ClusterBus extends EventEmitter<BusEvents> {
  private connected = false

  private constructor(
    private readonly publisher: Client,
    private readonly subscriber: Client,
    private readonly logger: Logger,
  ) {
    super()
  }

  static async connect(url: string, logger: Logger): Promise<ClusterBus> {
    const publisher = connectionTo(url)
    const subscriber = connectionTo(url)
    const bus = new ClusterBus(publisher, subscriber, logger)
    for (const client of [publisher, subscriber])
      client.on('error', (error: Error) => {
        if (bus.connected) logger.warn({ err: error }, 'Redis connection lost')
        bus.connected = false
        bus.emit('down', error)
      })
    let firstReady = true
    subscriber.on('ready', () => {
      if (!firstReady) {
        logger.info('Redis connection back: resyncing what the relay may have lost')
        bus.emit('resumed')
      }
      firstReady = false
      bus.connected = true
    })
    await publisher.connect()
    await subscriber.connect()
    bus.connected = true
    return bus
  }

  get isConnected(): boolean {
    return this.connected && this.publisher.isReady && this.subscriber.isReady
  }

  /** Fire and forget: a message lost here is found by the receiver's sequence check. */
  publish(channel: string, message: Uint8Array): void {
    this.publisher
      .publish(channel, Buffer.from(message.buffer, message.byteOffset, message.byteLength))
      .catch((error: unknown) => this.logger.debug({ err: error, channel }, 'publish failed'))
  }

  async subscribe(channel: string, listener: (message: Uint8Array) => void): Promise<void> {
    await this.subscriber.subscribe(channel, (message: Buffer) => listener(new Uint8Array(message)), true)
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.publisher.ping()) === 'PONG'
    } catch {
      return false
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()])
  }
}
