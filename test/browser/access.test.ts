/** Who may not type is told why; a user whose session ends is guided to log in and loses nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { request } from '../support/http.ts'
import { startServerBehindProxy, type TcpProxy } from '../support/tcpProxy.ts'
import type { TestServer } from '../support/testServer.ts'
import {
  clauseText,
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

beforeAll(async () => {
  ensureClientBuilt()
  ;({ server, proxy } = await startServerBehindProxy())
  workspace = await buildWorkspace(server)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await proxy?.close()
  await server?.stop()
})

describe('read-only users', () => {
  it('an observer cannot change the text and is told why', async () => {
    const { page } = await openPage(browser.browser, server.url, workspace.observer.cookie)
    await openEditor(page, workspace.deliverable.id, false)
    const banner = page.getByTestId('read-only-banner')
    await banner.waitFor({ timeout: LONG })
    expect(await textOf(banner)).toMatch(/observer/i)
    expect(await page.getByRole('toolbar', { name: 'Editing tools' }).count()).toBe(0)
    const before = await clauseText(page, '1')
    await page.locator('.itu-document .clause-heading[data-number="1"]').click()
    await page.keyboard.type('Observer typing')
    await page.waitForTimeout(500)
    expect(await clauseText(page, '1')).toBe(before)
    expect(await textOf(page.locator('.itu-document'))).not.toContain('Observer typing')
  })
})

describe('a session that ends', () => {
  it('guides the user to log in and keeps what they typed', async () => {
    const { context, page } = await openPage(browser.browser, proxy.url, workspace.editor.cookie)
    const id = workspace.deliverable.id
    await openEditor(page, id)
    await waitForStatus(page, 'All changes saved')

    // Offline, the editor types; the session is revoked meanwhile (logged out elsewhere).
    proxy.cut()
    await waitForStatus(page, /Reconnecting|Offline/)
    await typeInClause(page, '1', ' Kept through a revoked session.')
    const cookie = (await context.cookies()).find((c) => c.name === 'accord_session')!
    const logout = await request(server.url, 'POST', '/api/auth/logout', undefined, {
      cookie: `accord_session=${cookie.value}`,
    })
    expect(logout.status).toBe(204)
    proxy.restore()

    // Reconnecting fails; the client asks the API, learns the session ended, and says so.
    const alert = page.getByRole('alert').filter({ hasText: 'Your session has ended' })
    await alert.waitFor({ timeout: LONG })
    await page.getByRole('link', { name: 'Log in again' }).click()
    await page.getByRole('heading', { name: 'Log in to Accord' }).waitFor({ timeout: LONG })
    await page.getByLabel('E-mail').fill(workspace.editor.user.email)
    await page.getByLabel('Password').fill(workspace.editor.password)
    await page.getByRole('button', { name: 'Log in' }).click()

    // Back in the deliverable, the offline copy merges and reaches the server.
    await page.waitForURL(new RegExp(`/d/${id}$`), { timeout: LONG })
    await page.locator('.itu-document[contenteditable="true"]').waitFor({ timeout: LONG })
    await waitForClauseText(page, '1', ['Kept through a revoked session.'])
    await waitForStatus(page, 'All changes saved')
    const other = (await openPage(browser.browser, server.url, workspace.editor2.cookie)).page
    await openEditor(other, id)
    await waitForClauseText(other, '1', ['Kept through a revoked session.'])
  })

  it('a live socket closed by a logout elsewhere is explained at once', async () => {
    const { context, page } = await openPage(browser.browser, server.url, workspace.editor2.cookie)
    await openEditor(page, workspace.deliverable.id)
    const cookie = (await context.cookies()).find((c) => c.name === 'accord_session')!
    await request(server.url, 'POST', '/api/auth/logout', undefined, {
      cookie: `accord_session=${cookie.value}`,
    })
    await page.getByRole('alert').filter({ hasText: 'Your session has ended' }).waitFor({ timeout: LONG })
    await page.locator('.itu-document[contenteditable="false"]').waitFor({ timeout: LONG })
  })
})
