/**
 * The outline and the editor's offers as each role meets them: sorting is offered only to those who may sort, a new
 * clause shows its status at once, and opening a clause from the outline puts the caret where typing adds text.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from '../support/browser.ts'
import { clause, definition, deliverable, idFor, p } from '../support/builders.ts'
import { buildWorkspace } from '../support/factories.ts'
import { connectClient, waitFor } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { ensureClientBuilt, LONG, openEditor, openPage, textOf } from './pages.ts'

let server: TestServer
let browser: TestBrowser
let workspace: Awaited<ReturnType<typeof buildWorkspace>>
const errors: string[][] = []

const GLOSSARY = idFor('Glossary')
const CLOSING = idFor('Closing remarks')

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  workspace = await buildWorkspace(server)
  const writer = connectClient(server, workspace.deliverable.id, workspace.editor.cookie)
  await writer.synced()
  const filler = Array.from({ length: 40 }, (_, i) =>
    p(`Filler paragraph ${i + 1} that makes the text taller.`),
  )
  deliverable(
    clause('Glossary', definition('zeta', 'The last letter.'), definition('alpha', 'The first letter.')),
    clause('Long filler', ...filler),
    clause('Closing remarks', p('The closing text.')),
  ).appendTo(writer.body)
  // The server has the clauses once a second replica receives them.
  const check = connectClient(server, workspace.deliverable.id, workspace.chair.cookie)
  await check.synced()
  await waitFor(() => check.body.toString().includes('The closing text.'), 'the clauses on the server')
  check.destroy()
  writer.destroy()
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function open(cookie: string, editable: boolean): Promise<Page> {
  const opened = await openPage(browser.browser, server.url, cookie)
  errors.push(opened.errors)
  await openEditor(opened.page, workspace.deliverable.id, editable)
  await opened.page.locator(`.itu-document [data-clause-id="${CLOSING}"]`).waitFor({ timeout: LONG })
  return opened.page
}

const warning = (page: Page) => page.locator(`.itu-document [data-clause-id="${GLOSSARY}"] .order-warning`)

describe('sorting terms', () => {
  it('is offered to an editor beside the warning', async () => {
    const page = await open(workspace.editor.cookie, true)
    await warning(page).waitFor({ timeout: LONG })
    await expect
      .poll(() =>
        warning(page)
          .getByRole('button', { name: /^Sort terms/ })
          .count(),
      )
      .toBe(1)
    await page.context().close()
  })

  it('is not offered to an observer, who only reads that the terms are out of order', async () => {
    const page = await open(workspace.observer.cookie, false)
    await warning(page).waitFor({ timeout: LONG })
    expect(await textOf(warning(page))).toMatch(/Terms in \d+ are not in alphabetical order\./)
    expect(await warning(page).getByRole('button').count()).toBe(0)
    expect(await page.getByRole('button', { name: /Sort terms/ }).count()).toBe(0)
    await page.context().close()
  })
})

describe('the outline', () => {
  it('shows a new clause as a draft at once', async () => {
    const page = await open(workspace.editor.cookie, true)
    await page.locator(`.itu-document [data-clause-id="${CLOSING}"] p`).first().click()
    await page.keyboard.press('Control+Enter')
    const added = page.getByRole('treeitem', { name: /Untitled clause/ })
    await added.waitFor({ timeout: 5_000 })
    await expect.poll(() => textOf(added.locator('.status-badge')), { timeout: 5_000 }).toBe('Draft')
    await page.context().close()
  })

  it('opens a clause with the caret at the start of its text, shown, so typing never renames it', async () => {
    const page = await open(workspace.editor.cookie, true)
    const row = page.getByRole('treeitem', { name: /Closing remarks/ })
    await row.focus()
    await page.keyboard.press('Enter')
    await page.keyboard.type('Finally: ')
    const closing = page.locator(`.itu-document [data-clause-id="${CLOSING}"]`)
    await expect.poll(() => textOf(closing.locator('p').first())).toBe('Finally: The closing text.')
    expect(await textOf(closing.locator('.clause-heading'))).toBe('Closing remarks')
    const box = await closing.locator('p').first().boundingBox()
    const height = await page.evaluate(() => window.innerHeight)
    expect(box && box.y >= 0 && box.y + box.height <= height).toBe(true)
    await page.context().close()
  })

  it('raised no page errors', () => {
    expect(errors.flat()).toEqual([])
  })
})
