/** Two editors in two browsers on the same deliverable: concurrent typing, renumbering, and a reload. */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import {
  clauseHeading,
  ensureClientBuilt,
  LONG,
  openEditor,
  openPage,
  textOf,
  typeInClause,
  waitForClauseText,
  waitForStatus,
} from './pages.ts'

let server: TestServer
let browser: TestBrowser
let eve: Page
let ed: Page
let deliverableId: string
const errors: string[][] = []

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  const workspace = await buildWorkspace(server)
  deliverableId = workspace.deliverable.id
  browser = await launchBrowser()
  const first = await openPage(browser.browser, server.url, workspace.editor.cookie)
  const second = await openPage(browser.browser, server.url, workspace.editor2.cookie)
  eve = first.page
  ed = second.page
  errors.push(first.errors, second.errors)
  await Promise.all([openEditor(eve, deliverableId), openEditor(ed, deliverableId)])
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('two editors', () => {
  it('see each other in the document', async () => {
    await eve.getByRole('button', { name: /Ed Second, Huawei/ }).waitFor({ timeout: LONG })
    await ed.getByRole('button', { name: /Eve Editor, ETRI/ }).waitFor({ timeout: LONG })
  })

  it('type into the same clause at the same time and both see both texts', async () => {
    // Ed types before Eve's caret: each of his characters shifts her position, which must not move her caret.
    await Promise.all([
      typeInClause(eve, '1', ' Eve wrote this scope sentence.', 'end'),
      typeInClause(ed, '1', 'Ed added his own sentence. ', 'start'),
    ])
    const both = ['Eve wrote this scope sentence.', 'Ed added his own sentence.']
    await Promise.all([waitForClauseText(eve, '1', both), waitForClauseText(ed, '1', both)])
    await Promise.all([waitForStatus(eve, 'All changes saved'), waitForStatus(ed, 'All changes saved')])
  })

  it('one inserts a clause before the other’s and both see the numbers change', async () => {
    await typeInClause(ed, '7', 'Framework text by Ed.')
    await clauseHeading(eve, '5').click()
    await eve.getByRole('button', { name: 'Add clause', exact: true }).click()
    await eve.keyboard.type('Architecture principles')
    for (const page of [eve, ed]) {
      await page
        .locator('.itu-document .clause-heading[data-number="6"]', { hasText: 'Architecture principles' })
        .waitFor({ timeout: LONG })
      await page
        .locator('.itu-document .clause-heading[data-number="8"]', { hasText: 'Technical framework' })
        .waitFor({ timeout: LONG })
      await page.getByRole('treeitem', { name: /^8 Technical framework/ }).waitFor({ timeout: LONG })
    }
    await waitForClauseText(eve, '8', ['Framework text by Ed.'])
  })

  it('after a reload everything is still there', async () => {
    await waitForStatus(eve, 'All changes saved')
    await waitForStatus(ed, 'All changes saved')
    await ed.reload()
    await openEditor(ed, deliverableId)
    await waitForClauseText(ed, '1', ['Eve wrote this scope sentence.', 'Ed added his own sentence.'])
    await waitForClauseText(ed, '8', ['Framework text by Ed.'])
    expect(await textOf(clauseHeading(ed, '6'))).toContain('Architecture principles')
  })

  it('undo takes back only one’s own change', async () => {
    await typeInClause(eve, '8', ' Eve appended.')
    await waitForClauseText(ed, '8', ['Eve appended.'])
    await typeInClause(ed, '7', ' Overview text by Ed.')
    await waitForClauseText(eve, '7', ['Overview text by Ed.'])
    await eve.locator('.itu-document').focus()
    await eve.keyboard.press('Control+z')
    const deadline = Date.now() + LONG
    while (Date.now() < deadline) {
      const text = await textOf(eve.locator('.itu-document'))
      if (!text.includes('Eve appended.')) break
      await eve.waitForTimeout(200)
    }
    const text = await textOf(eve.locator('.itu-document'))
    expect(text).not.toContain('Eve appended.')
    expect(text).toContain('Overview text by Ed.')
  })

  it('raised no page errors', () => {
    expect(errors.flat()).toEqual([])
  })
})
