/**
 * A deliverable with annotations of every kind the Word round trip carries (issue 24), shared by the export and
 * import suites: the editor's Scope text, a participant's replacement and deletion suggestions, a thread on words
 * with an editor's reply, and a comment on the whole section.
 */
import { expect } from 'vitest'
import { anchorOnWord, annotationsOf, writeParagraph } from '../annotations/support.ts'
import { sectionByTitle } from '../consensus/support.ts'
import { buildWorkspace } from '../support/factories.ts'
import { connectClient } from '../support/syncClients.ts'
import type { TestServer } from '../support/testServer.ts'

export const ANNOTATED_SCOPE = 'This Technical Report describes a shared virtual space for standards work.'

type Made = { id: string; createdAt: string }

export async function annotatedDeliverable(server: TestServer) {
  const ws = await buildWorkspace(server)
  const id = ws.deliverable.id
  const client = connectClient(server, id, ws.editor.cookie, { accord: true })
  await client.synced()
  const scope = await writeParagraph(client, server, id, 'Scope', ANNOTATED_SCOPE)
  client.destroy()
  const sectionId = (await sectionByTitle(ws.chair, id, 'Scope')).id
  const participant = annotationsOf(ws.participant, id)
  const editor = annotationsOf(ws.editor, id)
  const created = async (response: Promise<{ status: number; body: any }>): Promise<Made> => {
    const answer = await response
    expect(answer.status, JSON.stringify(answer.body)).toBe(201)
    return answer.body.suggestion ?? answer.body.comment
  }
  const replace = await created(
    participant.suggest({ sectionId, anchor: anchorOnWord(scope, 'shared'), replacement: 'persistent' }),
  )
  const remove = await created(
    participant.suggest({ sectionId, anchor: anchorOnWord(scope, ' virtual'), replacement: '' }),
  )
  const thread = await created(
    participant.comment({
      sectionId,
      anchor: anchorOnWord(scope, 'Technical Report'),
      body: 'Or a Recommendation?',
    }),
  )
  const reply = await created(
    editor.comment({ sectionId, replyTo: thread.id, body: 'A Technical Report for now.' }),
  )
  const section = await created(
    participant.comment({ sectionId, body: 'The whole scope needs a second look.' }),
  )
  return { ws, id, scope, sectionId, editor, created, made: { replace, remove, thread, reply, section } }
}
