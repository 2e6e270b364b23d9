/**
 * API.md "Meetings" (create, open, close, report) and docs/API.md "Meetings (details)" (list, one, agenda,
 * contributions, dispositions, action items, decisions, the meeting in progress).
 */
import { Router } from 'express'
import {
  type ApiMeeting,
  actionItemBody,
  agendaBody,
  contributionBody,
  createMeetingBody,
  dispositionBody,
  meetingLiveBody,
} from '../../../shared/api/meetings.ts'
import type { Meeting } from '../../../shared/domain/meetings.ts'
import { meetingAbilities } from '../../../shared/domain/policy.ts'
import type { User } from '../../../shared/domain/types.ts'
import type { AppContext } from '../../context.ts'
import { ValidationError } from '../../errors.ts'
import { DOCX_CONTENT_TYPE } from '../../meetings/contributionDocuments.ts'
import { meetingDecisions } from '../../meetings/decisions.ts'
import { writeMeetingReport } from '../../meetings/report/meetingReport.ts'
import { currentUser, requireUser } from '../middleware.ts'
import { receiveUpload } from '../upload.ts'
import { parseBody, routeId } from '../validation.ts'

export function meetingRoutes(ctx: AppContext): Router {
  const router = Router()
  const { meetings } = ctx
  router.use(requireUser)

  const present = (meeting: Meeting, user: User): ApiMeeting => ({
    ...meeting,
    abilities: meetingAbilities(
      user,
      meetings.standing(user, meeting.groupId, ctx.meetingRooms.presenterOf(meeting.id)),
      ctx.metadata.groupLookup,
    ),
    attachable: meeting.contributions
      .filter((c) => meetings.may(user, 'attach-document', meeting, null, c))
      .map((c) => c.id),
  })

  router.get('/', (req, res) => {
    const user = currentUser(req)
    const groupId = req.query.groupId
    if (groupId !== undefined && typeof groupId !== 'string') throw new ValidationError('groupId: one id.')
    res.json({ meetings: meetings.listVisible(user, groupId).map((m) => present(m, user)) })
  })

  // The meeting in progress on a deliverable (the editor asks it once, then follows the live connection).
  router.get('/live', (req, res) => {
    const deliverable = ctx.deliverables.visible(currentUser(req), routeId(req.query.deliverableId as string))
    res.json({ state: ctx.meetingRooms.stateForDeliverable(deliverable.id) })
  })

  router.post('/', async (req, res) => {
    const user = currentUser(req)
    const meeting = await meetings.create(user, parseBody(createMeetingBody, req.body))
    res.status(201).json({ meeting: present(meeting, user) })
  })

  router.get('/:id', (req, res) => {
    const user = currentUser(req)
    res.json({ meeting: present(meetings.visible(user, routeId(req.params.id)), user) })
  })

  router.post('/:id/open', async (req, res) => {
    const user = currentUser(req)
    res.json({ meeting: present(await meetings.open(user, routeId(req.params.id)), user) })
  })

  router.post('/:id/close', async (req, res) => {
    const user = currentUser(req)
    res.json({ meeting: present(await meetings.close(user, routeId(req.params.id)), user) })
  })

  router.put('/:id/agenda', async (req, res) => {
    const user = currentUser(req)
    const body = parseBody(agendaBody, req.body)
    res.json({ meeting: present(await meetings.setAgenda(user, routeId(req.params.id), body), user) })
  })

  router.post('/:id/contributions', async (req, res) => {
    const user = currentUser(req)
    const body = parseBody(contributionBody, req.body)
    const meeting = await meetings.registerContribution(user, routeId(req.params.id), body)
    res.status(201).json({ meeting: present(meeting, user), contribution: meeting.contributions.at(-1) })
  })

  router.post('/:id/contributions/:contributionId/disposition', async (req, res) => {
    const user = currentUser(req)
    const body = parseBody(dispositionBody, req.body)
    const id = routeId(req.params.id)
    const meeting = await meetings.recordDisposition(user, id, routeId(req.params.contributionId), body)
    res.json({ meeting: present(meeting, user) })
  })

  // A contribution's Word file (multipart form, field `file`): checked before it is kept, served as uploaded.
  router.put('/:id/contributions/:contributionId/document', async (req, res) => {
    const user = currentUser(req)
    const id = routeId(req.params.id)
    const contributionId = routeId(req.params.contributionId)
    // Refused before a byte of the file is read.
    ctx.contributionDocuments.mayAttach(user, id, contributionId)
    const upload = await receiveUpload(req, res, 'the field file (the .docx)')
    if (!upload) return
    const meeting = await ctx.contributionDocuments.attach(user, id, contributionId, {
      bytes: upload.file,
      fileName: upload.fileName,
    })
    res.json({
      meeting: present(meeting, user),
      contribution: meeting.contributions.find((c) => c.id === contributionId),
    })
  })

  router.get('/:id/contributions/:contributionId/document', async (req, res) => {
    const user = currentUser(req)
    const id = routeId(req.params.id)
    const file = await ctx.contributionDocuments.read(user, id, routeId(req.params.contributionId))
    res.setHeader('Content-Type', DOCX_CONTENT_TYPE)
    res.setHeader('Content-Disposition', attachment(file.fileName))
    res.send(Buffer.from(file.bytes))
  })

  router.post('/:id/action-items', async (req, res) => {
    const user = currentUser(req)
    const meeting = await meetings.addActionItem(
      user,
      routeId(req.params.id),
      parseBody(actionItemBody, req.body),
    )
    res.status(201).json({ meeting: present(meeting, user), actionItem: meeting.actionItems.at(-1) })
  })

  router.get('/:id/decisions', async (req, res) => {
    const meeting = meetings.visible(currentUser(req), routeId(req.params.id))
    res.json({ decisions: await meetingDecisions(meeting, ctx) })
  })

  router.get('/:id/live', (req, res) => {
    const meeting = meetings.visible(currentUser(req), routeId(req.params.id))
    res.json({ state: ctx.meetingRooms.state(meeting.id) })
  })

  router.post('/:id/live', async (req, res) => {
    const user = currentUser(req)
    const meeting = meetings.visible(user, routeId(req.params.id))
    const { action } = parseBody(meetingLiveBody, req.body)
    res.json({ state: await ctx.meetingRooms.apply(meeting.id, user, action) })
  })

  router.get('/:id/report', async (req, res) => {
    const meeting = meetings.visible(currentUser(req), routeId(req.params.id))
    const format = req.query.format ?? 'md'
    if (format !== 'md' && format !== 'docx') throw new ValidationError('format: one of docx, md.')
    const report = await writeMeetingReport(meeting, format, ctx)
    res.setHeader('Content-Type', report.contentType)
    res.setHeader('Content-Disposition', `attachment; filename="${report.fileName}"`)
    res.send(report.body)
  })

  return router
}

/** `Content-Disposition` for a user's file name: an ASCII fallback and the name itself (RFC 6266). */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}
