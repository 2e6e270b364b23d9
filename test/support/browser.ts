/**
 * Launches the system's Debian Chromium through playwright-core (never a downloaded browser), headless, with a
 * fresh profile per launch, and a few helpers the browser suites share: contexts logged in with a session cookie,
 * and axe-core runs.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'

const ROOT = path.resolve(import.meta.dirname, '../..')

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) return fromEnv
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || '/usr/bin/chromium'
  } catch {
    return '/usr/bin/chromium'
  }
}

export interface TestBrowser {
  browser: Browser
  close(): Promise<void>
}

/**
 * One headless Chromium. playwright-core gives every launch a fresh temporary profile (user-data dir) and deletes
 * it on close; each browser context is isolated further (cookies, IndexedDB).
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ARGS })
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined)
    },
  }
}

/** A context that already carries a session cookie ("accord_session=...") for the server at `baseUrl`. */
export async function contextWithSession(
  browser: Browser,
  baseUrl: string,
  cookie?: string,
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1400, height: 900 } })
  if (cookie) {
    const [name, ...rest] = cookie.split('=')
    await context.addCookies([
      { name: name!, value: rest.join('='), url: baseUrl, httpOnly: true, sameSite: 'Lax' },
    ])
  }
  return context
}

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[]; html: string }[]
}

/** Runs axe-core on the page (WCAG 2.x A and AA rules plus best practices) and returns its violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Served as a same-origin file, so the server's CSP (script-src 'self') allows it without bypassing CSP.
  await page.route('**/__axe.min.js', (route) =>
    route.fulfill({
      path: path.join(ROOT, 'node_modules/axe-core/axe.min.js'),
      contentType: 'text/javascript',
    }),
  )
  await page.addScriptTag({ url: '/__axe.min.js' })
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (...args: unknown[]) => Promise<{ violations: unknown[] }> } }
    ).axe
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    })
    return result.violations as never
  })
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.html}`).join('\n')}`,
    )
    .join('\n')
}
