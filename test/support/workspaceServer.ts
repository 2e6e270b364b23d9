/** A real server with a built workspace for one test file: started before its tests, stopped after them. */
import { afterAll, beforeAll } from 'vitest'
import { buildWorkspace } from './factories.ts'
import { startTestServer, type TestServer, type TestServerOptions } from './testServer.ts'

export interface WorkspaceServer {
  server: TestServer
  ws: Awaited<ReturnType<typeof buildWorkspace>>
}

export function workspaceServerForFile(options: TestServerOptions = {}): WorkspaceServer {
  const fixture = {} as WorkspaceServer
  beforeAll(async () => {
    fixture.server = await startTestServer(options)
    fixture.ws = await buildWorkspace(fixture.server)
  })
  afterAll(async () => fixture.server?.stop())
  return fixture
}
