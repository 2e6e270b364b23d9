/**
 * Scenario 6, under abuse: the meeting at N = 200 while one client floods oversized and malformed messages and
 * others open and drop connections in a loop (bench/load/abuseLoad.ts, its own niced process on the load
 * core); the honest clients' latency against the quiet run of the same meeting. Then, on Accord only, crafted
 * worst cases (bench/load/craftedLoad.ts): updates built to cost as much as the server's limits allow, and
 * floods of presence, hello and presence-query messages, each during its own meeting, with the server's longest
 * event-loop stall measured from outside (bench/load/stallProbe.ts).
 */

import { DEFAULT_MAX_UPDATE_STRUCTS, MAX_NESTING } from '../../server/sync/checks/limits.ts'
import { median } from '../lib/stats.ts'
import type { AbuserParams, AbuserResult } from '../load/abuseLoad.ts'
import {
  CRAFTED_CASES,
  type CraftedCase,
  type CraftedParams,
  type CraftedResult,
} from '../load/craftedLoad.ts'
import { type LoadHandle, startLoad } from '../load/runLoad.ts'
import type { ProbeParams, ProbeResult } from '../load/stallProbe.ts'
import { PEERS, type PeerKind } from '../peers/types.ts'
import type { MetricRow, PlainTable, ScenarioReport } from '../report.ts'
import { type BenchSettings, peerOrder, type Scenario, type SharedFigures } from './context.ts'
import { meetingRows } from './meeting.ts'
import { isolatedMeetingRun, type MeetingRun } from './meetingRun.ts'

const CLIENTS = 200
const ABUSE: Omit<AbuserParams, 'target' | 'cookie'> = {
  oversizedBytes: 9 * 2 ** 20,
  oversizedPerSecond: 4,
  malformedPerSecond: 1000,
  churners: 4,
}

async function abusedRun(peer: PeerKind, settings: BenchSettings): Promise<MeetingRun> {
  let abuser: ReturnType<typeof startLoad<AbuserResult>> | null = null
  return isolatedMeetingRun(peer, CLIENTS, settings, {
    async onReady(target) {
      let flooding!: () => void
      const started = new Promise<void>((resolve) => {
        flooding = resolve
      })
      abuser = startLoad<AbuserResult>(
        { kind: 'abuser', params: { ...ABUSE, target, cookie: target.editors[0] ?? '' } },
        (mark) => {
          if (mark === 'flooding') flooding()
        },
        { nice: 19 },
      )
      await Promise.race([started, abuser.result])
      await new Promise((r) => setTimeout(r, 1000))
    },
    async onEnd() {
      abuser?.stop()
      return abuser?.result
    },
  })
}

/** The server's limit on one sync message (server/config.ts, MAX_SYNC_MESSAGE_BYTES's default). */
const MAX_SYNC_MESSAGE_BYTES = 8 * 2 ** 20
const STALL_AIM_MS = 50
/** Update attacks: one every this many ms, about what the per-session connection limit allows after refusals. */
const UPDATE_INTERVAL_MS = 333
const P99_AIM = 2

const QUICK_CRAFTED_CASES: readonly CraftedCase[] = [
  'chain-at-limit',
  'chain-8mib',
  'nesting-20000',
  'awareness-flood',
  'hello-flood',
]

/** What each crafted case sends, for the table. */
const CRAFTED: Record<CraftedCase, { label: string; intervalMs?: number }> = {
  'chain-at-limit': { label: '(a) chained one-character items, just under the struct limit (accepted)' },
  'chain-far-over': { label: `(a) chained one-character items, 10× the struct limit` },
  'chain-8mib': { label: '(a) chained one-character items filling the 8 MiB message limit' },
  'chain-8mib-accepted': {
    label: '(a) chained items just under the struct limit, long enough to fill 8 MiB (accepted)',
    intervalMs: 2000,
  },
  'nesting-at-limit': {
    label: `(b) clause elements nested ${MAX_NESTING} deep, the nesting limit (accepted)`,
  },
  'nesting-deepest': { label: '(b) clause elements nested as deep as the struct limit lets through' },
  'nesting-20000': { label: '(b) clause elements nested 20,000 deep' },
  'awareness-flood': {
    label: '(c) awareness flood from an observer: 1,000 fresh clientIDs, or 7 states of ~2 kB, a message',
  },
  'hello-flood': { label: '(d) hello flood: bursts of 500 hello frames on one editor connection' },
  'query-flood': { label: '(d) presence-query flood: bursts of 500 queries on one observer connection' },
}

