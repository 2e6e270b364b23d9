/**
 * An editor loses the network (a TCP proxy the test controls closes the socket; Playwright's offline emulation would not),
 * keeps typing, comes back: the other editor receives the text, and the returning editor is told what came in.
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
let away: Page
let staying: Page
let deliverableId: string

beforeAll(async () => {
  ensureClientBuilt()
  ;({ server, proxy } = await startServerBehindProxy())
  const workspace = await buildWorkspace(server)
  deliverableId = workspace.deliverable.id
  browser = await launchBrowser()
  // The editor who goes away reaches the server only through the proxy.
  away = (await openPage(browser.browser, proxy.url, workspace.editor.cookie)).page
  staying = (await openPage(browser.browser, server.url, workspace.editor2.cookie)).page
  await Promise.all([openEditor(away, deliverableId), openEditor(staying, deliverableId)])
})

afterAll(async () => {
  await browser?.close()
  await proxy?.close()
  await server?.stop()
})

/** Whether leaving the page now would make the browser ask first (a `beforeunload` listener cancels the event). */
function leavingAsksFirst(): boolean {
  const event = new Event('beforeunload', { cancelable: true })
  window.dispatchEvent(event)
  return event.defaultPrevented
}

describe('an editor who goes offline', () => {
  it('is told the truth when the connection drops, and can keep typing', async () => {
    await waitForStatus(away, 'All changes saved')
    proxy.cut()
    expect(proxy.openConnections).toBe(0)
    await waitForStatus(away, /Reconnecting|Offline/)
    await typeInClause(away, '1', ' Typed while offline.')
    await waitForStatus(away, 'Offline — changes kept on this device')
    expect(await away.evaluate(leavingAsksFirst)).toBe(true)
    // Meanwhile the other editor changes another clause.
    await typeInClause(staying, '6', 'Written while the other was away.')
    await waitForStatus(staying, 'All changes saved')
    await staying.waitForTimeout(1000)
    expect(await textOf(staying.locator('.itu-document'))).not.toContain('Typed while offline.')
  })

  it('comes back: both texts reach both editors, and the returning one is told what merged', async () => {
    proxy.restore()
    await waitForClauseText(staying, '1', ['Typed while offline.'])
    await waitForClauseText(away, '6', ['Written while the other was away.'])
    await waitForStatus(away, 'All changes saved')
    expect(await away.evaluate(leavingAsksFirst)).toBe(false)
    const note = away.getByTestId('merge-note')
    await note.waitFor({ timeout: LONG })
    expect(await textOf(note)).toMatch(/\d+ changes? by 1 person merged/)
  })

  it('keeps the text after a reload', async () => {
    await away.reload()
    await openEditor(away, deliverableId)
    await waitForClauseText(away, '1', ['Typed while offline.'])
    await waitForClauseText(away, '6', ['Written while the other was away.'])
  })
})
