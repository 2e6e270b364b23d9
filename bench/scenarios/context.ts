/** What every scenario gets: the run's settings, and helpers to run each peer in turn on a fresh server. */
import { mkdtempSync, readdirSync, renameSync } from 'node:fs'
import path from 'node:path'
import { coreTicks, cpuSeconds, LOAD_CORE, memoryUse, SERVER_CORE, ticksToSeconds } from '../lib/processes.ts'
import { createPeer } from '../peers/index.ts'
import type { DocumentTarget, PeerKind, PeerServer, PeerStartOptions } from '../peers/types.ts'
import type { ScenarioReport } from '../report.ts'

export interface BenchSettings {
  full: boolean
  /** Runs of each measurement per peer (the peers' order alternates between runs). */
  repeats: number
  /** Write CPU profiles of Accord's server process into `resultsDir`. */
  profile: boolean
  /** The servers to run (all by default). */
  peers: PeerKind[]
  /** Meeting sizes to measure instead of the run's own (for investigating); no capacity search then. */
  meetingSizes?: number[]
  /** Measurements that may still be taken again because other processes disturbed them (bounds the time). */
  retriesLeft: number
  /** Temporary directory of this invocation (server logs, data). */
  runDir: string
  resultsDir: string
  log(message: string): void
}

/** Figures one scenario leaves for a later one in the same invocation. */
export interface SharedFigures {
  meetingQuiet?: Map<string, unknown>
  accordTraceReplay?: { peer: PeerServer; target: DocumentTarget; encodedStateBytes: number; edits: number }
}

export interface Scenario {
  id: string
  title: string
  /** Too long for the quick run: only with --full, or when named with --only. */
  fullOnly?: boolean
  run(settings: BenchSettings, shared: SharedFigures): Promise<ScenarioReport>
}

/** The peers in the order of run `index`: as listed on even runs, reversed on odd ones. */
export function peerOrder(index: number, peers: readonly PeerKind[]): PeerKind[] {
  return index % 2 === 0 ? [...peers] : [...peers].reverse()
}

/**
 * Starts a fresh server of this kind, runs `body`, and removes the server and its data (unless `keep` and the
 * body succeeded). With --profile, Accord's main-thread CPU profile lands in the results as `<label>.cpuprofile`.
 */
export async function withPeer<T>(
  kind: PeerKind,
  settings: BenchSettings,
  body: (peer: PeerServer) => Promise<T>,
  options: PeerStartOptions & { keep?: boolean; label?: string } = {},
): Promise<T> {
  const peer = await createPeer(kind, settings.runDir)
  const cpuProfileDir =
    settings.profile && kind === 'accord' ? mkdtempSync(path.join(settings.runDir, 'profile-')) : undefined
  await peer.start({
    ...(cpuProfileDir ? { cpuProfileDir } : {}),
    ...(options.env ? { env: options.env } : {}),
  })
  let keep = false
  try {
    const result = await body(peer)
    keep = options.keep ?? false
    return result
  } finally {
    if (!keep) await peer.dispose()
    if (cpuProfileDir) collectProfile(cpuProfileDir, settings.resultsDir, `${kind}-${options.label ?? 'run'}`)
  }
}

/** Moves the main thread's profile (thread 0; tsx's loader runs in thread 1) into the results. */
export function collectProfile(dir: string, resultsDir: string, label: string): void {
  const main = readdirSync(dir).filter((name) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(name))
  for (const [i, name] of main.entries()) {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')
    renameSync(path.join(dir, name), path.join(resultsDir, `${label}${i ? `-${i}` : ''}-${stamp}.cpuprofile`))
  }
}

/**
 * CPU seconds and peak memory of a server process between two marks, and how much of the server's core other
 * processes took meanwhile (the machine may be shared: such runs are less comparable).
 */
export class ServerSampler {
  private cpuAtStart = 0
  private coreAtStart = { busy: 0, total: 0 }
  private loadCoreAtStart = { busy: 0, total: 0 }
  cpuSeconds = Number.NaN
  peakRssMb = Number.NaN
  rssMb = Number.NaN
  /** Share of the server core used by other processes while measuring (%). */
  othersOnServerCorePercent = Number.NaN
  /** How busy the load core was, by anyone (%). */
  loadCoreBusyPercent = Number.NaN

  constructor(private readonly pid: number) {}

  /** False once the process was found gone (it crashed). */
  alive = true

  start(): void {
    this.cpuAtStart = cpuSeconds(this.pid)
    this.coreAtStart = coreTicks(SERVER_CORE)
    this.loadCoreAtStart = coreTicks(LOAD_CORE)
  }

  end(): void {
    try {
      this.cpuSeconds = cpuSeconds(this.pid) - this.cpuAtStart
      const core = coreTicks(SERVER_CORE)
      const busy = ticksToSeconds(core.busy - this.coreAtStart.busy)
      const wall = ticksToSeconds(core.total - this.coreAtStart.total)
      this.othersOnServerCorePercent =
        wall > 0 ? Math.max(0, (100 * (busy - this.cpuSeconds)) / wall) : Number.NaN
      const load = coreTicks(LOAD_CORE)
      this.loadCoreBusyPercent =
        (100 * (load.busy - this.loadCoreAtStart.busy)) / Math.max(1, load.total - this.loadCoreAtStart.total)
      const memory = memoryUse(this.pid)
      this.peakRssMb = memory.peakRssMb
      this.rssMb = memory.rssMb
    } catch {
      this.alive = false
    }
  }
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** Other processes may use at most this share of a core during a measurement before it is taken again. */
export const INTERFERENCE_LIMIT_PERCENT = 10

/**
 * Runs a measurement up to `attempts` times until other processes left the cores alone (the machine may be
 * shared); returns the cleanest run, with how many attempts it took.
 */
export async function isolated<T>(
  settings: BenchSettings,
  measure: () => Promise<T>,
  interference: (run: T) => number,
): Promise<T & { attempts: number; interference: number[] }> {
  const attempts = settings.full ? 3 : 2
  const runs: T[] = []
  for (let i = 0; i < attempts; i++) {
    const run = await measure()
    runs.push(run)
    if (!(interference(run) > INTERFERENCE_LIMIT_PERCENT)) break
    if (i + 1 === attempts || settings.retriesLeft <= 0) break
    settings.retriesLeft--
    settings.log(`  other processes took ${interference(run).toFixed(0)}% of a core: measuring again`)
  }
  const best = runs.reduce((a, b) => (interference(b) < interference(a) ? b : a))
  return { ...best, attempts: runs.length, interference: runs.map(interference) }
}
