/**
 * The cluster scenario's peer: two Hocuspocus 3.4.3 instances with @hocuspocus/extension-redis on one throwaway
 * Redis, both on the server core (PinnedServer), in memory as the single-instance peer. Every instance that
 * holds a document applies every update and relays it over Redis: there is no owner to check.
 */
import { startThrowawayRedis, type ThrowawayRedis } from '../../test/support/redis.ts'
import { cpuSeconds } from '../lib/processes.ts'
import { HocuspocusPeer } from './inMemoryPeers.ts'
import { FIRST, type NodeIndex, type TwoNodes } from './twoNodes.ts'
import type { DocumentTarget } from './types.ts'

export class HocuspocusCluster implements TwoNodes {
  readonly kind = 'hocuspocus' as const

  private constructor(
    private readonly redis: ThrowawayRedis,
    private readonly instances: HocuspocusPeer[],
  ) {}

  static async start(runDir: string): Promise<HocuspocusCluster> {
    const redis = await startThrowawayRedis()
    const instances = [1, 2].map(
      (i) => new HocuspocusPeer(`${runDir}/hocuspocus-redis-${i}-${Date.now()}.log`),
    )
    try {
      for (const instance of instances) await instance.start({ env: { REDIS_URL: redis.url } })
    } catch (error) {
      await Promise.all(instances.map((i) => i.dispose().catch(() => undefined)))
      await redis.close()
      throw error
    }
    return new HocuspocusCluster(redis, instances)
  }

  async newDocument(
    users: { editors: number; readers: number },
    at: NodeIndex = FIRST,
  ): Promise<DocumentTarget> {
    const target = await this.instances[FIRST]!.newDocument(users)
    return { ...target, wsBase: this.wsBase(at) }
  }

  wsBase(node: NodeIndex): string {
    return this.instances[node]!.httpBase.replace('http:', 'ws:')
  }

  nodeCpuSeconds(node: NodeIndex): number {
    return cpuSeconds(this.instances[node]!.pid)
  }

  serviceCpuSeconds(): { redis: number; postgres: number } {
    const pid = this.redis.pid()
    return { redis: pid ? cpuSeconds(pid) : Number.NaN, postgres: Number.NaN }
  }

  async expectRouting(): Promise<void> {
    // Every instance applies every update: no owner to check.
  }

  async stop(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.dispose()))
    await this.redis.close()
  }
}
