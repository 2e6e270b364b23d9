/**
 * Use cases on a group's meetings (API.md "Meetings", docs/API.md "Meetings (details)"): create, open and close
 * them, keep their agenda, contributions, dispositions, action items and attendance durable in the metadata
 * store. The policy decides who; the shared meeting rules decide when.
 */
import type {
  ActionItemBody,
  AgendaBody,
  ContributionBody,
  CreateMeetingBody,
  DispositionBody,
} from '../../shared/api/meetings.ts'
import { newId } from '../../shared/domain/ids.ts'
import {
  type Attendee,
  type Contribution,
  type ContributionDocument,
  type Meeting,
  type MeetingOutput,
  mayTransition,
  sameContributionNumber,
} from '../../shared/domain/meetings.ts'
import { type MeetingAction, type MeetingStanding, mayInMeeting } from '../../shared/domain/policy.ts'
import type { Deliverable, DeliverableRole, User } from '../../shared/domain/types.ts'
import { AuthorizationError, ConflictError, NotFoundError, ValidationError } from '../errors.ts'
import type { MetadataStore, StoredDeliverable } from '../storage/metadataStore.ts'
import type { ConsensusService } from './consensusService.ts'

const MISSING = 'No such meeting, or you are not a member of its group.'

/** What a user who sees the meeting but may not take the action hears. */
const REFUSALS: Partial<Record<MeetingAction, string>> = {
  open: 'Only chairs and administrators open a meeting.',
  close: 'Only chairs and administrators close a meeting.',
  'manage-agenda': 'Only chairs and administrators manage the agenda.',
  'register-contribution': 'Only members of the group (not observers) register contributions.',
  'record-disposition': 'Only chairs and administrators record dispositions.',
  'record-action-item': 'Only chairs and administrators record action items.',
}

export class MeetingService {
  /** Told when a meeting opens or closes (the live meeting state follows). */
  onStatusChange: (meeting: Meeting) => void = () => undefined

  constructor(
    private readonly metadata: MetadataStore,
    private readonly consensus: ConsensusService,
  ) {}

  /** The deliverables of a group and of its working groups. */
  groupDeliverables(groupId: string): StoredDeliverable[] {
    const groups = new Set(
      this.metadata.data.groups.filter((g) => g.id === groupId || g.parentId === groupId).map((g) => g.id),
    )
    return this.metadata.data.deliverables.filter((d) => groups.has(d.groupId))
  }

  /** The deliverables a meeting treats: those it names, or every deliverable of its group and working groups. */
  treated(meeting: Meeting): StoredDeliverable[] {
    const all = this.groupDeliverables(meeting.groupId)
    return meeting.deliverableIds.length === 0
      ? all
      : all.filter((d) => meeting.deliverableIds.includes(d.id))
  }

  standing(
    user: User,
    groupId: string,
    presenterId: string | null = null,
    contribution?: Contribution,
  ): MeetingStanding {
    const deliverableRoles = this.groupDeliverables(groupId)
      .map((d) => d.members[user.id])
      .filter((role): role is DeliverableRole => role !== undefined)
    return { group: this.metadata.group(groupId), deliverableRoles, presenterId, contribution }
  }

  may(
    user: User,
    action: MeetingAction,
    meeting: Meeting,
    presenterId: string | null = null,
    contribution?: Contribution,
  ): boolean {
    return mayInMeeting(
      user,
      action,
      this.standing(user, meeting.groupId, presenterId, contribution),
      this.metadata.groupLookup,
    )
  }

  /** The meeting if the user may see it; 404 otherwise (its existence is not revealed). */
  visible(user: User, id: string): Meeting {
    const meeting = this.metadata.meeting(id)
    if (!meeting || !this.may(user, 'view', meeting)) throw new NotFoundError(MISSING)
    return meeting
  }

  /** A visible meeting on which the user may take `action`; 403 when they see it but may not. */
  private allowed(user: User, id: string, action: MeetingAction): Meeting {
    const meeting = this.visible(user, id)
    if (!this.may(user, action, meeting)) throw new AuthorizationError(REFUSALS[action])
    return meeting
  }

  listVisible(user: User, groupId?: string): Meeting[] {
    return this.metadata.data.meetings
      .filter((m) => (groupId === undefined || m.groupId === groupId) && this.may(user, 'view', m))
      .sort((a, b) => a.start.localeCompare(b.start))
  }

