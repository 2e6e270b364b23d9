/**
 * Deliverables in one expression, in the manner of ProseMirror's test builders (`doc(p("foo"))`):
 *
 *   deliverable(clause('Scope', p('…')), clause('Definitions', definition('metaverse', '…')))
 *
 * A test states the document it needs and takes it in the form it works on: ProseMirror JSON, a node of the
 * editor's schema, the Yjs body a replica or the server holds, the update that carries it, or as clauses appended
 * to a live body. Unit tests, integration suites and the benchmarks build their documents with these, and the
 * blocks are the very ones the server seeds skeletons with (shared/clauses/skeletons.ts).
 */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import {
  abbreviation,
  definition,
  note,
  type PmNode,
  p,
  reference,
  requirement,
  table,
  text,
} from '../../shared/clauses/skeletons.ts'
import { CLAUSE, CLAUSE_HEADING, type ClauseKind } from '../../shared/editor/clauseNodes.ts'
import { accordSchema, BODY_FIELD } from '../../shared/editor/extensions.ts'

export type { PmNode }
export { abbreviation, definition, note, p, reference, requirement, table, text }

export interface ClauseAttrs {
  /** The clause's `id` attribute; by default the title in lower case, with dashes for spaces ("terms-defined"). */
  id?: string
  /** Default `numbered`. Any string: a document may hold a kind the schema does not know. */
  kind?: ClauseKind | (string & {})
}

/** The default id of a clause titled `title`: "Terms defined here" → "terms-defined-here". */
export function idFor(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'untitled'
  )
}

/**
 * A clause: its heading, then its content (blocks and sub-clauses) in the order given. Attributes may come first,
 * as in ProseMirror's builders: `clause({ id: 'scope', kind: 'annex' }, 'Scope', p('…'))`.
 */
export function clause(title: string, ...content: PmNode[]): PmNode
export function clause(attrs: ClauseAttrs, title: string, ...content: PmNode[]): PmNode
export function clause(first: string | ClauseAttrs, ...rest: (string | PmNode)[]): PmNode {
  const attrs = typeof first === 'string' ? {} : first
  const title = (typeof first === 'string' ? first : rest.shift()) as string
  const content = rest as PmNode[]
  return {
    type: CLAUSE,
    attrs: { id: attrs.id ?? idFor(title), kind: attrs.kind ?? 'numbered' },
    content: [{ type: CLAUSE_HEADING, content: title ? [text(title)] : [] }, ...content],
  }
}

export interface BuiltDeliverable {
  /** The ProseMirror JSON of the `doc`. */
  readonly json: PmNode
  /** The document as a node of the editor's schema, checked against it. */
  node(): ProseMirrorNode
  /** A fresh Y.Doc whose body holds the document exactly as y-tiptap stores what the editor shows. */
  ydoc(): Y.Doc
  /** The body of a fresh Y.Doc: `ydoc().getXmlFragment(BODY_FIELD)`. */
  body(): Y.XmlFragment
  /** The update that gives an empty replica the whole document. */
  update(): Uint8Array
  /**
   * Appends the document's top-level nodes to an existing body (a deliverable created through the API keeps its
   * skeleton) in one transaction, as one edit of that body's client.
   */
  appendTo(body: Y.XmlFragment, origin?: unknown): void
}

/** A deliverable's body holding these clauses (and blocks), in order. */
export function deliverable(...content: PmNode[]): BuiltDeliverable {
  const json: PmNode = { type: 'doc', content }
  const ydoc = () => {
    const doc = new Y.Doc()
    prosemirrorJSONToYXmlFragment(accordSchema(), json, doc.getXmlFragment(BODY_FIELD))
    return doc
  }
  return {
    json,
    node() {
      const node = accordSchema().nodeFromJSON(json)
      node.check()
      return node
    },
    ydoc,
    body: () => ydoc().getXmlFragment(BODY_FIELD),
    update() {
      const doc = ydoc()
      const update = Y.encodeStateAsUpdate(doc)
      doc.destroy()
      return update
    },
    appendTo(body, origin = null) {
      const doc = body.doc
      if (!doc) throw new Error('The body must belong to a Y.Doc')
      const scratch = ydoc()
      const copies = scratch
        .getXmlFragment(BODY_FIELD)
        .toArray()
        .map((node) => (node as Y.XmlElement | Y.XmlText).clone())
      scratch.destroy()
      doc.transact(() => body.insert(body.length, copies), origin)
    },
  }
}
