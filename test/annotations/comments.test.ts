/**
 * Comments (API.md "Comments and suggestions"): threads anchored to text or to a whole section, replies, edits and
 * deletions by their author, resolve and reopen, mentions of those who may see the deliverable; allowed on agreed
 * sections (they change no text); a thread outlives the text it was on and says so.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import type * as Y from 'yjs'
import { must, newDeliverable, sectionByTitle } from '../consensus/support.ts'
import { connectClient, type LiveClient, waitFor } from '../support/syncClients.ts'
import { workspaceServerForFile } from '../support/workspaceServer.ts'
import { anchorOnWord, annotationsOf, writeParagraph } from './support.ts'

const SCOPE = 'The focus group studies interoperable avatars and persistent worlds.'

const fixture = workspaceServerForFile()
let editorClient: LiveClient
let id: string
let scope: Y.XmlText
let sectionId: string

beforeAll(async () => {
  const { server, ws } = fixture
  id = (await newDeliverable(ws)).id
  editorClient = connectClient(server, id, ws.editor.cookie, { accord: true })
  await editorClient.synced()
  scope = await writeParagraph(editorClient, server, id, 'Scope', SCOPE)
  sectionId = (await sectionByTitle(ws.chair, id, 'Scope')).id
})
afterAll(() => editorClient?.destroy())

test('a participant comments on words, others reply; the thread reads in order with its quote', async () => {
  const participant = annotationsOf(fixture.ws.participant, id)
  const made = await participant.comment({
    sectionId,
    anchor: anchorOnWord(scope, 'interoperable avatars'),
    body: '@Eve should this cite Y.3090?',
    mentions: [fixture.ws.editor.user.id, fixture.ws.outsider.user.id],
  })
  expect(made.status, JSON.stringify(made.body)).toBe(201)
  expect(made.body.comment).toMatchObject({
    sectionId,
    quote: 'interoperable avatars',
    authorId: fixture.ws.participant.user.id,
    resolved: false,
    replyTo: null,
    removed: false,
    // Only those who may see the deliverable are mentioned; the outsider is dropped.
    mentions: [fixture.ws.editor.user.id],
  })
  const reply = await annotationsOf(fixture.ws.editor, id).comment({
    sectionId,
    body: 'Yes.',
    replyTo: made.body.comment.id,
  })
  expect(reply.status).toBe(201)
  const replyToReply = await participant.comment({
    sectionId,
    body: 'Thanks',
    replyTo: reply.body.comment.id,
  })
  // A reply to a reply joins the thread.
  expect(replyToReply.body.comment.replyTo).toBe(made.body.comment.id)
  const all = await annotationsOf(fixture.ws.observer, id).comments()
  expect(all.map((c) => c.body)).toEqual(['@Eve should this cite Y.3090?', 'Yes.', 'Thanks'])
  await waitFor(
    () => editorClient.messages.filter((m) => m.type === 'annotations' && m.comments.length > 0).length >= 3,
    'three comments pushed live',
  )
})

test('observers read but do not comment; whole-section comments need no anchor', async () => {
  expect((await annotationsOf(fixture.ws.observer, id).comment({ sectionId, body: 'hello' })).status).toBe(
    403,
  )
  const whole = await annotationsOf(fixture.ws.participant, id).comment({
    sectionId,
    body: 'General remark.',
  })
  expect(whole.status).toBe(201)
  expect(whole.body.comment).toMatchObject({ anchor: null, quote: '' })
  const bad = await annotationsOf(fixture.ws.participant, id).comment({ sectionId, body: '   ' })
  expect(bad.status).toBe(400)
})

test('only the author edits or deletes a message; a deleted message keeps its place', async () => {
  const participant = annotationsOf(fixture.ws.participant, id)
  const made = await participant.comment({ sectionId, body: 'Typo: avatar' })
  const commentId = made.body.comment.id
  expect((await annotationsOf(fixture.ws.editor, id).edit(commentId, { body: 'hijacked' })).status).toBe(403)
  expect((await annotationsOf(fixture.ws.chair, id).remove(commentId)).status).toBe(403)
  const edited = await participant.edit(commentId, { body: 'Typo: avatars' })
  expect(edited.body.comment).toMatchObject({ body: 'Typo: avatars' })
  expect(edited.body.comment.editedAt).not.toBeNull()
  const deleted = await participant.remove(commentId)
  expect(deleted.body.comment).toMatchObject({ deleted: true, body: '' })
  expect((await participant.edit(commentId, { body: 'again' })).status).toBe(409)
  expect((await participant.comments()).find((c) => c.id === commentId)).toMatchObject({ deleted: true })
})

test('threads resolve and reopen, by their author or an editor; not a reply', async () => {
  const participant = annotationsOf(fixture.ws.participant, id)
  const root = (await participant.comment({ sectionId, body: 'Please define "world".' })).body.comment
  const reply = (
    await annotationsOf(fixture.ws.editor2, id).comment({ sectionId, body: 'Done', replyTo: root.id })
  ).body.comment
  expect((await annotationsOf(fixture.ws.editor, id).resolve(reply.id, 'resolve')).status).toBe(409)
  const otherParticipantThread = (
    await annotationsOf(fixture.ws.editor2, id).comment({ sectionId, body: 'x' })
  ).body.comment
  expect((await participant.resolve(otherParticipantThread.id, 'resolve')).status).toBe(403)
  expect((await participant.resolve(root.id, 'resolve')).body.comment.resolved).toBe(true)
  expect((await participant.resolve(root.id, 'resolve')).status).toBe(409)
  expect((await annotationsOf(fixture.ws.editor, id).resolve(root.id, 'reopen')).body.comment.resolved).toBe(
    false,
  )
})

test('comments are allowed on an agreed section', async () => {
  const references = (await sectionByTitle(fixture.ws.chair, id, 'References')).id
  await must(fixture.ws.chair, id, references, { action: 'propose' })
  await must(fixture.ws.chair, id, references, { action: 'agree' })
  expect(
    (await annotationsOf(fixture.ws.participant, id).comment({ sectionId: references, body: 'Fine.' }))
      .status,
  ).toBe(201)
})

test('when its text is deleted the thread stays and says so', async () => {
  const made = await annotationsOf(fixture.ws.participant, id).comment({
    sectionId,
    anchor: anchorOnWord(scope, 'persistent worlds'),
    body: 'Is this in scope?',
  })
  const start = scope.toString().indexOf('and persistent worlds')
  scope.delete(start, 'and persistent worlds'.length)
  await waitFor(
    () => !fixture.server.accord!.ctx.hub.loaded(id)!.body.toString().includes('persistent'),
    'the deletion to reach the server',
  )
  const after = (await annotationsOf(fixture.ws.observer, id).comments()).find(
    (c) => c.id === made.body.comment.id,
  )
  expect(after).toMatchObject({ removed: true, quote: 'persistent worlds', body: 'Is this in scope?' })
})

test('mentions, replies to one’s threads and decisions on one’s suggestions appear in "For me" until read', async () => {
  const { ws } = fixture
  const forMe = async (session: typeof ws.participant) => {
    const response = await session.api.get(`/api/deliverables/${id}/for-me`)
    expect(response.status).toBe(200)
    return response.body.items as { kind: string; by: string; unread: boolean }[]
  }
  const before = (await forMe(ws.editor2)).length
  const thread = await annotationsOf(ws.editor2, id).comment({ sectionId, body: 'Who owns 7?' })
  await annotationsOf(ws.participant, id).comment({
    sectionId,
    body: 'I do',
    replyTo: thread.body.comment.id,
  })
  await annotationsOf(ws.participant, id).comment({ sectionId, body: 'cc', mentions: [ws.editor2.user.id] })
  await annotationsOf(ws.editor2, id).comment({ sectionId, body: 'noted', replyTo: thread.body.comment.id })
  const items = await forMe(ws.editor2)
  // Their own reply is not news to them.
  expect(items.slice(0, items.length - before).map((i) => [i.kind, i.by, i.unread])).toEqual([
    ['mention', ws.participant.user.id, true],
    ['reply', ws.participant.user.id, true],
  ])
  const read = await ws.editor2.api.post(`/api/deliverables/${id}/for-me/read`, {})
  expect(read.body.items.every((i: { unread: boolean }) => !i.unread)).toBe(true)
  expect((await forMe(ws.editor2)).every((i) => !i.unread)).toBe(true)

  const suggestion = await annotationsOf(ws.participant, id).suggest({
    sectionId,
    anchor: anchorOnWord(scope, 'avatars'),
    replacement: 'digital humans',
  })
  await annotationsOf(ws.editor, id).decide(suggestion.body.suggestion.id, 'reject')
  const participantItems = await forMe(ws.participant)
  expect(participantItems[0]).toMatchObject({ kind: 'decision', by: ws.editor.user.id, unread: true })
})

test('the mention picker offers exactly those who may see the deliverable, to those who may comment', async () => {
  const { ws } = fixture
  const answer = await ws.participant.api.get(`/api/deliverables/${id}/mentionable`)
  expect(answer.status).toBe(200)
  const ids = answer.body.users.map((u: { id: string }) => u.id)
  for (const member of [ws.editor, ws.editor2, ws.participant, ws.observer, ws.chair])
    expect(ids).toContain(member.user.id)
  expect(ids).not.toContain(ws.outsider.user.id)
  expect(Object.keys(answer.body.users[0]).sort()).toEqual(['id', 'name', 'organization'])
  expect((await ws.observer.api.get(`/api/deliverables/${id}/mentionable`)).status).toBe(403)
  expect((await ws.outsider.api.get(`/api/deliverables/${id}/mentionable`)).status).toBe(404)
})

test('the lists answer 304 to a client that holds them unchanged, whatever its Cache-Control, and 200 once changed', async () => {
  const { server, ws } = fixture
  for (const list of ['comments', 'suggestions'] as const) {
    const url = `${server.url}/api/deliverables/${id}/${list}`
    const ask = (headers: Record<string, string> = {}) =>
      fetch(url, { cache: 'no-store', headers: { cookie: ws.participant.cookie, ...headers } })
    const first = await ask()
    expect(first.status).toBe(200)
    const tag = first.headers.get('etag')
    expect(tag).toMatch(/^W\/".+"$/)
    await first.text()
    // A fetch with its own If-None-Match also says `Cache-Control: no-cache` (the Fetch standard adds it).
    const unchanged = await ask({ 'If-None-Match': `W/"other", ${tag}`, 'Cache-Control': 'no-cache' })
    expect(unchanged.status).toBe(304)
    expect(await unchanged.text()).toBe('')
    expect((await ask({ 'If-None-Match': 'W/"other"' })).status).toBe(200)

    const participant = annotationsOf(ws.participant, id)
    const made =
      list === 'comments'
        ? await participant.comment({ sectionId, body: 'A new comment changes the list.' })
        : await participant.suggest({
            sectionId,
            anchor: anchorOnWord(scope, 'focus group'),
            replacement: 'group',
          })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const changed = await ask({ 'If-None-Match': tag! })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).not.toBe(tag)
    const body = (await changed.json()) as Record<string, { id: string }[]>
    expect(body[list]!.map((item) => item.id)).toContain(
      list === 'comments' ? made.body.comment.id : made.body.suggestion.id,
    )
  }
})
