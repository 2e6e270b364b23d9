/** The orchestrator's side of a load job: a worker process pinned to the load core. */
import path from 'node:path'
import { LOAD_CORE, spawnPinned } from '../lib/processes.ts'
import type { FromWorker, LoadJob, ToWorker } from './protocol.ts'

const WORKER = path.join(import.meta.dirname, 'worker.ts')

export interface LoadHandle<R> {
  result: Promise<R>
  /** Asks a long-running job to finish (it then sends its result). */
  stop(): void
  pid: number
}

/**
 * Starts `job` in a fresh load-generator process. `onMark` runs in the orchestrator at each mark; the job waits
 * for it. Rejects when the job fails or the process dies.
 */
export function startLoad<R>(
  job: LoadJob,
  onMark: (name: string, data: any) => unknown | Promise<unknown> = () => null,
  options: { nice?: number; maxOldSpaceMb?: number; core?: number } = {},
): LoadHandle<R> {
  const args = [`--max-old-space-size=${options.maxOldSpaceMb ?? 4096}`, '--import', 'tsx', WORKER]
  // BENCH_PROFILE_LOAD=<dir>: profile the load generator too (to check that it is not what limits a result).
  if (process.env.BENCH_PROFILE_LOAD)
    args.unshift('--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_LOAD)
  const command = options.nice ? 'nice' : process.execPath
  const fullArgs = options.nice ? ['-n', String(options.nice), process.execPath, ...args] : args
  const child = spawnPinned(options.core ?? LOAD_CORE, command, fullArgs, {
    cwd: path.resolve(import.meta.dirname, '../..'),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const send = (message: ToWorker) => {
    if (child.connected) child.send(message)
  }
  const result = new Promise<R>((resolve, reject) => {
    let settled = false
    child.on('message', (message: FromWorker) => {
      if (message.type === 'mark') {
        void Promise.resolve(onMark(message.name, message.data)).then(
          (reply) => send({ type: 'marked', name: message.name, reply: reply ?? null }),
          (error) => {
            settled = true
            reject(error)
            child.kill('SIGKILL')
          },
        )
      } else if (message.type === 'result') {
        settled = true
        resolve(message.result as R)
        child.disconnect()
      } else if (message.type === 'failed') {
        settled = true
        reject(new Error(`load job ${job.kind} failed: ${message.message}`))
        child.disconnect()
      }
    })
    child.on('exit', (code, signal) => {
      if (!settled) reject(new Error(`load generator exited (${code ?? signal}) during ${job.kind}`))
    })
  })
  child.once('spawn', () => send({ type: 'job', job }))
  return { result, stop: () => send({ type: 'stop' }), pid: child.pid ?? 0 }
}

export function runLoad<R>(
  job: LoadJob,
  onMark?: (name: string, data: any) => unknown,
  options: { core?: number } = {},
): Promise<R> {
  return startLoad<R>(job, onMark, options).result
}
