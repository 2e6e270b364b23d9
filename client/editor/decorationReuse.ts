/**
 * Decorations rebuilt without being new. ProseMirror's view compares, for every node it draws, the node's
 * decorations with those it drew it with; when a node is unchanged and its decorations are equal it keeps the DOM
 * but not the new decorations, so from then on it compares the new objects with the old ones on every transaction:
 * attribute by attribute for each top-level clause and everything inside it (`updateChildren`, `compareObjs`: a
 * fifth of the page's time on the 120,000-word deliverable, README's Performance section). A decoration set built
 * anew (`DecorationSet.create`) after any change of the consensus state or the structure made every later
 * keystroke pay for that.
 *
 * So a plugin that computes its decorations again hands the list to `reuseDecorations`, which maps the previous
 * set through the transaction and then removes only the decorations no longer wanted and adds only the new ones:
 * everything that stayed is the very same object, in the very same sub-sets, and the view's comparison of an
 * unchanged clause stops at the first identity check. A decoration is identified by its range and its key:
 * `nodeDecoration` and `inlineDecoration` derive the key from the attributes; a widget's key must name all it
 * shows (ProseMirror itself treats widgets with equal keys as interchangeable).
 */
import type { Node as PmNode } from '@tiptap/pm/model'
import type { Mapping } from '@tiptap/pm/transform'
import { Decoration, DecorationSet } from '@tiptap/pm/view'

type Attrs = Record<string, string>

const keyOfAttrs = (kind: string, attrs: Attrs) =>
  `${kind}|${Object.entries(attrs)
    .map(([name, value]) => `${name}=${value}`)
    .join('|')}`

export function nodeDecoration(from: number, to: number, attrs: Attrs): Decoration {
  return Decoration.node(from, to, attrs, { key: keyOfAttrs('node', attrs) })
}

export function inlineDecoration(from: number, to: number, attrs: Attrs): Decoration {
  return Decoration.inline(from, to, attrs, { key: keyOfAttrs('inline', attrs) })
}

const identity = (decoration: Decoration) =>
  `${decoration.from}:${decoration.to}:${(decoration.spec as { key?: string }).key ?? ''}`

/**
 * The set of `wanted` decorations over `doc`, made from `previous` (a set over the document before `mapping`): the
 * decorations of `previous` that are still wanted are kept as they are.
 */
export function reuseDecorations(
  previous: DecorationSet,
  mapping: Mapping | null,
  doc: PmNode,
  wanted: Decoration[],
): DecorationSet {
  const mapped = mapping ? previous.map(mapping, doc) : previous
  const existing = new Map<string, Decoration>()
  for (const decoration of mapped.find()) existing.set(identity(decoration), decoration)
  const added: Decoration[] = []
  for (const decoration of wanted) {
    const key = identity(decoration)
    if (existing.has(key)) existing.delete(key)
    else added.push(decoration)
  }
  if (existing.size === 0 && added.length === 0) return mapped
  // Nothing to keep (a new document): build the set at once.
  if (added.length === wanted.length) return DecorationSet.create(doc, wanted)
  return mapped.remove([...existing.values()]).add(doc, added)
}
