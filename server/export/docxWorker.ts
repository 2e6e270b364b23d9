/**
 * The .docx writer on a worker thread: the `docx` package spends seconds on a 120,000-word deliverable, all of it
 * synchronous work that would stall every live document of the server meanwhile. The main thread reads the Yjs
 * document into plain data (fast); this thread turns it into the file.
 */
import { parentPort } from 'node:worker_threads'
import { writeDocx } from './docxWriter.ts'
import type { ExportDocument } from './exportDocument.ts'
import { applyPendingRevisions } from './pendingRevisions.ts'

parentPort?.on('message', async (document: ExportDocument) => {
  try {
    const bytes = await writeDocx(applyPendingRevisions(document))
    parentPort?.postMessage({ ok: true, bytes }, [bytes.buffer as ArrayBuffer])
  } catch (error) {
    parentPort?.postMessage({ ok: false, message: (error as Error).message })
  }
})
