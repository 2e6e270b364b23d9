/**
 * Importing Word files that others wrote (made here by LibreOffice from HTML, and by the docx package with tracked
 * changes and a comment) and hostile files: each becomes clauses, or is refused with a clear message; no active
 * content reaches the document or an export; the server stays up.
 */
import {
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  InsertedTextRun,
  Packer,
  Paragraph,
  TextRun,
} from 'docx'
import { unzipSync, zipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { convertWithOffice } from '../../server/export/officeConverter.ts'
import { buildWorkspace } from '../support/factories.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { upload } from './support.ts'

let server: TestServer
let workspace: Awaited<ReturnType<typeof buildWorkspace>>
let fromLibreOffice: Uint8Array
let bomb: Uint8Array

const CONTRIBUTION_HTML = `<!DOCTYPE html><html><body>
<p>INTERNATIONAL TELECOMMUNICATION UNION — FGMV-I-012</p>
<h1>1 Scope</h1><p>This contribution proposes a framework for H<sub>2</sub>O-cooled metaverse servers.</p>
<h1>2 References</h1><p>[ITU-T Y.3090] Recommendation ITU-T Y.3090 (2022), Digital twin network.</p>
<h1>3 Definitions</h1>
<h2>3.1 Terms defined elsewhere</h2><p>3.1.1 digital twin [b-ISO/IEC 30173]: A digital representation of an object of interest.</p>
<h1>4 Abbreviations and acronyms</h1><p>None.</p>
<h1>5 Conventions</h1><p>None.</p>
<h1>6 Architecture</h1><p>See <a href="https://www.itu.int/">the ITU site</a> and <a href="javascript:alert(1)">this link</a>.</p>
<ul><li>first point</li><li>second point</li></ul>
<p>NOTE – The framework is informative.</p>
<table border="1"><tr><th>Body</th><th>Gap</th></tr><tr><td>IEEE</td><td>none</td></tr></table>
<p><img src="http://tracker.invalid/pixel.png" alt="pixel"></p>
<h2>6.1 Layers</h2><p>Three layers.</p>
<h1>Annex A – Security aspects</h1><h2>A.1 Threats</h2><p>Spoofing.</p>
<h1>Appendix I Examples</h1><p>An example.</p>
<h1>Bibliography</h1><p>[b-ITU-T A.7] Recommendation ITU-T A.7 (2016), Focus groups.</p>
</body></html>`

beforeAll(async () => {
  // Built before any request: seconds of compression between two requests would outlast the keep-alive of the
  // client's pooled connection, which then fails with a reset.
  bomb = zipSync(
    { '[Content_Types].xml': new Uint8Array(10), 'word/document.xml': new Uint8Array(80 * 1024 * 1024) },
    { level: 6 },
  )
  server = await startTestServer()
  workspace = await buildWorkspace(server)
  fromLibreOffice = await convertWithOffice(Buffer.from(CONTRIBUTION_HTML), {
    from: 'html',
    to: 'docx:MS Word 2007 XML',
  })
}, 90_000)

afterAll(async () => {
  await server?.stop()
})

const importAs = (file: Uint8Array, title = 'Imported') =>
  upload(server, workspace.chair, file, { groupId: workspace.wg.id, type: 'technical-report', title })

async function sectionsOf(id: string) {
  return (await workspace.chair.api.get(`/api/deliverables/${id}`)).body.sections as {
    number: string
    title: string
    text: string
  }[]
}

async function exportText(id: string, format: 'html' | 'md') {
  const response = await fetch(`${server.url}/api/deliverables/${id}/export?format=${format}`, {
    headers: { cookie: workspace.chair.cookie },
  })
  return response.text()
}

describe('importing a Word file written by another program', () => {
  it('makes clauses of its headings, typed numbers removed, annex and appendix recognised', async () => {
    const imported = await importAs(fromLibreOffice)
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)
    const sections = await sectionsOf(imported.body.deliverable.id)
    expect(sections.map((s) => [s.number, s.title])).toEqual([
      ['1', 'Scope'],
      ['2', 'References'],
      ['3', 'Definitions'],
      ['3.1', 'Terms defined elsewhere'],
      ['4', 'Abbreviations and acronyms'],
      ['5', 'Conventions'],
      ['6', 'Architecture'],
      ['6.1', 'Layers'],
      ['Annex A', 'Security aspects'],
      ['A.1', 'Threats'],
      ['Appendix I', 'Examples'],
      ['', 'Bibliography'],
    ])
    const byNumber = (n: string) => sections.find((s) => s.number === n)!.text
    expect(byNumber('3.1')).toBe(
      'digital twin b-ISO/IEC 30173 A digital representation of an object of interest.',
    )
    expect(byNumber('2')).toMatch(/^\[ITU-T Y.3090\] Recommendation ITU-T Y.3090/)
    expect(byNumber('6')).toContain('first point')
    expect(byNumber('6')).toContain('The framework is informative.')
    expect(byNumber('6')).toContain('IEEE none')
    expect(imported.body.import.dropped.join('\n')).toMatch(/before the first heading/)
    expect(imported.body.import.dropped.join('\n')).toMatch(/links with a scheme other than http/)
  })

  it('keeps safe links, and lets no javascript: link or external image through to an export', async () => {
    const imported = await importAs(fromLibreOffice)
    const html = await exportText(imported.body.deliverable.id, 'html')
    expect(html).toContain('<a href="https://www.itu.int/"')
    expect(html).not.toMatch(/javascript:|tracker\.invalid|<img/i)
    expect(html).toContain('<p class="note">NOTE – The framework is informative.</p>')
  })
})

