/**
 * What the server holds, read over the wire the way a new client would: a raw socket sends sync step 1 with an
 * empty state vector and applies the server's step 2 to a fresh Y.Doc. Works for child-process servers too.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { BODY_FIELD } from '../../../shared/editor/extensions.ts'
import { MESSAGE_SYNC } from '../../../shared/protocol/messages.ts'

export function syncStep1Frame(stateVector: Uint8Array = new Uint8Array([0])): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint8Array(encoder, stateVector)
  return encoding.toUint8Array(encoder)
}

/** The payload of a sync frame of this step (0, 1 or 2), or null for anything else. */
export function syncPayload(frame: Uint8Array, step: number): Uint8Array | null {
  const decoder = decoding.createDecoder(frame)
  if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return null
  if (decoding.readVarUint(decoder) !== step) return null
  return decoding.readVarUint8Array(decoder)
}

export async function readServerDoc(
  wsBase: string,
  deliverableId: string,
  cookie: string,
  timeoutMs = 20_000,
): Promise<Y.Doc> {
  const socket = new WebSocket(`${wsBase}/${deliverableId}`, { headers: { cookie } })
  try {
    return await new Promise<Y.Doc>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server sent no sync step 2')), timeoutMs)
      socket.on('open', () => socket.send(syncStep1Frame()))
      socket.on('message', (data: Buffer) => {
        const update = syncPayload(new Uint8Array(data), 1)
        if (!update) return
        clearTimeout(timer)
        const doc = new Y.Doc()
        Y.applyUpdate(doc, update)
        resolve(doc)
      })
      socket.on('unexpected-response', (_req, res) => {
        clearTimeout(timer)
        let body = ''
        res.on('data', (chunk) => (body += chunk))
        res.on('end', () => reject(new Error(`upgrade refused with HTTP ${res.statusCode}: ${body}`)))
      })
      socket.on('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
    })
  } finally {
    socket.terminate()
  }
}

export function stateVectorOf(doc: Y.Doc): Map<number, number> {
  return Y.decodeStateVector(Y.encodeStateVector(doc))
}

export const bodyOf = (doc: Y.Doc) => doc.getXmlFragment(BODY_FIELD)
