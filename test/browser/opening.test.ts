/**
 * Opening a deliverable: the editor's code (most of the application) starts loading at start-up, before the
 * sign-in check has answered; the deliverable is asked for while that code loads, and once; the editor's code
 * failing to load says so and can be tried again.
 */
import type { Request } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserSuite } from './browserSuite.ts'
import { openEditor, openPage } from './pages.ts'

const suite = browserSuite()

const isEditorCode = (url: string) => /\/assets\/EditorScreen-[^/]+\.js$/.test(new URL(url).pathname)

describe('opening a deliverable', () => {
  it('starts loading the editor’s code before the sign-in check answers, and asks for the deliverable once', async () => {
    const { page, context } = await openPage(
      suite.browser.browser,
      suite.server.url,
      suite.workspace.editor.cookie,
    )
    const events: string[] = []
    // Requests of the deliverable's page only: the workspace page's own sign-in check may finish after it began.
    const ours = new Set<Request>()
    const deliverablePath = `/api/deliverables/${suite.workspace.deliverable.id}`
    page.on('request', (request) => {
      const url = request.url()
      // From the deliverable's address on: what the workspace page asked for before is not counted.
      if (request.isNavigationRequest() && new URL(url).pathname.startsWith('/d/')) {
        events.length = 0
        ours.clear()
      }
      ours.add(request)
      if (isEditorCode(url)) events.push('editor code asked')
      if (new URL(url).pathname === deliverablePath) events.push('deliverable asked')
    })
    page.on('requestfinished', (request) => {
      if (ours.has(request) && new URL(request.url()).pathname === '/api/me') events.push('sign-in checked')
    })
    await page.goto('/')
    // A slow sign-in check (a distant server): the editor's code does not wait for it.
    await page.route('**/api/me', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 300))
      await route.continue()
    })
    await openEditor(page, suite.workspace.deliverable.id)
    expect(events.filter((event) => event === 'deliverable asked')).toHaveLength(1)
    expect(events.filter((event) => event === 'editor code asked')).toHaveLength(1)
    expect(events.indexOf('editor code asked')).toBeLessThan(events.indexOf('sign-in checked'))
    expect(events.indexOf('sign-in checked')).toBeLessThan(events.indexOf('deliverable asked'))
    await context.close()
  })

  it('says so when the editor’s code cannot be loaded, and loads it on "Try again"', async () => {
    const { page, context } = await openPage(
      suite.browser.browser,
      suite.server.url,
      suite.workspace.editor.cookie,
    )
    let refuse = true
    await page.route(
      (url) => isEditorCode(url.href),
      (route) => (refuse ? route.abort('connectionreset') : route.continue()),
    )
    await page.goto(`/d/${suite.workspace.deliverable.id}`)
    await page.getByRole('alert').filter({ hasText: 'The editor could not be loaded' }).waitFor()
    refuse = false
    await page.getByRole('button', { name: 'Try again' }).click()
    await page.locator('.itu-document[contenteditable="true"]').waitFor()
    await context.close()
  })
})
