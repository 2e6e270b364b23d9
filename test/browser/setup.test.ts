/**
 * From the setup link to a working deliverable, through the screens only: the first administrator creates the
 * focus group, a working group, a user and a deliverable, and makes the user its editor. axe-core checks each
 * screen on the way.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, describeViolations, launchBrowser, type TestBrowser } from '../support/browser.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { ensureClientBuilt, LONG, openPage, textOf } from './pages.ts'

let server: TestServer
let browser: TestBrowser
let page: Page

async function expectAccessible(screen: string): Promise<void> {
  const violations = await axeViolations(page)
  expect(violations, `${screen}:\n${describeViolations(violations)}`).toEqual([])
}

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  browser = await launchBrowser()
  page = (await openPage(browser.browser, server.url)).page
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('first run', () => {
  it('the setup link leads to an administrator, who creates a user and a deliverable', async () => {
    await page.goto(`/setup?token=${encodeURIComponent(server.setupToken)}`)
    await page.getByRole('heading', { name: 'Set up Accord' }).waitFor()
    await page.getByLabel('Full name').waitFor()
    await expectAccessible('setup')

    await page.getByLabel('Full name').fill('Ada Admin')
    await page.getByLabel('Organization').fill('TSB')
    await page.getByLabel('E-mail').fill('ada@example.org')
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery')
    await page.getByLabel('Repeat the password').fill('correct horse battery')
    await page.getByRole('button', { name: 'Create administrator' }).click()
    await page.getByRole('heading', { name: 'Workspace' }).waitFor({ timeout: LONG })
    await expectAccessible('workspace (empty)')

    await page.getByRole('link', { name: 'New group' }).first().click()
    await page.getByLabel('Name').fill('Focus Group on metaverse')
    await page.getByRole('button', { name: 'Create group' }).click()
    await page.getByRole('heading', { name: 'Focus Group on metaverse' }).waitFor()
    await page.getByRole('link', { name: 'Create a working group' }).click()
    await page.getByLabel('Name').fill('WG1 Terminology')
    await page.getByRole('button', { name: 'Create group' }).click()
    await page.getByRole('heading', { name: 'WG1 Terminology' }).waitFor()

    await page.getByRole('link', { name: 'Users' }).click()
    await page.getByLabel('Full name').fill('Eve Editor')
    await page.getByLabel('Organization').fill('ETRI')
    await page.getByLabel('E-mail').fill('eve@example.org')
    await page.getByLabel('Initial password').fill('a long enough password')
    await page.getByRole('button', { name: 'Create user' }).click()
    await page.getByRole('rowheader', { name: 'Eve Editor' }).waitFor()
    await expectAccessible('users')

    await page.getByRole('link', { name: 'Workspace', exact: true }).click()
    await page.getByRole('link', { name: 'New deliverable in WG1 Terminology' }).click()
    await page.getByLabel('Title').fill('Glossary for metaverse')
    await page.getByLabel('Type').selectOption('terms')
    await page.getByRole('button', { name: 'Create deliverable' }).click()
    await page.waitForURL(/\/d\/[A-Za-z0-9_-]+$/, { timeout: LONG })
    await page.locator('.itu-document .clause-heading[data-number="3.2"]').waitFor({ timeout: LONG })

    await page.getByRole('link', { name: 'Members' }).click()
    await page.getByRole('heading', { name: 'Members of Glossary for metaverse' }).waitFor()
    await page
      .getByLabel('User', { exact: true })
      .selectOption({ label: 'Eve Editor (ETRI, eve@example.org)' })
    await page.getByLabel('Role', { exact: true }).selectOption('editor')
    await page.getByRole('button', { name: 'Add member' }).click()
    await page.getByRole('rowheader', { name: /Eve Editor/ }).waitFor()
    await expectAccessible('deliverable members')

    await page.getByRole('link', { name: 'Back to the deliverable' }).click()
    await page.locator('.itu-document[contenteditable="true"]').waitFor({ timeout: LONG })
    await page.getByRole('link', { name: 'Workspace', exact: true }).click()
    const row = page.getByRole('row', { name: /Glossary for metaverse/ })
    await row.waitFor()
    expect(await textOf(row)).toContain('Eve Editor')
    expect(await textOf(row)).toMatch(/0 of \d+ clauses agreed/)
    await expectAccessible('workspace')

    await page.getByRole('button', { name: 'Log out' }).click()
    await page.getByRole('heading', { name: 'Log in to Accord' }).waitFor()
    await expectAccessible('login')
    // The offline copy of the deliverable the administrator opened is gone with the logout.
    const databases = await page.evaluate(async () =>
      (await indexedDB.databases()).map((db) => db.name ?? ''),
    )
    expect(databases.filter((name) => name.startsWith('accord:'))).toEqual([])
  })

  it('the editor logs in and finds the deliverable', async () => {
    await page.getByLabel('E-mail').fill('eve@example.org')
    await page.getByLabel('Password').fill('a long enough password')
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByRole('link', { name: 'Glossary for metaverse' }).click()
    await page.locator('.itu-document[contenteditable="true"]').waitFor({ timeout: LONG })
  })

  it('a wrong password is explained in words', async () => {
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.getByLabel('E-mail').fill('eve@example.org')
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByRole('alert').filter({ hasText: 'not right' }).waitFor()
  })
})
