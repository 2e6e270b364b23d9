/**
 * Depth-first flattening of a tree into a string, with an explicit stack instead of recursion. A Yjs document
 * nests as deep as its updates say (20,000 levels fit in 257 KB), far deeper than the call stack allows, and an
 * exception while reading a stored document fails every request on that document, after a restart too.
 */

/** Literal output, or a node that expands into pieces of its own. */
export type Piece<N> = string | N

/** The pieces of `root`, each node replaced by its own pieces, concatenated in document order. */
export function unfold<N extends object>(root: N, expand: (node: N) => readonly Piece<N>[]): string {
  const out: string[] = []
  const stack: Piece<N>[] = [root]
  while (stack.length > 0) {
    const piece = stack.pop()!
    if (typeof piece === 'string') out.push(piece)
    else pushReversed(stack, expand(piece))
  }
  return out.join('')
}

// Reversed so that the first piece is popped first; a loop, as spreading a wide node's pieces into one
// push call can exceed the engine's argument limit.
function pushReversed<T>(stack: T[], items: readonly T[]): void {
  for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]!)
}

/** The pieces of `items.join(separator)`. */
export function interleave<N>(items: readonly Piece<N>[], separator: string): Piece<N>[] {
  const pieces: Piece<N>[] = []
  for (let i = 0; i < items.length; i++) {
    if (i > 0) pieces.push(separator)
    pieces.push(items[i]!)
  }
  return pieces
}
