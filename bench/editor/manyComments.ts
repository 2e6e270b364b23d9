/**
 * Issue 24's load: 2,000 comments and 500 open suggestions on the 120,000-word, 400-clause deliverable
 * (test/support/largeDeliverable.ts), against the same deliverable without annotations, on one server run as its own
 * process: the server's memory before and after the annotations, the time of `GET /comments`, in headless Chromium
 * the time until the editor is editable with its last clause and the comment margin shown and keystroke-to-screen
 * (bench/editor/keyToScreen.ts) while typing with the margin open, and the time a new comment takes to reach 300
 * clients connected to that deliverable (bench/load/statusLoad.ts). Run by the bench's `comments` scenario; alone:
 * `npx tsx bench/editor/manyComments.ts [--runs N] [--profile]` (--profile saves Chromium's CPU profiles of the
 * opening and of the typing: bench/results/editor-{plain,annotated}-{opening,typing}.cpuprofile). Prints one JSON
 * line last.
 */
import { execFileSync } from 'node:child_process'
import { parseArgs } from 'node:util'
import type * as Y from 'yjs'
import { anchorInText } from '../../shared/clauses/anchors.ts'
import { findClauseElement } from '../../shared/clauses/clauseText.ts'
import { ensureClientBuilt, openPage } from '../../test/browser/pages.ts'
import { launchBrowser } from '../../test/support/browser.ts'
import {
  buildWorkspace,
  createDeliverable,
  type Session,
  setDeliverableRole,
} from '../../test/support/factories.ts'
import { appendLargeDeliverable, largeDeliverable } from '../../test/support/largeDeliverable.ts'
import {
  connectClient,
  firstParagraphText,
  type LiveClient,
  waitFor,
} from '../../test/support/syncClients.ts'
import { startTestServer } from '../../test/support/testServer.ts'
import { cpuSeconds, memoryUse } from '../lib/processes.ts'
import { runStatusChanges } from '../load/statusLoad.ts'
import { firstShownAt, watchFirstShown } from './firstShown.ts'
import { installKeyProbe, keyToScreenFloor, median, type Spread, timedTyping } from './keyToScreen.ts'
import { startProfiling } from './profile.ts'

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '1' }, profile: { type: 'boolean', default: false } },
})
const RUNS = Number(args.runs)
const COMMENTS = 2_000
const SUGGESTIONS = 500
/** Clients connected to the annotated deliverable while new comments are posted. */
const LISTENERS = 300
const NEW_COMMENTS = 20
/** Per clause: three threads on words of its first paragraph, one on the whole clause, one reply. */
const PER_CLAUSE = 5
const KEYSTROKES = 100
const KEY_INTERVAL_MS = 100

ensureClientBuilt()
const server = await startTestServer({ childProcess: true })
const serverPid = Number(
  /pid=(\d+)/.exec(execFileSync('ss', ['-ltnpH', `sport = :${server.port}`], { encoding: 'utf8' }))?.[1],
)
const rssMb = () => Math.round(memoryUse(serverPid).rssMb)
const ws = await buildWorkspace(server)
const plainId = ws.deliverable.id
const annotatedId = (await createDeliverable(ws.chair, ws.wg.id)).id
for (const [who, role] of [
  [ws.editor, 'editor'],
  [ws.editor2, 'editor'],
  [ws.participant, 'participant'],
] as const)
  await setDeliverableRole(ws.chair, annotatedId, who.user.id, role)

const fixture = largeDeliverable()
/** Writes the large deliverable with a real client, which stays connected so that the document stays loaded. */
async function written(id: string): Promise<LiveClient> {
  const writer = connectClient(server, id, ws.editor.cookie)
  await writer.synced()
  appendLargeDeliverable(writer.body, fixture)
  const expected = writer.body.toString()
  const check = connectClient(server, id, ws.chair.cookie)
  await check.synced()
  await waitFor(() => check.body.toString() === expected, 'the large deliverable on the server', 120_000)
  check.destroy()
  return writer
}
const writers = [await written(plainId), await written(annotatedId)]
const rssBeforeComments = rssMb()

