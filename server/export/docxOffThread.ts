/**
 * Runs the .docx writer on a worker thread (docxWorker.ts), so that the event loop keeps serving live editing
 * during an export. One worker is kept warm and reused: starting one (a fresh V8 isolate that loads tsx and the
 * `docx` package, then compiles its code on first use) costs more than writing a 120,000-word deliverable with a
 * warm one. It keeps a copy of each live document it exports, fed with the document's updates (replicaFeeds.ts),
 * so that an export costs the event loop no copy of the whole text. It is unreferenced while idle, so that it
 * never keeps a process alive, and started again if it stops. Where a worker cannot start (a runtime without it),
 * the writer runs in-process and the caller is told why.
 */
import { Worker } from 'node:worker_threads'
import type { ExportSource } from './composeDocument.ts'
import { buildDocx, type DocxInput } from './docxJob.ts'
import type { ExportDocument } from './exportDocument.ts'
import { type ReplicaFeed, ReplicaFeeds } from './replicaFeeds.ts'

const WORKER_URL = new URL('./docxWorker.ts', import.meta.url)

export interface OffThreadResult {
  bytes: Buffer
  /** False when the worker could not start and the writer ran on the main thread. */
  offThread: boolean
  /** The worker thread that wrote it (node:worker_threads' threadId); absent when written in-process. */
  workerThreadId?: number
}

/** What the worker answers: `ready` once it has loaded and warmed the writer, then one answer per job. */
export type WorkerAnswer =
  | { type: 'ready' }
  | { type: 'done'; job: number; bytes: Uint8Array; threadId: number }
  | { type: 'failed'; job: number; message: string }

/** A job as it crosses to the worker: a live document travels as the feed of the worker's copy of it. */
export type WorkerInput = { document: ExportDocument } | { source: ExportSource; replica: ReplicaFeed }

/** What the worker is sent: jobs, and between jobs the updates and the end of its copies of live documents. */
export type WorkerMessage =
  | { type: 'job'; job: number; input: WorkerInput }
  | { type: 'feed'; feed: ReplicaFeed }
  | { type: 'forget'; id: number }

export async function writeDocxOffThread(input: DocxInput): Promise<OffThreadResult> {
  try {
    const { bytes, threadId } = await pool.write(input)
    return { bytes, offThread: true, workerThreadId: threadId }
  } catch (error) {
    if (!(error instanceof WorkerUnavailable)) throw error
    return { bytes: await buildDocx(input), offThread: false }
  }
}

/**
 * Starts the export worker ahead of the first export (a server calls it once it listens), so that nobody waits
 * for its start; resolves when it is ready (or could not start: the first export then runs in-process).
 */
export function warmDocxWorker(): Promise<void> {
  return pool.ready().then(
    () => undefined,
    () => undefined,
  )
}

/** Stops the worker (it starts again on the next export). */
export function stopDocxWorker(): Promise<void> {
  return pool.stop()
}

class WorkerUnavailable extends Error {}

interface Written {
  bytes: Buffer
  threadId: number
}

interface Pending {
  resolve: (written: Written) => void
  reject: (error: Error) => void
}

/** A pool of one warm worker; jobs queue on its message port and run one after another. */
class DocxWorkerPool {
  private worker: Worker | null = null
  private started: Promise<Worker> | null = null
  private readonly pending = new Map<number, Pending>()
  private nextJob = 1
  private readonly feeds = new ReplicaFeeds({
    feed: (feed) => this.worker?.postMessage({ type: 'feed', feed } satisfies WorkerMessage),
    forget: (id) => this.worker?.postMessage({ type: 'forget', id } satisfies WorkerMessage),
  })

  ready(): Promise<Worker> {
    this.started ??= this.start()
    return this.started
  }

  async write(input: DocxInput): Promise<Written> {
    const worker = await this.ready()
    const job = this.nextJob++
    return new Promise<Written>((resolve, reject) => {
      const failed = (error: Error) => {
        // The worker's copy may be what failed: the next export of this document starts a new one.
        if ('doc' in input) this.feeds.forgetCopy(input.doc)
        reject(error)
      }
      this.pending.set(job, { resolve, reject: failed })
      // While a job is in flight the worker keeps the process alive, as any pending I/O would.
      worker.ref()
      try {
        // The feed is taken in the same tick as it is posted, to the worker that holds the copy.
        const wire: WorkerInput =
          'doc' in input ? { source: input.source, replica: this.feeds.feedFor(input.doc) } : input
        worker.postMessage({ type: 'job', job, input: wire } satisfies WorkerMessage)
      } catch (error) {
        this.settle(job)
        failed(error as Error)
      }
    })
  }

  async stop(): Promise<void> {
    const worker = this.worker
    this.forget(new WorkerUnavailable('the export worker was stopped'))
    await worker?.terminate()
  }

  private start(): Promise<Worker> {
    return new Promise<Worker>((resolve, reject) => {
      let worker: Worker
      try {
        // A worker does not inherit the process's TypeScript loader: it registers tsx's, then loads the writer.
        const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}) })`
        worker = new Worker(bootstrap, { eval: true })
      } catch (error) {
        this.started = null
        reject(new WorkerUnavailable((error as Error).message))
        return
      }
      worker.unref()
      this.worker = worker
      let isReady = false
      worker.on('message', (answer: WorkerAnswer) => {
        if (answer.type === 'ready') {
          isReady = true
          resolve(worker)
          return
        }
        const pending = this.settle(answer.job)
        if (!pending) return
        if (answer.type === 'done')
          pending.resolve({
            bytes: Buffer.from(answer.bytes.buffer, answer.bytes.byteOffset, answer.bytes.byteLength),
            threadId: answer.threadId,
          })
        else pending.reject(new Error(answer.message))
      })
      const lost = (why: string) => {
        if (this.worker !== worker) return
        this.forget(new WorkerUnavailable(why))
        if (!isReady) reject(new WorkerUnavailable(why))
      }
      worker.once('error', (error) => lost(error.message))
      worker.once('exit', (code) => lost(`the export worker stopped (exit code ${code})`))
    })
  }

  private settle(job: number): Pending | undefined {
    const pending = this.pending.get(job)
    this.pending.delete(job)
    if (this.pending.size === 0) this.worker?.unref()
    return pending
  }

  /** Fails the jobs in flight and lets the next export start a new worker. */
  private forget(error: Error): void {
    this.worker = null
    this.started = null
    this.feeds.reset()
    const pending = [...this.pending.values()]
    this.pending.clear()
    for (const p of pending) p.reject(error)
  }
}

const pool = new DocxWorkerPool()
