/**
 * The export worker: kept warm between exports (starting one costs more than writing a large deliverable), and
 * keeping a copy of each live document it exports, fed with the document's updates, so that reading and laying
 * out the text happen off the event loop and no export copies the whole text there; what it writes from that copy
 * is what the main thread would write from the live document, export after export.
 */
import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { composeDocument, type ExportSource } from '../../server/export/composeDocument.ts'
import { buildDocx } from '../../server/export/docxJob.ts'
import { stopDocxWorker, writeDocxOffThread } from '../../server/export/docxOffThread.ts'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { clause, deliverable, p } from '../support/builders.ts'
import { clauseByTitle, firstParagraphText } from '../support/syncClients.ts'
import { docxPart } from './support.ts'

afterAll(() => stopDocxWorker())

const NOW = '2026-07-04T10:00:00.000Z'

function sourceFor(from: Uint8Array | null, authors: [number, string][] = []): ExportSource {
  return {
    deliverable: {
      id: 'worker01',
      title: 'FGMV-07 Worker test',
      type: 'technical-report',
      groupId: 'none',
      members: {},
      createdAt: NOW,
      requiredClauseItems: [],
    },
    group: undefined,
    parent: undefined,
    users: [],
    annotations: null,
    names: [],
    states: [],
    decisions: [],
    meetings: [],
    agreedOnly: false,
    from,
    authors,
    now: NOW,
  }
}

/** The `docx` package numbers bookmarks from a counter of its own, per thread: renumbered in order of appearance. */
function bookmarksNumberedFromOne(xml: string): string {
  const numbers = new Map<string, number>()
  const renumber = (id: string) => {
    if (!numbers.has(id)) numbers.set(id, numbers.size + 1)
    return numbers.get(id)
  }
  return xml
    .replace(/_Toc(\d+)/g, (_, id: string) => `_Toc${renumber(id)}`)
    .replace(
      /(<w:bookmark(?:Start|End)[^>]*w:id=")(\d+)/g,
      (_, head: string, id: string) => `${head}${renumber(id)}`,
    )
}

const text = () =>
  deliverable(
    clause('Scope', p('This Technical Report describes the scope of the work.')),
    clause('Overview', p('An overview of the framework and its parts.')),
  ).ydoc()

describe('the export worker', () => {
  it('stays warm: consecutive exports are written by the same worker thread', async () => {
    const doc = text()
    const first = await writeDocxOffThread({ source: sourceFor(null), doc })
    const second = await writeDocxOffThread({ source: sourceFor(null), doc })
    expect(first.offThread).toBe(true)
    expect(first.workerThreadId).toBeGreaterThan(0)
    expect(second.workerThreadId).toBe(first.workerThreadId)
  })

  it('writes from its copy exactly what the main thread writes from the live document, edit after edit', async () => {
    const live = text()
    const base = Y.encodeStateAsUpdate(live)
    const source = sourceFor(base, [[live.clientID, 'Ada Editor']])
    const scope = () => firstParagraphText(clauseByTitle(live.getXmlFragment(BODY_FIELD), 'Scope'))
    const sameAsInProcess = async () => {
      const inWorker = await writeDocxOffThread({ source, doc: live })
      const inProcess = await buildDocx({ document: composeDocument(source, live) })
      const xml = bookmarksNumberedFromOne(docxPart(inWorker.bytes, 'word/document.xml'))
      expect(xml).toBe(bookmarksNumberedFromOne(docxPart(inProcess, 'word/document.xml')))
      return xml
    }
    expect(await sameAsInProcess()).not.toContain('w:author="Ada Editor"')
    scope().delete(5, 16)
    scope().insert(5, 'Report sets out')
    const marked = await sameAsInProcess()
    expect(marked).toContain('w:author="Ada Editor"')
    expect(marked).toMatch(/<w:delText[^>]*>Technical /)
    // Edits made while no worker runs reach the next one, which starts its copy afresh.
    await stopDocxWorker()
    scope().insert(0, 'Now ')
    expect(await sameAsInProcess()).toContain('>Now <')
  })

  it('keeps every update that arrives between exports, however many', async () => {
    const live = text()
    await writeDocxOffThread({ source: sourceFor(null), doc: live })
    // More than the feed holds back between exports: part of it reaches the worker before the next export.
    const overview = firstParagraphText(clauseByTitle(live.getXmlFragment(BODY_FIELD), 'Overview'))
    const word = 'x'.repeat(1000)
    for (let i = 0; i < 400; i++) overview.insert(0, `${word} `)
    overview.insert(0, 'Last words. ')
    const written = await writeDocxOffThread({ source: sourceFor(null), doc: live })
    const inProcess = await buildDocx({ document: composeDocument(sourceFor(null), live) })
    expect(bookmarksNumberedFromOne(docxPart(written.bytes, 'word/document.xml'))).toBe(
      bookmarksNumberedFromOne(docxPart(inProcess, 'word/document.xml')),
    )
    expect(docxPart(written.bytes, 'word/document.xml')).toContain('Last words.')
  })

  it.runIf(os.platform() === 'linux')('runs below the event loop’s scheduling priority', async () => {
    // The niceness of each thread of this process, read from /proc: the worker's is lowered, the main one's not.
    const written = await writeDocxOffThread({ source: sourceFor(null), doc: text() })
    expect(written.workerThreadId).toBeDefined()
    const niceness = readdirSync(`/proc/${process.pid}/task`).map((thread) => {
      const stat = readFileSync(`/proc/${process.pid}/task/${thread}/stat`, 'utf8')
      // Fields after the command's closing parenthesis start at field 3; the niceness is field 19.
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
    })
    expect(niceness).toContain(10)
    expect(os.getPriority()).toBe(0)
  })
})
