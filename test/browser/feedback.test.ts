/**
 * What the editor says and shows back to its users (issue 20, bugs 7 to 10): the clause history recovers after a
 * reconnect; a refused keystroke, shortcut or button says why at that moment; people with the same initials have
 * different avatars; another person's caret label hides no text; placeholders look like placeholders and never
 * reach readers or paper; the redline's insertions are revision marks, not links; Home and End keep the caret
 * while someone else types in the same paragraph. The editor and an observer (a reader: participants now type
 * suggestions) reach the server through a TCP proxy the test can cut; the other people are real y-websocket clients.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { axeViolations, describeViolations, launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace, createUser, type Session, setDeliverableRole } from '../support/factories.ts'
import { clauseByTitle, connectClient, firstParagraphText, type LiveClient } from '../support/syncClients.ts'
import { startServerBehindProxy, type TcpProxy } from '../support/tcpProxy.ts'
import type { TestServer } from '../support/testServer.ts'
import {
  clause,
  clauseText,
  editorContent,
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
let proxy: TcpProxy
let browser: TestBrowser
let workspace: Awaited<ReturnType<typeof buildWorkspace>>
let eve: Page
let pat: Page
/** Eli Edwards: the same initials as Eve Editor; present, with an idle caret in the front matter's Note. */
let eli: LiveClient
const clients: LiveClient[] = []
const errors: string[][] = []

beforeAll(async () => {
  ensureClientBuilt()
  ;({ server, proxy } = await startServerBehindProxy())
  workspace = await buildWorkspace(server)
  const eliSession: Session = await createUser(server, workspace.admin, { name: 'Eli Edwards' })
  await setDeliverableRole(workspace.chair, workspace.deliverable.id, eliSession.user.id, 'editor')
  browser = await launchBrowser()
  const opened = await Promise.all(
    [workspace.editor, workspace.observer].map((who) => openPage(browser.browser, proxy.url, who.cookie)),
  )
  ;[eve, pat] = opened.map((o) => o.page) as [Page, Page]
  errors.push(...opened.map((o) => o.errors))
  await Promise.all([
    openEditor(eve, workspace.deliverable.id),
    openEditor(pat, workspace.deliverable.id, false),
  ])
  await Promise.all([eve, pat].map(recordAnnouncements))

  eli = connectClient(server, workspace.deliverable.id, eliSession.cookie, { accord: true })
  clients.push(eli)
  await eli.synced()
  const note = firstParagraphText(clauseByTitle(eli.body, 'Note'))
  const at = Y.createRelativePositionFromTypeIndex(note, 120)
  eli.provider.awareness.setLocalStateField('cursor', {
    anchor: Y.relativePositionToJSON(at),
    head: Y.relativePositionToJSON(at),
  })
})

afterAll(async () => {
  for (const c of clients) c.destroy()
  await browser?.close()
  await proxy?.close()
  await server?.stop()
})

/** Keeps what the app's live region says, so a test can ask whether something was said. */
async function recordAnnouncements(page: Page): Promise<void> {
  await page.evaluate(() => {
    const said: string[] = []
    ;(window as unknown as { __announced: string[] }).__announced = said
    let last = ''
    new MutationObserver(() => {
      // The announcer empties itself before each message, so a message said twice is recorded twice.
      const text = document.querySelector('[data-testid="announcer"]')?.textContent ?? ''
      if (text !== last && text) said.push(text)
      last = text
    }).observe(document, { subtree: true, childList: true, characterData: true })
  })
}

const announced = (page: Page) =>
  page.evaluate(() => [...(window as unknown as { __announced: string[] }).__announced])

async function waitForAnnouncement(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (wanted) => (window as unknown as { __announced: string[] }).__announced.some((s) => s.includes(wanted)),
    text,
    { timeout: LONG },
  )
}

const sectionsPath = () => `/api/deliverables/${workspace.deliverable.id}`

async function sectionId(number: string): Promise<string> {
  const { body } = await workspace.chair.api.get(sectionsPath())
  const titles: Record<string, string> = { '1': 'Scope', '6': 'Overview' }
  const found = (body.sections as { id: string; title: string }[]).find((s) => s.title === titles[number])
  if (!found) throw new Error(`no section ${number}`)
  return found.id
}