/** The comment requests, spread over the clauses; anchors made on the writer's replica, as the browser makes them. */
function commentBodies(
  body: Y.XmlFragment,
): { author: Session; body: Record<string, unknown>; reply: boolean }[] {
  const out: { author: Session; body: Record<string, unknown>; reply: boolean }[] = []
  for (const [i, clauseId] of fixture.clauseIds.entries()) {
    const element = findClauseElement(body, clauseId)
    if (!element) throw new Error(`no clause ${clauseId}`)
    const text = firstParagraphText(element)
    for (let k = 0; k < PER_CLAUSE && out.length < COMMENTS; k++) {
      const author = (i + k) % 2 === 0 ? ws.participant : ws.editor2
      const from = Math.min(text.length - 1, 10 * k)
      const anchored = k < 3 && text.length > from + 5
      out.push({
        author,
        reply: k === 4,
        body: {
          sectionId: clauseId,
          body: `Comment ${i}.${k}: does this sentence say what the group agreed?`,
          ...(anchored ? { anchor: anchorInText(text, from, from + 5) } : {}),
        },
      })
    }
  }
  return out
}

const requests = commentBodies(writers[1]!.body)
const threadOf = new Map<string, string>()
let next = 0
const postStarted = performance.now()
// Eight writers at a time, as many people commenting at once would.
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next < requests.length) {
      const request = requests[next++]!
      const sectionId = request.body.sectionId as string
      const replyTo = request.reply ? threadOf.get(sectionId) : undefined
      const answer = await request.author.api.post(`/api/deliverables/${annotatedId}/comments`, {
        ...request.body,
        ...(replyTo ? { replyTo } : {}),
      })
      if (answer.status !== 201) throw new Error(`comment refused: ${JSON.stringify(answer.body)}`)
      if (!request.reply) threadOf.set(sectionId, answer.body.comment.id)
    }
  }),
)
const postMs = performance.now() - postStarted

/** One suggestion per clause on words of its first paragraph past the comments' (two on the first 100 clauses). */
async function suggest(body: Y.XmlFragment): Promise<void> {
  for (let n = 0; n < SUGGESTIONS; n++) {
    const clauseId = fixture.clauseIds[n % fixture.clauseIds.length]!
    const text = firstParagraphText(findClauseElement(body, clauseId)!)
    const from = n < fixture.clauseIds.length ? 40 : 60
    if (text.length < from + 6)
      throw new Error(`clause ${clauseId}: first paragraph too short for a suggestion`)
    const answer = await ws.participant.api.post(`/api/deliverables/${annotatedId}/suggestions`, {
      sectionId: clauseId,
      anchor: anchorInText(text, from, from + 5),
      replacement: 'the agreed term',
    })
    if (answer.status !== 201) throw new Error(`suggestion refused: ${JSON.stringify(answer.body)}`)
  }
}
await suggest(writers[1]!.body)
const rssAfterComments = rssMb()

const listTimes: number[] = []
let listBytes = 0
for (let i = 0; i < 7; i++) {
  const started = performance.now()
  const response = await fetch(`${server.url}/api/deliverables/${annotatedId}/comments`, {
    headers: { cookie: ws.editor2.cookie },
  })
  const text = await response.text()
  listTimes.push(performance.now() - started)
  listBytes = text.length
  if (JSON.parse(text).comments.length !== COMMENTS) throw new Error('not every comment was listed')
}
const rssAfterList = rssMb()

interface Opening {
  /**
   * From the navigation's start until the editor is editable with its last clause and, with comments, the margin
   * shows a thread (timed in the page: firstShown.ts).
   */
  editableMs: number
  /** From the navigation's start until the editor is editable with its last clause. */
  textMs: number
  /** The annotation requests, asked–answered (ms from the navigation's start). */
  fetches: string[]
  /** The server's CPU time while the keys were typed. */
  serverCpuWhileTypingMs: number
  threadsShown: number
  keys: Spread
}

