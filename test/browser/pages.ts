/** What the browser suites share: the built client, logged-in pages, and how to find and type into clauses. */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { contextWithSession } from '../support/browser.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
export const LONG = 30_000

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs)
  }
  return newest
}

/** Builds the client when dist/client is missing or older than its sources (the server serves dist/client). */
export function ensureClientBuilt(): void {
  const index = path.join(ROOT, 'dist/client/index.html')
  const sources = Math.max(newestSource(path.join(ROOT, 'client')), newestSource(path.join(ROOT, 'shared')))
  if (existsSync(index) && statSync(index).mtimeMs > sources) return
  // The bundle users get: under vitest NODE_ENV is "test", with which Vite builds React's development version
  // (StrictMode mounting every component twice, other timings) instead of the one `npm start` serves.
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  })
}

/** A page in a fresh context, logged in with the session cookie, with browser errors collected for the test. */
export async function openPage(browser: Browser, baseUrl: string, cookie?: string) {
  const context = await contextWithSession(browser, baseUrl, cookie)
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  return { context, page, errors }
}

/** The text of an element as the DOM has it (textContent; never null). */
export async function textOf(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? ''
}

export function editorContent(page: Page): Locator {
  return page.locator('.itu-document')
}

/** The clause whose heading shows this number ("6", "3.2", "Annex A"). */
export function clause(page: Page, number: string): Locator {
  return page.locator(`section.clause:has(> .clause-heading[data-number="${number}"])`)
}

export function clauseHeading(page: Page, number: string): Locator {
  return page.locator(`.itu-document .clause-heading[data-number="${number}"]`)
}

/** Opens a deliverable and waits until its text came from the server and can be edited. */
export async function openEditor(page: Page, deliverableId: string, editable = true): Promise<void> {
  await page.goto(`/d/${deliverableId}`)
  await page.locator(`.itu-document[contenteditable="${editable}"]`).waitFor({ timeout: LONG })
  await clauseHeading(page, '1').waitFor({ timeout: LONG })
}

export async function waitForStatus(page: Page, text: string | RegExp, timeout = LONG): Promise<void> {
  await page.getByTestId('sync-status').filter({ hasText: text }).waitFor({ timeout })
}

/**
 * True when the editor's own caret (not just the DOM's) is inside this element's text block, at its start or end.
 * Home and End move the browser's caret first and the editor reads it a moment later: a remote change arriving in
 * between restores the editor's older caret, as it would for a person.
 */
type CaretPlace = 'start' | 'end' | 'anywhere'

function editorCaretAt(element: Element, where: CaretPlace): boolean {
  const editor = (document.querySelector('.ProseMirror') as unknown as { editor?: TiptapLike } | null)?.editor
  if (!editor) return false
  const { selection } = editor.state
  if (!selection.empty || !element.contains(editor.view.domAtPos(selection.from).node)) return false
  const { parentOffset, parent } = selection.$from
  if (where === 'anywhere') return true
  return where === 'start' ? parentOffset === 0 : parentOffset === parent.content.size
}
interface TiptapLike {
  state: {
    selection: {
      from: number
      empty: boolean
      $from: { parentOffset: number; parent: { content: { size: number } } }
    }
  }
  view: { domAtPos(pos: number): { node: Node } }
}

/**
 * Puts the caret at the end (or start) of the clause's last own paragraph and types there. A click that lands while a remote
 * change re-renders that very paragraph can be lost (the browser had not reported it to the editor yet), as it
 * would be for a person; the helper then clicks again, like a person would.
 */
export async function typeInClause(
  page: Page,
  number: string,
  text: string,
  where: 'start' | 'end' = 'end',
): Promise<void> {
  const paragraph = clause(page, number).locator(':scope > p').last()
  for (let attempt = 0; ; attempt++) {
    await paragraph.click()
    await page.keyboard.press(where === 'end' ? 'End' : 'Home')
    // Let the editor read the caret the key moved before checking where it is.
    await page.waitForTimeout(20)
    // An agreed clause keeps the caret where the click put it (its text cannot change): after a few tries, a
    // caret inside the paragraph is what a person would have too.
    const wanted: CaretPlace = attempt < 5 ? where : 'anywhere'
    if (await paragraph.evaluate(editorCaretAt, wanted)) break
    if (attempt === 10) throw new Error(`could not put the caret into clause ${number}`)
    await page.waitForTimeout(100)
  }
  await page.keyboard.type(text, { delay: 5 })
}

/** The clause's own paragraphs as text, without other people's caret labels. */
export async function clauseText(page: Page, number: string): Promise<string> {
  const texts = await clause(page, number)
    .locator(':scope > p')
    .evaluateAll((paragraphs) =>
      paragraphs.map((p) => {
        const copy = p.cloneNode(true) as HTMLElement
        for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove()
        return copy.textContent ?? ''
      }),
    )
  return texts.join('\n')
}

/** Waits until the clause's own paragraphs contain every one of the texts. */
export async function waitForClauseText(
  page: Page,
  number: string,
  texts: string[],
  timeout = LONG,
): Promise<void> {
  const deadline = Date.now() + timeout
  let last = ''
  while (Date.now() < deadline) {
    last = await clauseText(page, number).catch(() => '')
    if (texts.every((t) => last.includes(t))) return
    await page.waitForTimeout(200)
  }
  throw new Error(
    `clause ${number} never contained ${JSON.stringify(texts)}; last text: ${JSON.stringify(last)}`,
  )
}
