/**
 * The offline copy keeps everything typed, even the last keys before the tab is closed: the browser stores the
 * replica's updates in batches (client/collab/batchedPersistence.ts), and what waits is written when the page goes.
 * An editor offline (a TCP proxy the test controls refuses the connection) types and closes the tab at once; opened
 * again once the network is back, the text is there and reaches the server. Offline, each update is stored at once:
 * a tab that crashes a moment after the last key keeps it too.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BATCH_MS } from '../../client/collab/batchedPersistence.ts'
import { launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { bodyText, connectClient, waitFor } from '../support/syncClients.ts'
import { startServerBehindProxy, type TcpProxy } from '../support/tcpProxy.ts'
import type { TestServer } from '../support/testServer.ts'
import {
  ensureClientBuilt,
  LONG,
  openEditor,
  openPage,
  typeInClause,
  waitForClauseText,
  waitForStatus,
} from './pages.ts'

let server: TestServer
let proxy: TcpProxy
let browser: TestBrowser
let context: BrowserContext
let page: Page
let workspace: Awaited<ReturnType<typeof buildWorkspace>>

beforeAll(async () => {
  ensureClientBuilt()
  ;({ server, proxy } = await startServerBehindProxy())
  workspace = await buildWorkspace(server)
  browser = await launchBrowser()
  ;({ context, page } = await openPage(browser.browser, proxy.url, workspace.editor.cookie))
  await openEditor(page, workspace.deliverable.id)
})

afterAll(async () => {
  await browser?.close()
  await proxy?.close()
  await server?.stop()
})

describe('the offline copy', () => {
  it('keeps the keys typed just before the tab was closed', async () => {
    await waitForStatus(page, 'All changes saved')
    proxy.cut()
    await waitForStatus(page, /Reconnecting|Offline/)
    // The browser asks before closing a tab with unsaved changes: the editor closes it all the same.
    page.on('dialog', (dialog) => void dialog.accept())
    await typeInClause(page, '1', ' Typed offline, then the tab closed.')
    await page.close({ runBeforeUnload: true })
    await new Promise<void>((resolve) => (page.isClosed() ? resolve() : page.once('close', () => resolve())))

    proxy.restore()
    const reopened = await context.newPage()
    await openEditor(reopened, workspace.deliverable.id)
    await waitForClauseText(reopened, '1', ['Typed offline, then the tab closed.'])
    // It came from this device's copy, and now the server holds it too.
    const other = connectClient(server, workspace.deliverable.id, workspace.chair.cookie)
    try {
      await other.synced()
      await waitFor(
        () => bodyText(other.body).includes('Typed offline, then the tab closed.'),
        'the text on the server',
        LONG,
      )
      expect(bodyText(other.body)).toContain('Typed offline, then the tab closed.')
    } finally {
      other.destroy()
    }
  })

  it('keeps what was typed offline when the tab crashes a moment later', async () => {
    // Alone: another tab of the deliverable would receive the text over the browser's channel and store it too.
    for (const other of context.pages()) await other.close()
    const typing = await context.newPage()
    await openEditor(typing, workspace.deliverable.id)
    await waitForStatus(typing, 'All changes saved')
    proxy.cut()
    await waitForStatus(typing, /Reconnecting|Offline/)
    await typeInClause(typing, '2', ' Typed offline, then the tab')
    // A few keys, and the crash well within a batch's wait after the first of them: offline, each update is stored
    // at once, as this copy is the only one (batched, the last word would be lost).
    await typing.waitForTimeout(BATCH_MS * 1.5)
    await typing.keyboard.type(' crashed.')
    await typing.waitForTimeout(BATCH_MS / 8)
    const crashed = new Promise<void>((resolve) => typing.once('crash', () => resolve()))
    const cdp = await context.newCDPSession(typing)
    void cdp.send('Page.crash').catch(() => undefined)
    await crashed
    await typing.close()

    proxy.restore()
    const reopened = await context.newPage()
    await openEditor(reopened, workspace.deliverable.id)
    await waitForClauseText(reopened, '2', ['Typed offline, then the tab crashed.'])
  })
})
