/**
 * Issue 24, Word round trip (import side): a .docx's tracked changes become open suggestions on the text as it read
 * before them, and its comments comment threads on the same words (replies threaded), made in the importing user's
 * name with each Word author named in the text. Three files: our own export with `annotations=true` (the round
 * trip), one written by the docx package as another program would (no Word-made file is available here), and one
 * that LibreOffice wrote after reading our export through ODT.
 */
import { DeletedTextRun, Document, HeadingLevel, InsertedTextRun, Packer, Paragraph, TextRun } from 'docx'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { convertWithOffice } from '../../server/export/officeConverter.ts'
import { annotationsOf } from '../annotations/support.ts'
import { annotatedDeliverable, ANNOTATED_SCOPE as SCOPE } from '../export/annotatedDeliverable.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { upload } from './support.ts'

let server: TestServer
let ws: Awaited<ReturnType<typeof annotatedDeliverable>>['ws']
let exported: Uint8Array

interface Annotation {
  id: string
  sectionId: string
  anchor: unknown
  quote?: string
  original?: string
  replacement?: string
  body?: string
  replyTo?: string | null
  authorId: string
  status?: string
}

beforeAll(async () => {
  server = await startTestServer()
  const annotated = await annotatedDeliverable(server)
  ws = annotated.ws
  const id = annotated.id
  const response = await fetch(`${server.url}/api/deliverables/${id}/export?format=docx&annotations=true`, {
    headers: { cookie: ws.chair.cookie },
  })
  expect(response.status).toBe(200)
  exported = new Uint8Array(await response.arrayBuffer())
}, 90_000)

afterAll(async () => {
  await server?.stop()
})

async function importFile(file: Uint8Array, fileName = 'contribution.docx') {
  const imported = await upload(
    server,
    ws.chair,
    file,
    { groupId: ws.wg.id, type: 'technical-report', title: 'Imported contribution' },
    fileName,
  )
  expect(imported.status, JSON.stringify(imported.body)).toBe(201)
  const id = imported.body.deliverable.id as string
  const api = annotationsOf(ws.chair, id)
  const sections = (await ws.chair.api.get(`/api/deliverables/${id}`)).body.sections as {
    id: string
    title: string
    text: string
  }[]
  return {
    id,
    report: imported.body.import,
    sections,
    suggestions: (await api.suggestions()) as unknown as Annotation[],
    comments: (await api.comments()) as unknown as Annotation[],
    api,
  }
}

const DAY = /\d{4}-\d{2}-\d{2}/.source

describe('our own export with annotations, imported into a new deliverable', () => {
  let result: Awaited<ReturnType<typeof importFile>>
  beforeAll(async () => {
    result = await importFile(exported, 'FGMV-scope.docx')
  }, 60_000)

  it('reads as the text before the changes, which come back as open suggestions in the importer’s name', () => {
    const scope = result.sections.find((s) => s.title === 'Scope')!
    expect(scope.text).toBe(SCOPE)
    expect(
      result.suggestions.map((s) => ({
        section: s.sectionId,
        original: s.original,
        replacement: s.replacement,
      })),
    ).toEqual([
      { section: scope.id, original: 'shared', replacement: 'persistent' },
      { section: scope.id, original: ' virtual', replacement: '' },
    ])
    for (const suggestion of result.suggestions) {
      expect(suggestion.status).toBe('open')
      expect(suggestion.authorId).toBe(ws.chair.user.id)
    }
  })

  it('names the Word author of each change in a note on the section', () => {
    const note = result.comments.find((c) =>
      c.body!.startsWith('Tracked changes imported from FGMV-scope.docx'),
    )
    expect(note?.anchor).toBeNull()
    expect(note?.body).toContain('“shared” replaced by “persistent” (Pat Participant, ')
    expect(note?.body).toContain('“ virtual” deleted (Pat Participant, ')
  })

  it('makes the comments threads on the same words, replies under them, a section comment on the section', () => {
    const byText = (text: string) => result.comments.find((c) => c.body!.endsWith(text))!
    const thread = byText('Or a Recommendation?')
    expect(thread.body).toMatch(
      new RegExp(`^Pat Participant \\(Word comment, ${DAY}\\): Or a Recommendation\\?$`),
    )
    expect(thread.quote).toBe('Technical Report')
    expect(thread.authorId).toBe(ws.chair.user.id)
    const reply = byText('A Technical Report for now.')
    expect(reply.body).toMatch(/^Eve Editor \(Word comment, /)
    expect(reply.replyTo).toBe(thread.id)
    const section = byText('The whole scope needs a second look.')
    expect(section.anchor).toBeNull()
    expect(result.comments).toHaveLength(4)
    expect(result.report.trackedChanges.imported).toEqual({
      suggestions: 2,
      comments: 3,
      headingChanges: 0,
      notImported: [],
    })
  })

  it('gives suggestions the meeting can accept one by one', async () => {
    const replace = result.suggestions.find((s) => s.original === 'shared')!
    const accepted = await result.api.decide(replace.id, 'accept')
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200)
    const sections = (await ws.chair.api.get(`/api/deliverables/${result.id}`)).body.sections
    expect(sections.find((s: { title: string }) => s.title === 'Scope').text).toBe(
      'This Technical Report describes a persistent virtual space for standards work.',
    )
  })
})

