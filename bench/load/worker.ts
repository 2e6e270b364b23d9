/** The load generator's process: pinned to its own core by the orchestrator, runs one job and exits. */
import type { FromWorker, JobContext, JobRunner, ToWorker } from './protocol.ts'

process.setMaxListeners(0)
const send = (message: FromWorker) => process.send!(message)
const pending = new Map<string, (reply: unknown) => void>()
let stopRequested = false

const context: JobContext = {
  mark: <R>(name: string, data?: unknown) =>
    new Promise<R>((resolve) => {
      pending.set(name, resolve as (reply: unknown) => void)
      send({ type: 'mark', name, data: data ?? null })
    }),
  stopped: () => stopRequested,
  log: (message) => process.stderr.write(`  [load] ${message}\n`),
}

async function runner(kind: string): Promise<JobRunner> {
  switch (kind) {
    case 'meeting':
      return (await import('./meetingLoad.ts')).runMeeting
    case 'trace-replay':
      return (await import('./traceLoad.ts')).runTraceReplay
    case 'concurrent-trace':
      return (await import('./concurrentLoad.ts')).runConcurrentTrace
    case 'large-document':
      return (await import('./largeDocumentLoad.ts')).runLargeDocument
    case 'abuser':
      return (await import('./abuseLoad.ts')).runAbuser
    case 'crafted':
      return (await import('./craftedLoad.ts')).runCrafted
    case 'stall-probe':
      return (await import('./stallProbe.ts')).runStallProbe
    case 'status-changes':
      return (await import('./statusLoad.ts')).runStatusChanges
    case 'meeting-follow':
      return (await import('./followLoad.ts')).runMeetingFollow
    case 'touch':
      return (await import('./touchLoad.ts')).runTouch
    case 'export-latency':
      return (await import('./exportLatencyLoad.ts')).runExportLatency
    case 'lock-check':
      return (await import('../inprocess/lockCheckLoad.ts')).runLockCheck
    default:
      throw new Error(`unknown load job ${kind}`)
  }
}

process.on('message', (message: ToWorker) => {
  if (message.type === 'marked') {
    const resolve = pending.get(message.name)
    pending.delete(message.name)
    resolve?.(message.reply)
  } else if (message.type === 'stop') {
    stopRequested = true
  } else if (message.type === 'job') {
    void (async () => {
      try {
        const run = await runner(message.job.kind)
        const result = await run(message.job.params, context)
        process.send!({ type: 'result', result } satisfies FromWorker, () => process.exit(0))
      } catch (error) {
        const failed: FromWorker = { type: 'failed', message: (error as Error).stack ?? String(error) }
        process.send!(failed, () => process.exit(1))
      }
    })()
  }
})
