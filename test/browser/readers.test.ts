/**
 * Readers (an observer, a participant) who come back to a deliverable after an editor deleted text (issue
 * requirement). Their y-websocket provider answers the server's sync step 1 with a sync step 2 that carries every
 * deletion the reader knows of, already known to the server, on every (re)connection. That is nothing new, so the
 * server takes it as an accepted no-op: no refusal ("Some of your changes could not be saved"), no 4405 close for
 * a plain reader, nothing wrong said in the live region, and the status bar reads as usual. The readers reach the
 * server through a TCP proxy the test controls, to be taken offline for real (Playwright's offline emulation does
 * not close open WebSockets).
 */
import * as decoding from 'lib0/decoding'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MESSAGE_ACCORD } from '../../shared/protocol/messages.ts'
import { launchBrowser, type TestBrowser } from '../support/browser.ts'
import { buildWorkspace, type Session } from '../support/factories.ts'
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
let editor: Page
let editorErrors: string[] = []

beforeAll(async () => {
  ensureClientBuilt()
  ;({ server, proxy } = await startServerBehindProxy())
  workspace = await buildWorkspace(server)
  browser = await launchBrowser()
  // The editor reaches the server directly: cutting the proxy takes only the readers offline.
  const opened = await openPage(browser.browser, server.url, workspace.editor.cookie)
  editor = opened.page
  editorErrors = opened.errors
  await openEditor(editor, workspace.deliverable.id)
  await waitForStatus(editor, 'All changes saved')
})

afterAll(async () => {
  await browser?.close()
  await proxy?.close()
  await server?.stop()
})

/** Accord's own messages (type 100: JSON in a varString) the page received, one list per sync WebSocket. */
function watchAccordMessages(page: Page): { type: string }[][] {
  const sockets: { type: string }[][] = []
  page.on('websocket', (socket) => {
    if (!new URL(socket.url()).pathname.startsWith('/sync')) return
    const messages: { type: string }[] = []
    sockets.push(messages)
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string') return
      const decoder = decoding.createDecoder(new Uint8Array(payload))
      if (decoding.readVarUint(decoder) !== MESSAGE_ACCORD) return
      messages.push(JSON.parse(decoding.readVarString(decoder)))
    })
  })
  return sockets
}

interface Reader {
  context: BrowserContext
  page: Page
  errors: string[]
  sockets: { type: string }[][]
}

/** A participant's text takes a caret (suggestion mode, #24); an observer's does not. */
async function openReader(session: Session, takesCaret: boolean): Promise<Reader> {
  const { context, page, errors } = await openPage(browser.browser, proxy.url, session.cookie)
  const sockets = watchAccordMessages(page)
  await openEditor(page, workspace.deliverable.id, takesCaret)
  return { context, page, errors, sockets }
}

/**
 * Waits until the server answered the sync step 2 of a connection opened since `socketsBefore`: after the hello it
 * acknowledges "saved", and again after the sync step 2 (API.md, `saved`); a refusal would come instead.
 */
async function waitForReaderSync(reader: Reader, socketsBefore: number): Promise<void> {
  const deadline = Date.now() + LONG
  const fresh = () => reader.sockets.slice(socketsBefore)
  while (Date.now() < deadline) {
    const messages = fresh().flat()
    if (messages.some((m) => m.type === 'refused')) return
    if (fresh().some((socket) => socket.filter((m) => m.type === 'saved').length >= 2)) return
    await reader.page.waitForTimeout(100)
  }
  throw new Error(
    `the server never answered the reader's sync step 2; it said ${JSON.stringify(fresh().map((s) => s.map((m) => m.type)))}`,
  )
}

/** No refusal, no recovery panel, no alert, nothing wrong in the live region, and the usual status. */
async function expectNoErrorShown(reader: Reader): Promise<void> {
  const { page } = reader
  expect(reader.sockets.flat().filter((m) => m.type === 'refused')).toEqual([])
  expect(await page.getByTestId('recovery-panel').count()).toBe(0)
  expect(await page.getByText('Some of your changes could not be saved').count()).toBe(0)
  expect(await page.getByRole('alert').count()).toBe(0)
  const said = await textOf(page.getByTestId('announcer'))
  expect(said).not.toMatch(/could not|not accepted|refused|error|not connected|no longer|ended|cannot/i)
  expect(await textOf(page.getByTestId('sync-status'))).toBe('All changes saved')
  // Still a reader who may read, told so as before.
  expect(await page.getByTestId('read-only-banner').count()).toBe(1)
  expect(reader.errors).toEqual([])
}

/** The editor types `kept` and `struck` at the end of the clause, then deletes `struck` again. */
async function typeThenDelete(number: string, kept: string, struck: string): Promise<void> {
  await typeInClause(editor, number, kept + struck)
  for (let i = 0; i < struck.length; i++) await editor.keyboard.press('Backspace')
  await waitForStatus(editor, 'All changes saved')
  const text = await clauseText(editor, number)
  expect(text).toContain(kept.trim())
  expect(text).not.toContain(struck.trim())
}

const readers = [
  { role: 'observer', who: 'an observer', session: () => workspace.observer, clause: '1' },
  { role: 'participant', who: 'a participant', session: () => workspace.participant, clause: '6' },
] as const

