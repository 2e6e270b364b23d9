/** One editor in Chromium on a fresh server and workspace: what a suite about the editor's own behaviour needs. */
import type { Page } from 'playwright-core'
import type { DeliverableType } from '../../shared/domain/types.ts'
import { launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { ensureClientBuilt, openEditor, openPage } from './pages.ts'

export interface EditorSession {
  server: TestServer
  browser: TestBrowser
  workspace: Awaited<ReturnType<typeof buildWorkspace>>
  /** The page of the deliverable's editor (Eve Editor), open and editable. */
  page: Page
  /** Errors the page raised. */
  errors: string[]
  close(): Promise<void>
}

export async function openEditorSession(type: DeliverableType): Promise<EditorSession> {
  ensureClientBuilt()
  const server = await startTestServer()
  const workspace = await buildWorkspace(server, type)
  const browser = await launchBrowser()
  const { page, errors } = await openPage(browser.browser, server.url, workspace.editor.cookie)
  await openEditor(page, workspace.deliverable.id)
  return {
    server,
    browser,
    workspace,
    page,
    errors,
    async close() {
      await browser.close()
      await server.stop()
    },
  }
}
