/**
 * Scenario "cluster": Accord on two nodes (bench/peers/accordCluster.ts), PostgreSQL and Redis on this machine,
 * and the peer, two Hocuspocus instances with their Redis extension (bench/peers/hocuspocusCluster.ts). One
 * meeting per size whose raw followers are split between the first node (Accord: the owner, node-1) and the
 * second (Accord: node-2, relaying over Redis): keystroke-to-follower latency on each and each node's CPU; the
 * trace replay with every client on the first node or on the second; and, from Accord's CPU per follower, the
 * followers a cluster of N nodes holds on paper.
 */
import { median } from '../lib/stats.ts'
import { AccordCluster } from '../peers/accordCluster.ts'
import { HocuspocusCluster } from '../peers/hocuspocusCluster.ts'
import { FIRST, SECOND, type TwoNodes } from '../peers/twoNodes.ts'
import type { PlainTable, ScenarioReport, Table } from '../report.ts'
import { type ClusterMeetingRun, type ClusterTraceRun, clusterMeeting, clusterTrace } from './clusterRun.ts'
import type { BenchSettings, Scenario } from './context.ts'
import { FULL_READERS, TYPISTS } from './meetingRun.ts'

const PROJECTED_NODES = [1, 2, 4, 8]

const NAMES = {
  accord: { system: 'Accord', first: 'node-1 (owner)', second: 'node-2 (relays)' },
  hocuspocus: { system: 'Hocuspocus + Redis', first: 'instance 1', second: 'instance 2' },
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a')
const grouped = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en') : 'n/a')

function meetingTable(run: ClusterMeetingRun): PlainTable {
  const names = NAMES[run.kind]
  const [first, second] = run.groups!
  const latencyRow = (label: string, key: 'p50' | 'p95' | 'p99' | 'max') => [
    label,
    fixed(first!.latency[key]),
    fixed(second!.latency[key]),
    fixed(second!.latency[key] - first!.latency[key]),
  ]
  const deliveredPercent = (g: typeof first) =>
    fixed((100 * g!.delivered) / Math.max(1, g!.expectedDeliveries), 2)
  return {
    title:
      `${names.system}, meeting, N = ${run.clients} clients: ${TYPISTS} typists and ${FULL_READERS} full ` +
      `readers on ${names.first}, raw followers split between the two`,
    header: [
      '',
      `followers on ${names.first}`,
      `followers on ${names.second}`,
      run.kind === 'accord' ? 'relay’s cost (node-2 − node-1)' : 'difference',
    ],
    cells: [
      ['raw followers', String(first!.followers), String(second!.followers), ''],
      latencyRow('latency p50 (ms)', 'p50'),
      latencyRow('latency p95 (ms)', 'p95'),
      latencyRow('latency p99 (ms)', 'p99'),
      latencyRow('latency max (ms)', 'max'),
      ['keystrokes delivered (%)', deliveredPercent(first), deliveredPercent(second), ''],
      ['full readers converged', run.converged ? 'yes' : 'NO', '', ''],
    ],
  }
}

/** A meeting run's CPU as core shares (CPU seconds per second) against the clients each node sends updates to. */
function cpuRates(run: ClusterMeetingRun) {
  const [first, second] = run.groups!
  const wall = run.cpu.wallSeconds
  return {
    firstClients: first!.followers + TYPISTS + FULL_READERS,
    secondClients: second!.followers,
    first: run.cpu.first / wall,
    second: run.cpu.second / wall,
  }
}

/** What Accord's meetings give per follower, and each node's cost that does not depend on its followers. */
export interface FollowerCosts {
  /** Core share one more follower costs: node-2's slope between the smallest and the largest meeting. */
  perFollower: number
  /** Node-1's core share less its clients at `perFollower` (largest meeting): checks, apply, commit, publish. */
  ownerFixed: number
  /** The same for node-2: receiving each update from Redis once. */
  edgeFixed: number
}

export function followerCosts(runs: ClusterMeetingRun[]): FollowerCosts {
  const small = cpuRates(runs[0]!)
  const large = cpuRates(runs[runs.length - 1]!)
  const slope = (large.second - small.second) / (large.secondClients - small.secondClients)
  // One size only, or a slope the noise made meaningless: the average per follower (an overestimate).
  const perFollower = Number.isFinite(slope) && slope > 0 ? slope : large.second / large.secondClients
  return {
    perFollower,
    ownerFixed: Math.max(0, large.first - perFollower * large.firstClients),
    edgeFixed: Math.max(0, large.second - perFollower * large.secondClients),
  }
}

function cpuTable(runs: ClusterMeetingRun[]): PlainTable {
  return {
    title: 'CPU while typing (typing and drain), same runs',
    header: [
      'server, N',
      'seconds',
      'first node CPU (s)',
      'second node CPU (s)',
      'Redis CPU (s)',
      'PostgreSQL CPU (s)',
      'first node per client (ms/s)',
      'second node per client (ms/s)',
      'other processes on the nodes’ core (%)',
    ],
    cells: runs.map((run) => {
      const rates = cpuRates(run)
      const { cpu } = run
      return [
        `${NAMES[run.kind].system}, ${run.clients}`,
        fixed(cpu.wallSeconds),
        fixed(cpu.first, 2),
        fixed(cpu.second, 2),
        fixed(cpu.redis, 2),
        run.kind === 'accord' ? fixed(cpu.postgres, 2) : 'none',
        `${fixed((1000 * rates.first) / rates.firstClients, 3)} (${rates.firstClients} clients)`,
        `${fixed((1000 * rates.second) / rates.secondClients, 3)} (${rates.secondClients} clients)`,
        fixed(cpu.othersOnServerCorePercent, 0),
      ]
    }),
    notes: [
      'First node: Accord’s node-1, the owner; the typists’ Hocuspocus instance. Per client: the node’s CPU ' +
        'per second of the measurement divided by the clients it sends each update to (first node: its raw ' +
        'followers, the typists and the full readers; second: its raw followers). Accord’s node-1 does ' +
        'everything per update (checks, apply, the PostgreSQL commit, one publish to node-2), node-2 fan-out ' +
        'and receiving each update once from Redis; each Hocuspocus instance applies every update.',
    ],
  }
}

function traceTable(runs: ClusterTraceRun[]): PlainTable {
  const columns = (['accord', 'hocuspocus'] as const).flatMap((kind) =>
    (['first', 'second'] as const).map((via) => ({ kind, via })),
  )
  const present = columns.filter((c) => runs.some((r) => r.kind === c.kind && r.via === c.via))
  const of = (c: (typeof columns)[number]) => runs.filter((r) => r.kind === c.kind && r.via === c.via)
  const row = (label: string, f: (r: ClusterTraceRun) => number | null, digits = 0) => [
    label,
    ...present.map((c) => {
      const values = of(c).map(f)
      return values.every((v) => v !== null) ? fixed(median(values as number[]), digits) : '–'
    }),
  ]
  const edits = runs[0]?.edits ?? 0
  return {
    title:
      `Trace replay, ${edits.toLocaleString('en')} edits of automerge-paper, ${runs[0]?.followers ?? 0} ` +
      'followers; every client on the node named',
    header: ['', ...present.map((c) => `${NAMES[c.kind].system}, all on ${NAMES[c.kind][c.via]}`)],
    cells: [
      row('edits per second, end to end', (r) => r.editsPerSecond),
      row('edits per second until committed and acknowledged', (r) =>
        r.durableSeconds ? r.edits / r.durableSeconds : null,
      ),
      row('seconds, end to end', (r) => r.seconds, 1),
      [
        'followers (+ late joiner) with exactly the expected text',
        ...present.map((c) =>
          of(c)
            .map((r) => `${r.followersExact}/${r.followers}${r.lateJoinerExact ? ' + 1' : ' + 0'}`)
            .join(', '),
        ),
      ],
      row('first node CPU (s)', (r) => r.cpu.first, 1),
      row('second node CPU (s)', (r) => r.cpu.second, 1),
      row('Redis CPU (s)', (r) => r.cpu.redis, 1),
      row('PostgreSQL CPU (s)', (r) => (r.kind === 'accord' ? r.cpu.postgres : null), 1),
      row('other processes on the nodes’ core (%)', (r) => r.cpu.othersOnServerCorePercent),
    ],
    notes: [
      'On the second node, a raw reader stays connected to the first node: Accord’s node-1 keeps the document ' +
        'and node-2 relays; both Hocuspocus instances hold it and exchange every update through Redis. ' +
        'Hocuspocus keeps documents in memory and acknowledges nothing.',
    ],
  }
}

/**
 * Followers N nodes hold on paper: followers spread evenly, each node's fixed share plus its 1/N of the
 * followers fills one core; the busiest node decides.
 */
export function projectFollowers(costs: FollowerCosts, nodes: number): number {
  const fixedShare = nodes > 1 ? Math.max(costs.ownerFixed, costs.edgeFixed) : costs.ownerFixed
  if (!(costs.perFollower > 0) || fixedShare >= 1) return 0
  return (nodes * (1 - fixedShare)) / costs.perFollower
}

function projectionTable(runs: ClusterMeetingRun[], costs: FollowerCosts): PlainTable {
  const large = runs[runs.length - 1]!
  const keystrokesPerSecond = large.keystrokes / (large.typingMs / 1000)
  const sizes = runs.map((r) => r.clients).join(' and ')
  return {
    title: 'Accord: followers of one meeting a cluster of N nodes holds, on paper (CPU only)',
    header: ['nodes', 'followers', 'per node'],
    cells: PROJECTED_NODES.map((n) => {
      const followers = projectFollowers(costs, n)
      return [String(n), grouped(followers), grouped(followers / n)]
    }),
    notes: [
      `From these runs (${TYPISTS} typists, ${fixed(keystrokesPerSecond, 0)} keystrokes/s): one more follower ` +
        `costs ${fixed(1000 * costs.perFollower, 3)} ms of CPU per second (node-2’s slope between N = ${sizes}); ` +
        `the owner’s own work (checks, apply, commit, publish) takes ${fixed(100 * costs.ownerFixed, 1)}% of a ` +
        `core whatever the followers, an edge’s (receiving each update from Redis) ` +
        `${fixed(100 * costs.edgeFixed, 1)}% (each node’s CPU at N = ${large.clients} less its clients at that ` +
        'cost per follower).',
      'Assumptions: the owner’s per-update cost is constant (the same typing; one publish per node); followers ' +
        'are spread evenly over the N nodes (a round-robin balancer), the owner, which also does its fixed ' +
        'work, filling first; one core per node, filled to 100% (a CPU ceiling: latency rises before, so the ' +
        'followers held at a p99 target are fewer); PostgreSQL and Redis run elsewhere and keep up (their ' +
        'work per update does not grow with followers; Redis carries N − 1 copies of each update).',
    ],
  }
}

/** The meetings and trace replays on one freshly started system, which is stopped afterwards. */
async function measure(
  system: TwoNodes,
  sizes: number[],
  settings: BenchSettings,
): Promise<{ meetings: ClusterMeetingRun[]; traces: ClusterTraceRun[]; failures: string[] }> {
  try {
    const meetings: ClusterMeetingRun[] = []
    for (const clients of sizes) meetings.push(await clusterMeeting(system, clients, settings))
    const traces: ClusterTraceRun[] = []
    // A replay that stalls is reported, and the others still measured.
    const failures: string[] = []
    for (let repeat = 0; repeat < settings.repeats; repeat++)
      for (const via of repeat % 2 === 0 ? [FIRST, SECOND] : [SECOND, FIRST])
        try {
          traces.push(await clusterTrace(system, via as typeof FIRST, settings))
        } catch (error) {
          const what = `${NAMES[system.kind].system}, trace replay on ${NAMES[system.kind][via === FIRST ? 'first' : 'second']}`
          failures.push(`${what} FAILED: ${(error as Error).message.split('\n')[0]}`)
          settings.log(failures[failures.length - 1]!)
        }
    return { meetings, traces, failures }
  } finally {
    await system.stop()
  }
}

export const clusterScenario: Scenario = {
  id: 'cluster',
  // About 90 s for Accord alone with the quick sizes on a loaded machine: in --full, or with --only cluster.
  fullOnly: true,
  title: 'Cluster: two nodes sharing documents through Redis, followers on both',
  async run(settings: BenchSettings): Promise<ScenarioReport> {
    // Two sizes: the CPU between them gives the cost of one more follower, apart from each node's fixed cost.
    const sizes = settings.full ? [200, 1000] : [50, 200]
    const accord = await measure(await AccordCluster.start(settings.runDir), sizes, settings)
    const peer = settings.peers.includes('hocuspocus')
      ? await measure(await HocuspocusCluster.start(settings.runDir), sizes, settings)
      : { meetings: [], traces: [], failures: [] }
    const costs = followerCosts(accord.meetings)
    const tables: Table[] = [
      ...accord.meetings.map(meetingTable),
      ...peer.meetings.map(meetingTable),
      cpuTable([...accord.meetings, ...peer.meetings]),
      traceTable([...accord.traces, ...peer.traces]),
      projectionTable(accord.meetings, costs),
    ]
    return {
      id: 'cluster',
      title: this.title,
      tables,
      notes: [
        'Accord: two nodes (server/main.ts, NODE_ID node-1 and node-2, the bench’s settings) on one throwaway ' +
          'PostgreSQL (fsync off: it is thrown away) and Redis, no balancer: the load generator connects each ' +
          'client to its node. Each deliverable is made through node-1 and owned by it; /api/health is checked ' +
          'before measuring (node-1 owns, node-2 owns nothing and relays).',
        'The peer: two Hocuspocus 3.4.3 instances with @hocuspocus/extension-redis 3.4.3 (default settings, in ' +
          'memory) on their own throwaway Redis, the same clients on the same nodes.',
        'Placement: both nodes on core 0 (the two share one core, as one process has in the other scenarios), ' +
          'the load generator on core 1; PostgreSQL and Redis are not pinned (their CPU is reported).',
        ...accord.failures,
        ...peer.failures,
        `One meeting run per size and ${settings.repeats} trace replay(s) each way per system, not retaken when ` +
          'other processes disturbed them (the share they took of the nodes’ core is shown).',
      ],
      raw: { accord, peer, costs },
    }
  },
}
