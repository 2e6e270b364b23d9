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
export async function typePaced(page: Page, count: number, intervalMs: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const started = Date.now()
    await page.keyboard.type('a')
    const rest = intervalMs - (Date.now() - started)
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest))
  }
}

/**
 * The same probe and the same typing on a bare contenteditable in the same browser: what any page pays from key to
 * screen. Most of it is the wait for the next frame (a key arrives anywhere in a 16.7 ms frame), so at 60 frames a
 * second the floor's p95 is already near 16 ms; an editor's figure is read against it, measured in the same run.
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
  await typePaced(page, count, intervalMs)
  await page.waitForFunction((n) => (window.__keyToScreen?.length ?? 0) >= n, count)
  const floor = spread(await takeKeyTimes(page))
  await context.close()
  return floor
}

export interface Spread {
  p50: number
  p95: number
  max: number
  count: number
}

export function spread(values: number[]): Spread {
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
