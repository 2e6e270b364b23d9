/**
 * Comments and suggestions in browsers (#24): a participant, an editor, a chair and an observer on one deliverable.
 * The participant types in suggestion mode: the document does not change, the editor sees the suggestion live and
 * accepts it, and the text changes for everyone. A comment reaches another user live, and so does a reply written
 * by keyboard; the thread survives the deletion of its text and says so. axe finds nothing with the margin open;
 * an observer has no controls to comment or suggest.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, describeViolations, launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import {
  clause,
  ensureClientBuilt,
  LONG,
  openEditor,
  openPage,
  typeInClause,
  waitForStatus,
} from './pages.ts'

let server: TestServer
let browser: TestBrowser
let eve: Page
let pat: Page
let otto: Page
let deliverableId: string
let chairCookie: string
const errors: string[][] = []

const SUGGESTED = ' Pat proposes this sentence.'
const COMMENTED = ' Words to discuss.'

/** The clause's own text as the document holds it: without suggestion widgets and other people's carets. */
async function documentText(page: Page, number: string): Promise<string> {
  return clause(page, number)
    .locator(':scope > p')
    .evaluateAll((paragraphs) =>
      paragraphs
        .map((p) => {
          const copy = p.cloneNode(true) as HTMLElement
          for (const extra of copy.querySelectorAll('.collaboration-carets__caret, ins.suggestion-insertion'))
            extra.remove()
          return copy.textContent ?? ''
        })
        .join('\n'),
    )
}

async function waitForDocumentText(
  page: Page,
  number: string,
  wanted: string,
  present = true,
): Promise<void> {
  const deadline = Date.now() + LONG
  let last = ''
  while (Date.now() < deadline) {
    last = await documentText(page, number)
    if (last.includes(wanted) === present) return
    await page.waitForTimeout(200)
  }
  throw new Error(`clause ${number} ${present ? 'never contained' : 'still contains'} "${wanted}": "${last}"`)
}

const panel = (page: Page) => page.getByTestId('clause-panel')
const margin = (page: Page) => page.getByTestId('comment-margin')

