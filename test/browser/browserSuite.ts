/**
 * The usual frame of a browser suite: the client built, a real server on a loopback port with the standard
 * workspace (test/support/factories.ts) and one Chromium, all stopped after the suite. Called at the top level of a
 * test file; its fields are set once the suite's first `beforeAll` ran, before the file's own hooks.
 */
import { afterAll, beforeAll } from 'vitest'
import { launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { ensureClientBuilt } from './pages.ts'

export interface BrowserSuite {
  server: TestServer
  browser: TestBrowser
  workspace: Awaited<ReturnType<typeof buildWorkspace>>
}

export function browserSuite(): BrowserSuite {
  const suite = {} as BrowserSuite
  beforeAll(async () => {
    ensureClientBuilt()
    suite.server = await startTestServer()
    suite.workspace = await buildWorkspace(suite.server)
    suite.browser = await launchBrowser()
  })
  afterAll(async () => {
    await suite.browser?.close()
    await suite.server?.stop()
  })
  return suite
}
