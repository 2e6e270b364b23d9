/**
 * Builders for the annotation suites: a paragraph with known words written by a real editor's client, anchors
 * over words made on that client's replica (as the browser makes them), and the annotation routes.
 */
import { expect } from 'vitest'
import * as Y from 'yjs'
import { anchorInText } from '../../shared/clauses/anchors.ts'
import type { Anchor } from '../../shared/domain/annotations.ts'
import type { Session } from '../support/factories.ts'
import { clauseByTitle, firstParagraphText, type LiveClient, waitFor } from '../support/syncClients.ts'

/** Writes `text` as the first paragraph of the clause titled `title` and waits until the server holds it. */
export async function writeParagraph(
  client: LiveClient,
  server: { accord?: { ctx: { hub: { loaded(id: string): { doc: Y.Doc } | undefined } } } },
  deliverableId: string,
  title: string,
  text: string,
): Promise<Y.XmlText> {
  const paragraph = firstParagraphText(clauseByTitle(client.body, title))
  paragraph.delete(0, paragraph.length)
  paragraph.insert(0, text)
  const expected = Y.encodeStateVector(client.doc)
  await waitFor(() => {
    const live = server.accord?.ctx.hub.loaded(deliverableId)
    if (!live) return false
    const held = Y.decodeStateVector(Y.encodeStateVector(live.doc))
    return [...Y.decodeStateVector(expected)].every(([c, clock]) => (held.get(c) ?? 0) >= clock)
  }, 'the server to hold the paragraph')
  return paragraph
}

/** An anchor over the first occurrence of `word` in a text. */
export function anchorOnWord(text: Y.XmlText, word: string): Anchor {
  const from = text.toString().indexOf(word)
  if (from < 0) throw new Error(`no "${word}" in "${text.toString()}"`)
  return anchorInText(text, from, from + word.length)
}

export function annotationsOf(session: Session, deliverableId: string) {
  const base = `/api/deliverables/${deliverableId}`
  return {
    comments: async () => {
      const response = await session.api.get(`${base}/comments`)
      expect(response.status, JSON.stringify(response.body)).toBe(200)
      return response.body.comments as Record<string, unknown>[]
    },
    suggestions: async () => {
      const response = await session.api.get(`${base}/suggestions`)
      expect(response.status, JSON.stringify(response.body)).toBe(200)
      return response.body.suggestions as Record<string, unknown>[]
    },
    comment: (body: Record<string, unknown>) => session.api.post(`${base}/comments`, body),
    suggest: (body: Record<string, unknown>) => session.api.post(`${base}/suggestions`, body),
    revise: (id: string, body: Record<string, unknown>) =>
      session.api.patch(`${base}/suggestions/${id}`, body),
    decide: (id: string, decision: 'accept' | 'reject' | 'withdraw', body: Record<string, unknown> = {}) =>
      session.api.post(`${base}/suggestions/${id}/${decision}`, body),
    resolve: (id: string, verb: 'resolve' | 'reopen') =>
      session.api.post(`${base}/comments/${id}/${verb}`, {}),
    edit: (id: string, body: Record<string, unknown>) => session.api.patch(`${base}/comments/${id}`, body),
    remove: (id: string) => session.api.delete(`${base}/comments/${id}`),
  }
}