describe('a file another program wrote with tracked changes (made by the docx package)', () => {
  it('insertions and deletions by several authors become suggestions; a paragraph inserted whole stays text', async () => {
    const alice = { author: 'Alice Author', date: '2026-03-04T10:00:00Z' }
    const dan = { author: 'Dan Deleter', date: '2026-03-05T11:00:00Z' }
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('1\tScope')] }),
            new Paragraph({
              children: [
                new TextRun('The platform '),
                new InsertedTextRun({ text: 'really ', id: 1, ...alice }),
                new TextRun('supports '),
                new DeletedTextRun({ text: 'many ', id: 2, ...dan }),
                new TextRun('avatars.'),
              ],
            }),
            new Paragraph({ children: [new InsertedTextRun({ text: 'A new paragraph.', id: 3, ...alice })] }),
          ],
        },
      ],
    })
    const result = await importFile(await Packer.toBuffer(doc))
    const [scope] = result.sections
    expect(scope!.text.replace(/\s+/g, ' ')).toBe('The platform supports many avatars. A new paragraph.')
    expect(result.suggestions.map((s) => [s.original, s.replacement])).toEqual([
      ['many ', ''],
      ['', 'really '],
    ])
    const note = result.comments.find((c) => c.body!.startsWith('Tracked changes imported'))!
    expect(note.body).toContain('“many ” deleted (Dan Deleter, 2026-03-05)')
    expect(note.body).toContain('“really ” inserted (Alice Author, 2026-03-04)')
    expect(result.report.trackedChanges.handling).toMatch(/1 paragraph was inserted whole and kept as text/)
  }, 60_000)
})

describe('a file LibreOffice wrote (our export read by LibreOffice, saved as ODT, then as .docx)', () => {
  it('brings back the same suggestions and comments', async () => {
    const odt = await convertWithOffice(Buffer.from(exported), { from: 'docx', to: 'odt' })
    const docx = await convertWithOffice(odt, { from: 'odt', to: 'docx:MS Word 2007 XML' })
    const result = await importFile(docx, 'from-libreoffice.docx')
    expect(result.sections.find((s) => s.title === 'Scope')!.text).toBe(SCOPE)
    expect(result.suggestions.map((s) => [s.original, s.replacement])).toEqual([
      ['shared', 'persistent'],
      [' virtual', ''],
    ])
    const bodies = result.comments.map((c) => c.body)
    expect(bodies).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Pat Participant \(Word comment, .*\): Or a Recommendation\?$/),
        expect.stringMatching(/^Eve Editor \(Word comment, .*\): A Technical Report for now\.$/),
        expect.stringMatching(
          /^Pat Participant \(Word comment, .*\): The whole scope needs a second look\.$/,
        ),
      ]),
    )
    const thread = result.comments.find((c) => c.body!.endsWith('Or a Recommendation?'))!
    expect(thread.quote).toBe('Technical Report')
    // The LibreOffice here writes no commentsExtended.xml: the reply arrives as a thread of its own (on the same words).
    const reply = result.comments.find((c) => c.body!.endsWith('A Technical Report for now.'))!
    expect(reply.quote).toBe('Technical Report')
  }, 120_000)
})
