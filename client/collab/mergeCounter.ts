/**
 * Counts what came in from others after an offline period, so the user is told ("12 changes by 2 people
 * merged") instead of finding out by surprise. A change is one run of inserted content or one deleted range.
 */
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { MergeSummary } from './syncStatus.ts'

/** Updates arriving this long after the first sync still belong to the catch-up. */
const SETTLE_MS = 1500

export class MergeCounter {
  private counting: { changes: number; clients: Set<number> } | null = null
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly ydoc: Y.Doc,
    private readonly provider: WebsocketProvider,
  ) {
    ydoc.on('update', this.onUpdate)
  }

  start(): void {
    clearTimeout(this.timer)
    this.counting = { changes: 0, clients: new Set() }
  }

  cancel(): void {
    clearTimeout(this.timer)
  }

  finishSoon(report: (summary: MergeSummary) => void): void {
    if (!this.counting) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      const counting = this.counting
      this.counting = null
      if (!counting) return
      const people = counting.changes > 0 ? Math.max(1, this.people(counting.clients)) : 0
      report({ changes: counting.changes, people })
    }, SETTLE_MS)
  }

  destroy(): void {
    clearTimeout(this.timer)
    this.ydoc.off('update', this.onUpdate)
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (!this.counting || origin !== this.provider) return
    const decoded = Y.decodeUpdate(update)
    for (const struct of decoded.structs) {
      if (!(struct instanceof Y.Item) || struct.id.client === this.ydoc.clientID) continue
      this.counting.changes++
      this.counting.clients.add(struct.id.client)
    }
    // A deleted range names the client that wrote the text, not the one who deleted it: count it as a change only.
    for (const ranges of decoded.ds.clients.values()) this.counting.changes += ranges.length
  }

  /** Client ids become people through presence where possible; an unknown id counts as one person. */
  private people(clients: Set<number>): number {
    const states = this.provider.awareness.getStates()
    const people = new Set<string>()
    for (const client of clients) {
      const user = states.get(client)?.user as { id?: string; name?: string } | undefined
      people.add(user?.id ?? user?.name ?? `client:${client}`)
    }
    return people.size
  }
}