async function selectClause(page: Page, number: string, title: string): Promise<void> {
  await page.getByRole('treeitem', { name: new RegExp(`^${number} ${title}`) }).click()
  await panel(page)
    .getByRole('heading', { level: 2, name: new RegExp(`${number}\\s*${title}`) })
    .waitFor({ timeout: LONG })
}

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  const workspace = await buildWorkspace(server)
  deliverableId = workspace.deliverable.id
  chairCookie = workspace.chair.cookie
  browser = await launchBrowser()
  const opened = await Promise.all(
    [workspace.editor, workspace.participant, workspace.observer].map((who) =>
      openPage(browser.browser, server.url, who.cookie),
    ),
  )
  ;[eve, pat, otto] = opened.map((o) => o.page) as [Page, Page, Page]
  errors.push(...opened.map((o) => o.errors))
  await Promise.all([
    openEditor(eve, deliverableId),
    // A participant is always in suggestion mode: the text takes a caret, and nothing typed changes it.
    openEditor(pat, deliverableId, true),
    openEditor(otto, deliverableId, false),
  ])
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('suggestion mode', () => {
  it('a participant’s typing becomes a suggestion that the editor sees live and accepts for everyone', async () => {
    const before = await documentText(eve, '1')
    expect(await pat.getByRole('button', { name: 'Suggest changes' }).getAttribute('aria-pressed')).toBe(
      'true',
    )
    await typeInClause(pat, '1', ' Pat proposes')
    // The editor sees it live, as an insertion in the text and in the clause panel; the document is unchanged.
    await clause(eve, '1')
      .locator('ins.suggestion-insertion', { hasText: 'Pat proposes' })
      .waitFor({ timeout: LONG })
    // Typing on at its end after it was saved grows the same suggestion.
    await pat.keyboard.type(' this sentence.', { delay: 5 })
    await clause(eve, '1')
      .locator('ins.suggestion-insertion', { hasText: SUGGESTED.trim() })
      .waitFor({ timeout: LONG })
    expect(await clause(eve, '1').locator('ins.suggestion-insertion').count()).toBe(1)
    expect(await documentText(eve, '1')).toBe(before)
    expect(await documentText(pat, '1')).toBe(before)
    await expect.poll(() => pat.getByTestId('recovery-panel').count()).toBe(0)

    await selectClause(eve, '1', 'Scope')
    const item = panel(eve).getByTestId('suggestion-item').filter({ hasText: SUGGESTED.trim() })
    await item.waitFor({ timeout: LONG })
    expect(await panel(eve).getByTestId('suggestion-item').count()).toBe(1)
    await item.getByRole('button', { name: /^Accept/ }).click()
    for (const page of [eve, pat, otto]) await waitForDocumentText(page, '1', SUGGESTED.trim())
    await clause(pat, '1').locator('ins.suggestion-insertion').waitFor({ state: 'detached', timeout: LONG })
    await waitForStatus(pat, /saved|Saved|Up to date|Read-only|Connected/i).catch(() => undefined)
    expect(await pat.getByTestId('recovery-panel').count()).toBe(0)
  })

  it('Backspace suggests deleting characters, struck through for others; the author withdraws it', async () => {
    const before = await documentText(eve, '1')
    await typeInClause(pat, '1', '')
    for (let i = 0; i < 3; i++) await pat.keyboard.press('Backspace')
    const struck = clause(eve, '1').locator('del.suggestion-deletion')
    await struck.waitFor({ timeout: LONG })
    expect(await struck.textContent()).toBe(before.slice(-3))
    expect(await struck.getAttribute('title')).toContain('Suggested by Pat Participant')
    expect(await documentText(pat, '1')).toBe(before)

    await selectClause(pat, '1', 'Scope')
    const item = panel(pat)
      .getByTestId('suggestion-item')
      .filter({ hasText: before.slice(-3) })
    await item.waitFor({ timeout: LONG })
    expect(await item.getByRole('button', { name: /^Accept/ }).count()).toBe(0)
    await item.getByRole('button', { name: /^Withdraw/ }).click()
    await struck.waitFor({ state: 'detached', timeout: LONG })
    expect(await documentText(eve, '1')).toBe(before)
  })

  it('an editor chooses suggestion mode with Ctrl+Alt+S; a rejected suggestion changes nothing', async () => {
    const toggle = eve.getByRole('button', { name: 'Suggest changes' })
    expect(await toggle.getAttribute('aria-pressed')).toBe('false')
    const before = await documentText(eve, '1')
    await typeInClause(eve, '1', '')
    await eve.keyboard.press('Control+Alt+S')
    expect(await toggle.getAttribute('aria-pressed')).toBe('true')
    await typeInClause(eve, '1', ' Maybe.')
    await clause(pat, '1')
      .locator('ins.suggestion-insertion', { hasText: 'Maybe.' })
      .waitFor({ timeout: LONG })
    expect(await documentText(eve, '1')).toBe(before)
    await selectClause(eve, '1', 'Scope')
    const item = panel(eve).getByTestId('suggestion-item').filter({ hasText: 'Maybe.' })
    await item.getByRole('button', { name: /^Reject/ }).click()
    await clause(pat, '1').locator('ins.suggestion-insertion').waitFor({ state: 'detached', timeout: LONG })
    await toggle.click()
    expect(await toggle.getAttribute('aria-pressed')).toBe('false')
    expect(await documentText(pat, '1')).toBe(before)
  })
})