export interface CraftedRun {
  case: CraftedCase | 'quiet'
  run: MeetingRun & { attempts: number; interference: number[] }
  probe: ProbeResult
  attack: CraftedResult | null
}

/** One meeting on a fresh Accord with the stall probe and, unless `kase` is null, one crafted attacker. */
export async function craftedRun(kase: CraftedCase | null, settings: BenchSettings): Promise<CraftedRun> {
  let probe: LoadHandle<ProbeResult> | null = null
  let attack: LoadHandle<CraftedResult> | null = null
  /** Starts a load job and resolves once it reached `wanted` (or ended, when it failed to). */
  const startUntil = <R>(
    job: Parameters<typeof startLoad>[0],
    wanted: string,
    options: { nice?: number } = {},
  ): Promise<LoadHandle<R>> =>
    new Promise((resolve) => {
      const handle: LoadHandle<R> = startLoad<R>(
        job,
        (mark) => {
          if (mark === wanted) resolve(handle)
        },
        options,
      )
      handle.result.then(
        () => resolve(handle),
        () => resolve(handle),
      )
    })
  const run = await isolatedMeetingRun('accord', CLIENTS, settings, {
    async onReady(target) {
      const probeParams: ProbeParams = {
        target,
        cookie: target.readers[0] ?? '',
        pingEveryMs: 5,
        healthEveryMs: 50,
      }
      // Above the load generator's priority where allowed (nice only warns when it is not), so that its own
      // scheduling adds as little as it can to the round trips.
      probe = await startUntil<ProbeResult>({ kind: 'stall-probe', params: probeParams }, 'probing', {
        nice: -10,
      })
      if (kase) {
        const params: CraftedParams = {
          target,
          case: kase,
          editorCookie: target.editors[0] ?? '',
          observerCookie: target.readers[target.readers.length - 1] ?? '',
          maxStructs: DEFAULT_MAX_UPDATE_STRUCTS,
          maxNesting: MAX_NESTING,
          maxSyncMessageBytes: MAX_SYNC_MESSAGE_BYTES,
          intervalMs: CRAFTED[kase].intervalMs ?? UPDATE_INTERVAL_MS,
          // Typists type in the first ten clauses with a paragraph; the attacks write in another one.
          clauseIndex: 12,
        }
        attack = await startUntil<CraftedResult>({ kind: 'crafted', params }, 'attacking', { nice: 19 })
      }
      await new Promise((r) => setTimeout(r, 1000))
    },
    async onEnd() {
      const a = attack as LoadHandle<CraftedResult> | null
      const p = probe as LoadHandle<ProbeResult> | null
      a?.stop()
      p?.stop()
      const failed = (what: string) => (error: Error) => {
        settings.log(`crafted ${kase}: the ${what} failed: ${error.message}`)
        return null
      }
      return {
        attack: a ? await a.result.catch(failed('attacker')) : null,
        probe: p ? await p.result.catch(failed('stall probe')) : null,
      }
    },
  })
  const { attack: attackResult, probe: probeResult } = run.abuse as {
    attack: CraftedResult | null
    probe: ProbeResult | null
  }
  if (!probeResult) throw new Error('the stall probe did not report')
  settings.log(
    `crafted ${kase ?? 'quiet'}: longest ping ${probeResult.ping.max.toFixed(1)} ms, health ` +
      `${probeResult.health.max.toFixed(1)} ms, honest p99 ${run.latency.p99.toFixed(1)} ms` +
      (attackResult ? `, sent ${attackResult.sent}, answers ${JSON.stringify(attackResult.answers)}` : ''),
  )
  return { case: kase ?? 'quiet', run, probe: probeResult, attack: attackResult }
}

function counts(map: Record<string, number>): string {
  const entries = Object.entries(map)
  return entries.length ? entries.map(([key, n]) => `${key} ×${n}`).join(', ') : 'none'
}

