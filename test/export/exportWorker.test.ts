/**
 * The export worker: kept warm between exports (starting one costs more than writing a large deliverable), and
 * given a copy of the document's state rather than the laid-out document, so that reading and laying out the
 * text happen off the event loop too; what it writes from that copy is what the main thread would write.
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
    const state = Y.encodeStateAsUpdate(text())
    const first = await writeDocxOffThread({ source: sourceFor(null), state })
    const second = await writeDocxOffThread({ source: sourceFor(null), state })
    expect(first.offThread).toBe(true)
    expect(first.workerThreadId).toBeGreaterThan(0)
    expect(second.workerThreadId).toBe(first.workerThreadId)
  })

  it('writes from a copy of the state exactly what the main thread writes from the live document', async () => {
    const live = text()
    const base = Y.encodeStateAsUpdate(live)
    const words = firstParagraphText(clauseByTitle(live.getXmlFragment(BODY_FIELD), 'Scope'))
    words.delete(5, 16)
    words.insert(5, 'Report sets out')
    const source = sourceFor(base, [[live.clientID, 'Ada Editor']])
    const inWorker = await writeDocxOffThread({ source, state: Y.encodeStateAsUpdate(live) })
    const inProcess = await buildDocx({ document: composeDocument(source, live) })
    const xml = bookmarksNumberedFromOne(docxPart(inWorker.bytes, 'word/document.xml'))
    expect(xml).toBe(bookmarksNumberedFromOne(docxPart(inProcess, 'word/document.xml')))
    expect(xml).toContain('w:author="Ada Editor"')
    expect(xml).toMatch(/<w:delText[^>]*>Technical /)
  })

  it.runIf(os.platform() === 'linux')('runs below the event loop’s scheduling priority', async () => {
    // The niceness of each thread of this process, read from /proc: the worker's is lowered, the main one's not.
    const written = await writeDocxOffThread({
      source: sourceFor(null),
      state: Y.encodeStateAsUpdate(text()),
    })
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
