/**
 * The Versions screen in Chromium, by keyboard: reached from the editor, a version saved with a name, compared
 * with now as a redline with its summary, a restore over an agreed clause refused with the server's reason, and
 * nothing to save or restore for a participant. axe finds no violations.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { agreeByTitle, type Workspace } from '../consensus/support.ts'
import { axeViolations, describeViolations, launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { connectClient } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { setParagraph } from '../versions/support.ts'
import { ensureClientBuilt, LONG, openEditor, openPage, textOf } from './pages.ts'

let server: TestServer
let browser: TestBrowser
let ws: Workspace

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  ws = await buildWorkspace(server)
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function expectNoAxeViolations(page: Page): Promise<void> {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')

test('an editor saves, compares and is refused a restore over an agreed clause, all by keyboard', async () => {
  const id = ws.deliverable.id
  const writer = connectClient(server, id, ws.editor2.cookie, { accord: true })
  await writer.synced()
  await setParagraph(writer, 'Scope', 'This Technical Report describes the metaverse.')
  await setParagraph(writer, 'Overview', 'A first overview.')

  const { page, errors } = await openPage(browser.browser, server.url, ws.editor.cookie)
  await openEditor(page, id)
  const link = page.getByRole('link', { name: 'Versions' })
  await link.focus()
  await page.keyboard.press('Enter')
  await page.getByRole('heading', { level: 1, name: /^Versions of / }).waitFor({ timeout: LONG })
  expect(await textOf(page.locator('.empty-state'))).toContain('No version has been saved yet')

  await page.getByLabel('Name of the new version').focus()
  await page.keyboard.type('Output of meeting 3, Geneva')
  await page.keyboard.press('Enter')
  await page.getByRole('rowheader', { name: 'Output of meeting 3, Geneva' }).waitFor({ timeout: LONG })
  await expectNoAxeViolations(page)

  await setParagraph(writer, 'Scope', 'This Technical Report defines the immersive metaverse.')
  await setParagraph(writer, 'Overview', 'The overview the group agreed.')
  await agreeByTitle(ws, id, 'Overview')

  await page.getByRole('button', { name: /^Compare with now\W+Output of meeting 3/ }).focus()
  await page.keyboard.press('Enter')
  const summary = page.getByTestId('comparison-summary')
  await summary.waitFor({ timeout: LONG })
  expect(await textOf(summary)).toContain('Words inserted6Words deleted3')
  expect(await textOf(summary)).toContain('Clauses changed2')
  const inserted = await page.locator('.comparison ins').allTextContents()
  expect(inserted.map((t) => t.replace(/\[inserted: |\]/g, '').trim())).toEqual(
    expect.arrayContaining(['defines', 'immersive']),
  )
  await expectNoAxeViolations(page)

  await page.getByRole('button', { name: 'Restore Output of meeting 3, Geneva' }).focus()
  await page.keyboard.press('Enter')
  await page.getByRole('button', { name: 'Restore this version' }).waitFor({ timeout: LONG })
  expect(await focusedText(page)).toBe('Restore this version')
  await expectNoAxeViolations(page)
  await page.keyboard.press('Enter')
  const refusal = page.getByRole('alert')
  await refusal.waitFor({ timeout: LONG })
  expect(await textOf(refusal)).toMatch(/refused and nothing was changed \(6 “Overview”\)/)
  expect(errors).toEqual([])
  writer.destroy()
})

test('a participant can view and compare versions but is offered neither save nor restore', async () => {
  const { page } = await openPage(browser.browser, server.url, ws.participant.cookie)
  await page.goto(`/d/${ws.deliverable.id}/versions`)
  await page.getByRole('rowheader', { name: 'Output of meeting 3, Geneva' }).waitFor({ timeout: LONG })
  expect(await page.getByLabel('Name of the new version').count()).toBe(0)
  expect(await page.getByRole('button', { name: /^Restore/ }).count()).toBe(0)
  await page.getByRole('button', { name: 'View Output of meeting 3, Geneva' }).click()
  await page
    .getByRole('heading', { name: 'Output of meeting 3, Geneva (read-only)' })
    .waitFor({ timeout: LONG })
  expect(await textOf(page.locator('.version-view'))).toContain(
    'This Technical Report describes the metaverse.',
  )
  await expectNoAxeViolations(page)
})
