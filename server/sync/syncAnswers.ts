/**
 * The answer to a client's sync step 1. A client with an empty replica (every join) gets the whole document:
 * encoded once and kept until the next change, so that a room of people opening the deliverable together, or a
 * client reconnecting in a loop, costs one encoding rather than one each.
 */
import * as Y from 'yjs'
import { encodeSyncStep2 } from './wire.ts'

export class SyncAnswers {
  private wholeDocument: Uint8Array | null = null

  constructor(private readonly doc: Y.Doc) {
    doc.on('update', () => {
      this.wholeDocument = null
    })
  }

  step2For(stateVector: Uint8Array): Uint8Array {
    const empty = stateVector.byteLength === 1 && stateVector[0] === 0
    if (!empty) return encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector))
    this.wholeDocument ??= encodeSyncStep2(Y.encodeStateAsUpdate(this.doc))
    return this.wholeDocument
  }
}
