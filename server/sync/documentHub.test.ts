/**
 * The hub's extension points, in the order a document lives: load before any client, checks after the sync
 * layer's own, committed once an update is durable, unload when the document leaves memory. A real file store in
 * a temporary folder and real Yjs; connections are not needed to drive updates (server edits and a raw receive).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { createLogger } from '../logger.ts'
import { FileDocumentStore } from '../storage/documentStore.ts'
import { nodeFileSystem } from '../storage/fileSystem.ts'
import { SyncConnection } from './connection.ts'
import { DocumentHub } from './documentHub.ts'
import { encodeSyncUpdate } from './wire.ts'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function hubInTempFolder() {
  const dir = await mkdtemp(path.join(tmpdir(), 'accord-hub-'))
  dirs.push(dir)
  const store = await FileDocumentStore.open(nodeFileSystem, dir)
  const limits = { maxSyncMessageBytes: 1 << 20, maxAwarenessMessageBytes: 1 << 14, maxUpdateStructs: 10_000 }
  return new DocumentHub(
    store,
    { ...limits, compactAfterBytes: 1 << 22, unloadAfterMs: 60_000 },
    createLogger('silent'),
  )
}

const silentSocket = () =>
  ({
    readyState: 1,
    OPEN: 1,
    bufferedAmount: 0,
    send() {},
    close() {},
    terminate() {},
  }) as unknown as WebSocket

describe('document extensions', () => {
  test('load, checks, committed and unload run at their moments', async () => {
    const hub = await hubInTempFolder()
    const seen: string[] = []
    hub.use({
      name: 'recorder',
      load: async () => void seen.push('load'),
      checks: () => [
        {
          name: 'no-shouting',
          check: ({ update }) =>
            update.structs.some(
              (s) =>
                s instanceof Y.Item && s.content instanceof Y.ContentString && /[A-Z]{3}/.test(s.content.str),
            )
              ? { ok: false, reason: 'resync-required', message: 'No shouting.' }
              : { ok: true },
        },
      ],
      committed: (_live, _update, origin) => void seen.push(`committed:${typeof origin}`),
      unload: () => void seen.push('unload'),
    })
    const live = await hub.create('doc1', (doc) =>
      doc.getXmlFragment(BODY_FIELD).insert(0, [new Y.XmlText('x')]),
    )
    expect(seen).toEqual(['load'])

    const writer = new SyncConnection(
      silentSocket(),
      { id: 'u1', name: 'U', organization: 'O', color: '#000' },
      's',
      true,
    )
    live.attach(writer)
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(live.doc))
    const typed = (text: string) => {
      const before = Y.encodeStateVector(replica)
      ;(replica.getXmlFragment(BODY_FIELD).get(0) as Y.XmlText).insert(0, text)
      return Y.encodeStateAsUpdate(replica, before)
    }
    live.receive(writer, encodeSyncUpdate(typed('quiet ')))
    await live.flush()
    expect(live.body.toString()).toContain('quiet')
    expect(seen).toEqual(['load', 'committed:object'])

    live.receive(writer, encodeSyncUpdate(typed('LOUD ')))
    await live.flush()
    expect(writer.refused).toBe(true)
    expect(live.body.toString()).not.toContain('LOUD')
    expect(seen).toEqual(['load', 'committed:object'])

    await hub.shutdown(1001, 'test')
    expect(seen.at(-1)).toBe('unload')
  })
})