  async create(user: User, input: CreateMeetingBody): Promise<Meeting> {
    const group = this.metadata.group(input.groupId)
    const standing = this.standing(user, input.groupId)
    if (!group || !mayInMeeting(user, 'view', standing, this.metadata.groupLookup))
      throw new NotFoundError('No such group, or you are not a member of it.')
    if (!mayInMeeting(user, 'create', standing, this.metadata.groupLookup))
      throw new AuthorizationError(
        'Only chairs of the group (or its parent) and administrators create meetings.',
      )
    const ours = new Set(this.groupDeliverables(group.id).map((d) => d.id))
    const deliverableIds = [...new Set(input.deliverableIds ?? [])]
    const stranger = deliverableIds.find((id) => !ours.has(id))
    if (stranger) throw new ValidationError(`deliverableIds: ${stranger} is not a deliverable of this group.`)
    const place = input.place?.trim() ?? ''
    return this.metadata.update((data) => {
      const meeting: Meeting = {
        id: newId(),
        groupId: group.id,
        number: data.meetings.filter((m) => m.groupId === group.id).length + 1,
        title: input.title,
        start: input.start,
        end: input.end,
        timeZone: input.timeZone ?? 'UTC',
        place: place === '' || place.toLowerCase() === 'remote' ? null : place,
        deliverableIds,
        status: 'scheduled',
        openedAt: null,
        closedAt: null,
        createdBy: user.id,
        createdAt: new Date().toISOString(),
        agenda: [],
        contributions: [],
        actionItems: [],
        attendance: [],
        outputs: [],
      }
      data.meetings.push(meeting)
      return meeting
    })
  }

  async open(user: User, id: string): Promise<Meeting> {
    const meeting = this.allowed(user, id, 'open')
    if (!mayTransition(meeting.status, 'open'))
      throw new ConflictError(`The meeting is ${meeting.status}; only a scheduled meeting can be opened.`)
    const clash = this.openMeetingsFor(this.treated(meeting)).find((m) => m.id !== meeting.id)
    if (clash) throw new ConflictError(`"${clash.title}" is open on the same deliverables; close it first.`)
    const opened = await this.change(meeting.id, (m) => {
      m.status = 'open'
      m.openedAt = new Date().toISOString()
    })
    this.onStatusChange(opened)
    return opened
  }

  /** Closes the meeting and records its output: each treated deliverable's clause hashes as they stand. */
  async close(user: User, id: string): Promise<Meeting> {
    const meeting = this.allowed(user, id, 'close')
    if (!mayTransition(meeting.status, 'close'))
      throw new ConflictError(`The meeting is ${meeting.status}; only an open meeting can be closed.`)
    const outputs: MeetingOutput[] = []
    for (const deliverable of this.treated(meeting)) {
      const sections = await this.consensus.sections(deliverable.id).catch(() => null)
      if (!sections) continue
      outputs.push({
        deliverableId: deliverable.id,
        title: deliverable.title,
        clauses: sections.map((s) => ({
          sectionId: s.id,
          number: s.number,
          title: s.title,
          hash: s.hash,
          status: s.status,
        })),
      })
    }
    const closed = await this.change(meeting.id, (m) => {
      m.status = 'closed'
      m.closedAt = new Date().toISOString()
      m.outputs = outputs
    })
    this.onStatusChange(closed)
    return closed
  }

  async setAgenda(user: User, id: string, input: AgendaBody): Promise<Meeting> {
    const meeting = this.allowed(user, id, 'manage-agenda')
    if (meeting.status === 'closed')
      throw new ConflictError('The meeting is closed; its agenda is kept as it was.')
    const treated = new Set(this.treated(meeting).map((d) => d.id))
    const contributions = new Set(meeting.contributions.map((c) => c.id))
    for (const item of input.items) {
      const stranger = item.clauses?.find((c) => !treated.has(c.deliverableId))
      if (stranger)
        throw new ValidationError(`items: ${stranger.deliverableId} is not treated by this meeting.`)
      const unknown = item.contributionIds?.find((c) => !contributions.has(c))
      if (unknown) throw new ValidationError(`items: no contribution ${unknown} in this meeting.`)
    }
    return this.change(meeting.id, (m) => {
      m.agenda = input.items.map((item) => ({
        id: item.id ?? newId(10),
        title: item.title,
        timeboxMinutes: item.timeboxMinutes ?? null,
        clauses: item.clauses ?? [],
        contributionIds: item.contributionIds ?? [],
      }))
    })
  }

