/**
 * A remote meeting in four real Chromium contexts (issue 23): the chair sets the clause under discussion; an
 * editor's view brings it into sight and highlights it while her caret stays where it was; after she scrolls,
 * following stops and the banner says so; "back to the discussion" returns. A participant requests the floor with
 * a note, another replies to the current speaker and goes first, the chair gives the floor, everyone sees it. A
 * contribution gets a disposition; a clause agreed during the meeting appears in the meeting's decisions with its
 * hash and in the report read back from the .docx.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { docxText } from '../meetings/docx.ts'
import { agreeSection, meetingOn } from '../meetings/support.ts'
import { axeViolations, describeViolations, launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { ensureClientBuilt, LONG, openEditor, openPage, typeInClause } from './pages.ts'

let server: TestServer
let browser: TestBrowser
let m: Awaited<ReturnType<typeof meetingOn>>
let chair: Page
let eve: Page
let ed: Page
let pat: Page
const errors: string[][] = []
let target: { id: string; number: string; title: string }

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  m = await meetingOn(await buildWorkspace(server))
  // The last numbered clause: far below the first screen.
  target = [...m.sections].reverse().find((s) => /^\d+$/.test(s.number))!
  await m.editor.api.post(`/api/meetings/${m.meetingId}/contributions`, {
    number: 'FGMV-I-123',
    title: 'Proposed text',
    sources: ['ETRI'],
    targets: [{ deliverableId: m.deliverable.id, sectionId: target.id }],
  })
  expect((await m.chair.api.post(`/api/meetings/${m.meetingId}/open`)).status).toBe(200)
  browser = await launchBrowser()
  const pages = await Promise.all(
    [m.chair, m.editor, m.editor2, m.participant].map((s) => openPage(browser.browser, server.url, s.cookie)),
  )
  ;[chair, eve, ed, pat] = pages.map((p) => p.page) as [Page, Page, Page, Page]
  errors.push(...pages.map((p) => p.errors))
  // A short window, so that the discussed clause starts off screen.
  await eve.setViewportSize({ width: 1400, height: 500 })
  // One after the other: four editors loading at once on a busy machine can outlast the page timeout.
  await openEditor(chair, m.deliverable.id)
  await openEditor(eve, m.deliverable.id)
  await openEditor(ed, m.deliverable.id)
  await openEditor(pat, m.deliverable.id)
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const banner = (page: Page) => page.locator('.meeting-banner')

/** The editor's caret position and whether the clause is within the window. */
function caretAndClause(page: Page, sectionId: string) {
  return page.evaluate((id) => {
    const editor = (
      document.querySelector('.ProseMirror') as unknown as {
        editor: { state: { selection: { from: number } } }
      }
    ).editor
    const rect = document.querySelector(`section[data-clause-id="${id}"]`)!.getBoundingClientRect()
    return { caret: editor.state.selection.from, visible: rect.top < window.innerHeight && rect.bottom > 0 }
  }, sectionId)
}

describe('following the discussion', () => {
  it('brings the discussed clause into sight and highlights it, leaving the caret where it was', async () => {
    await banner(eve).filter({ hasText: 'Following' }).waitFor({ timeout: LONG })
    // Eve works in clause 1: typing stops following; she comes back to the discussion.
    await typeInClause(eve, '1', ' Typed by Eve.')
    await banner(eve).filter({ hasText: 'Not following' }).waitFor({ timeout: LONG })
    await eve.getByRole('button', { name: 'back to the discussion' }).click()
    await banner(eve).filter({ hasText: 'Following the meeting' }).waitFor({ timeout: LONG })
    const before = await caretAndClause(eve, target.id)
    expect(before.visible).toBe(false)

    await chair.getByLabel('Now discussing').selectOption(target.id)
    await chair.getByRole('button', { name: 'Set', exact: true }).click()
    await banner(eve).filter({ hasText: 'Following Carla Chair (chair)' }).waitFor({ timeout: LONG })
    await expect
      .poll(async () => (await caretAndClause(eve, target.id)).visible, { timeout: LONG })
      .toBe(true)
    expect((await caretAndClause(eve, target.id)).caret).toBe(before.caret)
    const shadow = await eve
      .locator(`section[data-clause-id="${target.id}"]`)
      .evaluate((el) => getComputedStyle(el).boxShadow)
    expect(shadow).not.toBe('none')
  })

  it('stops following when the user scrolls, and "back to the discussion" returns', async () => {
    await eve.mouse.move(700, 300)
    await eve.mouse.wheel(0, -3000)
    await banner(eve).filter({ hasText: 'Not following: back to the discussion' }).waitFor({ timeout: LONG })
    await expect
      .poll(async () => (await caretAndClause(eve, target.id)).visible, { timeout: LONG })
      .toBe(false)
    await eve.getByRole('button', { name: 'back to the discussion' }).click()
    await banner(eve).filter({ hasText: 'Following Carla Chair (chair)' }).waitFor({ timeout: LONG })
    await expect
      .poll(async () => (await caretAndClause(eve, target.id)).visible, { timeout: LONG })
      .toBe(true)
  })

  it('the presenter sees how many follow', async () => {
    await banner(chair)
      .filter({ hasText: /[1-9]\d* following/ })
      .waitFor({ timeout: LONG })
  })
})