async function act(number: string, action: string, note?: string): Promise<void> {
  const path = `${sectionsPath()}/sections/${await sectionId(number)}/actions`
  const response = await workspace.chair.api.post(path, note ? { action, note } : { action })
  expect(response.status, JSON.stringify(response.body)).toBe(200)
}

const notice = (page: Page) => page.getByTestId('refusal-notice')

/** Set FEEDBACK_SCREENSHOTS=<dir> to keep pictures for a visual check. */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.FEEDBACK_SCREENSHOTS
  if (dir) await page.screenshot({ path: `${dir}/${name}.png` })
}

/** The accessible description of a toolbar button (what aria-describedby points at). */
async function descriptionOf(page: Page, name: string): Promise<string> {
  const button = page.getByRole('toolbar').getByRole('button', { name, exact: true })
  const ids = (await button.getAttribute('aria-describedby')) ?? ''
  const texts = await Promise.all(
    ids
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => textOf(page.locator(`[id="${id}"]`))),
  )
  return texts.join(' ')
}

describe('the clause history after a reconnect (bug 7)', () => {
  it('is read again when the connection comes back', async () => {
    await waitForStatus(eve, 'All changes saved')
    proxy.cut()
    await waitForStatus(eve, /Reconnecting|Offline/)
    await eve.getByRole('treeitem', { name: /^6 Overview/ }).click()
    const panel = eve.getByTestId('clause-panel')
    await panel.getByText('The history could not be loaded', { exact: false }).waitFor({ timeout: LONG })
    proxy.restore()
    await waitForStatus(eve, 'All changes saved')
    // Back online: the history is there without the clause having to change.
    await panel.getByText('No decisions yet', { exact: false }).waitFor({ timeout: 10_000 })
    expect(await panel.getByText('could not be loaded', { exact: false }).count()).toBe(0)
  })
})

describe('refusals say why (bug 8)', () => {
  it('typing, Backspace and Ctrl+B in an agreed clause say that it is locked, once per burst', async () => {
    await act('1', 'propose')
    await act('1', 'agree')
    await clause(eve, '1').getByTestId('clause-lock-note').waitFor({ timeout: LONG })
    const before = await clauseText(eve, '1')
    const saidBefore = (await announced(eve)).length

    await typeInClause(eve, '1', 'blocked')
    await notice(eve).filter({ hasText: '1 is agreed' }).waitFor({ timeout: 5_000 })
    await screenshot(eve, 'locked-notice')
    expect(await textOf(notice(eve))).toContain('locked until a chair reopens it')
    await waitForAnnouncement(eve, '1 is agreed: its text is locked until a chair reopens it')
    await eve.keyboard.press('Backspace')
    await eve.keyboard.press('Backspace')
    await eve.waitForTimeout(300)
    // One burst (seven letters and two Backspaces): said once, not nine times.
    const locked = (await announced(eve)).slice(saidBefore).filter((s) => s.includes('is agreed'))
    expect(locked).toHaveLength(1)
    expect(await clauseText(eve, '1')).toBe(before)

    // A new burst after a pause: Ctrl+B with the caret in the agreed text is refused and said again.
    await eve.waitForTimeout(2_500)
    await eve.keyboard.press('Control+b')
    await expect
      .poll(
        async () => (await announced(eve)).slice(saidBefore).filter((s) => s.includes('is agreed')).length,
      )
      .toBe(2)
    expect(await notice(eve).isVisible()).toBe(true)
  })

  it('disables the buttons that cannot act in an agreed clause, with the reason as their description', async () => {
    await eve
      .locator('.itu-document section.clause:has(> .clause-heading[data-number="1"]) > p')
      .first()
      .click()
    const table = eve.getByRole('toolbar').getByRole('button', { name: 'Table', exact: true })
    await expect.poll(() => table.getAttribute('aria-disabled')).toBe('true')
    expect(await descriptionOf(eve, 'Table')).toContain(
      '1 is agreed: its text is locked until a chair reopens it',
    )
    expect(await descriptionOf(eve, 'Bold')).toContain('1 is agreed')
    // Pressed anyway (a pointer does not know about aria-disabled): it says why.
    await table.click({ force: true })
    await notice(eve).filter({ hasText: '1 is agreed' }).waitFor({ timeout: 5_000 })
    const violations = await axeViolations(eve)
    expect(violations, describeViolations(violations)).toEqual([])
  })

  it('says why "Remove clause" is disabled on a required clause', async () => {
    await eve
      .locator('.itu-document section.clause:has(> .clause-heading[data-number="2"]) > p')
      .first()
      .click()
    const remove = eve.getByRole('toolbar').getByRole('button', { name: 'Remove clause', exact: true })
    await expect.poll(() => remove.getAttribute('aria-disabled')).toBe('true')
    expect(await descriptionOf(eve, 'Remove clause')).toMatch(
      /2 \(References\) is required and cannot be removed/,
    )
    expect(await descriptionOf(eve, 'Table')).toBe('')
  })

  it('a reader who types is told that the text is read only', async () => {
    await pat
      .locator('.itu-document section.clause:has(> .clause-heading[data-number="6"]) > p')
      .first()
      .click()
    await pat.keyboard.type('hello')
    await notice(pat).filter({ hasText: 'read' }).waitFor({ timeout: 5_000 })
    await screenshot(pat, 'reader-notice')
    await waitForAnnouncement(pat, 'you can read this text but not change it')
    expect((await announced(pat)).filter((s) => s.includes('not change it'))).toHaveLength(1)
    const violations = await axeViolations(pat)
    expect(violations, describeViolations(violations)).toEqual([])
  })
})