  async registerContribution(user: User, id: string, input: ContributionBody): Promise<Meeting> {
    const meeting = this.allowed(user, id, 'register-contribution')
    const presenterId = input.presenterId ?? user.id
    const presenter = this.metadata.user(presenterId)
    if (!presenter || !this.may(presenter, 'register-contribution', meeting))
      throw new ValidationError('presenterId: the presenter must be a member of the group.')
    const treated = new Set(this.treated(meeting).map((d) => d.id))
    const stranger = input.targets?.find((t) => !treated.has(t.deliverableId))
    if (stranger)
      throw new ValidationError(`targets: ${stranger.deliverableId} is not treated by this meeting.`)
    return this.change(meeting.id, (m, data) => {
      const taken = data.meetings
        .filter((other) => other.groupId === m.groupId)
        .some((other) => other.contributions.some((c) => sameContributionNumber(c.number, input.number)))
      if (taken)
        throw new ConflictError(`${input.number} is already registered in this group.`, 'number_taken')
      m.contributions.push({
        id: newId(10),
        number: input.number,
        title: input.title,
        sources: input.sources,
        presenterId,
        targets: (input.targets ?? []).map((t) => ({
          deliverableId: t.deliverableId,
          sectionId: t.sectionId ?? null,
        })),
        registeredBy: user.id,
        registeredAt: new Date().toISOString(),
        disposition: null,
        document: null,
      })
    })
  }

  async recordDisposition(
    user: User,
    id: string,
    contributionId: string,
    input: DispositionBody,
  ): Promise<Meeting> {
    const meeting = this.allowed(user, id, 'record-disposition')
    if (!meeting.contributions.some((c) => c.id === contributionId))
      throw new NotFoundError('No such contribution in this meeting.')
    if (meeting.status === 'closed')
      throw new ConflictError('The meeting is closed; its dispositions are final.')
    return this.change(meeting.id, (m) => {
      const contribution = m.contributions.find((c) => c.id === contributionId)!
      contribution.disposition = {
        kind: input.disposition,
        note: input.note ? input.note : null,
        userId: user.id,
        at: new Date().toISOString(),
      }
    })
  }

  /** Records a contribution's Word file (already stored durably by the caller); answers the meeting. */
  setContributionDocument(
    id: string,
    contributionId: string,
    document: ContributionDocument,
  ): Promise<Meeting> {
    return this.change(id, (m) => {
      const contribution = m.contributions.find((c) => c.id === contributionId)
      if (!contribution) throw new NotFoundError('No such contribution in this meeting.')
      contribution.document = document
    })
  }

  async addActionItem(user: User, id: string, input: ActionItemBody): Promise<Meeting> {
    const meeting = this.allowed(user, id, 'record-action-item')
    const owner = input.ownerId ? this.metadata.user(input.ownerId) : undefined
    if (input.ownerId && !owner) throw new ValidationError('ownerId: no such user.')
    return this.change(meeting.id, (m) => {
      m.actionItems.push({
        id: newId(10),
        text: input.text,
        ownerId: owner?.id ?? null,
        ownerName: owner?.name ?? input.owner ?? '',
        userId: user.id,
        at: new Date().toISOString(),
      })
    })
  }

  /** The open meetings treating any of these deliverables. */
  openMeetingsFor(deliverables: readonly Deliverable[]): Meeting[] {
    const ids = new Set(deliverables.map((d) => d.id))
    return this.metadata.data.meetings.filter(
      (m) => m.status === 'open' && this.treated(m).some((d) => ids.has(d.id)),
    )
  }

  /**
   * API.md "Meetings": the meeting a consensus action on this deliverable is taken in, decided by the server alone.
   * A meeting of the deliverable's own group goes before one of its parent.
   */
  openMeetingFor(deliverable: Deliverable): Meeting | null {
    const open = this.openMeetingsFor([deliverable])
    return open.find((m) => m.groupId === deliverable.groupId) ?? open[0] ?? null
  }

  /** Records a member connected to a treated deliverable while the meeting is open (once per person). */
  async recordAttendance(meetingId: string, user: User): Promise<void> {
    const meeting = this.metadata.meeting(meetingId)
    if (meeting?.status !== 'open' || meeting.attendance.some((a) => a.userId === user.id)) return
    const attendee: Attendee = {
      userId: user.id,
      name: user.name,
      organization: user.organization,
      at: new Date().toISOString(),
    }
    await this.change(meetingId, (m) => {
      if (!m.attendance.some((a) => a.userId === user.id)) m.attendance.push(attendee)
    })
  }

  /** One durable change of a meeting (after the checks, which read the state before it). */
  private change(
    id: string,
    apply: (meeting: Meeting, data: { meetings: Meeting[] }) => void,
  ): Promise<Meeting> {
    return this.metadata.update((data) => {
      const meeting = data.meetings.find((m) => m.id === id)
      if (!meeting) throw new NotFoundError(MISSING)
      apply(meeting, data)
      return structuredClone(meeting)
    })
  }
}
