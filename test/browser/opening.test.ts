/**
 * Opening a deliverable: the editor's first request (the deliverable and its clauses) leaves while the editor's code
 * is still loading, not after it has run, and it is asked for once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { ensureClientBuilt, openEditor, openPage } from './pages.ts'

let server: TestServer
let browser: TestBrowser
let workspace: Awaited<ReturnType<typeof buildWorkspace>>

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  workspace = await buildWorkspace(server)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('opening a deliverable', () => {
  it('asks for the deliverable while the editor’s code loads, and once', async () => {
    const { page, context } = await openPage(browser.browser, server.url, workspace.editor.cookie)
    const events: string[] = []
    const deliverablePath = `/api/deliverables/${workspace.deliverable.id}`
    const isEditorCode = (url: string) => /\/assets\/EditorScreen-[^/]+\.js$/.test(new URL(url).pathname)
    const isDeliverable = (url: string) => new URL(url).pathname === deliverablePath
    page.on('request', (request) => {
      if (isDeliverable(request.url())) events.push('deliverable asked')
    })
    page.on('requestfinished', (request) => {
      if (isEditorCode(request.url())) events.push('editor code loaded')
    })
    await page.goto('/')
    await openEditor(page, workspace.deliverable.id)
    console.log('EVENTS', JSON.stringify(events))
    expect(events).toEqual(['deliverable asked', 'editor code loaded'])
    await context.close()
  })
})
