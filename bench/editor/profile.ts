/**
 * Chromium's sampling profiler through a CDP session (Profiler.start / Profiler.stop): the profile is saved as a
 * `.cpuprofile` (open it in Chromium's DevTools) and summarized as the functions with the most self time.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import path from 'node:path'
import type { CDPSession, Page } from 'playwright-core'

const RESULTS = path.resolve(import.meta.dirname, '../results')
const ASSETS = path.resolve(import.meta.dirname, '../../dist/client/assets')

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
  hitCount?: number
}

interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples?: number[]
  timeDeltas?: number[]
}

export interface SelfTimeEntry {
  function: string
  file: string
  selfMs: number
  percent: number
}

export interface Profiling {
  /** Saves the profile; `busyMs` is the page's JavaScript and garbage-collection time in it. */
  stop(name: string): Promise<{ file: string; busyMs: number; top: SelfTimeEntry[] }>
}

export async function startProfiling(page: Page, samplingMicros = 200): Promise<Profiling> {
  const session: CDPSession = await page.context().newCDPSession(page)
  await session.send('Profiler.enable')
  await session.send('Profiler.setSamplingInterval', { interval: samplingMicros })
  await session.send('Profiler.start')
  return {
    async stop(name) {
      const { profile } = (await session.send('Profiler.stop')) as unknown as { profile: CpuProfile }
      await session.detach().catch(() => undefined)
      mkdirSync(RESULTS, { recursive: true })
      const file = path.join(RESULTS, `editor-${name}.cpuprofile`)
      writeFileSync(file, JSON.stringify(profile))
      const top = selfTimes(profile)
      return { file: path.relative(process.cwd(), file), busyMs: busyTime(profile), top }
    },
  }
}

/** Self time per function (by name, file and line), from the samples and their time deltas. */
export function selfTimes(profile: CpuProfile, count = 15): SelfTimeEntry[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]))
  const micros = new Map<string, number>()
  let total = 0
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  for (let i = 0; i < samples.length; i++) {
    const node = byNode.get(samples[i]!)
    // Each delta is the time before sample i; attribute the time after it (the next delta) to sample i.
    const spent = deltas[i + 1] ?? 0
    if (!node || spent <= 0) continue
    const { functionName } = node.callFrame
    if (functionName === '(idle)' || functionName === '(program)') continue
    const key = `${functionName || '(anonymous)'}\t${sourceOf(node.callFrame)}`
    micros.set(key, (micros.get(key) ?? 0) + spent)
    total += spent
  }
  return ranked(micros, total, count)
}

const maps = new Map<string, SourceMap | null>()

/** The function's place in our sources (through the build's source map), or the script's name and line. */
function sourceOf(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return ''
  const script = path.basename(frame.url.split('?')[0]!)
  let map = maps.get(script)
  if (map === undefined) {
    const file = path.join(ASSETS, `${script}.map`)
    map = existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : null
    maps.set(script, map)
  }
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as
    | { originalSource?: string; originalLine?: number }
    | undefined
  if (!entry?.originalSource) return `${script}:${frame.lineNumber + 1}`
  const source = entry.originalSource.replace(/^(\.\.\/)+/, '').replace(/^(main\/)?node_modules\//, '')
  return `${source}:${(entry.originalLine ?? 0) + 1}`
}

/** Total (inclusive) time per function: the time of the samples with that function anywhere on their stack. */
export function totalTimes(profile: CpuProfile, count = 30): SelfTimeEntry[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes as (ProfileNode & { children?: number[] })[])
    for (const child of node.children ?? []) parent.set(child, node.id)
  const micros = new Map<string, number>()
  let total = 0
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  for (let i = 0; i < samples.length; i++) {
    const spent = deltas[i + 1] ?? 0
    const leaf = byNode.get(samples[i]!)
    if (
      !leaf ||
      spent <= 0 ||
      leaf.callFrame.functionName === '(idle)' ||
      leaf.callFrame.functionName === '(program)'
    )
      continue
    total += spent
    const seen = new Set<string>()
    for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) {
      const frame = byNode.get(id)!.callFrame
      const key = `${frame.functionName || '(anonymous)'}\t${sourceOf(frame)}`
      if (seen.has(key)) continue
      seen.add(key)
      micros.set(key, (micros.get(key) ?? 0) + spent)
    }
  }
  return ranked(micros, total, count)
}

/** The `count` functions with the most time, with their share of `total`. */
function ranked(micros: Map<string, number>, total: number, count: number): SelfTimeEntry[] {
  return [...micros]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, us]) => {
      const [fn, file] = key.split('\t') as [string, string]
      return {
        function: fn,
        file,
        selfMs: Math.round(us / 100) / 10,
        percent: Math.round((us / total) * 1000) / 10,
      }
    })
}

/** JavaScript and garbage-collection time in the profile (neither idle nor the browser's own work), in ms. */
export function busyTime(profile: CpuProfile): number {
  const notJs = new Set(['(idle)', '(program)'])
  const idle = new Set(profile.nodes.filter((n) => notJs.has(n.callFrame.functionName)).map((n) => n.id))
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  let micros = 0
  for (let i = 0; i < samples.length; i++) if (!idle.has(samples[i]!)) micros += deltas[i + 1] ?? 0
  return Math.round(micros / 1000)
}
