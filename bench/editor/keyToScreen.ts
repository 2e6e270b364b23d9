/**
 * Keystroke-to-screen time in the page: from the keydown event's timestamp (when the browser received the key) to
 * the end of the first frame drawn after it (a message posted from that frame's requestAnimationFrame callback
 * runs once the frame is done). It includes everything the key waits for: its own handlers, the editor's
 * transaction, remote changes handled before it, and the frame itself.
 */
import type { Browser, Page } from 'playwright-core'

declare global {
  interface Window {
    __keyToScreen?: number[]
  }
}

export async function installKeyProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__keyToScreen = []
    document.addEventListener(
      'keydown',
      (event) => {
        if (event.key.length !== 1) return
        const start = event.timeStamp
        requestAnimationFrame(() => {
          const channel = new MessageChannel()
          channel.port1.onmessage = () => window.__keyToScreen?.push(performance.now() - start)
          channel.port2.postMessage(null)
        })
      },
      true,
    )
  })
}

/** Takes the times measured since the last call. */
export async function takeKeyTimes(page: Page): Promise<number[]> {
  return page.evaluate(() => window.__keyToScreen?.splice(0) ?? [])
}

/** Types `count` characters, one every `intervalMs` (a fast typist), not faster than the page takes them. */
async function typePaced(page: Page, count: number, intervalMs: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const started = Date.now()
    await page.keyboard.type('a')
    const rest = intervalMs - (Date.now() - started)
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest))
  }
}

/**
 * Types `count` characters at a typist's pace (the probe installed) and returns their key-to-screen times. A page
 * that fell behind draws the last keys long after they were sent: this waits until every key reached the screen.
 */
export async function timedTyping(page: Page, count: number, intervalMs: number): Promise<Spread> {
  await typePaced(page, count, intervalMs)
  await page.waitForFunction((n) => (window.__keyToScreen?.length ?? 0) >= n, count, { timeout: 600_000 })
  return spread(await takeKeyTimes(page))
}

/**
 * The same probe and the same typing on a bare contenteditable in the same browser: what any page pays from key to
 * screen, measured in the same run as the editor's figure it is read against. Headless Chromium draws a frame as
 * soon as input is handled, so this is a few milliseconds, not a 60 Hz frame's wait.
 */
export async function keyToScreenFloor(browser: Browser, count: number, intervalMs: number): Promise<Spread> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  const page = await context.newPage()
  await page.setContent(
    '<main><p contenteditable="true" style="font: 16px serif">Floor: a bare paragraph.</p></main>',
  )
  await page.locator('p').click()
  await page.keyboard.press('End')
  await installKeyProbe(page)
  await page.waitForTimeout(500)
  const floor = await timedTyping(page, count, intervalMs)
  await context.close()
  return floor
}

export interface Spread {
  p50: number
  p95: number
  max: number
  count: number
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) =>
    round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN)
  return { p50: at(0.5), p95: at(0.95), max: round(sorted.at(-1) ?? Number.NaN), count: sorted.length }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10
}
