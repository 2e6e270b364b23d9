/**
 * `npm run bench:editor`: the editor on a 120,000-word deliverable in 400 clauses (test/support/largeDeliverable.ts)
 * in headless Chromium. Each run opens the deliverable in a fresh context and measures
 *   - the time from navigation until the text is editable and its last clause is shown (timed in the page:
 *     firstShown.ts);
 *   - keystroke-to-screen (see keyToScreen.ts) while this user types alone, one key every 100 ms;
 *   - the same while two other clients (real y-websocket replicas) type 5 keys/s each into other clauses;
 *   - the floor: the same typing on a bare contenteditable in the same browser (keyToScreenFloor).
 * Prints each run and the medians over runs. `--runs N` (default 3); `--profile` also records Chromium's CPU
 * profile of the last run's opening and of each typing phase (bench/results/editor-*.cpuprofile) and prints the
 * functions with the most self time (build the client with `npx vite build --minify false` first for readable
 * names). Profiling slows the page: take figures from a run without it.
 */
import { parseArgs } from 'node:util'
import type { Page } from 'playwright-core'
import { ensureClientBuilt, openPage } from '../../test/browser/pages.ts'
import { launchBrowser } from '../../test/support/browser.ts'
import { buildWorkspace } from '../../test/support/factories.ts'
import { appendLargeDeliverable, largeDeliverable } from '../../test/support/largeDeliverable.ts'
import { clauseByTitle, connectClient, firstParagraphText, waitFor } from '../../test/support/syncClients.ts'
import { startTestServer } from '../../test/support/testServer.ts'
import { firstShownAt, watchFirstShown } from './firstShown.ts'
import {
  installKeyProbe,
  keyToScreenFloor,
  median,
  type Spread,
  takeKeyTimes,
  timedTyping,
} from './keyToScreen.ts'
import { type Profiling, type SelfTimeEntry, startProfiling } from './profile.ts'

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, profile: { type: 'boolean', default: false } },
})
const RUNS = Number(args.runs)
const KEYSTROKES = 150
const KEY_INTERVAL_MS = 100
const REMOTE_INTERVAL_MS = 200

ensureClientBuilt()
const server = await startTestServer({ childProcess: true })
const ws = await buildWorkspace(server)
const writer = connectClient(server, ws.deliverable.id, ws.editor.cookie)
await writer.synced()
const fixture = largeDeliverable()
appendLargeDeliverable(writer.body, fixture)
const expected = writer.body.toString()
const check = connectClient(server, ws.deliverable.id, ws.chair.cookie)
await check.synced()
await waitFor(() => check.body.toString() === expected, 'the large deliverable on the server', 60_000)
check.destroy()
writer.destroy()

interface Run {
  editableMs: number
  alone: Spread
  withOthers: Spread
  floor: Spread
}

const profiles: Record<string, { file: string; busyMs: number; top: SelfTimeEntry[] }> = {}
const profiling = (page: Page, last: boolean) => (args.profile && last ? startProfiling(page) : null)
async function stopProfiling(profiler: Promise<Profiling> | null, name: string) {
  if (profiler) profiles[name] = await (await profiler).stop(name)
}

/** Types KEYSTROKES characters at a typist's pace and returns their key-to-screen times (profiled when named). */
async function typingPhase(page: Page, profileName: string | null): Promise<Spread> {
  const profiler = profileName ? await startProfiling(page) : null
  const keys = await timedTyping(page, KEYSTROKES, KEY_INTERVAL_MS)
  if (profiler && profileName) profiles[profileName] = await profiler.stop(profileName)
  return keys
}

const browser = await launchBrowser()
const runs: Run[] = []
for (let run = 0; run < RUNS; run++) {
  const last = run === RUNS - 1
  const { page, context } = await openPage(browser.browser, server.url, ws.editor2.cookie)
  await watchFirstShown(page, `/d/${ws.deliverable.id}`, {
    editable: '.itu-document[contenteditable="true"]',
    lastClause: `.itu-document [data-clause-id="${fixture.clauseIds.at(-1)}"]`,
  })
  // Same origin first, so that the profiler attached to this renderer stays attached through the navigation.
  await page.goto('/')
  const openProfile = profiling(page, last)
  if (openProfile) await openProfile
  await page.goto(`/d/${ws.deliverable.id}`)
  const editableMs = Math.max(...(await firstShownAt(page, ['editable', 'lastClause'], 120_000)))
  await stopProfiling(openProfile, 'open')

  await installKeyProbe(page)
  const target = page.locator(`.itu-document [data-clause-id="${fixture.clauseIds[200]}"] p`).first()
  await target.click()
  await page.keyboard.press('End')
  await page.waitForTimeout(500)
  await takeKeyTimes(page)

  const alone = await typingPhase(page, last && args.profile ? 'alone' : null)

  // Two other clients type into other clauses, 5 keys/s each, while this one types.
  const typists = [ws.editor, ws.chair].map((s) => connectClient(server, ws.deliverable.id, s.cookie))
  await Promise.all(typists.map((t) => t.synced()))
  const texts = typists.map((t, i) =>
    firstParagraphText(clauseByTitle(t.body, i === 0 ? 'Summary' : 'Keywords')),
  )
  const timers = texts.map((text, i) =>
    setTimeout(
      () => {
        timers[i] = setInterval(() => text.insert(text.length, 'x'), REMOTE_INTERVAL_MS)
      },
      (i * REMOTE_INTERVAL_MS) / 2,
    ),
  )
  await page.waitForTimeout(1000)
  await takeKeyTimes(page)
  const withOthers = await typingPhase(page, last && args.profile ? 'with-others' : null)
  for (const timer of timers) clearInterval(timer)
  for (const t of typists) t.destroy()

  const typed = await target.textContent({ timeout: 600_000 })
  if (!typed?.includes('a'.repeat(2 * KEYSTROKES))) throw new Error('the typed text did not reach the editor')
  await context.close()
  const floor = await keyToScreenFloor(browser.browser, KEYSTROKES, KEY_INTERVAL_MS)
  runs.push({ editableMs, alone, withOthers, floor })
  console.error(`run ${run + 1}/${RUNS}: ${JSON.stringify(runs.at(-1))}`)
}
await browser.close()
await server.stop()

const med = (pick: (run: Run) => number) => median(runs.map(pick))
console.log(
  JSON.stringify(
    {
      words: fixture.words,
      clauses: fixture.clauseIds.length,
      runs: RUNS,
      profiled: args.profile,
      keystrokesPerPhase: KEYSTROKES,
      medianOverRuns: {
        editableMs: med((r) => r.editableMs),
        aloneKeyToScreenMs: {
          p50: med((r) => r.alone.p50),
          p95: med((r) => r.alone.p95),
          max: med((r) => r.alone.max),
        },
        withTwoTypistsKeyToScreenMs: {
          p50: med((r) => r.withOthers.p50),
          p95: med((r) => r.withOthers.p95),
          max: med((r) => r.withOthers.max),
        },
        floorKeyToScreenMs: {
          p50: med((r) => r.floor.p50),
          p95: med((r) => r.floor.p95),
          max: med((r) => r.floor.max),
        },
      },
      perRun: runs,
      profiles,
    },
    null,
    2,
  ),
)
