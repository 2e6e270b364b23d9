/**
 * Anchors follow the text (SYNC.md §7): comments on each word of a paragraph, then random concurrent edits from
 * three live clients around the words (typing at any word's edge or between words, deleting whole words). Every
 * comment must still resolve to its word, on every client and on the server, or report its text removed when
 * that word was deleted; and so again after a restart.
 */
import fc from 'fast-check'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { resolveAnchor } from '../../shared/clauses/anchors.ts'
import type { Anchor } from '../../shared/domain/annotations.ts'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { newDeliverable, sectionByTitle } from '../consensus/support.ts'
import {
  clauseByTitle,
  connectClient,
  firstParagraphText,
  type LiveClient,
  waitFor,
} from '../support/syncClients.ts'
import { restartOnSameData, workspaceServerForFile } from '../support/workspaceServer.ts'
import { anchorOnWord, annotationsOf, writeParagraph } from './support.ts'

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel']

const fixture = workspaceServerForFile()

type Edit =
  | { client: number; kind: 'type'; at: number; text: string }
  | { client: number; kind: 'delete-word'; word: number }

const edits = fc.array(
  fc.oneof(
    fc.record({
      client: fc.nat(2),
      kind: fc.constant('type' as const),
      at: fc.nat(1000),
      text: fc.stringMatching(/^[xyz ]{1,4}$/),
    }),
    fc.record({
      client: fc.nat(2),
      kind: fc.constant('delete-word' as const),
      word: fc.nat(WORDS.length - 1),
    }),
  ),
  { minLength: 1, maxLength: 25 },
)

/** What an anchor covers in a replica now: its text, or null when it no longer resolves in the section. */
function covered(doc: Y.Doc, anchor: Anchor): string | null {
  const clause = clauseByTitle(doc.getXmlFragment(BODY_FIELD), 'Scope')
  const resolved = resolveAnchor(doc, clause, anchor)
  return typeof resolved === 'string' ? null : resolved.text
}

/** Positions of the paragraph where typing stays outside every word still there: word edges and gaps. */
function boundaries(doc: Y.Doc, anchors: Anchor[]): number[] {
  const text = firstParagraphText(clauseByTitle(doc.getXmlFragment(BODY_FIELD), 'Scope'))
  const inside = new Set<number>()
  for (const anchor of anchors) {
    const start = Y.createAbsolutePositionFromRelativePosition(
      Y.decodeRelativePosition(Uint8Array.from(atob(anchor.start), (c) => c.charCodeAt(0))),
      doc,
    )
    const end = Y.createAbsolutePositionFromRelativePosition(
      Y.decodeRelativePosition(Uint8Array.from(atob(anchor.end), (c) => c.charCodeAt(0))),
      doc,
    )
    if (start && end) for (let i = start.index + 1; i < end.index; i++) inside.add(i)
  }
  return [...Array(text.length + 1).keys()].filter((i) => !inside.has(i))
}

/** Same insertions and same deletions everywhere (a state vector alone does not count deletions). */
function converged(clients: LiveClient[], serverDoc: Y.Doc): boolean {
  const stateOf = (doc: Y.Doc) =>
    `${Buffer.from(Y.encodeStateVector(doc)).toString('base64')} ${doc.getXmlFragment(BODY_FIELD).toString()}`
  const target = stateOf(serverDoc)
  return clients.every((c) => stateOf(c.doc) === target)
}

test('comments resolve to their words through concurrent edits around them, on every replica and after a restart', async () => {
  let run = 0
  await fc.assert(
    fc.asyncProperty(edits, async (plan) => {
      run++
      const { id } = await newDeliverable(fixture.ws)
      const sessions = [fixture.ws.editor, fixture.ws.editor2, fixture.ws.chair]
      const clients = sessions.map((s) => connectClient(fixture.server, id, s.cookie, { accord: true }))
      try {
        await Promise.all(clients.map((c) => c.synced()))
        const text = await writeParagraph(clients[0]!, fixture.server, id, 'Scope', WORDS.join(' '))
        const sectionId = (await sectionByTitle(fixture.ws.chair, id, 'Scope')).id
        const anchors = WORDS.map((word) => anchorOnWord(text, word))
        for (const [i, anchor] of anchors.entries()) {
          const made = await annotationsOf(fixture.ws.participant, id).comment({
            sectionId,
            anchor,
            body: WORDS[i],
          })
          expect(made.status).toBe(201)
        }
        await waitFor(
          () => converged(clients, fixture.server.accord!.ctx.hub.loaded(id)!.doc),
          'replicas to converge',
        )

        const deleted = new Set<number>()
        for (const edit of plan as Edit[]) {
          const doc = clients[edit.client]!.doc
          const paragraph = firstParagraphText(clauseByTitle(doc.getXmlFragment(BODY_FIELD), 'Scope'))
          if (edit.kind === 'type') {
            const places = boundaries(doc, anchors)
            paragraph.insert(places[edit.at % places.length]!, edit.text)
          } else {
            const anchor = anchors[edit.word]!
            const now = covered(doc, anchor)
            if (now === WORDS[edit.word]) {
              const start = paragraph.toString().indexOf(now)
              // The replica's own view: delete exactly the word the anchor covers there.
              const resolved = resolveAnchor(
                doc,
                clauseByTitle(doc.getXmlFragment(BODY_FIELD), 'Scope'),
                anchor,
              )
              if (typeof resolved !== 'string' && start >= 0)
                paragraph.delete(resolved.start.index, now.length)
              deleted.add(edit.word)
            }
          }
        }
        const serverDoc = () => fixture.server.accord!.ctx.hub.loaded(id)!.doc
        await waitFor(() => converged(clients, serverDoc()), 'replicas to converge after the edits')

        const expectations = (doc: Y.Doc, where: string) => {
          for (const [i, anchor] of anchors.entries()) {
            const expected = deleted.has(i) ? '' : WORDS[i]
            expect(covered(doc, anchor), `run ${run}, ${where}, ${WORDS[i]}`).toBe(expected)
          }
        }
        expectations(serverDoc(), 'server')
        for (const [n, c] of clients.entries()) expectations(c.doc, `client ${n}`)
        const comments = await annotationsOf(fixture.ws.observer, id).comments()
        for (const comment of comments)
          expect(comment.removed, `${comment.body}`).toBe(deleted.has(WORDS.indexOf(comment.body as string)))
      } finally {
        for (const c of clients) c.destroy()
      }
      if (run % 4 === 0) {
        const comments = await annotationsOf(fixture.ws.observer, id).comments()
        fixture.server = await restartOnSameData(fixture.server, fixture.ws)
        expect(await annotationsOf(fixture.ws.observer, id).comments()).toEqual(comments)
      }
    }),
    { numRuns: 8, seed: 20261203, endOnFailure: true },
  )
}, 240_000)
