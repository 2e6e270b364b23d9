/**
 * Which user owns each Yjs clientID of a document (SYNC.md §2.4). A clientID belongs to the user whose accepted
 * update first created structs for it (the server's own edits: `system`); nobody else may add structs under it,
 * so nobody can write ahead on another editor's clientID (their later updates would be no-ops acknowledged as
 * saved) or slip text into their history. Rebuilt from the log (every record carries its sender) and kept with
 * snapshots.
 */
import * as Y from 'yjs'

export const SYSTEM_USER = 'system'

export class ClientOwners {
  private readonly owners: Map<number, string>

  constructor(initial: ReadonlyMap<number, string> = new Map()) {
    this.owners = new Map(initial)
  }

  ownerOf(client: number): string | undefined {
    return this.owners.get(client)
  }

  /** Records `userId` as the owner of every clientID `update` creates structs for that has none yet. */
  claimFrom(update: Uint8Array, userId: string): void {
    const { from, to } = Y.parseUpdateMeta(update)
    for (const [client, clock] of to)
      if (clock > (from.get(client) ?? 0) && !this.owners.has(client)) this.owners.set(client, userId)
  }

  claim(client: number, userId: string): void {
    if (!this.owners.has(client)) this.owners.set(client, userId)
  }

  snapshot(): ReadonlyMap<number, string> {
    return new Map(this.owners)
  }
}
