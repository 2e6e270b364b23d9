/**
 * The margin past the threshold where it takes its cheaper path (#24): with more than MAPPED_ABOVE anchored
 * comments on one deliverable, edits move the highlights and anchors are resolved again once the typing pauses,
 * and the margin draws a page of threads at a time. Every thread can still be shown ("Show more", by keyboard),
 * every anchored word is highlighted, Alt+Down and Alt+Up move between threads, Tab enters one (its "Show in
 * text" first, which selects its words in the text); after typing, every highlight is still there, over its word; axe finds nothing.
 * The first draw covers the clauses in view only: a clause far below gets its highlight and its suggestion too,
 * without being scrolled to or typed in.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAPPED_ABOVE } from '../../client/annotations/annotationDecorations.ts'
import { anchorOnWord, annotationsOf, writeParagraph } from '../annotations/support.ts'
import { axeViolations, describeViolations, launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { clauseByTitle, connectClient, type LiveClient } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { ensureClientBuilt, LONG, openEditor, openPage, typeInClause } from './pages.ts'

const COUNT = MAPPED_ABOVE + 20
/** Words of one length, so that none is part of another. */
const WORDS = Array.from({ length: COUNT }, (_, n) => `word${String(n).padStart(3, '0')}`)
/** A word of the last clause, kept out of the window by a long clause 2 (one more thread, last in the text). */
const FAR_WORD = 'farther'
const FILLER = Array.from({ length: 3_000 }, (_, n) => `filler${n}`).join(' ')
const ALL_WORDS = [...WORDS, FAR_WORD]

let server: TestServer
let browser: TestBrowser
let workspace: Awaited<ReturnType<typeof buildWorkspace>>
let eve: Page
let writer: LiveClient
/** Comment id → the word it is on. */
const wordOf = new Map<string, string>()
const errors: string[] = []

/** The text the editor's own selection covers (not the DOM's). */
function selectedText(): string {
  type Doc = { textBetween(from: number, to: number): string }
  type Selection = { from: number; to: number }
  const view = document.querySelector('.ProseMirror') as unknown as {
    editor?: { state: { selection: Selection; doc: Doc } }
  } | null
  if (!view?.editor) return ''
  const { from, to } = view.editor.state.selection
  return view.editor.state.doc.textBetween(from, to)
}

const margin = (page: Page) => page.getByTestId('comment-margin')
const threads = (page: Page) => margin(page).getByTestId('comment-thread')
const focusedThreadId = (page: Page) =>
  page.evaluate(() => document.activeElement?.closest('[data-comment-id]')?.getAttribute('data-comment-id'))

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  workspace = await buildWorkspace(server)
  const id = workspace.deliverable.id
  writer = connectClient(server, id, workspace.editor.cookie, { accord: true })
  await writer.synced()
  const scope = await writeParagraph(writer, server, id, 'Scope', WORDS.join(' '))
  const sectionId = clauseByTitle(writer.body, 'Scope').getAttribute('id') as string
  const api = annotationsOf(workspace.participant, id)
  for (let from = 0; from < COUNT; from += 10)
    await Promise.all(
      WORDS.slice(from, from + 10).map(async (word) => {
        const made = await api.comment({ sectionId, anchor: anchorOnWord(scope, word), body: `On ${word}.` })
        expect(made.status, JSON.stringify(made.body)).toBe(201)
        wordOf.set(made.body.comment.id, word)
      }),
    )
  await writeParagraph(writer, server, id, 'References', FILLER)
  const conventions = await writeParagraph(
    writer,
    server,
    id,
    'Conventions',
    `The ${FAR_WORD} clause, out of view.`,
  )
  const far = await api.comment({
    sectionId: clauseByTitle(writer.body, 'Conventions').getAttribute('id'),
    anchor: anchorOnWord(conventions, FAR_WORD),
    body: `On ${FAR_WORD}.`,
  })
  expect(far.status, JSON.stringify(far.body)).toBe(201)
  wordOf.set(far.body.comment.id, FAR_WORD)
  const suggested = await api.suggest({
    sectionId: clauseByTitle(writer.body, 'Conventions').getAttribute('id'),
    anchor: anchorOnWord(conventions, 'view'),
    replacement: 'sight',
  })
  expect(suggested.status, JSON.stringify(suggested.body)).toBe(201)
  browser = await launchBrowser()
  const opened = await openPage(browser.browser, server.url, workspace.editor.cookie)
  eve = opened.page
  errors.push(...opened.errors)
  await openEditor(eve, id)
}, 240_000)

afterAll(async () => {
  writer?.destroy()
  await browser?.close()
  await server?.stop()
})

