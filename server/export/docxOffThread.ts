/**
 * Runs the .docx writer on a worker thread (docxWorker.ts), one worker per export, so that the event loop keeps
 * serving live editing during an export. The worker loads TypeScript through tsx, as the server itself does; where
 * a worker cannot start (a runtime without it), the writer runs in-process and the caller is told why.
 */
import { Worker } from 'node:worker_threads'
import { writeDocx } from './docxWriter.ts'
import type { ExportDocument } from './exportDocument.ts'
import { applyPendingRevisions } from './pendingRevisions.ts'

const WORKER_URL = new URL('./docxWorker.ts', import.meta.url)

export interface OffThreadResult {
  bytes: Buffer
  /** False when the worker could not start and the writer ran on the main thread. */
  offThread: boolean
}

export async function writeDocxOffThread(document: ExportDocument): Promise<OffThreadResult> {
  try {
    return { bytes: await inWorker(document), offThread: true }
  } catch (error) {
    if (!(error instanceof WorkerUnavailable)) throw error
    return { bytes: await writeDocx(applyPendingRevisions(document)), offThread: false }
  }
}

class WorkerUnavailable extends Error {}

function inWorker(document: ExportDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let worker: Worker
    try {
      // A worker does not inherit the process's TypeScript loader: it registers tsx's, then loads the writer.
      const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}) })`
      worker = new Worker(bootstrap, { eval: true })
    } catch (error) {
      reject(new WorkerUnavailable((error as Error).message))
      return
    }
    let answered = false
    worker.once('message', (answer: { ok: true; bytes: Uint8Array } | { ok: false; message: string }) => {
      answered = true
      void worker.terminate()
      if (answer.ok)
        resolve(Buffer.from(answer.bytes.buffer, answer.bytes.byteOffset, answer.bytes.byteLength))
      else reject(new Error(answer.message))
    })
    worker.once('error', (error) => {
      if (!answered) reject(new WorkerUnavailable(error.message))
    })
    worker.once('exit', (code) => {
      if (!answered) reject(new WorkerUnavailable(`the export worker stopped (exit code ${code})`))
    })
    worker.postMessage(document)
  })
}
