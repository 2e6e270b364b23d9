/**
 * "Reopen and accept" (#24): a participant's suggestion on an agreed clause is a proposal to reopen it. The chair
 * accepts it from the clause panel in one step, by keyboard: the clause is reopened (the decision record says so,
 * with the chair's reason), the text changes once, for everyone. A participant is not offered the button; an
 * editor, who may accept but not reopen, is told that a chair may; axe finds nothing with the form open.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { anchorOnWord, annotationsOf, writeParagraph } from '../annotations/support.ts'
import { history, must } from '../consensus/support.ts'
import { axeViolations, describeViolations, launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { clauseByTitle, connectClient, firstParagraphText, type LiveClient } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { clause, ensureClientBuilt, LONG, openEditor, openPage } from './pages.ts'

const SCOPE = 'Alpha beta gamma delta.'
const ACCEPTED = 'Alpha second gamma delta.'

let server: TestServer
let browser: TestBrowser
let workspace: Awaited<ReturnType<typeof buildWorkspace>>
let carla: Page
let pat: Page
let eve: Page
let writer: LiveClient
let sectionId: string
const errors: string[][] = []

const panel = (page: Page) => page.getByTestId('clause-panel')
const selectScope = async (page: Page) => {
  await page.getByRole('treeitem', { name: /^1 Scope/ }).click()
  await panel(page).getByTestId('suggestion-item').waitFor({ timeout: LONG })
}

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  workspace = await buildWorkspace(server)
  const id = workspace.deliverable.id
  writer = connectClient(server, id, workspace.editor.cookie, { accord: true })
  await writer.synced()
  const scope = await writeParagraph(writer, server, id, 'Scope', SCOPE)
  sectionId = clauseByTitle(writer.body, 'Scope').getAttribute('id') as string
  // Agreed first (with nothing open), then the participant suggests on the agreed text.
  await must(workspace.editor, id, sectionId, { action: 'propose' })
  expect((await must(workspace.chair, id, sectionId, { action: 'agree' })).status).toBe('agreed')
  const made = await annotationsOf(workspace.participant, id).suggest({
    sectionId,
    anchor: anchorOnWord(scope, 'beta'),
    replacement: 'second',
  })
  expect(made.status, JSON.stringify(made.body)).toBe(201)

  browser = await launchBrowser()
  const opened = await Promise.all(
    [workspace.chair, workspace.participant, workspace.editor].map((who) =>
      openPage(browser.browser, server.url, who.cookie),
    ),
  )
  ;[carla, pat, eve] = opened.map((o) => o.page) as [Page, Page, Page]
  errors.push(...opened.map((o) => o.errors))
  await Promise.all([openEditor(carla, id), openEditor(pat, id, true), openEditor(eve, id)])
})

afterAll(async () => {
  writer?.destroy()
  await browser?.close()
  await server?.stop()
})

describe('a suggestion on an agreed clause', () => {
  it('is not offered to a participant to reopen and accept', async () => {
    await selectScope(pat)
    expect(await panel(pat).getByTestId('panel-status').textContent()).toBe('Agreed')
    expect(
      await panel(pat)
        .getByRole('button', { name: /Reopen and accept/ })
        .count(),
    ).toBe(0)
    expect(
      await panel(pat)
        .getByRole('button', { name: /^Accept/ })
        .count(),
    ).toBe(0)
  })

  it('an editor, who may not reopen, is told that a chair may, and offered no Accept that would be refused', async () => {
    await selectScope(eve)
    await panel(eve).getByText('a chair may reopen it and accept this suggestion').waitFor({ timeout: LONG })
    expect(
      await panel(eve)
        .getByRole('button', { name: /Reopen and accept/ })
        .count(),
    ).toBe(0)
    expect(
      await panel(eve)
        .getByRole('button', { name: /^Accept/ })
        .count(),
    ).toBe(0)
    expect(
      await panel(eve)
        .getByRole('button', { name: /^Reject/ })
        .count(),
    ).toBe(1)
  })

  it('the chair reopens and accepts in one step by keyboard: both recorded, the text changed once for everyone', async () => {
    const id = workspace.deliverable.id
    await selectScope(carla)
    const open = panel(carla).getByRole('button', { name: /^Reopen and accept…/ })
    await open.focus()
    await carla.keyboard.press('Enter')
    const form = panel(carla).getByTestId('reopen-and-accept')
    const reason = form.getByRole('textbox', { name: 'Reason for reopening' })
    await reason.waitFor({ timeout: LONG })
    expect(await reason.evaluate((field) => field === document.activeElement)).toBe(true)
    expect(await open.getAttribute('aria-expanded')).toBe('true')
    const violations = await axeViolations(carla)
    expect(violations, describeViolations(violations)).toEqual([])

    await reason.fill('Meeting 4 accepted the participant’s wording.')
    await carla.keyboard.press('Tab')
    const submit = form.getByRole('button', { name: 'Reopen and accept' })
    expect(await submit.evaluate((button) => button === document.activeElement)).toBe(true)
    await carla.keyboard.press('Enter')

    for (const page of [carla, pat, eve])
      await clause(page, '1').getByText(ACCEPTED).waitFor({ timeout: LONG })
    const scope = firstParagraphText(clauseByTitle(writer.body, 'Scope'))
    await expect.poll(() => scope.toString(), { timeout: LONG }).toBe(ACCEPTED)
    await panel(carla).getByTestId('panel-status').filter({ hasText: 'Draft' }).waitFor({ timeout: LONG })
    await panel(carla).getByText('No open suggestions.').waitFor({ timeout: LONG })

    // The decision record: the chair's reopen with the reason, once.
    const events = await history(workspace.chair, id, sectionId)
    expect(events.map((e) => e.action)).toEqual(['propose', 'agree', 'reopen'])
    expect(events[2]).toMatchObject({
      userId: workspace.chair.user.id,
      note: 'Meeting 4 accepted the participant’s wording.',
    })
    await panel(carla).getByText('reopened it').waitFor({ timeout: LONG })
    // The acceptance: by the chair.
    expect(await annotationsOf(workspace.participant, id).suggestions()).toMatchObject([
      { status: 'accepted', decidedBy: workspace.chair.user.id },
    ])
    // Changed once: the server's text holds the replacement a single time.
    const held = server.accord!.ctx.hub.loaded(id)!.body
    expect(firstParagraphText(clauseByTitle(held, 'Scope')).toString()).toBe(ACCEPTED)
  })

  it('no page threw', () => {
    expect(errors.flat()).toEqual([])
  })
})
