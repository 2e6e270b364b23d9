/**
 * Keystroke-to-screen time in the page: from the keydown event's timestamp (when the browser received the key) to
 * the end of the first frame drawn after it (a message posted from that frame's requestAnimationFrame callback
 * runs once the frame is done). It includes everything the key waits for: its own handlers, the editor's
 * transaction, remote changes handled before it, and the frame itself.
 */
import type { Page } from 'playwright-core'

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