const browser = await launchBrowser()
/** Opens a deliverable as the second editor, waits for its last clause (and margin), then types with it open. */
async function open(id: string, withComments: boolean): Promise<Opening> {
  const { page, context } = await openPage(browser.browser, server.url, ws.editor2.cookie)
  await watchFirstShown(page, `/d/${id}`, {
    editable: '.itu-document[contenteditable="true"]',
    lastClause: `.itu-document [data-clause-id="${fixture.clauseIds.at(-1)}"]`,
    ...(withComments ? { thread: '[data-testid="comment-thread"]' } : {}),
  })
  await page.goto('/')
  const name = withComments ? 'annotated' : 'plain'
  const openProfiler = args.profile ? await startProfiling(page) : null
  await page.goto(`/d/${id}`)
  const [editable = 0, lastClause = 0, thread = 0] = await firstShownAt(
    page,
    withComments ? ['editable', 'lastClause', 'thread'] : ['editable', 'lastClause'],
    300_000,
  )
  const textMs = Math.max(editable, lastClause)
  const editableMs = Math.max(textMs, thread)
  // When the comments and suggestions were asked for and answered, from the navigation's start.
  const fetches = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((entry) => /\/(comments|suggestions)$/.test(entry.name))
      .map(
        (entry) =>
          `${Math.round(entry.startTime)}–${Math.round((entry as PerformanceResourceTiming).responseEnd)}`,
      ),
  )
  if (openProfiler) console.error(JSON.stringify(await openProfiler.stop(`${name}-opening`), null, 1))
  const threadsShown = await page.getByTestId('comment-thread').count()
  // The caret at the end of a paragraph in the middle of the document; only the keys typed after it are timed.
  await page
    .locator(`.itu-document [data-clause-id="${fixture.clauseIds[200]}"] p`)
    .first()
    .click({ timeout: 300_000 })
  await page.keyboard.press('End')
  await installKeyProbe(page)
  await page.waitForTimeout(500)
  const profiler = args.profile ? await startProfiling(page) : null
  const cpuBefore = cpuSeconds(serverPid)
  const keys = await timedTyping(page, KEYSTROKES, KEY_INTERVAL_MS)
  const serverCpuWhileTypingMs = Math.round((cpuSeconds(serverPid) - cpuBefore) * 1000)
  if (profiler) console.error(JSON.stringify(await profiler.stop(`${name}-typing`), null, 1))
  await context.close()
  return { editableMs, textMs, fetches, threadsShown, keys, serverCpuWhileTypingMs }
}

const runs: { without: Opening; with: Opening; floor: Spread }[] = []
for (let run = 0; run < RUNS; run++) {
  // Alternating order, so that neither side always runs on a warmer server.
  const first = run % 2 === 0
  const a = await open(first ? plainId : annotatedId, !first)
  const b = await open(first ? annotatedId : plainId, first)
  const floor = await keyToScreenFloor(browser.browser, KEYSTROKES, KEY_INTERVAL_MS)
  runs.push(first ? { without: a, with: b, floor } : { without: b, with: a, floor })
  console.error(`run ${run + 1}/${RUNS}: ${JSON.stringify(runs.at(-1))}`)
}
const rssAtEnd = rssMb()
await browser.close()

// A new comment reaching 300 clients connected to the annotated deliverable (raw clients that said hello).
const delivery = await runStatusChanges(
  {
    target: {
      peer: 'accord',
      wsBase: `ws://127.0.0.1:${server.port}/sync`,
      httpBase: server.url,
      name: annotatedId,
      editors: [],
      readers: [ws.participant.cookie, ws.editor2.cookie],
      chair: ws.chair.cookie,
      serverSeeded: true,
    },
    clients: LISTENERS,
    sections: 0,
    comments: NEW_COMMENTS,
  },
  { mark: async () => undefined as never, stopped: () => false, log: () => undefined },
)
for (const writer of writers) writer.destroy()
await server.stop()

const med = (pick: (run: (typeof runs)[number]) => number) => median(runs.map(pick))
console.log(
  JSON.stringify({
    comments: COMMENTS,
    suggestions: SUGGESTIONS,
    words: fixture.words,
    clauses: fixture.clauseIds.length,
    runs: RUNS,
    postSeconds: postMs / 1000,
    serverRssMb: {
      beforeComments: rssBeforeComments,
      afterComments: rssAfterComments,
      afterList: rssAfterList,
      atEnd: rssAtEnd,
    },
    list: { medianMs: median(listTimes), maxMs: Math.max(...listTimes), bytes: listBytes },
    editableMs: { without: med((r) => r.without.editableMs), with: med((r) => r.with.editableMs) },
    textMs: { without: med((r) => r.without.textMs), with: med((r) => r.with.textMs) },
    threadsShown: runs[0]?.with.threadsShown,
    keyToScreenP95Ms: { without: med((r) => r.without.keys.p95), with: med((r) => r.with.keys.p95) },
    keyToScreenP50Ms: { without: med((r) => r.without.keys.p50), with: med((r) => r.with.keys.p50) },
    keyToScreenFloorMs: { p50: med((r) => r.floor.p50), p95: med((r) => r.floor.p95) },
    newComment: {
      clients: delivery.clients,
      comments: NEW_COMMENTS,
      p50Ms: delivery.comments.p50,
      p99Ms: delivery.comments.p99,
      maxMs: delivery.comments.max,
      missing: delivery.commentsMissing,
    },
    loadAverage: (await import('node:os')).loadavg(),
    perRun: runs,
  }),
)
process.exit(0)
