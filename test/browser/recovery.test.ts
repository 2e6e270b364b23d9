/**
 * Refusal recovery (SYNC.md §3): an editor types offline in two clauses while a chair agrees one of them. When the
 * editor comes back the server refuses the update; the client starts over from the server's text, re-applies the
 * edit to the clause that is still open, and offers the refused words back. It does not loop.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { startServerBehindProxy, type TcpProxy } from '../support/tcpProxy.ts'
import type { TestServer } from '../support/testServer.ts'
import {
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
let eve: Page
let other: Page
let workspace: Awaited<ReturnType<typeof buildWorkspace>>

beforeAll(async () => {
  ensureClientBuilt()
  ;({ server, proxy } = await startServerBehindProxy())
  workspace = await buildWorkspace(server)
  browser = await launchBrowser()
  eve = (await openPage(browser.browser, proxy.url, workspace.editor.cookie)).page
  other = (await openPage(browser.browser, server.url, workspace.editor2.cookie)).page
  await Promise.all([openEditor(eve, workspace.deliverable.id), openEditor(other, workspace.deliverable.id)])
})

afterAll(async () => {
  await browser?.close()
  await proxy?.close()
  await server?.stop()
})

async function agreeClause(number: string): Promise<void> {
  const id = workspace.deliverable.id
  const { body } = await workspace.chair.api.get(`/api/deliverables/${id}`)
  const section = (body.sections as { id: string; number: string }[]).find((s) => s.number === number)!
  for (const action of ['propose', 'agree']) {
    const answer = await workspace.chair.api.post(`/api/deliverables/${id}/sections/${section.id}/actions`, {
      action,
    })
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
  }
}

describe('a refused update', () => {
  it('keeps the user’s work: open clauses re-applied, refused words offered back', async () => {
    await waitForStatus(eve, 'All changes saved')
    proxy.cut()
    await waitForStatus(eve, /Reconnecting|Offline/)
    await typeInClause(eve, '1', ' Offline words for the scope.')
    await typeInClause(eve, '6', 'Offline words for the overview.')
    await agreeClause('1')
    proxy.restore()

    const panel = eve.getByTestId('recovery-panel')
    await panel.waitFor({ timeout: LONG })
    await panel.getByText('Offline words for the scope.').waitFor({ timeout: LONG })
    await panel
      .getByRole('button', { name: /Copy text/ })
      .first()
      .waitFor()

    await waitForClauseText(other, '6', ['Offline words for the overview.'])
    await waitForStatus(eve, 'All changes saved')
    expect(await textOf(other.locator('.itu-document'))).not.toContain('Offline words for the scope.')
    await waitForClauseText(eve, '6', ['Offline words for the overview.'])
  })

  it('does not loop, and the editor works afterwards', async () => {
    await eve.waitForTimeout(2000)
    expect(await textOf(eve.getByTestId('recovery-panel'))).not.toMatch(/Syncing stopped/)
    await typeInClause(eve, '7', 'After the recovery.')
    await waitForClauseText(other, '7', ['After the recovery.'])
    await eve.getByTestId('recovery-panel').getByRole('button', { name: 'Close' }).click()
    expect(await eve.getByTestId('recovery-panel').count()).toBe(0)
  })
})
