/**
 * Other people's typing never moves what an editor is reading: on a long deliverable, with the caret's line at the
 * bottom edge of the window (half visible, where a reader who scrolled a little leaves it), others type far above
 * and far below; the window does not scroll, the caret stays where it was in its text (End put it at the end of
 * its line), and the next key lands there. The user's own editing does bring the caret into view (after the frame:
 * editor/scrollAfterFrame.ts), from the window's edge and from far away.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { appendLargeDeliverable, largeDeliverable } from '../support/largeDeliverable.ts'
import {
  clauseByTitle,
  connectClient,
  firstParagraphText,
  type LiveClient,
  waitFor,
} from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { ensureClientBuilt, LONG, openPage } from './pages.ts'

let server: TestServer
let browser: TestBrowser
let page: Page
let errors: string[]
let typist: LiveClient
const fixture = largeDeliverable({ words: 30_000, clauses: 60 })
const readClauseId = fixture.clauseIds[30]!
const lastClauseId = fixture.clauseIds.at(-1)!

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  const workspace = await buildWorkspace(server)
  const deliverableId = workspace.deliverable.id
  typist = connectClient(server, deliverableId, workspace.editor.cookie)
  await typist.synced()
  appendLargeDeliverable(typist.body, fixture)
  const expected = typist.body.toString()
  const check = connectClient(server, deliverableId, workspace.chair.cookie)
  await check.synced()
  await waitFor(() => check.body.toString() === expected, 'the deliverable on the server', LONG)
  check.destroy()
  browser = await launchBrowser()
  ;({ page, errors } = await openPage(browser.browser, server.url, workspace.editor2.cookie))
  await page.goto(`/d/${deliverableId}`)
  await page.locator('.itu-document[contenteditable="true"]').waitFor({ timeout: LONG })
  await page.locator(`.itu-document [data-clause-id="${lastClauseId}"]`).waitFor({ timeout: LONG })
})

afterAll(async () => {
  typist?.destroy()
  await browser?.close()
  await server?.stop()
})

interface Caret {
  /** The caret's text block's text, and where in it the caret is. */
  text: string
  offset: number
  /** The caret's line on screen, and the window's scroll position. */
  top: number
  scrollY: number
}

interface EditorLike {
  state: {
    selection: { head: number; $head: { parentOffset: number; parent: { textContent: string } } }
  }
  view: { coordsAtPos(pos: number): { top: number; bottom: number } }
}

function caretOf(): Caret {
  const editor = (document.querySelector('.ProseMirror') as unknown as { editor: EditorLike }).editor
  const { head, $head } = editor.state.selection
  return {
    text: $head.parent.textContent,
    offset: $head.parentOffset,
    top: editor.view.coordsAtPos(head).top,
    scrollY: window.scrollY,
  }
}

/** Scrolls so that the caret's line is cut in half by the window's bottom edge. */
function putCaretLineAtBottomEdge(): void {
  const editor = (document.querySelector('.ProseMirror') as unknown as { editor: EditorLike }).editor
  const rect = editor.view.coordsAtPos(editor.state.selection.head)
  window.scrollBy(0, rect.bottom - (rect.bottom - rect.top) / 2 - window.innerHeight)
}

/** Another person types `count` characters at the end of the given paragraph, at a typist's pace. */
async function typeRemotely(where: ReturnType<typeof firstParagraphText>, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    where.insert(where.length, 'x')
    await new Promise((resolve) => setTimeout(resolve, 60))
  }
}

describe('others typing far from the caret', () => {
  it('do not scroll the window, and the caret stays where it was', async () => {
    await page.locator(`.itu-document [data-clause-id="${readClauseId}"] p`).first().click()
    await page.keyboard.press('End')
    await page.waitForTimeout(100)
    await page.evaluate(putCaretLineAtBottomEdge)
    await page.waitForTimeout(300)
    const before = await page.evaluate(caretOf)
    // The caret's line is partly in view: exactly where a scroll "into view" would move the page.
    expect(before.top).toBeLessThan(await page.evaluate(() => window.innerHeight))

    const summaryClause = clauseByTitle(typist.body, 'Summary')
    const lastClause = typist.body
      .createTreeWalker(
        (node) =>
          node instanceof Y.XmlElement &&
          node.nodeName === 'clause' &&
          node.getAttribute('id') === lastClauseId,
      )
      .next().value as Y.XmlElement
    await Promise.all([
      typeRemotely(firstParagraphText(summaryClause), 12),
      typeRemotely(firstParagraphText(lastClause), 12),
    ])
    for (const id of [summaryClause.getAttribute('id'), lastClauseId])
      await page
        .locator(`.itu-document [data-clause-id="${id}"] p`, { hasText: 'x'.repeat(12) })
        .first()
        .waitFor({ timeout: LONG })
    await page.waitForTimeout(300)

    const after = await page.evaluate(caretOf)
    expect(after.scrollY).toBe(before.scrollY)
    expect(after.top).toBe(before.top)
    expect({ text: after.text, offset: after.offset }).toEqual({ text: before.text, offset: before.offset })

    await page.keyboard.type('Z')
    await page.waitForTimeout(100)
    const typed = await page.evaluate(caretOf)
    expect(typed.text).toBe(`${before.text.slice(0, before.offset)}Z${before.text.slice(before.offset)}`)
    expect(errors).toEqual([])
  })
})

/** Whether the caret's line is wholly inside the window. */
function caretLineInWindow(): boolean {
  const editor = (document.querySelector('.ProseMirror') as unknown as { editor: EditorLike }).editor
  const rect = editor.view.coordsAtPos(editor.state.selection.head)
  return rect.top >= 0 && rect.bottom <= window.innerHeight
}

// Enter is ProseMirror's own command (the browser reveals the caret itself only for text it inserted): the
// scrolling tested here is ProseMirror's, which runs once the frame is drawn.
describe("the user's own editing", () => {
  it('brings a caret line cut by the window edge into view', async () => {
    await page.evaluate(putCaretLineAtBottomEdge)
    await page.waitForTimeout(300)
    expect(await page.evaluate(caretLineInWindow)).toBe(false)
    const before = await page.evaluate(caretOf)
    await page.keyboard.press('Enter')
    await page.keyboard.press('Enter')
    await page.waitForFunction(caretLineInWindow, undefined, { timeout: 5000 })
    expect((await page.evaluate(caretOf)).scrollY).toBeGreaterThan(before.scrollY)
  })

  it('brings a caret far out of view back into view', async () => {
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.waitForTimeout(300)
    expect(await page.evaluate(caretLineInWindow)).toBe(false)
    await page.keyboard.press('Enter')
    await page.waitForFunction(caretLineInWindow, undefined, { timeout: 5000 })
    await page.keyboard.type('Q')
    const caret = await page.evaluate(caretOf)
    expect(caret.text.slice(0, caret.offset)).toBe('Q')
    expect(errors).toEqual([])
  })
})
