/**
 * The .docx writer on a worker thread: the `docx` package spends seconds on a 120,000-word deliverable, all of it
 * synchronous work that would stall every live document of the server meanwhile. The main thread gathers plain
 * data and forwards the live document's updates (fast); this thread keeps a copy of the document, reads the text,
 * lays it out and writes the file. It runs at a lower scheduling priority than the server's event loop, so that on
 * a busy machine live editing comes before an export.
 */
import { readlinkSync } from 'node:fs'
import os from 'node:os'
import { parentPort, threadId } from 'node:worker_threads'
import { buildDocx } from './docxJob.ts'
import type { WorkerAnswer, WorkerInput, WorkerMessage } from './docxOffThread.ts'
import { warmUpDocument } from './warmUp.ts'
import { WorkerReplicas } from './workerReplicas.ts'

/** Niceness of the export thread (0 is the server's; 19 the lowest priority). */
const EXPORT_NICENESS = 10

lowerOwnPriority()
// One small document written before the first job: the writer's code is compiled now rather than during an export.
await buildDocx({ document: warmUpDocument() })
parentPort?.postMessage({ type: 'ready' } satisfies WorkerAnswer)

const replicas = new WorkerReplicas()

parentPort?.on('message', (message: WorkerMessage) => {
  if (message.type === 'feed') replicas.follow(message.feed)
  else if (message.type === 'forget') replicas.forget(message.id)
  else void write(message.job, message.input)
})

async function write(job: number, input: WorkerInput): Promise<void> {
  try {
    // The copy is read in this tick, before the writer's first await: a later message cannot change it midway.
    const bytes = await buildDocx(
      'replica' in input ? { source: input.source, doc: replicas.apply(input.replica) } : input,
    )
    parentPort?.postMessage({ type: 'done', job, bytes, threadId } satisfies WorkerAnswer, [
      bytes.buffer as ArrayBuffer,
    ])
  } catch (error) {
    parentPort?.postMessage({ type: 'failed', job, message: (error as Error).message } satisfies WorkerAnswer)
  }
}

/**
 * On Linux a thread has its own id and its own niceness: setpriority() on this thread's id (from
 * /proc/thread-self) lowers this thread only. Elsewhere, or where it is refused, the export runs at normal priority.
 */
function lowerOwnPriority(): void {
  try {
    const osThreadId = Number(readlinkSync('/proc/thread-self').split('/').at(-1))
    if (Number.isInteger(osThreadId) && osThreadId > 0) os.setPriority(osThreadId, EXPORT_NICENESS)
  } catch {
    // not Linux, or not allowed: normal priority
  }
}
