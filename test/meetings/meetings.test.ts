/**
 * API.md "Meetings" and docs/API.md "Meetings (details)": meetings, their agenda, contributions, dispositions,
 * action items and decisions, against a real server. Who may do what is one table below, asked of every route.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import {
  buildWorkspace,
  createDeliverable,
  createGroup,
  createUser,
  setGroupRole,
} from '../support/factories.ts'
import { startTestServer } from '../support/testServer.ts'
import { agreeSection, MEETING, meetingOn, serverWithWorkspace } from './support.ts'

const shared = serverWithWorkspace()

type Who = 'admin' | 'chair' | 'fgChair' | 'editor' | 'participant' | 'observer' | 'outsider'
const EVERYONE: Who[] = ['admin', 'chair', 'fgChair', 'editor', 'participant', 'observer', 'outsider']

/**
 * One row per route: who succeeds (any other role gets 403, or 404 when it may not even see the meeting). The
 * chair chairs the working group; fgChair chairs its parent focus group.
 */
const TABLE: { route: string; allowed: Who[]; call: (ctx: Ctx, who: Who) => Promise<{ status: number }> }[] =
  [
    {
      route: 'POST /api/meetings',
      allowed: ['admin', 'chair', 'fgChair'],
      call: (ctx, who) => ctx.as(who).post('/api/meetings', { ...MEETING, groupId: ctx.ws.wg.id }),
    },
    {
      route: 'GET /api/meetings/:id',
      allowed: ['admin', 'chair', 'fgChair', 'editor', 'participant', 'observer'],
      call: (ctx, who) => ctx.as(who).get(`/api/meetings/${ctx.meetingId}`),
    },
    {
      route: 'PUT /api/meetings/:id/agenda',
      allowed: ['admin', 'chair', 'fgChair'],
      call: (ctx, who) =>
        ctx.as(who).put(`/api/meetings/${ctx.meetingId}/agenda`, { items: [{ title: 'Opening' }] }),
    },
    {
      route: 'POST /api/meetings/:id/contributions',
      allowed: ['admin', 'chair', 'fgChair', 'editor', 'participant'],
      call: (ctx, who) =>
        ctx.as(who).post(`/api/meetings/${ctx.meetingId}/contributions`, {
          number: `FGMV-I-${100 + ctx.next()}`,
          title: 'Proposed changes to clause 6',
          sources: ['ETRI'],
        }),
    },
    {
      route: 'POST /api/meetings/:id/action-items',
      allowed: ['admin', 'chair', 'fgChair'],
      call: (ctx, who) =>
        ctx
          .as(who)
          .post(`/api/meetings/${ctx.meetingId}/action-items`, { text: 'Align 3.2', owner: 'Editors' }),
    },
    {
      route: 'GET /api/meetings/:id/report?format=md',
      allowed: ['admin', 'chair', 'fgChair', 'editor', 'participant', 'observer'],
      call: (ctx, who) => ctx.as(who).get(`/api/meetings/${ctx.meetingId}/report?format=md`),
    },
  ]

interface Ctx {
  ws: Awaited<ReturnType<typeof meetingOn>>
  meetingId: string
  as(who: Who): Awaited<ReturnType<typeof meetingOn>>['admin']['api']
  next(): number
}

describe('who may do what', async () => {
  let ctx: Ctx
  beforeAll(async () => {
    const ws = await meetingOn(shared.base)
    const fgChair = await createUser(shared.server, ws.admin, { name: 'Fiona FG Chair' })
    await setGroupRole(ws.admin, ws.fg.id, fgChair.user.id, 'chair')
    let n = 0
    const sessions = { ...ws, fgChair }
    ctx = { ws, meetingId: ws.meetingId, as: (who) => sessions[who].api, next: () => n++ }
  })

  for (const row of TABLE)
    test(`${row.route}: ${row.allowed.join(', ')}`, async () => {
      for (const who of EVERYONE) {
        const { status } = await row.call(ctx, who)
        if (row.allowed.includes(who)) expect(status, `${who}`).toBeLessThan(300)
        else expect([403, 404], `${who} got ${status}`).toContain(status)
      }
    })

  test('open and close: chairs and administrators; others change nothing', async () => {
    for (const who of ['editor', 'participant', 'observer'] as const)
      expect((await ctx.as(who).post(`/api/meetings/${ctx.meetingId}/open`)).status).toBe(403)
    expect((await ctx.as('outsider').post(`/api/meetings/${ctx.meetingId}/open`)).status).toBe(404)
    expect((await ctx.as('admin').get(`/api/meetings/${ctx.meetingId}`)).body.meeting.status).toBe(
      'scheduled',
    )
    const opened = await ctx.as('fgChair').post(`/api/meetings/${ctx.meetingId}/open`)
    expect(opened.status).toBe(200)
    expect(opened.body.meeting.status).toBe('open')
    expect((await ctx.as('chair').post(`/api/meetings/${ctx.meetingId}/open`)).status).toBe(409)
    expect((await ctx.as('participant').post(`/api/meetings/${ctx.meetingId}/close`)).status).toBe(403)
    const closed = await ctx.as('chair').post(`/api/meetings/${ctx.meetingId}/close`)
    expect(closed.status).toBe(200)
    expect(closed.body.meeting.status).toBe('closed')
  })
})