function craftedTable(runs: CraftedRun[]): { table: PlainTable; met: { stall: boolean; p99: boolean } } {
  const quiet = runs.find((r) => r.case === 'quiet')!
  const quietP99 = quiet.run.latency.p99
  const stallOf = (r: CraftedRun) => Math.max(r.probe.ping.max, r.probe.health.max)
  const yes = (ok: boolean) => (ok ? 'met' : '**not met**')
  let stallMet = true
  let p99Met = true
  const cells = runs.map((r) => {
    const attack = r.attack
    const stall = stallOf(r)
    const ratio = r.run.latency.p99 / quietP99
    const stallOk = stall <= STALL_AIM_MS
    const p99Ok = ratio <= P99_AIM
    if (r.case !== 'quiet') {
      stallMet &&= stallOk
      p99Met &&= p99Ok
    }
    const flood = attack && !attack.answerMs
    const message = attack
      ? `${(attack.messageBytes / 1024).toFixed(attack.messageBytes < 10_240 ? 2 : 0)} kB` +
        (flood ? '' : `, ${attack.structsPerUpdate.toLocaleString('en')} structs`)
      : '–'
    const sent = attack
      ? `${attack.sent.toLocaleString('en')} (${(attack.sent / attack.seconds).toFixed(1)}/s)`
      : '–'
    const answers = attack
      ? flood
        ? `closed: ${counts(attack.closeCodes)}`
        : `${counts(attack.answers)}; answered in ${attack.answerMs!.p50.toFixed(0)} / ${attack.answerMs!.max.toFixed(0)} ms` +
          (Object.keys(attack.refusedConnections).length
            ? `; upgrades refused: ${counts(attack.refusedConnections)}`
            : '')
      : '–'
    return [
      r.case === 'quiet' ? 'quiet: the meeting and the probe, no attacker' : CRAFTED[r.case].label,
      message,
      sent,
      answers,
      `${r.probe.ping.max.toFixed(1)} / ${r.probe.health.max.toFixed(1)} (${r.probe.ownLoopMaxMs.toFixed(1)})`,
      `${r.probe.ping.p99.toFixed(1)} (${r.probe.pingsOver50Ms})`,
      `${r.run.latency.p99.toFixed(1)} (${r.run.latency.max.toFixed(0)})`,
      `${ratio.toFixed(2)}×`,
      `${yes(stallOk)} / ${r.case === 'quiet' ? '–' : yes(p99Ok)}`,
      `${r.run.othersOnServerCorePercent.toFixed(0)} / ${r.run.loadGenerator.cpuPercent.toFixed(0)}`,
      r.case === 'quiet' ? '' : 'not run: no checks',
    ]
  })
  return {
    table: {
      title: `Crafted worst cases (Accord only): one attacker while the meeting at N = ${CLIENTS} types`,
      header: [
        'case',
        'one message',
        'sent (rate)',
        'server’s answers',
        'longest stall: ping / health (probe’s own lag), ms',
        'ping p99, ms (pings over 50 ms)',
        'honest p99 (max), ms',
        'honest p99 ÷ quiet',
        `aims: stall ≤ ${STALL_AIM_MS} ms / p99 ≤ ${P99_AIM}× quiet`,
        'others on server core / load generator CPU, %',
        'y-websocket, Hocuspocus',
      ],
      cells,
    },
    met: { stall: stallMet, p99: p99Met },
  }
}

