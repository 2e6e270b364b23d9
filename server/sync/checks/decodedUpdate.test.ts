/** normalizeUpdate: the checks see what Yjs will do with an update, not what it declares (SYNC.md §2.2). */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { encodeUpdate, normalizeUpdate } from './decodedUpdate.ts'

function replicaOf(doc: Y.Doc, clientID: number): Y.Doc {
  const replica = new Y.Doc()
  replica.clientID = clientID
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc))
  return replica
}

function captured(doc: Y.Doc, change: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc)
  change()
  return Y.encodeStateAsUpdate(doc, before)
}

describe('normalizeUpdate', () => {
  it('drops everything the server already holds: a re-sent update is empty', () => {
    const server = new Y.Doc()
    const client = replicaOf(server, 7)
    const update = captured(client, () => client.getText('body').insert(0, 'hello'))
    Y.applyUpdate(server, update)
    expect(normalizeUpdate(server, update).empty).toBe(true)
  })

  it('slices a struct that overlaps the server state and gives it the previous clock as origin', () => {
    const server = new Y.Doc()
    const client = replicaOf(server, 7)
    const text = client.getText('body')
    const first = captured(client, () => text.insert(0, 'abc'))
    Y.applyUpdate(server, first)
    // One struct covering clocks 0..5, of which the server holds 0..2.
    const both = Y.mergeUpdates([first, captured(client, () => text.insert(3, 'def'))])
    const normalized = normalizeUpdate(server, both)
    expect(normalized.structs).toHaveLength(1)
    const item = normalized.structs[0] as Y.Item
    expect(item.id).toEqual(Y.createID(7, 3))
    expect(item.origin).toEqual(Y.createID(7, 2))
    expect(item.length).toBe(3)
  })

  it('drops deletions of content that is already deleted, keeps the rest', () => {
    const server = new Y.Doc()
    const text = server.getText('body')
    text.insert(0, 'abcdef')
    const reader = replicaOf(server, 9)
    const deletion = captured(server, () => text.delete(0, 3))
    Y.applyUpdate(reader, deletion)
    // A reader's provider re-sends the whole delete set it knows on every reconnect.
    const resent = Y.encodeStateAsUpdate(reader, Y.encodeStateVector(server))
    expect(normalizeUpdate(server, resent).empty).toBe(true)
    const more = captured(reader, () => reader.getText('body').delete(0, 1))
    const normalized = normalizeUpdate(server, Y.mergeUpdates([resent, more]))
    const ranges = [...normalized.deleteSet.clients.values()].flat()
    expect(ranges).toEqual([{ clock: 3, len: 1 }])
  })

  it('re-encodes what it keeps so that applying it gives the same document as the original', () => {
    const server = new Y.Doc()
    server.getText('body').insert(0, 'abcdef')
    const client = replicaOf(server, 5)
    const update = captured(client, () => {
      client.getText('body').delete(1, 2)
      client.getText('body').insert(0, 'xy')
    })
    const normalized = normalizeUpdate(server, update)
    const viaOriginal = replicaOf(server, 1)
    Y.applyUpdate(viaOriginal, update)
    Y.applyUpdate(server, encodeUpdate(normalized.byClient, normalized.deleteSet))
    expect(server.getText('body').toString()).toBe(viaOriginal.getText('body').toString())
  })
})