describe('comments', () => {
  it('a comment on selected text reaches another user live', async () => {
    await typeInClause(eve, '1', COMMENTED)
    await waitForStatus(eve, 'All changes saved')
    for (let i = 0; i < COMMENTED.trim().length; i++) await eve.keyboard.press('Shift+ArrowLeft')
    await eve.keyboard.press('Control+Alt+M')
    const form = margin(eve).getByTestId('new-comment')
    await form.getByText(`“${COMMENTED.trim()}”`, { exact: false }).waitFor({ timeout: LONG })
    await form.getByRole('textbox', { name: 'Your comment' }).fill('Is this wording settled?')
    await form.getByRole('button', { name: 'Post comment' }).click()
    const thread = margin(pat).getByTestId('comment-thread').filter({ hasText: 'Is this wording settled?' })
    await thread.waitFor({ timeout: LONG })
    await thread.locator('blockquote', { hasText: COMMENTED.trim() }).waitFor()
    await clause(pat, '1')
      .locator('.comment-highlight', { hasText: COMMENTED.trim() })
      .waitFor({ timeout: LONG })
  })

  it('a reply written by keyboard reaches the other user; the form closes and "Reply" has the focus again', async () => {
    const thread = (page: Page) =>
      margin(page).getByTestId('comment-thread').filter({ hasText: 'Is this wording settled?' })
    // No thread carries a form until asked (see ReplyForm).
    expect(await margin(pat).getByRole('textbox', { name: 'Reply' }).count()).toBe(0)
    await thread(pat).getByRole('button', { name: 'Reply to this thread' }).focus()
    await pat.keyboard.press('Enter')
    const field = thread(pat).getByRole('textbox', { name: 'Reply' })
    await expect.poll(() => field.evaluate((f) => f === document.activeElement)).toBe(true)
    await pat.keyboard.type('Settled at the last meeting.')
    await pat.keyboard.press('Tab')
    await pat.keyboard.press('Enter')
    await thread(eve).getByText('Settled at the last meeting.').waitFor({ timeout: LONG })
    await expect.poll(() => field.count(), { timeout: LONG }).toBe(0)
    const reply = thread(pat).getByRole('button', { name: 'Reply to this thread' })
    await expect.poll(() => reply.evaluate((b) => b === document.activeElement)).toBe(true)
  })

  it('the margin, open with a thread and a reply form, has no axe violations', async () => {
    const thread = margin(eve).getByTestId('comment-thread').first()
    await thread.waitFor({ timeout: LONG })
    await thread.getByRole('button', { name: 'Reply to this thread' }).click()
    await thread.getByRole('textbox', { name: 'Reply' }).waitFor()
    const violations = await axeViolations(eve)
    expect(violations, describeViolations(violations)).toEqual([])
    await thread.getByRole('button', { name: 'Cancel the reply' }).click()
    await thread.getByRole('button', { name: 'Reply to this thread' }).waitFor()
  })

  it('a thread survives the deletion of its text and says so', async () => {
    await typeInClause(eve, '1', '')
    for (let i = 0; i < COMMENTED.length; i++) await eve.keyboard.press('Shift+ArrowLeft')
    await eve.keyboard.press('Backspace')
    await waitForStatus(eve, 'All changes saved')
    for (const page of [eve, pat]) {
      await waitForDocumentText(page, '1', COMMENTED.trim(), false)
      const thread = margin(page)
        .getByTestId('comment-thread')
        .filter({ hasText: 'Is this wording settled?' })
      await thread.getByTestId('text-removed').waitFor({ timeout: LONG })
    }
  })
})

describe('inside the consensus flow', () => {
  it('a chair’s agree is refused while the clause has an open suggestion, with the reason', async () => {
    const opened = await openPage(browser.browser, server.url, chairCookie)
    errors.push(opened.errors)
    const chair = opened.page
    await openEditor(chair, deliverableId)
    await typeInClause(pat, '1', ' Pending.')
    await clause(chair, '1')
      .locator('ins.suggestion-insertion', { hasText: 'Pending.' })
      .waitFor({ timeout: LONG })
    await selectClause(eve, '1', 'Scope')
    await panel(eve).getByRole('button', { name: 'Propose for agreement' }).click()
    await selectClause(chair, '1', 'Scope')
    await panel(chair)
      .getByTestId('suggestion-item')
      .filter({ hasText: 'Pending.' })
      .waitFor({ timeout: LONG })
    await panel(chair).getByRole('button', { name: 'Agree…' }).click()
    await panel(chair).getByRole('button', { name: 'Agree to this text' }).click()
    await panel(chair).getByRole('alert').filter({ hasText: '1 open suggestion' }).waitFor({ timeout: LONG })
    await opened.context.close()
  })
})

describe('observers', () => {
  it('see comments but no control to comment or suggest, and cannot type', async () => {
    await margin(otto).getByTestId('comment-thread').first().waitFor({ timeout: LONG })
    expect(await otto.getByRole('button', { name: 'Comment' }).count()).toBe(0)
    expect(await otto.getByRole('button', { name: 'Suggest changes' }).count()).toBe(0)
    expect(await otto.getByRole('textbox', { name: 'Reply' }).count()).toBe(0)
    expect(await otto.locator('.itu-document').getAttribute('contenteditable')).toBe('false')
  })

  it('no page threw', () => {
    expect(errors.flat()).toEqual([])
  })
})
