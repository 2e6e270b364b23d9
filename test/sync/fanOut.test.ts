/**
 * Fan-out through the real server: a burst of updates that the server reads in one turn reaches every follower
 * as one merged frame, converges, and is never sent back to the connection it came from.
 */

import type { Socket } from 'node:net'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { SYNC_UPDATE } from '../../server/sync/wire.ts'
import { syncPayload } from '../campaign/support/serverDoc.ts'
import { syncUpdateFrame } from '../consensus/support.ts'
import {
  bodyText,
  clauseByTitle,
  connectClient,
  firstParagraphText,
  rawSocket,
  waitFor,
} from '../support/syncClients.ts'
import { workspaceServerForFile } from '../support/workspaceServer.ts'

const f = workspaceServerForFile()

function syncUpdates(frames: Uint8Array[]): Uint8Array[] {
  return frames.flatMap((frame) => syncPayload(frame, SYNC_UPDATE) ?? [])
}

describe('fan-out of a burst of updates', () => {
  test('thirty keystrokes read in one turn reach each follower as one frame and never echo back', async () => {
    const editor = connectClient(f.server, f.ws.deliverable.id, f.ws.editor.cookie)
    await editor.synced()
    const base = Y.encodeStateAsUpdate(editor.doc)
    editor.destroy()

    const local = new Y.Doc()
    Y.applyUpdate(local, base)
    const updates: Uint8Array[] = []
    local.on('update', (update: Uint8Array) => updates.push(update))
    const text = firstParagraphText(clauseByTitle(local.getXmlFragment('body'), 'Scope'))
    for (const letter of 'Thirty keystrokes in a burst.') text.insert(text.length, letter)
    expect(updates.length).toBe(29)

    const followers = await Promise.all(
      [f.ws.observer, f.ws.chair].map((user) => rawSocket(f.server, f.ws.deliverable.id, user.cookie)),
    )
    const writer = await rawSocket(f.server, f.ws.deliverable.id, f.ws.editor2.cookie)
    // One TCP write for the whole burst (ws exposes no batch send), so that the server reads it in one turn.
    const tcp = (writer.socket as unknown as { _socket: Socket })._socket
    tcp.cork()
    for (const update of updates) writer.socket.send(syncUpdateFrame(update))
    tcp.uncork()

    const expected = bodyText(local.getXmlFragment('body'))
    const replicaOf = (frames: Uint8Array[]) => {
      const replica = new Y.Doc()
      Y.applyUpdate(replica, base)
      for (const update of syncUpdates(frames)) Y.applyUpdate(replica, update)
      return bodyText(replica.getXmlFragment('body'))
    }
    await waitFor(
      () => followers.every((f) => replicaOf(f.received) === expected),
      'followers hold the burst',
    )
    for (const follower of followers) expect(syncUpdates(follower.received)).toHaveLength(1)
    // The writer's own updates never come back to it.
    await new Promise((r) => setTimeout(r, 100))
    expect(syncUpdates(writer.received)).toHaveLength(0)
    for (const socket of [writer, ...followers]) socket.socket.close()
  })
})
