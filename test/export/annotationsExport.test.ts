/**
 * Issue 24, Word round trip (export side): `export?format=docx&annotations=true` writes each open suggestion as real
 * Word tracked changes in its author's name and at its date, and each open comment thread as a Word comment on the
 * same words, with its replies threaded under it; LibreOffice reads them back as tracked changes and comments.
 * Decided, resolved and withdrawn annotations stay out, and without the option nothing of them is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { convertWithOffice } from '../../server/export/officeConverter.ts'
import { anchorOnWord, annotationsOf, writeParagraph } from '../annotations/support.ts'
import { sectionByTitle } from '../consensus/support.ts'
import type { Session } from '../support/factories.ts'
import { connectClient } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { annotatedDeliverable } from './annotatedDeliverable.ts'
import { docxPart } from './support.ts'
import { wordChanges } from './wordXml.ts'

let server: TestServer
let deliverableId: string
let observer: Session
let docx: Buffer
let documentXml: string
let commentsXml: string
const made: Record<string, { createdAt: string }> = {}

/** The text of document.xml between a comment's range start and end. */
function commentedText(xml: string, id: string): string {
  const start = xml.indexOf(`<w:commentRangeStart w:id="${id}"/>`)
  const end = xml.indexOf(`<w:commentRangeEnd w:id="${id}"/>`)
  expect(start, `range start of comment ${id}`).toBeGreaterThan(-1)
  expect(end, `range end of comment ${id}`).toBeGreaterThan(start)
  return [...xml.slice(start, end).matchAll(/<w:(?:t|delText)[^>]*>([^<]*)<\/w:(?:t|delText)>/g)]
    .map((m) => m[1])
    .join('')
}

interface WordCommentRead {
  id: string
  author: string
  text: string
}

function wordComments(xml: string): WordCommentRead[] {
  return [...xml.matchAll(/<w:comment ([^>]*)>([\s\S]*?)<\/w:comment>/g)].map((m) => ({
    id: /w:id="([^"]*)"/.exec(m[1]!)![1]!,
    author: /w:author="([^"]*)"/.exec(m[1]!)![1]!,
    text: [...m[2]!.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
  }))
}

async function exportDocx(query: string, session: Session = observer) {
  return fetch(`${server.url}/api/deliverables/${deliverableId}/export?format=docx${query}`, {
    headers: { cookie: session.cookie! },
  })
}

beforeAll(async () => {
  server = await startTestServer()
  const annotated = await annotatedDeliverable(server)
  const { ws, scope, sectionId, editor, created } = annotated
  observer = ws.observer
  deliverableId = annotated.id
  Object.assign(made, annotated.made)
  const rejected = await created(
    editor.suggest({ sectionId, anchor: anchorOnWord(scope, 'standards'), replacement: 'normative' }),
  )
  expect((await editor.decide(rejected.id, 'reject')).status).toBe(200)
  const resolved = await created(
    editor.comment({ sectionId, anchor: anchorOnWord(scope, 'work'), body: 'Settled already.' }),
  )
  expect((await editor.resolve(resolved.id, 'resolve')).status).toBe(200)
  // A thread whose words are deleted afterwards.
  const client = connectClient(server, deliverableId, ws.editor.cookie, { accord: true })
  await client.synced()
  const framework = await writeParagraph(
    client,
    server,
    deliverableId,
    'Technical framework',
    'Layers and interfaces.',
  )
  const frameworkId = (await sectionByTitle(ws.chair, deliverableId, 'Technical framework')).id
  await created(
    annotationsOf(ws.participant, deliverableId).comment({
      sectionId: frameworkId,
      anchor: anchorOnWord(framework, ' and interfaces'),
      body: 'Which interfaces?',
    }),
  )
  await writeParagraph(client, server, deliverableId, 'Technical framework', 'Layers.')
  client.destroy()

  const response = await exportDocx('&annotations=true')
  expect(response.status).toBe(200)
  docx = Buffer.from(await response.arrayBuffer())
  documentXml = docxPart(docx, 'word/document.xml')
  commentsXml = docxPart(docx, 'word/comments.xml')
}, 90_000)

afterAll(async () => {
  await server?.stop()
})

const wordDate = (iso: string) => iso.replace(/\.\d+Z$/, 'Z')

