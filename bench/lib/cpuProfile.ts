/** Reads V8 CPU profiles (`--cpu-prof`) and says where the time went: self time by function and by file. */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export interface ProfileSummary {
  file: string
  totalMs: number
  idleMs: number
  functions: { name: string; ms: number }[]
  files: { name: string; ms: number }[]
}

function shortUrl(url: string): string {
  if (!url) return '(native)'
  const clean = url.replace(/^file:\/\//, '')
  const modules = clean.lastIndexOf('node_modules/')
  if (modules >= 0) return clean.slice(modules + 'node_modules/'.length)
  const root = clean.indexOf('/main/')
  return root >= 0 ? clean.slice(root + '/main/'.length) : clean
}

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const selfMs = new Map<number, number>()
  for (const [i, id] of profile.samples.entries())
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  const functions = new Map<string, number>()
  const files = new Map<string, number>()
  let totalMs = 0
  let idleMs = 0
  for (const [id, ms] of selfMs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame
    totalMs += ms
    if (functionName === '(idle)') {
      idleMs += ms
      continue
    }
    const where = shortUrl(url)
    const name = `${functionName || '(anonymous)'} ${url ? `${where}:${lineNumber + 1}` : ''}`.trim()
    functions.set(name, (functions.get(name) ?? 0) + ms)
    const fileKey = url ? where.split(':')[0]! : functionName
    files.set(fileKey, (files.get(fileKey) ?? 0) + ms)
  }
  const sorted = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms }))
  return { file, totalMs, idleMs, functions: sorted(functions), files: sorted(files) }
}

export function renderProfile(summary: ProfileSummary): string {
  const busy = summary.totalMs - summary.idleMs
  const share = (ms: number) => `${((100 * ms) / Math.max(1, busy)).toFixed(1)}%`
  return [
    `**CPU profile ${path.basename(summary.file)}**: ${(busy / 1000).toFixed(1)} s busy of ` +
      `${(summary.totalMs / 1000).toFixed(1)} s. Self time, top functions:`,
    '',
    ...summary.functions.map((f) => `- ${share(f.ms)} ${f.name}`),
    '',
    'By file:',
    '',
    ...summary.files.slice(0, 10).map((f) => `- ${share(f.ms)} ${f.name}`),
  ].join('\n')
}

/** Summaries of the profiles written into `dir` since `sinceMs`. */
export function summarizeProfiles(dir: string, sinceMs: number): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).mtimeMs >= sinceMs)
    .sort()
    .map((file) => renderProfile(summarizeProfile(file)))
}
