/**
 * The Export menu and the Import screen in the browser: present for the roles that may use them, absent for the
 * others, and working (a real download, a real upload with its report).
 */
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mammothHeadings } from '../export/support.ts'
import { axeViolations, describeViolations, launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { clauseHeading, ensureClientBuilt, LONG, openEditor, openPage, textOf } from './pages.ts'

let server: TestServer
let browser: TestBrowser
let workspace: Awaited<ReturnType<typeof buildWorkspace>>

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  workspace = await buildWorkspace(server)
  browser = await launchBrowser()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('the Export menu', () => {
  it('lets an observer download the deliverable as Word, agreed-only on request', async () => {
    const { page } = await openPage(browser.browser, server.url, workspace.observer.cookie)
    await openEditor(page, workspace.deliverable.id, false)
    await page.getByText('Export', { exact: true }).click()
    await page.getByLabel('Agreed clauses only').check()
    const link = page.getByRole('link', { name: 'Word (.docx)' })
    expect(await link.getAttribute('href')).toContain('agreedOnly=true')
    await page.getByLabel('Agreed clauses only').uncheck()
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: LONG }), link.click()])
    expect(download.suggestedFilename()).toMatch(/\.docx$/)
    const path = await download.path()
    const { readFile } = await import('node:fs/promises')
    const headings = await mammothHeadings(await readFile(path))
    expect(headings).toContain('1\tScope')
    expect(await axeViolations(page).then(describeViolations)).toBe('')
  })
})

describe('the Import screen', () => {
  it('is offered to a chair of the group, not to an editor', async () => {
    const editor = await openPage(browser.browser, server.url, workspace.editor.cookie)
    await editor.page.goto('/')
    await editor.page.getByRole('heading', { name: 'Workspace' }).waitFor({ timeout: LONG })
    await editor.page.getByText(workspace.deliverable.title).first().waitFor({ timeout: LONG })
    expect(await editor.page.getByRole('link', { name: 'Import Word' }).count()).toBe(0)
    const chair = await openPage(browser.browser, server.url, workspace.chair.cookie)
    await chair.page.goto('/')
    await chair.page.getByRole('link', { name: 'Import Word' }).click({ timeout: LONG })
    await chair.page.getByRole('heading', { name: 'Import a Word document' }).waitFor({ timeout: LONG })
  })

  it('imports a .docx, tells what it did with the file, and opens the new deliverable', async () => {
    const docx = await Packer.toBuffer(
      new Document({
        sections: [
          {
            children: [
              new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('1 Scope')] }),
              new Paragraph('This contribution proposes a scope.'),
              new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('2 References')] }),
              new Paragraph('None.'),
            ],
          },
        ],
      }),
    )
    const { page } = await openPage(browser.browser, server.url, workspace.chair.cookie)
    await page.goto('/deliverables/import')
    await page.getByLabel('Word document (.docx)').setInputFiles({
      name: 'contribution.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: docx,
    })
    await page.getByLabel(/^Title/).fill('FGMV-I-012 Proposed scope')
    expect(await axeViolations(page).then(describeViolations)).toBe('')
    await page.getByRole('button', { name: 'Import' }).click()
    const report = page.getByRole('status').filter({ hasText: 'Imported' })
    await report.waitFor({ timeout: LONG })
    expect(await textOf(report)).toMatch(/0 tracked insertions, 0 tracked deletions and 0 comments/)
    await page.getByRole('link', { name: 'Open the deliverable' }).click()
    await clauseHeading(page, '2').waitFor({ timeout: LONG })
    expect(await textOf(page.locator('.itu-document'))).toContain('This contribution proposes a scope.')
  })
})
