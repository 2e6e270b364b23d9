/** A user's presence colour: the same on every screen and every server, from the user's id alone. */
const PALETTE = ['#1f6feb', '#b3261e', '#1a7f37', '#8250df', '#bc4c00', '#0a7ea4', '#bf3989', '#6e7781']

/** A stable presence colour per user, with enough contrast on white for carets and names. */
export function colorFor(userId: string): string {
  let hash = 0
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return PALETTE[hash % PALETTE.length]!
}
