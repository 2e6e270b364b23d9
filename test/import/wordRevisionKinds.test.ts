/**
 * Issue 24, Word import: the tracked changes that are neither a plain insertion nor a plain deletion. A move
 * (w:moveFrom … w:moveTo) becomes a deletion suggestion at its source and an insertion suggestion at its
 * destination; a change of a heading (which takes no suggestion) is told in a comment on its clause; changes of
 * formatting only (w:rPrChange, w:pPrChange) are ignored, counted, and said so in the import's message. The file is
 * written by the docx package, then its document.xml is given those revisions by hand (as Word writes them).
 */

import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { annotationsOf } from '../annotations/support.ts'
import { buildWorkspace } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { changesOf, upload } from './support.ts'

const BY = 'w:author="Mo Mover" w:date="2026-11-30T10:00:00Z"'
const run = (text: string, tag = 't') => `<w:r><w:${tag} xml:space="preserve">${text}</w:${tag}></w:r>`

/** What replaces each placeholder run of the generated file. */
const REVISIONS: Record<string, string> = {
  // The heading "Scope" became "Purpose".
  HEADING: `<w:del w:id="11" ${BY}>${run('Scope', 'delText')}</w:del><w:ins w:id="12" ${BY}>${run('Purpose')}</w:ins>`,
  // "beta " moved from after "Alpha " to before "delta".
  MOVE: `${run('Alpha ')}<w:moveFrom w:id="13" ${BY}>${run('beta ')}</w:moveFrom>${run('gamma ')}<w:moveTo w:id="14" ${BY}>${run('beta ')}</w:moveTo>${run('delta.')}`,
  // Made bold, and its paragraph centred: formatting only.
  FORMAT: `<w:r><w:rPr><w:b/><w:rPrChange w:id="15" ${BY}><w:rPr/></w:rPrChange></w:rPr><w:t xml:space="preserve">Formatting changed only.</w:t></w:r>`,
}

async function revisedFile(): Promise<Uint8Array> {
  const placeholder = (name: string) => new TextRun(`@@${name}@@`)
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [placeholder('HEADING')] }),
          new Paragraph({ children: [placeholder('MOVE')] }),
          new Paragraph({ children: [placeholder('FORMAT')] }),
        ],
      },
    ],
  })
  const files = unzipSync(new Uint8Array(await Packer.toBuffer(doc)))
  let xml = strFromU8(files['word/document.xml']!)
  for (const [name, revision] of Object.entries(REVISIONS)) {
    const placed = new RegExp(`<w:r>(?:(?!<w:r>).)*?@@${name}@@.*?</w:r>`)
    expect(xml).toMatch(placed)
    xml = xml.replace(placed, revision)
  }
  // The centred paragraph's own change of properties.
  xml = xml.replace(
    /<w:p>((?:(?!<w:p>).)*?Formatting changed only)/,
    `<w:p><w:pPr><w:jc w:val="center"/><w:pPrChange w:id="16" ${BY}><w:pPr/></w:pPrChange></w:pPr>$1`,
  )
  files['word/document.xml'] = strToU8(xml)
  return zipSync(files)
}

let server: TestServer
let ws: Awaited<ReturnType<typeof buildWorkspace>>
let result: {
  id: string
  report: {
    trackedChanges: Record<string, unknown> & { handling: string; imported: Record<string, unknown> }
  }
  sections: { id: string; title: string; text: string }[]
  suggestions: Record<string, unknown>[]
  comments: Record<string, unknown>[]
}

beforeAll(async () => {
  server = await startTestServer()
  ws = await buildWorkspace(server)
  const imported = await upload(server, ws.chair, await revisedFile(), {
    groupId: ws.wg.id,
    type: 'technical-report',
    title: 'Moved and reformatted',
  })
  expect(imported.status, JSON.stringify(imported.body)).toBe(201)
  const id = imported.body.deliverable.id as string
  const api = annotationsOf(ws.chair, id)
  result = {
    id,
    report: imported.body.import,
    sections: (await ws.chair.api.get(`/api/deliverables/${id}`)).body.sections,
    suggestions: await api.suggestions(),
    comments: await api.comments(),
  }
}, 60_000)

afterAll(async () => {
  await server?.stop()
})

describe('a .docx with a move, a heading change and formatting-only changes', () => {
  it('the move becomes a deletion at its source and an insertion at its destination', () => {
    const scope = result.sections.find((s) => s.title === 'Scope')
    expect(scope?.text).toContain('Alpha beta gamma delta.')
    expect(changesOf(result.suggestions)).toEqual([
      { section: scope!.id, original: 'beta ', replacement: '' },
      { section: scope!.id, original: '', replacement: 'beta ' },
    ])
    expect(result.report.trackedChanges.moves).toBe(1)
  })

  it('accepting both halves moves the words', async () => {
    const api = annotationsOf(ws.chair, result.id)
    const scope = result.sections.find((s) => s.title === 'Scope')!
    const accepted = await ws.chair.api.post(`/api/deliverables/${result.id}/suggestions/accept-all`, {
      sectionId: scope.id,
    })
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200)
    const sections = (await ws.chair.api.get(`/api/deliverables/${result.id}`)).body.sections
    expect(sections.find((s: { id: string }) => s.id === scope.id).text).toContain('Alpha gamma beta delta.')
    expect((await api.suggestions()).map((s) => s.status)).toEqual(['accepted', 'accepted'])
  })

  it('the heading’s change is told in a comment on its clause, never lost', () => {
    const scope = result.sections.find((s) => s.title === 'Scope')!
    const told = result.comments.find((c) =>
      String(c.body).startsWith('Tracked change in this clause’s heading'),
    )
    expect(told ?? result.comments).toMatchObject({ sectionId: scope.id, anchor: null })
    expect(told?.body).toContain('“Scope” replaced by “Purpose” (Mo Mover, 2026-11-30)')
    expect(result.report.trackedChanges.imported).toMatchObject({ headingChanges: 1, notImported: [] })
  })

  it('formatting-only changes are ignored, counted, and the message says so', () => {
    expect(result.report.trackedChanges.formatChanges).toBe(2)
    expect(result.report.trackedChanges.handling).toContain(
      '2 tracked changes of formatting only (w:rPrChange, w:pPrChange) were ignored',
    )
    expect(result.report.trackedChanges.handling).toContain('1 passage was moved')
    expect(result.report.trackedChanges.handling).toContain('1 change of a heading is told in a comment')
  })
})