describe('small things (bug 9)', () => {
  it('two people with the same initials have different avatars', async () => {
    const avatars = eve.locator('.presence-list .avatar')
    await avatars.filter({ hasText: 'Eli Edwards' }).waitFor({ timeout: LONG })
    const texts = await avatars.locator('[aria-hidden="true"]').allTextContents()
    expect(texts.length).toBeGreaterThanOrEqual(2)
    expect(new Set(texts).size, texts.join(', ')).toBe(texts.length)
  })

  it("another person's idle caret label hides no text", async () => {
    const label = eve.locator('.collaboration-carets__label')
    await label.waitFor({ state: 'attached', timeout: LONG })
    await eve.waitForTimeout(3_000)
    const overlap = await label.evaluate((element) => {
      const box = element.getBoundingClientRect()
      const root = document.querySelector('.itu-document')!
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
      let worst = 0
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement?.closest('.collaboration-carets__caret')) continue
        const range = document.createRange()
        range.selectNodeContents(node)
        for (const r of range.getClientRects()) {
          const w = Math.min(r.right, box.right) - Math.max(r.left, box.left)
          const h = Math.min(r.bottom, box.bottom) - Math.max(r.top, box.top)
          if (w > 0 && h > 0) worst = Math.max(worst, w * h)
        }
      }
      return worst
    })
    expect(overlap).toBe(0)
  })

  it('placeholders look like placeholders, and are never shown to readers, printed or in the text', async () => {
    const empty = (page: Page) => clause(page, '3.2').locator('.definition-term[data-empty]').first()
    await empty(eve).waitFor({ timeout: LONG })
    await empty(pat).waitFor({ timeout: LONG })
    const look = (page: Page) =>
      empty(page).evaluate((element) => {
        const style = getComputedStyle(element, '::before')
        return { content: style.content, fontStyle: style.fontStyle, color: style.color }
      })
    const editorLook = await look(eve)
    expect(editorLook.content).toContain('term')
    expect(editorLook.fontStyle).toBe('italic')
    expect((await look(pat)).content).toBe('none')
    await eve.emulateMedia({ media: 'print' })
    expect((await look(eve)).content).toBe('none')
    await eve.emulateMedia({ media: 'screen' })
    // Decorations only: the document itself holds no placeholder word.
    const text = await editorContent(eve).evaluate((el) => {
      const editor = (el as unknown as { editor: { getText(): string } }).editor
      return editor.getText()
    })
    expect(text).not.toMatch(/\bterm\b|\bdefinition\b/)
    const violations = await axeViolations(eve)
    expect(violations, describeViolations(violations)).toEqual([])
  })

  it("the redline's insertions and deletions are revision marks, not links", async () => {
    await act('1', 'reopen', 'Needs a change.')
    await expect
      .poll(() => clause(eve, '1').getByTestId('clause-lock-note').count(), { timeout: LONG })
      .toBe(0)
    await typeInClause(eve, '1', ' Inserted words.')
    await waitForStatus(eve, 'All changes saved')
    await eve.getByRole('treeitem', { name: /^1 Scope/ }).click()
    const panel = eve.getByTestId('clause-panel')
    await panel.getByRole('button', { name: 'Show changes' }).click()
    const ins = panel.getByTestId('redline').locator('ins').first()
    await ins.waitFor({ timeout: LONG })
    const link = await eve.locator('a.back-link').evaluate((a) => {
      const s = getComputedStyle(a)
      return { color: s.color, line: s.textDecorationStyle }
    })
    const mark = await ins.evaluate((el) => {
      const s = getComputedStyle(el)
      return { color: s.color, line: s.textDecorationStyle, decoration: s.textDecorationLine }
    })
    expect(mark.decoration).toContain('underline')
    expect(mark.color).not.toBe(link.color)
    expect(mark.line).not.toBe('solid')
    await screenshot(eve, 'redline')
    // Not colour alone: the marks are explained in words too.
    await panel.getByText(/Inserted text is .*; deleted text is struck through/).waitFor()
    const violations = await axeViolations(eve)
    expect(violations, describeViolations(violations)).toEqual([])
  })
})