describe('readers after an editor deleted text', () => {
  for (const { role, who, session, clause } of readers) {
    it(`${who} reopens a deliverable after an editor deleted text, and sees no error`, async () => {
      const kept = ` Kept for the ${role}.`
      const struck = ` Struck out before the ${role} came.`
      await typeThenDelete(clause, kept, struck)

      // The reader opens the deliverable and sees the editor's text, without the deleted words.
      const reader = await openReader(session(), role === 'participant')
      await waitForClauseText(reader.page, clause, [kept.trim()])
      expect(await clauseText(reader.page, clause)).not.toContain(struck.trim())
      await waitForStatus(reader.page, 'All changes saved')
      await waitForReaderSync(reader, 0)
      await expectNoErrorShown(reader)

      // Reopened: the replica comes back from IndexedDB, deletions included, and syncs again.
      let socketsBefore = reader.sockets.length
      await reader.page.reload()
      await openEditor(reader.page, workspace.deliverable.id, role === 'participant')
      await waitForClauseText(reader.page, clause, [kept.trim()])
      await waitForStatus(reader.page, 'All changes saved')
      await waitForReaderSync(reader, socketsBefore)
      await expectNoErrorShown(reader)

      // Offline (the connection closes) while the editor types and deletes again; then back.
      proxy.cut()
      await waitForStatus(reader.page, /Reconnecting|Offline/)
      const latest = ` Latest for the ${role}.`
      await typeThenDelete(clause, latest, ` Struck out while the ${role} was away.`)
      socketsBefore = reader.sockets.length
      proxy.restore()
      await waitForClauseText(reader.page, clause, [kept.trim(), latest.trim()])
      await waitForStatus(reader.page, 'All changes saved')
      await waitForReaderSync(reader, socketsBefore)
      await expectNoErrorShown(reader)
      // The reader's page shows exactly the editor's latest text of the clause.
      expect(await clauseText(reader.page, clause)).toBe(await clauseText(editor, clause))
      expect(editorErrors).toEqual([])
      await reader.context.close()
    })
  }
})

// Comments and suggestions are asked for as the editor opens and again, conditionally, each time the connection
// comes up (useAnnotations.ts): a comment made before a reader's connection was there was not pushed to them.
describe('readers and comments made while their connection was down', () => {
  /** The chair comments on the first clause (as the editor's page shows it). */
  const comment = async (body: string) => {
    const sectionId = await editor
      .locator('.itu-document [data-clause-id]')
      .first()
      .getAttribute('data-clause-id')
    expect(sectionId).toBeTruthy()
    const path = `/api/deliverables/${workspace.deliverable.id}/comments`
    expect((await workspace.chair.api.post(path, { sectionId, body })).status).toBe(201)
  }
  /** A participant's page, with the statuses of its requests for the comments list, in order. */
  const openWatched = async () => {
    const opened = await openPage(browser.browser, server.url, workspace.participant.cookie)
    const statuses: number[] = []
    opened.page.on('response', (response) => {
      if (new URL(response.url()).pathname.endsWith('/comments')) statuses.push(response.status())
    })
    return { ...opened, statuses }
  }

  it('the lists are asked for as the editor opens, and once connected only whether they changed (304)', async () => {
    const { context, page, errors, statuses } = await openWatched()
    await openEditor(page, workspace.deliverable.id, true)
    await expect.poll(() => statuses, { timeout: LONG }).toEqual([200, 304])
    expect(errors).toEqual([])
    await context.close()
  })

  it('a comment made after the lists were answered, before the server heard the replica, shows once synced', async () => {
    const { context, page, errors, statuses } = await openWatched()
    // The socket opens (the lists are asked for then), but what the page sends (hello, sync) waits for the comment.
    let release = () => {}
    await page.routeWebSocket(/\/sync\//, (socket) => {
      const toServer = socket.connectToServer()
      const held: (string | Buffer)[] = []
      let holding = true
      socket.onMessage((message) => {
        if (holding) held.push(message)
        else toServer.send(message)
      })
      release = () => {
        holding = false
        for (const message of held.splice(0)) toServer.send(message)
      }
    })
    await page.goto(`/d/${workspace.deliverable.id}`)
    await expect.poll(() => statuses, { timeout: LONG }).toEqual([200])
    await comment('Made before the server heard the replica.')
    release()
    const threads = page.getByTestId('comment-thread')
    await threads.filter({ hasText: 'Made before the server heard the replica.' }).waitFor({ timeout: LONG })
    expect(statuses).toEqual([200, 200])
    expect(errors).toEqual([])
    await context.close()
  })

  it('a participant sees such a comment once the connection is back', async () => {
    const reader = await openReader(workspace.participant, true)
    const threads = reader.page.getByTestId('comment-thread')

    await comment('Made while connected.')
    await threads.filter({ hasText: 'Made while connected.' }).waitFor({ timeout: LONG })
    proxy.cut()
    await waitForStatus(reader.page, /Reconnecting|Offline/)
    await comment('Made while the connection was down.')
    await reader.page.waitForTimeout(500)
    expect(await threads.filter({ hasText: 'Made while the connection was down.' }).count()).toBe(0)
    proxy.restore()
    await threads.filter({ hasText: 'Made while the connection was down.' }).waitFor({ timeout: LONG })
    await expectNoErrorShown(reader)
    await reader.context.close()
  })
})
