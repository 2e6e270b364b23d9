/**
 * Scenario 6, under abuse: the meeting at N = 200 while one client floods oversized and malformed messages and
 * others open and drop connections in a loop (bench/load/abuseLoad.ts, its own niced process on the load
 * core); the honest clients' latency against the quiet run of the same meeting.
 */

import { median } from '../lib/stats.ts'
import type { AbuserParams, AbuserResult } from '../load/abuseLoad.ts'
import { startLoad } from '../load/runLoad.ts'
import { PEERS, type PeerKind } from '../peers/types.ts'
import type { MetricRow, ScenarioReport } from '../report.ts'
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

export const abuseScenario: Scenario = {
  id: 'abuse',
  title: '6. Under abuse: the meeting at N = 200 with a flooder and connection churn',
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
      ],
      notes: [
        `The flooder sends up to ${ABUSE.oversizedPerSecond} oversized and ${ABUSE.malformedPerSecond} malformed ` +
          `frames a second, reconnecting whenever it is closed; ${ABUSE.churners} churners open a connection, ask ` +
          'for the whole document and drop it, in a loop. On Accord both are logged-in editors.',
        'The abusers run niced (19) on the load core so that the honest clients’ timing keeps priority there ' +
          '(their CPU shows in the load-core interference figure).',
        'Quiet p99: the same meeting without abusers, from scenario 1 of this invocation when it ran.',
      ],
      raw: { quiet, abused },
    }
  },
}
