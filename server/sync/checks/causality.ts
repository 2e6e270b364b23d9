/**
 * Step 3: refuse what would go pending on the server (SYNC.md §2). Yjs keeps an update with a missing
 * dependency as pending, emits nothing for it, and still hands it to every new client; so nothing that is not
 * fully integrable from the stored document plus this update is accepted.
 */
import * as Y from 'yjs'
import { type DecodedUpdate, findInUpdate } from './decodedUpdate.ts'
import { ACCEPT, type UpdateCheck, type Verdict } from './types.ts'

/** Structs longer than this cannot come from an editor; they would only distort the client's clock. */
const MAX_STRUCT_LENGTH = 50_000_000

const refuse = (message: string): Verdict => ({ ok: false, reason: 'resync-required', message })

function known(doc: Y.Doc, update: DecodedUpdate, id: Y.ID): boolean {
  return id.clock < Y.getState(doc.store, id.client) || findInUpdate(update, id) !== undefined
}

export const causalityCheck: UpdateCheck = {
  name: 'causality',
  check({ doc, update }) {
    for (const [client, structs] of update.byClient) {
      let expected = structs[0]!.id.clock
      if (expected > Y.getState(doc.store, client)) return refuse(`Clock gap for client ${client}.`)
      for (const struct of structs) {
        if (struct instanceof Y.Skip) return refuse('The update has a gap (skip).')
        if (struct.id.clock !== expected) return refuse(`Clock gap inside the update for client ${client}.`)
        if (struct.length > MAX_STRUCT_LENGTH || struct.length < 1)
          return refuse('Implausible struct length.')
        expected += struct.length
        if (struct instanceof Y.Item) {
          if (struct.content instanceof Y.ContentDoc) return refuse('Sub-documents are not supported.')
          if (struct.origin && !known(doc, update, struct.origin)) return refuse('Unknown origin.')
          if (struct.rightOrigin && !known(doc, update, struct.rightOrigin))
            return refuse('Unknown right origin.')
          const parent = struct.parent as unknown
          if (parent instanceof Y.ID && !known(doc, update, parent)) return refuse('Unknown parent.')
          if (parent === null && !struct.origin && !struct.rightOrigin)
            return refuse('An item without parent.')
        }
      }
    }
    for (const [client, ranges] of update.deleteSet.clients) {
      const stored = Y.getState(doc.store, client)
      const inUpdate = update.clocks.get(client) ?? 0
      const reach = Math.max(stored, inUpdate)
      for (const range of ranges) {
        if (range.clock + range.len > reach) return refuse(`Deletes unknown content of client ${client}.`)
      }
    }
    return ACCEPT
  },
}
