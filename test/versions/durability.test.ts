/**
 * Versions are durable files under the deliverable's data folder: they survive a restart of the server, a
 * damaged file is refused with a message naming it and left byte for byte as it was, and the other versions stay
 * usable. When every clause becomes agreed, the product saves a version by itself.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { agree, sections, type Workspace } from '../consensus/support.ts'
import { MEETING, meetingOn } from '../meetings/support.ts'
import { buildWorkspace, login, type Session } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { compare, listVersions, saveVersion } from './support.ts'

let server: TestServer | null = null
afterEach(async () => {
  await server?.stop()
  server = null
})

const versionFile = (dataDir: string, deliverableId: string, versionId: string) =>
  path.join(dataDir, 'docs', deliverableId, 'versions', `${versionId}.version`)

/** Stops the server and starts another on the same data; answers the editor logged in again. */
async function restart(old: TestServer, ws: Workspace, between?: () => Promise<void>): Promise<Session> {
  await old.stop({ keepData: true })
  await between?.()
  server = await startTestServer({ dataDir: old.dataDir })
  return login(server, ws.editor.user.email, ws.editor.password)
}

test('saved versions survive a restart: listed, readable and comparable as before', async () => {
  server = await startTestServer()
  const ws = await buildWorkspace(server)
  const id = ws.deliverable.id
  const first = await saveVersion(ws.editor, id, 'First')
  const second = await saveVersion(ws.chair, id, 'Second')
  const clausesBefore = (await ws.editor.api.get(`/api/deliverables/${id}/versions/${first.id}`)).body.version
    .clauses

  const editor = await restart(server, ws)
  expect((await listVersions(editor, id)).map((v) => v.name)).toEqual(['Second', 'First'])
  const read = await editor.api.get(`/api/deliverables/${id}/versions/${first.id}`)
  expect(read.status).toBe(200)
  expect(read.body.version.clauses).toEqual(clausesBefore)
  expect((await compare(editor, id, first.id, second.id)).summary.clausesChanged).toBe(0)
  // Numbering goes on after the restart: the next version is the newest.
  await saveVersion(editor, id, 'Third')
  expect((await listVersions(editor, id)).map((v) => v.name)).toEqual(['Third', 'Second', 'First'])
})

test('a damaged version file is refused with a message naming it, left unchanged, and the rest still works', async () => {
  server = await startTestServer()
  const ws = await buildWorkspace(server)
  const id = ws.deliverable.id
  const intact = await saveVersion(ws.editor, id, 'Intact')
  const damaged = await saveVersion(ws.editor, id, 'Damaged')
  const file = versionFile(server.dataDir, id, damaged.id)
  let bytes: Uint8Array = new Uint8Array()

  const editor = await restart(server, ws, async () => {
    bytes = new Uint8Array(await readFile(file))
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff
    await writeFile(file, bytes)
  })
  const list = await editor.api.get(`/api/deliverables/${id}/versions`)
  expect(list.status).toBe(200)
  expect(list.body.versions.map((v: { name: string }) => v.name)).toEqual(['Intact'])
  expect(list.body.unreadable).toEqual([{ id: damaged.id, message: expect.stringContaining(file) }])

  for (const response of [
    await editor.api.get(`/api/deliverables/${id}/versions/${damaged.id}`),
    await editor.api.get(`/api/deliverables/${id}/compare?from=${damaged.id}&to=now`),
    await editor.api.post(`/api/deliverables/${id}/versions/${damaged.id}/restore`),
  ]) {
    expect(response.status).toBe(503)
    expect(response.body.error.code).toBe('storage_unavailable')
    expect(response.body.error.message).toContain(`Corrupt data in ${file}`)
    expect(response.body.error.message).toContain('checksum mismatch')
  }
  expect(new Uint8Array(await readFile(file))).toEqual(bytes)
  expect((await compare(editor, id, intact.id)).summary.clausesChanged).toBe(0)
  await saveVersion(editor, id, 'After the damage')
  expect(new Uint8Array(await readFile(file))).toEqual(bytes)
})

test('when every clause becomes agreed, the product saves a version by itself', async () => {
  server = await startTestServer()
  const ws = await buildWorkspace(server, 'terms')
  const id = ws.deliverable.id
  const all = await sections(ws.chair, id)
  for (const section of all.slice(0, -1)) await agree(ws, id, section.id)
  expect(await listVersions(ws.editor, id)).toEqual([])
  await agree(ws, id, all.at(-1)!.id)
  const [automatic] = await listVersions(ws.editor, id)
  expect(automatic).toMatchObject({ name: 'Every clause agreed', origin: 'all-agreed', createdBy: null })
  const saved = (await ws.editor.api.get(`/api/deliverables/${id}/versions/${automatic!.id}`)).body.version
  expect(saved.clauses.every((c: { status: string }) => c.status === 'agreed')).toBe(true)
  expect(saved.clauses.map((c: { hash: string }) => c.hash)).toEqual(
    (await sections(ws.editor, id)).map((s) => s.hash),
  )
})

test('the version a closing meeting leaves behind is written before the server has stopped', async () => {
  server = await startTestServer()
  const ws = await meetingOn(await buildWorkspace(server))
  const id = ws.deliverable.id
  expect((await ws.chair.api.post(`/api/meetings/${ws.meetingId}/open`)).status).toBe(200)
  expect((await ws.chair.api.post(`/api/meetings/${ws.meetingId}/close`)).status).toBe(200)
  // No waiting: the meeting's output version is being written in the background as the stop begins.
  const dataDir = server.dataDir
  await server.stop({ keepData: true })
  const files = await readdir(path.join(dataDir, 'docs', id, 'versions'))
  expect(files.filter((f) => f.endsWith('.version'))).toHaveLength(1)
  server = await startTestServer({ dataDir })
  const editor = await login(server, ws.editor.user.email, ws.editor.password)
  expect((await listVersions(editor, id)).map((v) => [v.name, v.origin])).toEqual([
    [`Output of ${MEETING.title}`, 'meeting-closed'],
  ])
})
