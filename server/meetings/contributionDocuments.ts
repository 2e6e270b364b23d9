/**
 * A contribution's Word file (issue 23): uploaded by its contributor or a chair, checked to be a .docx within the
 * import's limits (a zip with a Word document inside, no zip bomb), stored durably with the meeting (files or
 * PostgreSQL: storage/meetingStore.ts), and served to everyone who may see the meeting. The file is written before
 * the meeting records it, under a new name: a crash or a refused write leaves the contribution as it was, never
 * pointing at a missing or half file.
 */
import { createHash } from 'node:crypto'
import { newId } from '../../shared/domain/ids.ts'
import type { Contribution, ContributionDocument, Meeting } from '../../shared/domain/meetings.ts'
import type { User } from '../../shared/domain/types.ts'
import type { MeetingService } from '../domain/meetingService.ts'
import { AuthorizationError, NotFoundError, UnavailableError, ValidationError } from '../errors.ts'
import { DocxRefused, openDocx } from '../import/docxPackage.ts'
import type { Logger } from '../logger.ts'
import type { MeetingFileStore } from '../storage/meetingStore.ts'

export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

const sha256 = (bytes: Uint8Array) => `sha256-${createHash('sha256').update(bytes).digest('hex')}`

/** The base name as the user's system gave it, without folders or control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  const kept = [...base].filter((c) => c.charCodeAt(0) >= 0x20 && c !== '\u007f' && c !== '"')
  return kept.join('').trim().slice(0, 200)
}

export class ContributionDocuments {
  constructor(
    private readonly meetings: MeetingService,
    private readonly files: MeetingFileStore,
    private readonly logger: Logger,
  ) {}

  /** The meeting and contribution the user may attach a file to; throws 404 / 403 before any byte is read. */
  mayAttach(
    user: User,
    meetingId: string,
    contributionId: string,
  ): { meeting: Meeting; contribution: Contribution } {
    const meeting = this.meetings.visible(user, meetingId)
    const contribution = meeting.contributions.find((c) => c.id === contributionId)
    if (!contribution) throw new NotFoundError('No such contribution in this meeting.')
    if (!this.meetings.may(user, 'attach-document', meeting, null, contribution))
      throw new AuthorizationError(
        'Only the member who registered or presents the contribution, chairs and administrators attach its file.',
      )
    return { meeting, contribution }
  }

  async attach(
    user: User,
    meetingId: string,
    contributionId: string,
    upload: { bytes: Uint8Array | null; fileName: string },
  ): Promise<Meeting> {
    const { contribution } = this.mayAttach(user, meetingId, contributionId)
    // Read now: the contribution is the store's own object, which the change below updates.
    const replaced = contribution.document?.fileId ?? null
    const bytes = upload.bytes
    if (!bytes || bytes.length === 0)
      throw new ValidationError('file: attach the contribution as a .docx file.')
    const fileName = cleanFileName(upload.fileName) || `${contribution.number}.docx`
    if (!fileName.toLowerCase().endsWith('.docx'))
      throw new ValidationError(
        `file: "${fileName}" is not a Word document (.docx); save it as .docx and try again.`,
      )
    try {
      openDocx(bytes)
    } catch (error) {
      if (error instanceof DocxRefused) throw new ValidationError(`file: ${error.message}`)
      throw error
    }
    const document: ContributionDocument = {
      fileId: newId(12),
      fileName,
      bytes: bytes.length,
      sha256: sha256(bytes),
      uploadedBy: user.id,
      uploadedAt: new Date().toISOString(),
    }
    await this.files.writeDocument(meetingId, document.fileId, bytes)
    let meeting: Meeting
    try {
      meeting = await this.meetings.setContributionDocument(meetingId, contributionId, document)
    } catch (error) {
      await this.forget(meetingId, document.fileId)
      throw error
    }
    if (replaced) await this.forget(meetingId, replaced)
    return meeting
  }

  /** The file as uploaded, for whoever may see the meeting; 503 when the stored bytes are not those uploaded. */
  async read(user: User, meetingId: string, contributionId: string) {
    const meeting = this.meetings.visible(user, meetingId)
    const document = meeting.contributions.find((c) => c.id === contributionId)?.document
    if (!document) throw new NotFoundError('This contribution has no file.')
    const bytes = await this.files.readDocument(meetingId, document.fileId)
    if (sha256(bytes) !== document.sha256)
      throw new UnavailableError(
        `The stored file of this contribution is damaged (its checksum differs from the upload's); upload it again.`,
      )
    return { bytes, fileName: document.fileName }
  }

  /** Removes a file no longer named by the meeting; one left behind only takes room, so a failure is logged. */
  private async forget(meetingId: string, fileId: string): Promise<void> {
    await this.files
      .removeDocument(meetingId, fileId)
      .catch((error: unknown) =>
        this.logger.warn({ err: error, meetingId, fileId }, 'unused contribution file not removed'),
      )
  }
}
