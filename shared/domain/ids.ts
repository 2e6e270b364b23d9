/** Opaque identifiers: URL-safe, unguessable, the same shape on both sides. */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

export function newId(length = 16): string {
  const bytes = new Uint8Array(length)
  globalThis.crypto.getRandomValues(bytes)
  let out = ''
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length]
  return out
}

/** Ids that may appear in a route: letters, digits, '-' and '_' only, bounded length. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export function isWellFormedId(value: string): boolean {
  return ID_PATTERN.test(value)
}