describe('open suggestions become Word tracked changes', () => {
  it('a replacement is the original deleted and the replacement inserted, in the suggester’s name and at its date', () => {
    const inserted = wordChanges(documentXml, 'w:ins')
    const deleted = wordChanges(documentXml, 'w:del')
    expect(inserted).toEqual([
      { author: 'Pat Participant', date: wordDate(made.replace!.createdAt), text: 'persistent' },
    ])
    expect(deleted).toEqual([
      { author: 'Pat Participant', date: wordDate(made.replace!.createdAt), text: 'shared' },
      { author: 'Pat Participant', date: wordDate(made.remove!.createdAt), text: ' virtual' },
    ])
  })

  it('the text reads as the original with the marks where the suggestions are', () => {
    const paragraph = /<w:p>(?:(?!<w:p>).)*?describes a (?:(?!<\/w:p>).)*<\/w:p>/.exec(documentXml)?.[0] ?? ''
    const read = [...paragraph.matchAll(/<w:(t|delText)[^>]*>([^<]*)<\/w:\1>/g)]
      .map((m) => (m[1] === 'delText' ? `[-${m[2]}]` : m[2]))
      .join('')
    expect(read).toContain('describes a [-shared]persistent[- virtual] space for standards work.')
  })

  it('a rejected suggestion is not written', () => {
    expect(documentXml).not.toContain('normative')
  })
})

describe('open comments become Word comments', () => {
  it('a thread is a comment on its words, its reply a comment threaded under it', () => {
    const comments = wordComments(commentsXml)
    const thread = comments.find((c) => c.text === 'Or a Recommendation?')!
    const reply = comments.find((c) => c.text === 'A Technical Report for now.')!
    expect(thread.author).toBe('Pat Participant')
    expect(reply.author).toBe('Eve Editor')
    expect(commentedText(documentXml, thread.id)).toBe('Technical Report')
    expect(commentedText(documentXml, reply.id)).toBe('Technical Report')
    expect(documentXml).toContain(`<w:commentReference w:id="${thread.id}"/>`)
    const extended = docxPart(docx, 'word/commentsExtended.xml')
    expect(extended).toMatch(/w15:paraIdParent="[0-9A-F]{8}"/)
  })

  it('a comment on the whole section is on its heading', () => {
    const section = wordComments(commentsXml).find((c) => c.text === 'The whole scope needs a second look.')!
    expect(section.author).toBe('Pat Participant')
    expect(commentedText(documentXml, section.id)).toBe('Scope')
  })

  it('a thread whose words were deleted is on its section’s heading, and says so with its quote', () => {
    const orphan = wordComments(commentsXml).find((c) => c.text.startsWith('Which interfaces?'))!
    expect(orphan.text).toBe('Which interfaces?(On text since deleted: “ and interfaces”.)')
    expect(commentedText(documentXml, orphan.id)).toBe('Technical framework')
  })

  it('a resolved thread is not written', () => {
    expect(commentsXml).not.toContain('Settled already.')
    expect(wordComments(commentsXml)).toHaveLength(4)
  })
})

describe('LibreOffice reads them', () => {
  it('as tracked changes and comments with their authors', async () => {
    const flat = (await convertWithOffice(docx, { from: 'docx', to: 'fodt' })).toString('utf8')
    const tracked = /<text:tracked-changes[^>]*>([\s\S]*?)<\/text:tracked-changes>/.exec(flat)?.[1] ?? ''
    expect(tracked.match(/<text:insertion>/g)?.length).toBe(1)
    expect(tracked.match(/<text:deletion>/g)?.length).toBe(2)
    expect(tracked.match(/<dc:creator>Pat Participant<\/dc:creator>/g)?.length).toBe(3)
    const annotations = [
      ...flat.matchAll(/<office:annotation(?:\s[^>]*)?>([\s\S]*?)<\/office:annotation>/g),
    ].map((m) => ({
      author: /<dc:creator>([^<]*)<\/dc:creator>/.exec(m[1]!)?.[1],
      text: [...m[1]!.matchAll(/<text:p[^>]*>([^<]*)<\/text:p>/g)].map((p) => p[1]).join('\n'),
    }))
    expect(annotations).toEqual(
      expect.arrayContaining([
        { author: 'Pat Participant', text: 'Or a Recommendation?' },
        { author: 'Eve Editor', text: 'A Technical Report for now.' },
        { author: 'Pat Participant', text: 'The whole scope needs a second look.' },
      ]),
    )
    expect(annotations).toHaveLength(4)
  }, 60_000)
})

describe('the option', () => {
  it('is off by default: no tracked change, no comment', async () => {
    const plain = Buffer.from(await (await exportDocx('')).arrayBuffer())
    const xml = docxPart(plain, 'word/document.xml')
    expect(xml).not.toContain('<w:ins ')
    expect(xml).not.toContain('commentRangeStart')
    expect(xml).toContain('describes a shared virtual space')
  })

  it('is refused with another format or beside revision marks', async () => {
    const md = await fetch(
      `${server.url}/api/deliverables/${deliverableId}/export?format=md&annotations=true`,
      { headers: { cookie: observer.cookie! } },
    )
    expect(md.status).toBe(400)
    expect((await md.json()).error.message).toMatch(/only in docx/)
    const marks = await exportDocx('&annotations=true&marks=whatever')
    expect(marks.status).toBe(400)
    expect((await marks.json()).error.message).toMatch(/not with marks/)
  })
})
