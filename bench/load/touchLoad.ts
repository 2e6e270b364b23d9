/**
 * One keystroke through a real client, acknowledged as saved: enough to make Accord append (and, with a
 * small COMPACT_AFTER_BYTES, compact). Returns the size of the document's encoded state afterwards.
 */

import * as Y from 'yjs'
import { within } from '../lib/stats.ts'
import type { DocumentTarget } from '../peers/types.ts'
import { typingText } from './documentShape.ts'
import { connectReal } from './realClient.ts'

export async function runTouch(params: { target: DocumentTarget }): Promise<{ encodedStateBytes: number }> {
  const client = connectReal(params.target, params.target.editors[0] ?? '')
  await within(client.synced, 60_000, 'client synced')
  let saved = false
  client.onAccordMessage = (message) => {
    if (message.type === 'saved') saved = true
  }
  typingText(client.body, 0).insert(0, ' ')
  await within(
    (async () => {
      while (!saved) await new Promise((r) => setTimeout(r, 10))
    })(),
    30_000,
    'saved acknowledgement',
  )
  const encodedStateBytes = Y.encodeStateAsUpdate(client.doc).byteLength
  client.destroy()
  return { encodedStateBytes }
}
