/** One meeting on one fresh server: the load job plus the server's CPU time and peak memory while typing. */
import type { MeetingParams, MeetingResult } from '../load/meetingLoad.ts'
import { runLoad } from '../load/runLoad.ts'
import type { PeerKind } from '../peers/types.ts'
import { type BenchSettings, isolated, ServerSampler, withPeer } from './context.ts'

export const TYPISTS = 10
export const FULL_READERS = 3

export interface MeetingRun extends MeetingResult {
  peer: PeerKind
  serverCpuSeconds: number
  peakRssMb: number
  othersOnServerCorePercent: number
  /** Load-core time not used by the load generator (other processes; with abusers, the abusers too). */
  othersOnLoadCorePercent: number
  /** Only with an abuser: what it did. */
  abuse?: unknown
}

export interface MeetingHooks {
  /** Called once every honest client is connected; resolves when the disturbance runs. */
  onReady?(target: MeetingParams['target']): Promise<void>
  /** Called after the measurement; returns what the disturbance reports. */
  onEnd?(): Promise<unknown>
}

export function meetingParams(settings: BenchSettings, clients: number): Omit<MeetingParams, 'target'> {
  return {
    clients,
    typists: TYPISTS,
    readers: FULL_READERS,
    durationMs: settings.full ? 20_000 : 8_000,
    keyIntervalMs: [120, 280],
    seed: 42,
    connectBatch: 50,
    drainMs: 15_000,
  }
}

/** A meeting run, taken again while other processes disturb it (the abusers' own core use excepted). */
export function isolatedMeetingRun(
  kind: PeerKind,
  clients: number,
  settings: BenchSettings,
  hooks: MeetingHooks = {},
): Promise<MeetingRun & { attempts: number; interference: number[] }> {
  return isolated(
    settings,
    () => meetingRun(kind, clients, settings, hooks),
    (run) => Math.max(run.othersOnServerCorePercent, hooks.onReady ? 0 : run.othersOnLoadCorePercent),
  )
}

export async function meetingRun(
  kind: PeerKind,
  clients: number,
  settings: BenchSettings,
  hooks: MeetingHooks = {},
): Promise<MeetingRun> {
  return withPeer(
    kind,
    settings,
    async (peer) => {
      // Accord allows 30 sync connections per session per 10 s: one reader session per 20 followers.
      const target = await peer.newDocument({
        editors: TYPISTS,
        readers: Math.max(10, Math.ceil(clients / 20)),
      })
      const sampler = new ServerSampler(peer.pid)
      let abuse: unknown
      const result = await runLoad<MeetingResult>(
        { kind: 'meeting', params: { ...meetingParams(settings, clients), target } },
        async (mark) => {
          if (mark === 'ready') await hooks.onReady?.(target)
          else if (mark === 'measure-start') sampler.start()
          else if (mark === 'measure-end') {
            sampler.end()
            abuse = await hooks.onEnd?.()
          }
        },
      )
      const run: MeetingRun = {
        ...result,
        peer: kind,
        serverCpuSeconds: sampler.cpuSeconds,
        peakRssMb: sampler.peakRssMb,
        othersOnServerCorePercent: sampler.othersOnServerCorePercent,
        othersOnLoadCorePercent: Math.max(0, sampler.loadCoreBusyPercent - result.loadGenerator.cpuPercent),
      }
      if (abuse !== undefined) run.abuse = abuse
      settings.log(
        `meeting N=${clients} ${kind}: p50 ${result.latency.p50.toFixed(1)} p99 ${result.latency.p99.toFixed(1)} ms, ` +
          `delivered ${result.delivered}/${result.expectedDeliveries}, cpu ${sampler.cpuSeconds.toFixed(2)} s, ` +
          `load-gen ${result.loadGenerator.cpuPercent.toFixed(0)}%, others on server core ` +
          `${sampler.othersOnServerCorePercent.toFixed(0)}%`,
      )
      return run
    },
    { label: `meeting-${clients}${hooks.onReady ? '-abuse' : ''}` },
  )
}
