/**
 * How much presence one connection may send. A caret moves with every keystroke (about ten awareness messages a
 * second while typing); a connection sending far more is held back: what arrives over the budget waits, and only
 * the latest of it is applied when the budget allows, since a caret's last position is all that counts. A
 * presence query is answered at most once per interval: each answer carries every state of the document.
 */
const PER_SECOND = 20
const BURST = 40
const QUERY_INTERVAL_MS = 2000

export class PresenceGate {
  private tokens = BURST
  private refilledAt = Date.now()
  private held: Uint8Array | null = null
  private timer: NodeJS.Timeout | null = null
  private answeredAt = Number.NEGATIVE_INFINITY

  constructor(private readonly apply: (update: Uint8Array) => void) {}

  admit(update: Uint8Array): void {
    this.refill()
    if (this.tokens >= 1 && this.held === null) {
      this.tokens--
      this.apply(update)
      return
    }
    this.held = update
    this.timer ??= setTimeout(() => this.release(), Math.ceil(1000 / PER_SECOND))
  }

  /** True when a presence query may be answered now. */
  mayAnswerQuery(): boolean {
    const now = Date.now()
    if (now - this.answeredAt < QUERY_INTERVAL_MS) return false
    this.answeredAt = now
    return true
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.held = null
  }

  private release(): void {
    this.timer = null
    const held = this.held
    this.held = null
    if (held) this.admit(held)
  }

  private refill(): void {
    const now = Date.now()
    this.tokens = Math.min(BURST, this.tokens + ((now - this.refilledAt) * PER_SECOND) / 1000)
    this.refilledAt = now
  }
}