describe('bad input is refused with a clear message and changes nothing', () => {
  test.each([
    [{ title: 'x', start: 'tomorrow', end: '2026-03-09T17:00:00Z' }, 'start'],
    [{ title: 'x', start: '2026-03-09T17:00:00Z', end: '2026-03-08T09:00:00Z' }, 'end: must be after start'],
    [
      { title: 'x', start: '2026-03-08T09:00:00Z', end: '2026-03-09T17:00:00Z', timeZone: 'Mars/Olympus' },
      'timeZone',
    ],
    [{ title: '', start: '2026-03-08T09:00:00Z', end: '2026-03-09T17:00:00Z' }, 'title'],
  ])('create %j', async (body, message) => {
    const ws = await meetingOn(shared.base)
    const before = (await ws.chair.api.get(`/api/meetings?groupId=${ws.wg.id}`)).body.meetings.length
    const response = await ws.chair.api.post('/api/meetings', { ...body, groupId: ws.wg.id })
    expect(response.status).toBe(400)
    expect(response.body.error.message).toContain(message)
    expect((await ws.chair.api.get(`/api/meetings?groupId=${ws.wg.id}`)).body.meetings.length).toBe(before)
  })

  test('a deliverable of another group cannot be treated', async () => {
    const ws = await meetingOn(shared.base)
    const otherGroup = await createGroup(ws.admin, 'WG2', ws.fg.id)
    const other = await createDeliverable(ws.admin, otherGroup.id)
    const response = await ws.admin.api.post('/api/meetings', {
      ...MEETING,
      groupId: ws.wg.id,
      deliverableIds: [other.id],
    })
    expect(response.status).toBe(400)
  })
})

