/**
 * An edit the server prepares on a user's behalf (a version restored, a suggestion accepted): made on a copy of
 * the present document under a fresh clientID, so that the live document is untouched until the resulting update
 * has passed the same checks as a client's (`LiveDocument.editAs`).
 */
import * as Y from 'yjs'

/** A clientID no one has written under in `doc` and that `taken` does not name. */
function freshClientId(doc: Y.Doc, taken: (clientId: number) => boolean): number {
  const random = new Uint32Array(1)
  for (;;) {
    globalThis.crypto.getRandomValues(random)
    const id = random[0]!
    if (Y.getState(doc.store, id) === 0 && !taken(id)) return id
  }
}

/**
 * The update `change` makes to a copy of `present`, or null when it changed nothing. `present` is only read;
 * `taken` names clientIDs that belong to someone (the document's owners), which the copy must not write under.
 */
export function editOnCopy(
  present: Y.Doc,
  taken: (clientId: number) => boolean,
  change: (copy: Y.Doc) => void,
): Uint8Array | null {
  const copy = new Y.Doc()
  try {
    copy.clientID = freshClientId(present, taken)
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(present))
    // Yjs emits an update only for a transaction that changed something: exactly the edit, deletions included.
    let edit: Uint8Array | null = null
    copy.on('update', (update: Uint8Array) => {
      edit = update
    })
    copy.transact(() => change(copy))
    return edit
  } finally {
    copy.destroy()
  }
}
