/**
 * Keyboard only: a chair creates a deliverable and reaches clause 3.2 through the outline without a mouse; axe
 * finds nothing wrong in the editor; the shortcut that removes a clause leaves a required one where it is.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, describeViolations, launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { clauseHeading, ensureClientBuilt, LONG, openPage, textOf } from './pages.ts'

let server: TestServer
let browser: TestBrowser
let page: Page

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  const workspace = await buildWorkspace(server)
  browser = await launchBrowser()
  page = (await openPage(browser.browser, server.url, workspace.chair.cookie)).page
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

/** Presses Tab until the focused element matches, failing after `limit` presses. */
async function tabTo(description: string, matches: () => Promise<boolean>, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab')
    if (await matches()) return
  }
  throw new Error(`Tab never reached ${description}`)
}

const focusedText = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')
const focusedLabel = () =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    const id = el?.id
    const label = id ? document.querySelector(`label[for="${id}"]`)?.textContent : null
    return label ?? el?.getAttribute('aria-label') ?? ''
  })

describe('keyboard only', () => {
  it('creates a deliverable and reaches clause 3.2 through the outline', async () => {
    await page.goto('/')
    await page.getByRole('heading', { name: 'Workspace' }).waitFor({ timeout: LONG })
    await tabTo('the New deliverable link', async () => (await focusedText()).startsWith('New deliverable'))
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'New deliverable' }).waitFor()
    await tabTo('the title field', async () => (await focusedLabel()) === 'Title')
    await page.keyboard.type('Keyboard-made report')
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/d\/[A-Za-z0-9_-]+$/, { timeout: LONG })
    await page.locator('.itu-document[contenteditable="true"]').waitFor({ timeout: LONG })
    await page.getByRole('treeitem', { name: /^3\.2 / }).waitFor({ timeout: LONG })

    await tabTo('the outline', async () =>
      page.evaluate(() => document.activeElement?.getAttribute('role') === 'treeitem'),
    )
    for (let i = 0; i < 40; i++) {
      const label = await page.evaluate(() => document.activeElement?.textContent ?? '')
      if (label.startsWith('3.2 ')) break
      await page.keyboard.press('ArrowDown')
    }
    await page.keyboard.press('Enter')

    // The caret is now at the start of clause 3.2's own text (not its heading): typing adds text, never renames.
    const caret = await page.evaluate(() => {
      const node = getSelection()?.anchorNode
      const element = node instanceof Element ? node : node?.parentElement
      const clause = element?.closest('section.clause')
      return {
        inHeading: !!element?.closest('.clause-heading'),
        clause: clause?.querySelector(':scope > .clause-heading')?.getAttribute('data-number') ?? null,
      }
    })
    expect(caret).toEqual({ inHeading: false, clause: '3.2' })
    expect(await page.evaluate(() => document.activeElement?.classList.contains('itu-document'))).toBe(true)
  })

  it('the editor has no accessibility violations', async () => {
    const violations = await axeViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
  })

  it('keeps a clause the server says is required, and says why', async () => {
    await clauseHeading(page, '3').click()
    await page.keyboard.press('End')
    await page.keyboard.press('Control+Alt+Backspace')
    await page
      .getByTestId('announcer')
      .filter({ hasText: 'Clause 3 (Definitions) is required and cannot be removed.' })
      .waitFor({ timeout: LONG })
    expect(await textOf(clauseHeading(page, '3'))).toContain('Definitions')
  })
})
