/**
 * When something first shows on a page, timed in the page itself: from the document's navigation start to the first
 * animation frame in which an element matching the selector exists and has a box. Playwright's `waitFor` polls with
 * a back-off (after 20, 50, 100 and 100 ms, then every 500 ms): a time read when it returns is late by up to half a
 * second, by chance, and an opening of ~1 s falls in the 500 ms steps. Checked every frame (a few `querySelector`s),
 * from a script that runs before the page's own.
 */
import type { Page } from 'playwright-core'

declare global {
  interface Window {
    __firstShown?: Record<string, number>
  }
}

/** Watches, in every document of the page whose path starts with `pathPrefix`, for each named selector. */
export async function watchFirstShown(
  page: Page,
  pathPrefix: string,
  selectors: Record<string, string>,
): Promise<void> {
  // A string, not a function: tsx names the functions it compiles (`__name(...)`), which the page does not have.
  await page.addInitScript({
    content: `(() => {
      const pathPrefix = ${JSON.stringify(pathPrefix)}
      const selectors = ${JSON.stringify(selectors)}
      if (!location.pathname.startsWith(pathPrefix)) return
      const shown = {}
      window.__firstShown = shown
      const pending = new Map(Object.entries(selectors))
      const check = () => {
        for (const [name, selector] of pending) {
          const element = document.querySelector(selector)
          if (element && element.getClientRects().length > 0) {
            shown[name] = performance.now()
            pending.delete(name)
          }
        }
        if (pending.size > 0) requestAnimationFrame(check)
      }
      requestAnimationFrame(check)
    })()`,
  })
}

/** Waits until each of `names` has shown; their times, in ms from the navigation's start. */
export async function firstShownAt(
  page: Page,
  names: readonly string[],
  timeoutMs: number,
): Promise<number[]> {
  await page.waitForFunction(
    (names) => names.every((name) => window.__firstShown?.[name] !== undefined),
    names,
    {
      timeout: timeoutMs,
    },
  )
  return page.evaluate(
    (names) => names.map((name) => Math.round(window.__firstShown?.[name] ?? Number.NaN)),
    names,
  )
}
