/**
 * A meeting in progress across a server restart, in a real Chromium: the editor's view reconnects, the meeting
 * comes back with the clause under discussion, and the view tells the new server again that it follows (the
 * follower count is per connection, so a restarted server starts from none).
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { meetingOn } from '../meetings/support.ts'
import { launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { ensureClientBuilt, LONG, openEditor, openPage } from './pages.ts'

let server: TestServer
let browser: TestBrowser
let m: Awaited<ReturnType<typeof meetingOn>>
let page: Page

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer({ childProcess: true })
  m = await meetingOn(await buildWorkspace(server))
  expect((await m.chair.api.post(`/api/meetings/${m.meetingId}/open`)).status).toBe(200)
  browser = await launchBrowser()
  page = (await openPage(browser.browser, server.url, m.participant.cookie)).page
  await openEditor(page, m.deliverable.id)
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const followers = async () =>
  (await m.chair.api.get(`/api/meetings/${m.meetingId}/live`)).body.state?.followers as number | undefined

it('comes back with its clause, and the view follows again after the restart', async () => {
  await page.locator('.meeting-banner').filter({ hasText: 'Following' }).waitFor({ timeout: LONG })
  await expect.poll(followers, { timeout: LONG }).toBe(1)
  const clause = m.sections[3]!
  const moved = await m.chair.api.post(`/api/meetings/${m.meetingId}/live`, {
    action: { kind: 'discuss', deliverableId: m.deliverable.id, sectionId: clause.id },
  })
  expect(moved.status).toBe(200)

  await server.kill()
  await server.restart()
  // The view reconnects by itself and says it follows again.
  await expect.poll(followers, { timeout: LONG }).toBe(1)
  const state = (await m.chair.api.get(`/api/meetings/${m.meetingId}/live`)).body.state
  expect(state.clause).toEqual({ deliverableId: m.deliverable.id, sectionId: clause.id })
  await page
    .locator('.meeting-banner')
    .filter({ hasText: 'Following Carla Chair (chair)' })
    .waitFor({ timeout: LONG })
})
