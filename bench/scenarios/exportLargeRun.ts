/**
 * One export of the 120,000-word deliverable in a process of its own (so that its peak memory is its own): run
 * by the export scenario as `node --import tsx bench/scenarios/exportLargeRun.ts <docx|marks|pdf>`, it exports twice
 * (the first starts the export worker, the second finds it warm) and prints one JSON line: each export's time and
 * CPU time (all threads of this process: the event loop, the export worker, V8's helpers; not LibreOffice's),
 * the longest event-loop stall during it (how long another client's keystroke would wait) and the file's size,
 * and the process's RSS before and at its peak.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as Y from 'yjs'
import { createAccordServer } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { warmDocxWorker } from '../../server/export/docxOffThread.ts'
import { ExportService } from '../../server/export/exportService.ts'
import { createLogger } from '../../server/logger.ts'
import type { StoredDeliverable } from '../../server/storage/metadataStore.ts'
import { SERVER_ORIGIN } from '../../server/sync/liveDocument.ts'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { largeDeliverableUpdate } from '../../test/support/largeDeliverable.ts'

const kind = (process.argv[2] ?? 'docx') as 'docx' | 'marks' | 'pdf'
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'accord-bench-export-'))
const accord = await createAccordServer(loadConfig({ DATA_DIR: dataDir, SETUP_TOKEN: 'bench' }), {
  logger: createLogger('fatal'),
})
const ctx = accord.ctx
const id = 'benchexport01'
const live = await ctx.hub.create(id, (doc) => Y.applyUpdate(doc, largeDeliverableUpdate()))
const deliverable: StoredDeliverable = {
  id,
  title: 'FGMV-99 Large deliverable',
  type: 'technical-report',
  groupId: 'none',
  members: {},
  createdAt: new Date().toISOString(),
  requiredClauseItems: [],
}
let from: Uint8Array | undefined
if (kind === 'marks') {
  // The base is the state before an editor changed a word in every tenth clause.
  from = Y.encodeStateAsUpdate(live.doc)
  const replica = new Y.Doc()
  Y.applyUpdate(replica, from)
  const texts: Y.XmlText[] = []
  const stack: (Y.XmlElement | Y.XmlFragment)[] = [replica.getXmlFragment(BODY_FIELD)]
  while (stack.length > 0) {
    const node = stack.pop()!
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) texts.push(child)
      else if (child instanceof Y.XmlElement) stack.push(child)
    }
  }
  replica.transact(() => {
    for (let i = 0; i < texts.length; i += 10) {
      const text = texts[i]!
      if (text.length > 20) {
        text.delete(5, 6)
        text.insert(5, 'revised ')
      }
    }
  })
  Y.applyUpdate(live.doc, Y.encodeStateAsUpdate(replica, Y.encodeStateVector(live.doc)), SERVER_ORIGIN)
}
global.gc?.()
const rssBefore = process.memoryUsage().rss
const exports = new ExportService(ctx)
// The export worker is started and warmed first, as `npm start` does when the server starts listening (timed
// apart); then the first export of this deliverable, and a second one as every later export.
const workerStarted = performance.now()
await warmDocxWorker()
const workerStartMs = performance.now() - workerStarted
const rounds: { ms: number; cpuMs: number; maxStallMs: number; bytes: number }[] = []
for (let round = 0; round < 2; round++) {
  // The longest gap between ticks of a 1 ms timer: how long the event loop could not serve anything else.
  let maxStallMs = 0
  let lastTick = performance.now()
  const ticker = setInterval(() => {
    const now = performance.now()
    maxStallMs = Math.max(maxStallMs, now - lastTick)
    lastTick = now
  }, 1)
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  const file = await exports.export(deliverable, {
    format: kind === 'pdf' ? 'pdf' : 'docx',
    ...(from ? { from } : {}),
  })
  const ms = performance.now() - started
  const cpu = process.cpuUsage(cpuBefore)
  maxStallMs = Math.max(maxStallMs, performance.now() - lastTick)
  clearInterval(ticker)
  rounds.push({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxStallMs, bytes: file.bytes.length })
}
console.log(
  JSON.stringify({
    kind,
    workerStartMs,
    first: rounds[0],
    next: rounds[1],
    rssBeforeMb: rssBefore / 1024 / 1024,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
)
await accord.close()
await rm(dataDir, { recursive: true, force: true })
process.exit(0)
