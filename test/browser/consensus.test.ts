/**
 * Consensus in three browsers: a chair, an editor and a participant on one deliverable. The chair agrees a clause
 * while the editor's last words are still on their way (the test holds the editor's outgoing frames): everyone
 * sees the clause agreed and locked, and the editor is offered the refused words back. A reopen makes the clause
 * editable and shows the redline; a participant's objection with a suggestion is applied by the editor in one step.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, describeViolations, launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import {
  clause,
  clauseText,
  ensureClientBuilt,
  LONG,
  openEditor,
  openPage,
  typeInClause,
  waitForClauseText,
  waitForStatus,
} from './pages.ts'

let server: TestServer
let browser: TestBrowser
let chair: Page
let eve: Page
let pat: Page
let eveSocket: HeldSocket
let chairSocket: HeldSocket
let deliverableId: string
let chairApi: Awaited<ReturnType<typeof buildWorkspace>>['chair']['api']
const errors: string[][] = []
/** Set CONSENSUS_SCREENSHOTS=<dir> to keep pictures of the panel for a visual check. */
const SCREENSHOTS = process.env.CONSENSUS_SCREENSHOTS

const BEFORE = 'Words typed before the agreement.'
const LAST_WORDS = 'Last words while the chair agrees.'
const SUGGESTION = 'This Technical Report specifies the reference architecture of the metaverse only.'

interface HeldSocket {
  /** From now on, frames from the page to the server wait (as on a very slow uplink). */
  hold(): void
  /** Sends what waited, in order, and lets frames through again. */
  release(): void
  /** The same for frames from the server to the page. */
  holdIncoming(): void
  releaseIncoming(): void
}

/** A direction of a socket whose frames the test can hold back and release in order. */
function valve() {
  let holding = false
  const waiting: (() => void)[] = []
  return {
    pass(send: () => void) {
      if (holding) waiting.push(send)
      else send()
    },
    hold() {
      holding = true
    },
    release() {
      holding = false
      for (const send of waiting.splice(0)) send()
    },
  }
}

/** Routes the page's sync sockets through the test, so it can hold the frames either side sends. */
async function controlSockets(page: Page): Promise<HeldSocket> {
  const outgoing = valve()
  const incoming = valve()
  await page.routeWebSocket(/\/sync\//, (socket) => {
    const upstream = socket.connectToServer()
    socket.onMessage((message) => outgoing.pass(() => upstream.send(message)))
    upstream.onMessage((message) => incoming.pass(() => socket.send(message)))
  })
  return {
    hold: outgoing.hold,
    release: outgoing.release,
    holdIncoming: incoming.hold,
    releaseIncoming: incoming.release,
  }
}

/** Keeps every message of the live regions (the app's and the consensus panel's); the next replaces it on screen. */
async function recordAnnouncements(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const said: string[] = []
    ;(window as unknown as { __announced: string[] }).__announced = said
    const regions = '[data-testid="announcer"], [data-testid="consensus-announcer"]'
    new MutationObserver(() => {
      for (const region of document.querySelectorAll(regions)) {
        const text = region.textContent ?? ''
        if (text && !said.includes(text)) said.push(text)
      }
    }).observe(document, { subtree: true, childList: true, characterData: true })
  })
}

async function waitForAnnouncement(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (wanted) =>
      (window as unknown as { __announced: string[] }).__announced.some((said) => said.includes(wanted)),
    text,
    { timeout: LONG },
  )
}

const panel = (page: Page) => page.getByTestId('clause-panel')

async function expectNoAxeViolations(page: Page): Promise<void> {
  const violations = await axeViolations(page)
  expect(violations, describeViolations(violations)).toEqual([])
}

/** Selects the clause in the outline; the panel then shows it. */
async function selectClause(page: Page, number: string, title: string): Promise<void> {
  await page.getByRole('treeitem', { name: new RegExp(`^${number} ${title}`) }).click()
  await panel(page)
    .getByRole('heading', { level: 2, name: new RegExp(`${number}\\s*${title}`) })
    .waitFor({ timeout: LONG })
}