describe('the speaking queue', () => {
  it('a request with a note, a reply that goes first, the floor given, seen by everyone', async () => {
    await pat.getByLabel('To say (optional)').fill('keep NOTE 2')
    await pat.getByRole('button', { name: 'Request the floor' }).click()
    await chair
      .getByRole('list', { name: 'Speaking queue' })
      .filter({ hasText: 'Pat Participant' })
      .waitFor({ timeout: LONG })
    await chair.getByRole('button', { name: 'Give the floor to the next' }).click()
    for (const page of [chair, eve, ed, pat])
      await page
        .locator('.meeting-floor')
        .filter({ hasText: 'Pat Participant has the floor' })
        .waitFor({ timeout: LONG })

    await eve.getByRole('button', { name: 'Request the floor' }).click()
    await chair
      .getByRole('list', { name: 'Speaking queue' })
      .filter({ hasText: 'Eve Editor' })
      .waitFor({ timeout: LONG })
    await ed.getByRole('button', { name: 'Reply to Pat Participant' }).click()
    const queue = chair.getByRole('list', { name: 'Speaking queue' }).locator('li')
    await expect
      .poll(async () => (await queue.allTextContents()).map((t) => t.trim()), { timeout: LONG })
      .toEqual([expect.stringContaining('Ed Second'), expect.stringContaining('Eve Editor')])
    await chair.getByRole('button', { name: 'Give the floor to the next' }).click()
    for (const page of [chair, eve, ed, pat])
      await page
        .locator('.meeting-floor')
        .filter({ hasText: 'Ed Second has the floor' })
        .waitFor({ timeout: LONG })
  })

  it('the editor with the meeting bar has no accessibility violations', async () => {
    const violations = await axeViolations(pat)
    expect(violations, describeViolations(violations)).toEqual([])
  })
})

describe('the meeting record', () => {
  it('a disposition, a decision with its hash on the meeting page, and the .docx report', async () => {
    const agreed = await agreeSection(m, target.id, 'Agreed as amended by FGMV-I-123')
    const hash12 = agreed.hash.replace('sha256-', '').slice(0, 12)
    await chair.goto(`/meetings/${m.meetingId}`)
    await chair.getByLabel('Agenda item', { exact: true }).fill('Architecture')
    await chair.getByLabel('Minutes', { exact: true }).fill('20')
    await chair.getByRole('button', { name: 'Add to the agenda' }).click()
    await chair.getByRole('listitem').filter({ hasText: 'Architecture (20 min)' }).waitFor({ timeout: LONG })
    await chair.getByLabel('Action', { exact: true }).fill('Editors to align 3.2 with Y.3090')
    await chair.getByLabel('Owner', { exact: true }).fill('Editors')
    await chair.getByRole('button', { name: 'Record the action' }).click()
    await chair.getByText('ACTION: Editors to align 3.2 with Y.3090 (Editors)').waitFor({ timeout: LONG })
    await chair.getByLabel('Disposition of FGMV-I-123').selectOption('agreed-with-modifications')
    await chair.getByLabel('Note on FGMV-I-123').fill('NOTE 2 kept')
    await chair.getByRole('button', { name: 'Record the disposition of FGMV-I-123' }).click()
    await chair.getByText('Agreed with modifications: NOTE 2 kept').waitFor({ timeout: LONG })
    const decision = chair
      .getByRole('row')
      .filter({ hasText: hash12 })
      .filter({ hasText: 'Agreed as amended' })
    await decision.waitFor({ timeout: LONG })
    expect(await decision.textContent()).toContain('FGMV-I-123')
    const violations = await axeViolations(chair)
    expect(violations, describeViolations(violations)).toEqual([])

    const report = await fetch(`${server.url}/api/meetings/${m.meetingId}/report?format=docx`, {
      headers: { cookie: m.chair.cookie },
    })
    const text = await docxText(await report.arrayBuffer())
    expect(text).toContain(hash12)
    expect(text).toContain('Agreed with modifications: NOTE 2 kept')
  })

  it('the workspace lists the meeting in progress', async () => {
    await pat.goto('/')
    const item = pat.getByRole('listitem').filter({ has: pat.getByRole('link', { name: 'Third meeting' }) })
    await item.filter({ hasText: 'in progress' }).waitFor({ timeout: LONG })
    expect(errors.flat()).toEqual([])
  })
})

describe('planning a meeting', () => {
  it('a chair plans one from the form, its group chosen from the link, and lands on its page', async () => {
    await chair.goto(`/meetings/new?group=${m.wg.id}`)
    await chair.getByRole('heading', { name: 'New meeting' }).waitFor({ timeout: LONG })
    // The form shows at once; the group's option arrives with the groups.
    await chair.getByLabel('Group').locator('option').first().waitFor({ state: 'attached', timeout: LONG })
    expect(await chair.getByLabel('Group').inputValue()).toBe(m.wg.id)
    const violations = await axeViolations(chair)
    expect(violations, describeViolations(violations)).toEqual([])
    await chair.getByLabel('Title', { exact: true }).fill('Fourth meeting')
    await chair.getByLabel('Start').fill('2026-06-01T09:00')
    await chair.getByLabel('End').fill('2026-06-01T17:00')
    await chair.getByRole('button', { name: 'Plan the meeting' }).click()
    await chair.getByRole('heading', { name: 'Fourth meeting' }).waitFor({ timeout: LONG })
    expect(chair.url()).toMatch(/\/meetings\/[^/?]+$/)
  })

  it('tells a participant who chairs no group that only chairs plan meetings', async () => {
    await pat.goto('/meetings/new')
    await pat.getByText('Only chairs and administrators plan meetings.').waitFor({ timeout: LONG })
    expect(await pat.getByRole('button', { name: 'Plan the meeting' }).count()).toBe(0)
    expect(errors.flat()).toEqual([])
  })
})
