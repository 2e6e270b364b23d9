/**
 * The clause panel's "Accept all" and the @-mention picker, by keyboard (#24). A participant's suggestions on the
 * Scope are accepted all at once by the editor from the clause panel, and the text changes for everyone; the
 * editor mentions the participant with the picker (ArrowDown/ArrowUp, Escape, Enter), the comment names them and
 * reaches their "For me" list; axe finds nothing with the picker open.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anchorOnWord, annotationsOf } from '../annotations/support.ts'
import { axeViolations, describeViolations, launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { clauseByTitle, connectClient, firstParagraphText, type LiveClient } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { clause, ensureClientBuilt, LONG, openEditor, openPage, typeInClause } from './pages.ts'

const SCOPE = 'Alpha beta gamma delta.'

let server: TestServer
let browser: TestBrowser
let workspace: Awaited<ReturnType<typeof buildWorkspace>>
let eve: Page
let pat: Page
let writer: LiveClient
const errors: string[][] = []

const panel = (page: Page) => page.getByTestId('clause-panel')
const margin = (page: Page) => page.getByTestId('comment-margin')

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  workspace = await buildWorkspace(server)
  // The Scope's text, written by the editor's real y-websocket client: the suggestions are anchored on its words.
  writer = connectClient(server, workspace.deliverable.id, workspace.editor.cookie, { accord: true })
  await writer.synced()
  const scope = firstParagraphText(clauseByTitle(writer.body, 'Scope'))
  scope.delete(0, scope.length)
  scope.insert(0, SCOPE)
  browser = await launchBrowser()
  const opened = await Promise.all(
    [workspace.editor, workspace.participant].map((who) => openPage(browser.browser, server.url, who.cookie)),
  )
  ;[eve, pat] = opened.map((o) => o.page) as [Page, Page]
  errors.push(...opened.map((o) => o.errors))
  await Promise.all([
    openEditor(eve, workspace.deliverable.id),
    openEditor(pat, workspace.deliverable.id, true),
  ])
})

afterAll(async () => {
  writer?.destroy()
  await browser?.close()
  await server?.stop()
})

describe('accept all', () => {
  it('the editor accepts all of a clause’s suggestions by keyboard; the text changes once, for everyone', async () => {
    const id = workspace.deliverable.id
    await clause(eve, '1').getByText(SCOPE).waitFor({ timeout: LONG })
    const scope = firstParagraphText(clauseByTitle(writer.body, 'Scope'))
    const sectionId = clauseByTitle(writer.body, 'Scope').getAttribute('id') as string
    const participant = annotationsOf(workspace.participant, id)
    for (const [word, replacement] of [
      ['Alpha', 'First'],
      ['gamma', 'third'],
    ] as const) {
      const made = await participant.suggest({ sectionId, anchor: anchorOnWord(scope, word), replacement })
      expect(made.status, JSON.stringify(made.body)).toBe(201)
    }

    await eve.getByRole('treeitem', { name: /^1 Scope/ }).click()
    await panel(eve).getByTestId('suggestion-item').nth(1).waitFor({ timeout: LONG })
    const acceptAll = panel(eve).getByRole('button', { name: 'Accept all 2' })
    expect(await panel(eve).getByRole('button', { name: 'Reject all 2' }).count()).toBe(1)
    // Reached by keyboard: focus the button before it and Tab onto it, then Enter.
    await panel(eve).getByRole('heading', { name: 'Suggestions' }).waitFor()
    await acceptAll.focus()
    await eve.keyboard.press('Shift+Tab')
    await eve.keyboard.press('Tab')
    expect(await acceptAll.evaluate((button) => button === document.activeElement)).toBe(true)
    await eve.keyboard.press('Enter')

    const accepted = 'First beta third delta.'
    for (const page of [eve, pat]) await clause(page, '1').getByText(accepted).waitFor({ timeout: LONG })
    await expect.poll(() => scope.toString(), { timeout: LONG }).toBe(accepted)
    await panel(eve).getByText('No open suggestions.').waitFor({ timeout: LONG })
    expect((await participant.suggestions()).map((s) => [s.status, s.decidedBy])).toEqual([
      ['accepted', workspace.editor.user.id],
      ['accepted', workspace.editor.user.id],
    ])
  })

  it('is offered to editors only, never to a participant', async () => {
    await pat.getByRole('treeitem', { name: /^1 Scope/ }).click()
    await panel(pat).getByRole('heading', { name: 'Suggestions' }).waitFor({ timeout: LONG })
    expect(
      await panel(pat)
        .getByRole('button', { name: /^Accept all/ })
        .count(),
    ).toBe(0)
  })
})

describe('the @-mention picker', () => {
  it('offers members by keyboard, inserts the mention, and the mentioned user finds it in "For me"', async () => {
    await typeInClause(eve, '1', '')
    await eve.keyboard.press('Control+Alt+M')
    const form = margin(eve).getByTestId('new-comment')
    const field = form.getByRole('textbox', { name: 'Your comment' })
    await field.waitFor({ timeout: LONG })
    expect(await field.evaluate((element) => element === document.activeElement)).toBe(true)
    await eve.keyboard.type('Please check this, @P', { delay: 5 })

    const list = margin(eve).getByRole('listbox', { name: 'Members to mention' })
    await list.waitFor({ timeout: LONG })
    const names = await list.getByRole('option').allTextContents()
    expect(names.some((name) => name.startsWith('Pat Participant'))).toBe(true)
    expect(names.some((name) => name.startsWith('Olga Outsider'))).toBe(false)
    const activeOption = async () => {
      const active = await field.getAttribute('aria-activedescendant')
      return list.locator(`[id="${active}"]`)
    }
    expect(await field.getAttribute('aria-controls')).toBe(await list.getAttribute('id'))
    expect(await (await activeOption()).getAttribute('aria-selected')).toBe('true')

    const violations = await axeViolations(eve)
    expect(violations, describeViolations(violations)).toEqual([])

    // Escape closes the list and keeps the form and what was typed.
    await eve.keyboard.press('Escape')
    await list.waitFor({ state: 'detached' })
    expect(await field.inputValue()).toBe('Please check this, @P')
    expect(await field.getAttribute('aria-activedescendant')).toBeNull()
    // Typing on opens it again, narrowed; the arrows move through it and come round.
    await eve.keyboard.type('a', { delay: 5 })
    await list.waitFor()
    const count = await list.getByRole('option').count()
    const first = await (await activeOption()).textContent()
    await eve.keyboard.press('ArrowDown')
    if (count > 1) expect(await (await activeOption()).textContent()).not.toBe(first)
    await eve.keyboard.press('ArrowUp')
    expect(await (await activeOption()).textContent()).toBe(first)
    while (!(await (await activeOption()).textContent())?.startsWith('Pat Participant'))
      await eve.keyboard.press('ArrowDown')
    await eve.keyboard.press('Enter')
    await list.waitFor({ state: 'detached' })
    await eve.keyboard.type('thanks.', { delay: 5 })
    expect(await field.inputValue()).toBe('Please check this, @Pat Participant thanks.')

    await eve.keyboard.press('Tab')
    const post = form.getByRole('button', { name: 'Post comment' })
    expect(await post.evaluate((button) => button === document.activeElement)).toBe(true)
    await eve.keyboard.press('Enter')
    const thread = margin(pat).getByTestId('comment-thread').filter({ hasText: '@Pat Participant thanks.' })
    await thread.waitFor({ timeout: LONG })

    const forMe = await workspace.participant.api.get(`/api/deliverables/${workspace.deliverable.id}/for-me`)
    expect(forMe.body.items[0]).toMatchObject({
      kind: 'mention',
      by: workspace.editor.user.id,
      unread: true,
    })
  })

  it('no page threw', () => {
    expect(errors.flat()).toEqual([])
  })
})