describe('Home and End while someone types in the same paragraph (bug 10)', () => {
  it('keep the caret where the key put it', async () => {
    const ed = connectClient(server, workspace.deliverable.id, workspace.editor2.cookie, { accord: true })
    clients.push(ed)
    await ed.synced()
    const overview = firstParagraphText(clauseByTitle(ed.body, 'Overview'))
    overview.insert(0, 'Remote x words: ')
    await waitForClauseText(eve, '6', ['Remote x words:'])
    // The remote person retypes one letter of their own ("x") again and again: the paragraph keeps its length and
    // stays on one line, so that Home and End (the ends of the visual line) mean its start and its end.
    await eve
      .locator('.itu-document section.clause:has(> .clause-heading[data-number="6"]) > p')
      .first()
      .click()
    let slot = Y.createRelativePositionFromTypeIndex(overview, 7)
    let typing = true
    const typist = (async () => {
      for (let i = 0; typing; i++) {
        ed.doc.transact(() => {
          const index = Y.createAbsolutePositionFromRelativePosition(slot, ed.doc)!.index
          overview.insert(index, 'abcdefghij'[i % 10]!)
          overview.delete(index + 1, 1)
          slot = Y.createRelativePositionFromTypeIndex(overview, index)
        })
        // Their caret moves with every letter, and between letters on its own (a click, an arrow key): other
        // people's editors redraw it each time.
        for (const index of [8, 3]) {
          const caret = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(overview, index))
          ed.provider.awareness.setLocalStateField('cursor', { anchor: caret, head: caret })
          await new Promise((r) => setTimeout(r, 5))
        }
      }
    })()
    try {
      // The editor reads the caret a key moved on the browser's next "selectionchange"; on a busy machine other
      // tasks (a remote change) run before it. The test holds that event back for a moment to make it so.
      await eve.evaluate(() => {
        const w = window as unknown as { __holdSelection: boolean }
        w.__holdSelection = false
        window.addEventListener(
          'selectionchange',
          (event) => {
            if (w.__holdSelection) event.stopImmediatePropagation()
          },
          true,
        )
      })
      const pressLate = async (key: string) => {
        await eve.evaluate(() => {
          ;(window as unknown as { __holdSelection: boolean }).__holdSelection = true
        })
        await eve.keyboard.press(key)
        await eve.waitForTimeout(60)
        await eve.evaluate(() => {
          ;(window as unknown as { __holdSelection: boolean }).__holdSelection = false
          document.dispatchEvent(new Event('selectionchange'))
        })
      }
      for (let round = 0; round < 4; round++) {
        await pressLate('End')
        await eve.keyboard.type('>')
        await pressLate('Home')
        await eve.keyboard.type('<')
      }
      for (let round = 0; round < 4; round++) {
        await eve.keyboard.press('End')
        await eve.keyboard.type('>')
        await eve.keyboard.press('Home')
        await eve.keyboard.type('<')
      }
    } finally {
      typing = false
      await typist
    }
    await waitForStatus(eve, 'All changes saved')
    const text = await clauseText(eve, '6')
    expect(text.startsWith('<'.repeat(8)), text).toBe(true)
    expect(text.endsWith('>'.repeat(8)), text).toBe(true)
  }, 240_000)

  it('raised no page errors', () => {
    expect(errors.flat()).toEqual([])
  })
})
