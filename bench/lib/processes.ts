/**
 * Processes of the benchmark: spawning pinned to one core (`taskset`, which execs, so the child's pid is the
 * measured process), and reading a process's CPU time and memory from /proc.
 */
import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

export const SERVER_CORE = 0
export const LOAD_CORE = 1

let ticksPerSecond: number | undefined
function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100
  return ticksPerSecond
}

/** `taskset -c <core> <command...>`; throws at once when taskset is missing (install util-linux). */
export function spawnPinned(
  core: number,
  command: string,
  args: string[],
  options: SpawnOptions,
): ChildProcess {
  return spawn('taskset', ['-c', String(core), command, ...args], options)
}

/** Pins the calling process (the orchestrator) to one core. */
export function pinSelf(core: number): void {
  execFileSync('taskset', ['-cp', String(core), String(process.pid)], { stdio: 'ignore' })
}

/** User + system CPU seconds the process has used so far (all its threads). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / clockTicks()
}

export interface MemoryUse {
  rssMb: number
  /** Peak resident set size since the process started (VmHWM). */
  peakRssMb: number
}

export function memoryUse(pid: number): MemoryUse {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN)
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 }
}

/** Polls `url` until it answers 2xx; rejects when the process dies or after `timeoutMs`. */
export async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${url}: the server exited (${child.exitCode ?? child.signalCode}) during start`)
    try {
      const response = await fetch(url)
      await response.arrayBuffer()
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

/** Busy (processes, steal) and total jiffies of one core so far (/proc/stat), to tell what others took. */
export function coreTicks(core: number): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`cpu${core} `))
  if (!line) return { busy: 0, total: 0 }
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number)
  // Interrupt time is left out of "busy": loopback traffic the benchmark itself sends is handled there.
  const busy = user! + nice! + system! + steal!
  return { busy, total: busy + idle! + iowait! + irq! + softirq! }
}

/** Seconds of a core's time, from jiffies. */
export const ticksToSeconds = (ticks: number) => ticks / clockTicks()
