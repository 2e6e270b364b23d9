/** A real server with a built workspace for one test file: started before its tests, stopped after them. */
import { afterAll, beforeAll } from 'vitest'
import { buildWorkspace, type Session } from './factories.ts'
import { client } from './http.ts'
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

/**
 * Stops an in-process server and starts it again on the same data; the workspace sessions' API clients follow
 * the new port. Answers the new server.
 */
export async function restartOnSameData(server: TestServer, ws: object): Promise<TestServer> {
  await server.stop({ keepData: true })
  const restarted = await startTestServer({ dataDir: server.dataDir })
  for (const session of Object.values(ws) as Session[])
    if (session && typeof session === 'object' && 'cookie' in session)
      session.api = client(restarted.url, session.cookie)
  return restarted
}