describe(`more than ${MAPPED_ABOVE} comments on one deliverable`, () => {
  it('a clause far out of view has its highlight and its suggestion drawn, without being scrolled to', async () => {
    const far = eve
      .locator('.itu-document section.clause')
      .filter({ hasText: `The ${FAR_WORD} clause` })
      .last()
    expect(await far.evaluate((clause) => clause.getBoundingClientRect().top > window.innerHeight * 3)).toBe(
      true,
    )
    await far
      .locator('.comment-highlight', { hasText: FAR_WORD })
      .waitFor({ state: 'attached', timeout: LONG })
    await far
      .locator('del.suggestion-deletion', { hasText: 'view' })
      .waitFor({ state: 'attached', timeout: LONG })
    await far
      .locator('ins.suggestion-insertion', { hasText: 'sight' })
      .waitFor({ state: 'attached', timeout: LONG })
    expect(await eve.evaluate(() => window.scrollY)).toBe(0)
  })

  it('every anchored word is highlighted, and the margin shows every thread once "Show more" is pressed by keyboard', async () => {
    await expect
      .poll(() => eve.locator('.itu-document .comment-highlight').count(), { timeout: LONG })
      .toBe(COUNT + 1)
    await threads(eve).first().waitFor({ timeout: LONG })
    const more = margin(eve).getByRole('button', { name: /^Show \d+ more of \d+ threads not shown$/ })
    await more.waitFor({ timeout: LONG })
    expect(await threads(eve).count()).toBeLessThan(COUNT)
    await more.focus()
    await eve.keyboard.press('Enter')
    await expect.poll(() => threads(eve).count(), { timeout: LONG }).toBe(COUNT + 1)
    const shown = await threads(eve).evaluateAll((all) => all.map((t) => t.getAttribute('data-comment-id')))
    expect(new Set(shown)).toEqual(new Set(wordOf.keys()))
    // In the order of the text.
    expect(shown.map((id) => wordOf.get(id!))).toEqual(ALL_WORDS)
    expect(await more.count()).toBe(0)
  })

  it('Alt+Down and Alt+Up move between threads; Tab enters one; "Show in text" selects its words', async () => {
    const ids = await threads(eve).evaluateAll((all) => all.map((t) => t.getAttribute('data-comment-id')!))
    // From the filter, Tab reaches the first thread's controls.
    await margin(eve).getByRole('combobox', { name: 'Show' }).focus()
    await eve.keyboard.press('Tab')
    expect(await focusedThreadId(eve)).toBe(ids[0])
    for (const n of [1, 2, 3]) {
      await eve.keyboard.press('Alt+ArrowDown')
      expect(await focusedThreadId(eve)).toBe(ids[n])
    }
    await eve.keyboard.press('Alt+ArrowUp')
    expect(await focusedThreadId(eve)).toBe(ids[2])
    await margin(eve).locator(`[data-comment-id="${ids[2]}"].active`).waitFor({ timeout: LONG })
    // Across the first page's end, into the threads "Show more" added.
    await threads(eve).nth(98).focus()
    await eve.keyboard.press('Alt+ArrowDown')
    await eve.keyboard.press('Alt+ArrowDown')
    expect(await focusedThreadId(eve)).toBe(ids[100])
    await eve.keyboard.press('Tab')
    const showInText = threads(eve).nth(100).getByRole('button', { name: 'Show in text' })
    expect(await showInText.evaluate((button) => button === document.activeElement)).toBe(true)
    await eve.keyboard.press('Enter')
    await expect.poll(() => eve.evaluate(selectedText), { timeout: LONG }).toBe(wordOf.get(ids[100]!))
  })

  it('after typing, the margin and the highlights keep every thread, each highlight over its word', async () => {
    await typeInClause(eve, '1', 'New ', 'start')
    await eve.waitForTimeout(1_000)
    expect(await threads(eve).count()).toBe(COUNT + 1)
    const marked = await eve
      .locator('.itu-document .comment-highlight')
      .evaluateAll((all) => all.map((h) => [h.getAttribute('data-comment-id'), h.textContent ?? '']))
    expect(new Set(marked.map(([id]) => id))).toEqual(new Set(wordOf.keys()))
    // Text typed right at a highlight's start can show inside its span until the next redraw (see the report).
    const wrong = marked.filter(([id, text]) => !text?.endsWith(wordOf.get(id!)!))
    expect(wrong).toEqual([])
  })

  it('axe finds no violations with every thread shown', async () => {
    const violations = await axeViolations(eve)
    expect(violations, describeViolations(violations)).toEqual([])
  })

  it('no page threw', () => {
    expect(errors).toEqual([])
  })
})
