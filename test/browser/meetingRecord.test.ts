/**
 * A contribution's Word file and the clause history in a real Chromium (issue 23): the contributor attaches the
 * .docx from the meeting page by keyboard, everyone downloads it from its link, a file that is not a Word document
 * is refused with the server's words; the clause panel's history lists the contribution with its disposition and
 * the suggestion made on the clause with who accepted it. axe-core finds no violations on either screen.
 */
import { Document, Packer, Paragraph, TextRun } from 'docx'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anchorOnWord, annotationsOf, writeParagraph } from '../annotations/support.ts'
import { meetingOn } from '../meetings/support.ts'
import { axeViolations, describeViolations, launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { connectClient, type LiveClient } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { ensureClientBuilt, LONG, openEditor, openPage } from './pages.ts'

let server: TestServer
let browser: TestBrowser
let m: Awaited<ReturnType<typeof meetingOn>>
let page: Page
let editor: LiveClient
const errors: string[][] = []
let scope: { id: string; number: string; title: string }

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  m = await meetingOn(await buildWorkspace(server))
  scope = m.sections.find((s) => s.title === 'Scope')!
  const registered = await m.participant.api.post(`/api/meetings/${m.meetingId}/contributions`, {
    number: 'FGMV-I-401',
    title: 'Scope of the platform',
    sources: ['ETRI'],
    targets: [{ deliverableId: m.deliverable.id, sectionId: scope.id }],
  })
  expect(registered.status).toBe(201)
  expect((await m.chair.api.post(`/api/meetings/${m.meetingId}/open`)).status).toBe(200)
  browser = await launchBrowser()
  const opened = await openPage(browser.browser, server.url, m.participant.cookie)
  page = opened.page
  errors.push(opened.errors)
}, 240_000)

afterAll(async () => {
  editor?.destroy()
  await browser?.close()
  await server?.stop()
})

async function expectNoAxeViolations(): Promise<void> {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

describe("a contribution's Word file on the meeting page", () => {
  it('is attached by keyboard, downloaded from its link, and a non-Word file is refused', async () => {
    await page.goto(`/meetings/${m.meetingId}`)
    const field = page.getByLabel('Attach the .docx')
    await field.waitFor({ timeout: LONG })
    const doc = new Document({
      sections: [{ children: [new Paragraph({ children: [new TextRun('Proposed scope.')] })] }],
    })
    const bytes = new Uint8Array(await Packer.toBuffer(doc))
    // A file that only claims to be one: the server's words are shown, nothing is attached.
    await field.setInputFiles({
      name: 'fake.docx',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('hi'),
    })
    await page.getByRole('button', { name: 'Upload the file of FGMV-I-401' }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('alert').filter({ hasText: 'not a .docx' }).waitFor({ timeout: LONG })

    await field.setInputFiles({
      name: 'FGMV-I-401.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: Buffer.from(bytes),
    })
    await page.getByRole('button', { name: 'Upload the file of FGMV-I-401' }).focus()
    await page.keyboard.press('Enter')
    const link = page.getByRole('link', { name: /FGMV-I-401\.docx/ })
    await link.waitFor({ timeout: LONG })
    // The contributor may now replace it; the link serves the bytes uploaded.
    await page.getByLabel('Replace the .docx').waitFor({ timeout: LONG })
    const href = await link.getAttribute('href')
    const served = await fetch(`${server.url}${href}`, { headers: { cookie: m.observer.cookie } })
    expect(served.status).toBe(200)
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes)
    await expectNoAxeViolations()
  })
})

describe('the clause history in the clause panel', () => {
  it('lists the contribution with its disposition and the suggestion with who accepted it', async () => {
    const disposed = await m.chair.api.post(
      `/api/meetings/${m.meetingId}/contributions/${await contributionId()}/disposition`,
      { disposition: 'agreed-with-modifications', note: 'NOTE 2 kept' },
    )
    expect(disposed.status).toBe(200)
    editor = connectClient(server, m.deliverable.id, m.editor.cookie, { accord: true })
    await editor.synced()
    const text = await writeParagraph(
      editor,
      server,
      m.deliverable.id,
      'Scope',
      'This Technical Report describes a shared space.',
    )
    const suggested = await annotationsOf(m.participant, m.deliverable.id).suggest({
      sectionId: scope.id,
      anchor: anchorOnWord(text, 'shared'),
      replacement: 'persistent',
    })
    expect(suggested.status).toBe(201)
    const decided = await annotationsOf(m.editor, m.deliverable.id).decide(
      suggested.body.suggestion.id,
      'accept',
    )
    expect(decided.status).toBe(200)

    await openEditor(page, m.deliverable.id)
    await page.getByRole('treeitem', { name: new RegExp(`^${scope.number} Scope`) }).click()
    const history = page.getByTestId('clause-panel').getByTestId('clause-history')
    await history
      .locator('li', { hasText: 'Contribution FGMV-I-401' })
      .filter({ hasText: 'agreed with modifications' })
      .filter({ hasText: 'NOTE 2 kept' })
      .waitFor({ timeout: LONG })
    await history
      .locator('li', { hasText: 'suggested “shared” → “persistent”' })
      .filter({ hasText: 'Pat Participant' })
      .waitFor()
    await history
      .locator('li', { hasText: 'accepted' })
      .filter({ hasText: 'Eve Editor' })
      .filter({ hasText: 'suggestion “shared” → “persistent”' })
      .waitFor()
    await expectNoAxeViolations()
    expect(errors.flat()).toEqual([])
  })
})

async function contributionId(): Promise<string> {
  const meeting = (await m.chair.api.get(`/api/meetings/${m.meetingId}`)).body.meeting
  return meeting.contributions[0].id as string
}