/** Waits until the clause heading in the text carries this badge ("Agreed", "Proposed · 1 objection"). */
async function waitForBadge(page: Page, number: string, badge: string): Promise<void> {
  await page
    .locator(`.itu-document .clause-heading[data-number="${number}"][data-consensus="${badge}"]`)
    .waitFor({ timeout: LONG })
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return
  mkdirSync(SCREENSHOTS, { recursive: true })
  await panel(page).screenshot({ path: path.join(SCREENSHOTS, `${name}-panel.png`) })
  const recovery = page.getByTestId('recovery-panel')
  if (await recovery.count())
    await recovery.screenshot({ path: path.join(SCREENSHOTS, `${name}-recovery.png`) })
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-page.png`) })
}

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  const workspace = await buildWorkspace(server)
  deliverableId = workspace.deliverable.id
  chairApi = workspace.chair.api
  browser = await launchBrowser()
  const opened = await Promise.all(
    [workspace.chair, workspace.editor, workspace.participant].map((who) =>
      openPage(browser.browser, server.url, who.cookie),
    ),
  )
  ;[chair, eve, pat] = opened.map((o) => o.page) as [Page, Page, Page]
  errors.push(...opened.map((o) => o.errors))
  eveSocket = await controlSockets(eve)
  chairSocket = await controlSockets(chair)
  await Promise.all([chair, eve, pat].map(recordAnnouncements))
  await Promise.all([
    openEditor(chair, deliverableId),
    openEditor(eve, deliverableId),
    // A participant's text takes a caret: suggestion mode (#24).
    openEditor(pat, deliverableId, true),
  ])
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('consensus on a clause', () => {
  it('an editor proposes a clause and everyone sees it proposed', async () => {
    await typeInClause(eve, '1', ` ${BEFORE}`)
    await waitForStatus(eve, 'All changes saved')
    await selectClause(eve, '1', 'Scope')
    await panel(eve).getByRole('button', { name: 'Propose for agreement' }).click()
    for (const page of [chair, eve, pat]) {
      await waitForBadge(page, '1', 'Proposed')
      await page.getByRole('treeitem', { name: /^1 Scope Proposed/ }).waitFor({ timeout: LONG })
    }
    await waitForAnnouncement(pat, 'Clause 1 proposed for agreement')
  })

  it('a chair who agrees to a text that changed meanwhile is told to review it and agree again', async () => {
    await selectClause(chair, '1', 'Scope')
    chairSocket.holdIncoming()
    await typeInClause(eve, '1', ' A late change.')
    await waitForStatus(eve, 'All changes saved')
    await panel(chair).getByRole('button', { name: 'Agree…' }).click()
    await panel(chair).getByRole('button', { name: 'Agree to this text' }).click()
    await panel(chair)
      .getByRole('alert')
      .filter({ hasText: 'The text changed since you looked; review and agree again.' })
      .waitFor({ timeout: LONG })
    chairSocket.releaseIncoming()
    await waitForClauseText(chair, '1', ['A late change.'])
    await panel(chair).getByRole('button', { name: 'Cancel' }).click()
    await waitForBadge(chair, '1', 'Proposed')
  })

  it('a chair agrees while the editor types: all see it agreed and locked, the last words are offered back', async () => {
    await waitForClauseText(chair, '1', [BEFORE])
    eveSocket.hold()
    await typeInClause(eve, '1', ` ${LAST_WORDS}`)

    await selectClause(chair, '1', 'Scope')
    await panel(chair).getByRole('button', { name: 'Agree…' }).click()
    await panel(chair).getByLabel('Note (optional)').fill('Agreed at the second meeting.')
    await panel(chair).getByRole('button', { name: 'Agree to this text' }).click()

    for (const page of [chair, eve, pat]) {
      await waitForBadge(page, '1', 'Agreed')
      await clause(page, '1').getByTestId('clause-lock-note').waitFor({ timeout: LONG })
    }
    // The editor's words reach the server only now, after the agreement: refused, and offered back.
    eveSocket.release()
    const recovery = eve.getByTestId('recovery-panel')
    await recovery.getByText(LAST_WORDS).waitFor({ timeout: LONG })
    await recovery.getByRole('button', { name: /Copy text/ }).waitFor()
    const raise = recovery.getByRole('button', { name: /Raise as objection/ })
    expect(await raise.getAttribute('aria-disabled')).toBe('true')
    await waitForClauseText(eve, '1', [BEFORE])
    for (const page of [chair, eve, pat]) expect(await clauseText(page, '1')).not.toContain(LAST_WORDS)

    // The editor cannot type into the agreed clause, and is told why.
    await waitForBadge(eve, '1', 'Agreed')
    await typeInClause(eve, '1', ' blocked')
    expect(await clauseText(eve, '1')).not.toContain('blocked')
    await clause(eve, '1').getByText('Agreed — locked until a chair reopens it.').waitFor()

    await selectClause(pat, '1', 'Scope')
    await panel(pat).getByTestId('panel-status').filter({ hasText: 'Agreed' }).waitFor({ timeout: LONG })
    await waitForAnnouncement(pat, 'Clause 1 agreed')
    await waitForAnnouncement(eve, 'Clause 1 agreed')
    await pat
      .getByTestId('consensus-progress')
      .getByText(/^1 of \d+ clauses agreed$/)
      .waitFor({ timeout: LONG })
    await screenshot(eve, 'refused')
  })

  it('a chair reopens it with a reason: editable again, and the redline shows the changes', async () => {
    await panel(chair).getByRole('button', { name: 'Reopen…' }).click()
    await panel(chair).getByRole('button', { name: 'Reopen clause' }).click()
    await panel(chair).getByText('Please give a reason').waitFor()
    await panel(chair).getByLabel('Reason for reopening').fill('The scope must name the architecture.')
    await panel(chair).getByRole('button', { name: 'Reopen clause' }).click()
    for (const page of [chair, eve, pat]) await waitForBadge(page, '1', 'Draft')
    await expect
      .poll(() => clause(eve, '1').getByTestId('clause-lock-note').count(), { timeout: LONG })
      .toBe(0)

    // The agreed text ends with "A late change.": "change." goes, "amendment. Added after reopening." comes.
    await typeInClause(eve, '1', '')
    for (let i = 0; i < 'change.'.length; i++) await eve.keyboard.press('Backspace')
    await eve.keyboard.type('amendment. Added after reopening.', { delay: 5 })
    await waitForClauseText(chair, '1', ['Added after reopening.'])

    await selectClause(eve, '1', 'Scope')
    await panel(eve).getByRole('button', { name: 'Show changes' }).click()
    const redline = panel(eve).getByTestId('redline')
    await redline.locator('ins', { hasText: 'reopening' }).waitFor({ timeout: LONG })
    expect((await redline.locator('del').allInnerTexts()).join(' ')).toContain('change')
    expect((await redline.locator('ins').allInnerTexts()).join(' ')).toContain('amendment')
    await screenshot(eve, 'redline')

    const history = panel(chair).getByTestId('clause-history')
    await history.getByText('The scope must name the architecture.').waitFor({ timeout: LONG })
    await history
      .locator('li', { hasText: 'declared consensus (agreed)' })
      .filter({ hasText: 'Carla Chair' })
      .waitFor()
    await waitForAnnouncement(pat, 'Clause 1 reopened')
  })

  it('a participant objects with a suggestion; an editor applies it in one step', async () => {
    await panel(eve).getByRole('button', { name: 'Propose for agreement' }).click()
    await waitForBadge(pat, '1', 'Proposed')

    // The refused words can now be raised as an objection: the form opens with them as the suggestion.
    const recovery = eve.getByTestId('recovery-panel')
    const raise = recovery.getByRole('button', { name: /Raise as objection/ })
    await expect.poll(() => raise.getAttribute('aria-disabled'), { timeout: LONG }).toBeNull()
    await raise.click()
    const suggestion = panel(eve).getByLabel('Suggested replacement text (optional)')
    expect(await suggestion.inputValue()).toContain(LAST_WORDS)
    expect(
      await eve.evaluate(() => document.activeElement?.closest('form')?.getAttribute('aria-label')),
    ).toMatch(/^Raise an objection/)
    await panel(eve).getByRole('button', { name: 'Cancel' }).click()
    await recovery.getByRole('button', { name: 'Close' }).click()

    await selectClause(pat, '1', 'Scope')
    // By keyboard: the button opens the form with the focus in its first field; Tab goes on, Enter sends.
    await panel(pat).getByRole('button', { name: 'Object…' }).focus()
    await pat.keyboard.press('Enter')
    await pat.keyboard.type('The scope is too broad.')
    await pat.keyboard.press('Tab')
    await pat.keyboard.type(SUGGESTION)
    expect(await panel(pat).getByLabel('Reason for the objection').inputValue()).toBe(
      'The scope is too broad.',
    )
    await expectNoAxeViolations(pat)
    await pat.keyboard.press('Tab')
    await pat.keyboard.press('Enter')
    for (const page of [chair, eve, pat]) await waitForBadge(page, '1', 'Proposed · 1 objection')

    // The chair cannot agree while the objection is open, and is told why.
    const agree = panel(chair).getByRole('button', { name: 'Agree…' })
    await expect.poll(() => agree.getAttribute('aria-disabled'), { timeout: LONG }).toBe('true')
    await panel(chair).getByText('The clause has open objections.').waitFor()
    await chair.getByLabel('Open objections only').check()
    await expect.poll(() => chair.getByRole('treeitem').count()).toBe(1)
    await panel(chair).getByText(SUGGESTION).waitFor({ timeout: LONG })
    await screenshot(chair, 'objection')
    await expectNoAxeViolations(chair)
    await chair.getByLabel('Open objections only').uncheck()

    await panel(eve).getByText(SUGGESTION).waitFor({ timeout: LONG })
    await panel(eve)
      .getByRole('button', { name: /Apply suggestion/ })
      .click()
    await panel(eve).getByRole('button', { name: 'Apply these changes' }).click()
    for (const page of [chair, eve, pat]) {
      await waitForClauseText(page, '1', [SUGGESTION])
      await expect.poll(() => clauseText(page, '1'), { timeout: LONG }).toBe(SUGGESTION)
    }

    await panel(pat).getByRole('button', { name: 'Withdraw my objection' }).click()
    for (const page of [chair, eve, pat]) await waitForBadge(page, '1', 'Proposed')
    await waitForAnnouncement(chair, 'Objection on clause 1 withdrawn')
  })

  it('shows the deliverable agreed when every clause is', async () => {
    const { body } = await chairApi.get(`/api/deliverables/${deliverableId}`)
    for (const section of body.sections as { id: string; status: string }[]) {
      const actions = `/api/deliverables/${deliverableId}/sections/${section.id}/actions`
      if (section.status === 'draft')
        expect((await chairApi.post(actions, { action: 'propose' })).status).toBe(200)
      if (section.status !== 'agreed')
        expect((await chairApi.post(actions, { action: 'agree' })).status).toBe(200)
    }
    const total = (body.sections as unknown[]).length
    for (const page of [chair, eve, pat])
      await page
        .getByTestId('consensus-progress')
        .getByText(`All ${total} clauses agreed`)
        .waitFor({ timeout: LONG })
  })

  it('raised no page errors', () => {
    expect(errors.flat()).toEqual([])
  })
})
