/**
 * The meeting in progress is durable before a command is answered: while its file cannot be written, a command is
 * refused (503 over HTTP, `meeting-refused` on the socket) and taken back for anyone who heard of it (pushed at
 * once, the previous state is pushed again); once the disk works the same command is taken, and it survives a
 * power cut that drops every byte not fsync'd.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { MeetingLiveState } from '../../shared/domain/meetingsLive.ts'
import { encodeAccordFrame } from '../../shared/protocol/accordCodec.ts'
import { buildWorkspace } from '../support/factories.ts'
import { request } from '../support/http.ts'
import { PowerCutDisk } from '../support/powerCutFileSystem.ts'
import { connectClient, waitFor } from '../support/syncClients.ts'
import { ON_FILES, startTestServer, type TestServer } from '../support/testServer.ts'
import { meetingOn } from './support.ts'

// The FileSystem seam fails and power-cuts the file backend; PostgreSQL's refused writes are tested in
// test/storage/postgresStores.test.ts, and what the room does with a refused write is the same on both.
describe.skipIf(!ON_FILES)('the meeting file cannot be written', () => {
  let dataDir: string
  let disk: PowerCutDisk
  let server: TestServer
  let m: Awaited<ReturnType<typeof meetingOn>>

  const start = () => startTestServer({ dataDir, fileSystem: disk.fileSystem() })

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'accord-meeting-faults-'))
    const setup = await startTestServer({ dataDir })
    m = await meetingOn(await buildWorkspace(setup))
    expect((await m.chair.api.post(`/api/meetings/${m.meetingId}/open`)).status).toBe(200)
    await setup.stop({ keepData: true })
    disk = await PowerCutDisk.create(dataDir)
    server = await start()
  })
  afterAll(async () => {
    await server?.stop({ keepData: true }).catch(() => undefined)
    await rm(dataDir, { recursive: true, force: true })
  })

  const live = () => `/api/meetings/${m.meetingId}/live`
  const state = async () =>
    (await request(server.url, 'GET', live(), undefined, { cookie: m.chair.cookie })).body
      .state as MeetingLiveState
  const command = (cookie: string, action: Record<string, unknown>) =>
    request(server.url, 'POST', live(), { action }, { cookie })

  test('refused while the meeting file cannot be written; taken once it can; durable across a power cut', async () => {
    const clause = m.sections[2]!
    const observer = connectClient(server, m.deliverable.id, m.observer.cookie, { accord: true })
    try {
      await waitFor(() => observer.messages.some((x) => x.type === 'meeting'), 'the state on hello')
      disk.failWhen((operation, file) =>
        operation === 'fsync' && file.includes(`${path.sep}meetings${path.sep}`) ? 'ENOSPC' : undefined,
      )
      const refused = await command(m.chair.cookie, {
        kind: 'discuss',
        deliverableId: m.deliverable.id,
        sectionId: clause.id,
      })
      expect(refused.status).toBe(503)
      // Over the socket too: only the sender hears why.
      const participant = connectClient(server, m.deliverable.id, m.participant.cookie, { accord: true })
      try {
        await waitFor(() => participant.messages.some((x) => x.type === 'meeting'), 'the state on hello')
        participant.provider.ws!.send(
          encodeAccordFrame({ type: 'meeting', meetingId: m.meetingId, action: { kind: 'request-floor' } }),
        )
        await waitFor(
          () =>
            participant.messages.some(
              (x) => x.type === 'meeting-refused' && /could not save/.test(x.message),
            ),
          'the refusal',
        )
      } finally {
        participant.destroy()
      }
      expect(await state()).toMatchObject({ clause: null, queue: [] })
      // The observer may have seen the move and the request; the last it heard is the state as it was.
      await waitFor(() => {
        const last = observer.messages.filter((x) => x.type === 'meeting').at(-1)
        return last?.type === 'meeting' && last.meeting?.clause === null && last.meeting.queue.length === 0
      }, 'the state taken back for the observer')

      disk.failWhen(undefined)
      const taken = await command(m.chair.cookie, {
        kind: 'discuss',
        deliverableId: m.deliverable.id,
        sectionId: clause.id,
      })
      expect(taken.status).toBe(200)
      await waitFor(
        () =>
          observer.messages.some((x) => x.type === 'meeting' && x.meeting?.clause?.sectionId === clause.id),
        'the clause reaches the observer',
      )
    } finally {
      observer.destroy()
    }
    await disk.powerCut()
    await server.stop({ keepData: true }).catch(() => undefined)
    server = await start()
    expect((await state()).clause).toEqual({ deliverableId: m.deliverable.id, sectionId: clause.id })
  })
})