describe('tracked changes and comments in the file', () => {
  it('are counted and said, never accepted silently: they become suggestions and comments', async () => {
    const change = { author: 'Someone Else', date: '2026-01-01T00:00:00Z' }
    const doc = new Document({
      comments: {
        children: [
          {
            id: 0,
            author: change.author,
            date: new Date(change.date),
            children: [new Paragraph('Check this.')],
          },
        ],
      },
      sections: [
        {
          children: [
            new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('1\tScope')] }),
            new Paragraph({
              children: [
                new CommentRangeStart(0),
                new TextRun('The platform '),
                new DeletedTextRun({ text: 'may', id: 1, ...change }),
                new InsertedTextRun({ text: 'shall', id: 2, ...change }),
                new TextRun(' work.'),
                new CommentRangeEnd(0),
                new TextRun({ children: [new CommentReference(0)] }),
              ],
            }),
          ],
        },
      ],
    })
    const imported = await importAs(await Packer.toBuffer(doc))
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)
    expect(imported.body.import.trackedChanges).toMatchObject({ insertions: 1, deletions: 1, comments: 1 })
    expect(imported.body.import.trackedChanges.handling).toMatch(
      /read before its tracked changes; 1 tracked change became a suggestion and 1 comment became a comment/,
    )
    const [scope] = await sectionsOf(imported.body.deliverable.id)
    expect(scope).toMatchObject({ number: '1', title: 'Scope', text: 'The platform may work.' })
  })
})

describe('hostile files', () => {
  it('refuses a file that is not a zip, a zip that is not a .docx, a zip bomb, and an upload over the limit', async () => {
    expect(bomb.length).toBeLessThan(1024 * 1024)
    const notZip = await importAs(new TextEncoder().encode('<html><script>alert(1)</script></html>'))
    expect(notZip.status).toBe(400)
    expect(notZip.body.error.message).toMatch(/not a \.docx/)
    const notDocx = await importAs(zipSync({ 'readme.txt': new TextEncoder().encode('hello') }))
    expect(notDocx.status).toBe(400)
    expect(notDocx.body.error.message).toMatch(/not a Word document/)
    const bombed = await importAs(bomb)
    expect(bombed.status).toBe(400)
    expect(bombed.body.error.message).toMatch(/zip bomb/)
    const huge = await importAs(new Uint8Array(11 * 1024 * 1024))
    expect(huge.status).toBe(413)
    expect((await workspace.chair.api.get('/api/health')).body).toEqual({ ok: true })
  })

  it('cleans a .docx with scripts, javascript: links and macros: text kept as text, nothing active', async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({
              heading: HeadingLevel.HEADING_1,
              children: [new TextRun('1 Scope <img src=x onerror=alert(1)>')],
            }),
            new Paragraph({
              children: [
                new TextRun('<script>alert(1)</script> H'),
                new TextRun({ text: '2', subScript: true }),
                new TextRun('O '),
                new ExternalHyperlink({
                  link: 'javascript:alert(document.cookie)',
                  children: [new TextRun('click me')],
                }),
              ],
            }),
          ],
        },
      ],
    })
    const files = unzipSync(await Packer.toBuffer(doc))
    files['word/vbaProject.bin'] = new TextEncoder().encode('Sub AutoOpen() Shell "calc" End Sub')
    const imported = await importAs(zipSync(files))
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)
    const dropped = imported.body.import.dropped.join('\n')
    expect(dropped).toMatch(/vbaProject\.bin/)
    expect(dropped).toMatch(/links with a scheme other than http/)
    const [scope] = await sectionsOf(imported.body.deliverable.id)
    expect(scope!.title).toBe('Scope <img src=x onerror=alert(1)>')
    expect(scope!.text).toBe('<script>alert(1)</script> H2O click me')
    const html = await exportText(imported.body.deliverable.id, 'html')
    expect(html).not.toMatch(/<script|<img|javascript:/i)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; H<sub>2</sub>O')
  })

  it('lets only administrators and chairs of the group import into it', async () => {
    const file = fromLibreOffice
    const byEditor = await upload(server, workspace.editor, file, { groupId: workspace.wg.id, type: 'terms' })
    expect(byEditor.status).toBe(404)
    const byAdmin = await upload(server, workspace.admin, file, { groupId: workspace.wg.id, type: 'terms' })
    expect(byAdmin.status).toBe(201)
  })
})