describe('a meeting and its record', () => {
  test('is created with its data, numbered per group, remote without a place, listed per group', async () => {
    const wg = await createGroup(shared.base.admin, 'WG3', shared.base.fg.id)
    await setGroupRole(shared.base.admin, wg.id, shared.base.chair.user.id, 'chair')
    await setGroupRole(shared.base.admin, wg.id, shared.base.participant.user.id, 'member')
    const first = await shared.base.chair.api.post('/api/meetings', { ...MEETING, groupId: wg.id })
    expect(first.body.meeting).toMatchObject({
      number: 1,
      place: 'Riyadh',
      timeZone: 'Asia/Riyadh',
      status: 'scheduled',
    })
    const second = await shared.base.chair.api.post('/api/meetings', {
      title: 'Fourth meeting (e-meeting)',
      start: '2026-05-01T13:00:00Z',
      end: '2026-05-01T16:00:00Z',
      groupId: wg.id,
    })
    expect(second.status).toBe(201)
    expect(second.body.meeting).toMatchObject({ number: 2, place: null, timeZone: 'UTC', deliverableIds: [] })
    const list = await shared.base.participant.api.get(`/api/meetings?groupId=${wg.id}`)
    expect(list.body.meetings.map((m: { title: string }) => m.title)).toEqual([
      'Third meeting',
      'Fourth meeting (e-meeting)',
    ])
    expect(list.body.meetings[0].abilities).toMatchObject({ view: true, open: false, 'request-floor': true })
    expect((await shared.base.outsider.api.get(`/api/meetings?groupId=${wg.id}`)).body.meetings).toEqual([])
  })

  test('agenda, contributions with dispositions, action items, unique contribution numbers', async () => {
    const ws = await meetingOn(shared.base)
    const url = `/api/meetings/${ws.meetingId}`
    const clause6 = ws.sections.find((s) => s.number === '6') ?? ws.sections[5]!
    const contribution = await ws.editor.api.post(`${url}/contributions`, {
      number: 'fgmv-i-012',
      title: 'Proposed text for the architecture',
      sources: ['ETRI', 'KT'],
      targets: [{ deliverableId: ws.deliverable.id, sectionId: clause6.id }],
    })
    expect(contribution.status, JSON.stringify(contribution.body)).toBe(201)
    expect(contribution.body.contribution).toMatchObject({
      number: 'FGMV-I-012',
      presenterId: ws.editor.user.id,
      disposition: null,
    })
    const duplicate = await ws.participant.api.post(`${url}/contributions`, {
      number: 'FGMV-I-12',
      title: 'Same number',
      sources: ['Huawei'],
    })
    expect(duplicate.status).toBe(409)
    expect(
      (await ws.participant.api.post(`${url}/contributions`, { number: '12', title: 't', sources: ['X'] }))
        .status,
    ).toBe(400)
    const contributionId = contribution.body.contribution.id

    const agenda = await ws.chair.api.put(`${url}/agenda`, {
      items: [
        { title: 'Opening of the meeting', timeboxMinutes: 10 },
        {
          title: 'Architecture',
          clauses: [{ deliverableId: ws.deliverable.id, sectionId: clause6.id }],
          contributionIds: [contributionId],
        },
      ],
    })
    expect(agenda.status, JSON.stringify(agenda.body)).toBe(200)
    expect(agenda.body.meeting.agenda.map((i: { title: string }) => i.title)).toEqual([
      'Opening of the meeting',
      'Architecture',
    ])

    const disposition = (body: object) =>
      ws.chair.api.post(`${url}/contributions/${contributionId}/disposition`, body)
    expect((await disposition({ disposition: 'withdrawn' })).status).toBe(400)
    expect(
      (
        await ws.editor.api.post(`${url}/contributions/${contributionId}/disposition`, {
          disposition: 'noted',
        })
      ).status,
    ).toBe(403)
    const agreed = await disposition({ disposition: 'agreed-with-modifications', note: 'NOTE 2 removed' })
    expect(agreed.status).toBe(200)
    expect(agreed.body.meeting.contributions[0].disposition).toMatchObject({
      kind: 'agreed-with-modifications',
      note: 'NOTE 2 removed',
      userId: ws.chair.user.id,
    })

    const action = await ws.chair.api.post(`${url}/action-items`, {
      text: 'Editors to align 3.2 with Y.3090',
      ownerId: ws.editor.user.id,
    })
    expect(action.status).toBe(201)
    expect(action.body.actionItem).toMatchObject({ ownerName: 'Eve Editor' })
  })

  test('the meeting is durable: it is read back after a restart', async () => {
    const own = await startTestServer()
    const ws = await meetingOn(await buildWorkspace(own))
    await ws.chair.api.post(`/api/meetings/${ws.meetingId}/open`)
    await own.stop({ keepData: true })
    const again = await startTestServer({ dataDir: own.dataDir })
    try {
      const response = await fetch(`${again.url}/api/meetings/${ws.meetingId}`, {
        headers: { cookie: ws.chair.cookie },
      })
      expect((await response.json()).meeting).toMatchObject({ title: 'Third meeting', status: 'open' })
    } finally {
      await again.stop()
    }
  })

  test('decisions taken while open are listed in order with hash and contributions; attendance is kept', async () => {
    const ws = await meetingOn(shared.base)
    const url = `/api/meetings/${ws.meetingId}`
    const [first, second] = [ws.sections[0]!, ws.sections[1]!]
    await ws.editor.api.post(`${url}/contributions`, {
      number: 'FGMV-I-077',
      title: 'Scope',
      sources: ['ETRI'],
      targets: [{ deliverableId: ws.deliverable.id, sectionId: first.id }],
    })
    await agreeSection(ws, second.id) // before the meeting: not its decision
    expect((await ws.chair.api.post(`${url}/open`)).status).toBe(200)
    const agreed = await agreeSection(ws, first.id, 'Agreed as amended')
    const decisions = (await ws.observer.api.get(`${url}/decisions`)).body.decisions
    expect(decisions.map((d: { action: string; sectionId: string }) => [d.action, d.sectionId])).toEqual([
      ['propose', first.id],
      ['agree', first.id],
    ])
    expect(decisions[1]).toMatchObject({
      number: first.number,
      title: first.title,
      note: 'Agreed as amended',
      hash12: agreed.hash.replace('sha256-', '').slice(0, 12),
      contributions: [{ number: 'FGMV-I-077' }],
    })
    expect(decisions[1].hash12).toMatch(/^[0-9a-f]{12}$/)
    const closed = await ws.chair.api.post(`${url}/close`)
    // The deliverable keeps a named version of what the meeting left.
    await expect
      .poll(async () =>
        (await ws.observer.api.get(`/api/deliverables/${ws.deliverable.id}/versions`)).body.versions?.map(
          (v: { name: string }) => v.name,
        ),
      )
      .toContain('Output of Third meeting')
    expect(
      closed.body.meeting.outputs[0].clauses.find((c: { sectionId: string }) => c.sectionId === first.id),
    ).toMatchObject({
      status: 'agreed',
      hash: agreed.hash,
    })
  })
})