export const abuseScenario: Scenario = {
  id: 'abuse',
  title: '6. Under abuse: the meeting at N = 200 with a flooder and connection churn; crafted worst cases',
  async run(settings: BenchSettings, shared: SharedFigures): Promise<ScenarioReport> {
    let quiet = (shared.meetingQuiet?.get('200') as MeetingRun[] | undefined) ?? []
    if (quiet.length === 0)
      for (const peer of peerOrder(0, settings.peers))
        quiet.push(await isolatedMeetingRun(peer, CLIENTS, settings))
    quiet = quiet.filter((r) => settings.peers.includes(r.peer))
    const abused: MeetingRun[] = []
    for (let repeat = 0; repeat < settings.repeats; repeat++)
      for (const peer of peerOrder(repeat + 1, settings.peers)) abused.push(await abusedRun(peer, settings))

    const rows = meetingRows(abused)
    const p99 = (runs: MeetingRun[], peer: PeerKind) => {
      const mine = runs.filter((r) => r.peer === peer).map((r) => r.latency.p99)
      return mine.length ? median(mine) : null
    }
    const ratios = Object.fromEntries(
      PEERS.map((p) => {
        const a = p99(abused, p)
        const q = p99(quiet, p)
        return [p, a !== null && q !== null ? a / q : null]
      }),
    )
    const ours = ratios.accord
    const against: MetricRow = {
      label: 'honest p99 ÷ quiet p99',
      values: ratios,
      better: 'lower',
      digits: 2,
      target: { text: '≤ 2×', met: typeof ours === 'number' ? ours <= 2 : null },
    }
    const abuserFigure = (label: string, f: (a: AbuserResult) => number): MetricRow => ({
      label,
      values: Object.fromEntries(
        PEERS.map((p) => {
          const mine = abused.filter((r) => r.peer === p && r.abuse).map((r) => f(r.abuse as AbuserResult))
          return [p, mine.length ? median(mine) : null]
        }),
      ),
      digits: 0,
    })
    const closes: MetricRow = {
      label: 'abusive connections closed by the server, by code',
      values: Object.fromEntries(
        PEERS.map((p) => {
          const run = abused.find((r) => r.peer === p && r.abuse)
          const codes = (run?.abuse as AbuserResult | undefined)?.closeCodes
          return [
            p,
            codes
              ? Object.entries(codes)
                  .map(([c, n]) => `${c}×${n}`)
                  .join(' ') || 'none'
              : null,
          ]
        }),
      ),
    }
    const crafted: CraftedRun[] = []
    if (settings.peers.includes('accord')) {
      crafted.push(await craftedRun(null, settings))
      // The quick run keeps one case of each kind (each is a meeting of its own); --full runs them all.
      const cases = settings.full ? CRAFTED_CASES : QUICK_CRAFTED_CASES
      for (const kase of cases) crafted.push(await craftedRun(kase, settings))
    }
    const craftedReport = crafted.length ? craftedTable(crafted) : null
    return {
      id: 'abuse',
      title: this.title,
      tables: [
        {
          title: 'Honest clients while abused',
          rows: [...rows.slice(0, 4), against, ...rows.slice(4)],
        },
        {
          title: 'What the abusers did (same bytes for every peer)',
          rows: [
            abuserFigure('oversized frames sent (9 MiB each)', (a) => a.oversizedSent),
            abuserFigure('malformed frames sent', (a) => a.malformedSent),
            abuserFigure('flooder connections opened', (a) => a.floodConnections),
            abuserFigure('churn connections opened and dropped', (a) => a.churnConnections),
            abuserFigure('connections that failed to open', (a) => a.failedConnections),
            closes,
          ],
        },
        ...(craftedReport ? [craftedReport.table] : []),
      ],
      notes: [
        `The flooder sends up to ${ABUSE.oversizedPerSecond} oversized and ${ABUSE.malformedPerSecond} malformed ` +
          `frames a second, reconnecting whenever it is closed; ${ABUSE.churners} churners open a connection, ask ` +
          'for the whole document and drop it, in a loop. On Accord both are logged-in editors.',
        'The abusers run niced (19) on the load core so that the honest clients’ timing keeps priority there ' +
          '(their CPU shows in the load-core interference figure).',
        'Quiet p99: the same meeting without abusers, from scenario 1 of this invocation when it ran.',
        ...(craftedReport
          ? [
              `Crafted worst cases: aims ${craftedReport.met.stall ? 'met' : '**not met**'} (no stall over ` +
                `${STALL_AIM_MS} ms) and ${craftedReport.met.p99 ? 'met' : '**not met**'} (honest p99 within ` +
                `${P99_AIM}× the quiet run's, the quiet run being the same meeting with the probe and no attacker).`,
              'Each crafted case runs during its own meeting on a fresh Accord (N = 200, 10 typing), from one ' +
                'raw socket of a logged-in editor (an observer for the presence floods) that said hello, in a niced ' +
                'process on the load core. An update is sent, its answer (`saved`, `refused`, or a close) awaited, ' +
                `and the next sent ${UPDATE_INTERVAL_MS} ms after the previous (2 s for the 8 MiB accepted one); after a ` +
                'refusal the connection ignores updates, so the attacker reconnects, as often as the limit of 30 ' +
                'connections per session in 10 s allows. Accepted chains and nestings go on from what the server ' +
                `holds, so each is new work. Limits as built: ${DEFAULT_MAX_UPDATE_STRUCTS.toLocaleString('en')} ` +
                `structs per update (counted before decoding), nesting ${MAX_NESTING}, 8 MiB per sync message.`,
              'Stalls are measured from outside the server: a WebSocket ping every 5 ms on an observer’s sync ' +
                'socket (the server’s `ws` answers it from its event loop) and `/api/health` every 50 ms, from a ' +
                'probe process on the load core (at nice −10 where allowed), during the whole attack; the longest ' +
                'round trip of either is the longest stall, within the probe’s own event-loop lag (in brackets). ' +
                'The server is not alone on its core when other processes take it (the column “others on server ' +
                'core”): a round trip then also holds the time the server was not scheduled, and the quiet row ' +
                'shows what that alone gives.',
              'The honest clients’ latency includes the load generator’s own time: when an accepted update is ' +
                'megabytes large, every follower receives it, and reading it on one core is part of the figure ' +
                '(load generator CPU column).',
              'y-websocket and Hocuspocus are not run on the crafted cases: they have no struct, nesting or ' +
                'presence checks and apply or relay whatever arrives, so these cases would only measure Yjs.',
            ]
          : []),
      ],
      raw: { quiet, abused, crafted },
    }
  },
}
