/**
 * Size limits a real editor never reaches (SYNC.md §2.6). A deliverable nests about ten levels (clause,
 * sub-clause, entry, paragraph, text); a few dozen are allowed. The number of structs in one update bounds the
 * time one message can hold the event loop: checking and applying cost about 10 µs a struct here, so the default
 * (MAX_UPDATE_STRUCTS) keeps the worst message near a hundred milliseconds while a paste of a thousand
 * paragraphs (three to six structs each) still goes through in one piece. It is counted before decoding
 * (structCount.ts).
 */
import { ACCEPT, type Refusal, type UpdateCheck } from './types.ts'

export const MAX_NESTING = 48
export const DEFAULT_MAX_UPDATE_STRUCTS = 10_000

export const tooLarge = (message: string): Refusal => ({ ok: false, reason: 'too-large', message })

export const nestingCheck: UpdateCheck = {
  name: 'nesting',
  check: (context) =>
    context.integration().maxDepth > MAX_NESTING
      ? tooLarge(`The change nests content deeper than ${MAX_NESTING} levels.`)
      : ACCEPT,
}
