/**
 * The structure of a deliverable as an editor meets it at the keyboard (issue #20, bugs 1, 4 and 6): Tab moves
 * between an entry's fields like between table cells and never leaves the editor by surprise (Esc then Tab
 * does), so no Sort button is ever pressed by typing; a NOTE stays with the entry before it when a new entry is
 * inserted or the clause is sorted; Enter at the end of a clause's paragraph makes another paragraph of that
 * clause, never a heading.
 */
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { ownBlocks } from '../../shared/clauses/clauseText.ts'
import { savedAll } from '../campaign/support/workload.ts'
import { launchBrowser, type TestBrowser } from '../support/browser.ts'
import { abbreviation, definition, deliverable, note, type PmNode, p } from '../support/builders.ts'
import { buildWorkspace } from '../support/factories.ts'
import { clauseByTitle, connectClient } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import {
  clause,
  clauseText,
  ensureClientBuilt,
  LONG,
  openEditor,
  openPage,
  typeInClause,
  waitForStatus,
} from './pages.ts'

let server: TestServer
let browser: TestBrowser
let page: Page
let pageErrors: string[] = []

const ELSEWHERE = 'Terms defined elsewhere'
const HERE = 'Terms defined in this Technical Specification'
const ABBREVIATIONS = 'Abbreviations and acronyms'

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  const workspace = await buildWorkspace(server, 'terms')
  await fillClauses(workspace.chair.cookie, workspace.deliverable.id, {
    // Out of alphabetical order: both clauses show a "Sort terms" button inside the editor.
    [ELSEWHERE]: [
      p('This Technical Specification uses the following terms defined elsewhere:'),
      definition('digital twin', 'A digital representation of an object of interest.', 'b-ISO/IEC 30173'),
      definition('avatar', 'A graphical representation of a user.', 'b-ITU-T F.748.16'),
    ],
    [HERE]: [
      p('This Technical Specification defines the following terms:'),
      definition('metaverse', 'An integrative ecosystem of virtual worlds.'),
      note('A metaverse can be virtual or augmented.'),
      definition('virtual world', 'A computer-simulated environment.'),
      definition('immersion', 'The feeling of being there.'),
    ],
    [ABBREVIATIONS]: [
      p('This Technical Specification uses the following abbreviations and acronyms:'),
      abbreviation('XR', 'Extended Reality'),
      abbreviation('AR', 'Augmented Reality'),
    ],
  })
  browser = await launchBrowser()
  ;({ page, errors: pageErrors } = await openPage(browser.browser, server.url, workspace.editor.cookie))
  await openEditor(page, workspace.deliverable.id)
})

afterEach(() => {
  expect(pageErrors).toEqual([])
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

/** Replaces the own blocks of the clauses titled so, as an editor's replica would, and waits until it is saved. */
async function fillClauses(cookie: string, deliverableId: string, blocks: Record<string, PmNode[]>) {
  const live = connectClient(server, deliverableId, cookie, { accord: true })
  await live.synced()
  live.doc.transact(() => {
    for (const [title, content] of Object.entries(blocks)) {
      const target = clauseByTitle(live.body, title)
      for (const block of ownBlocks(target)) target.delete(target.toArray().indexOf(block), 1)
      const copies = deliverable(...content)
        .body()
        .toArray()
        .map((node) => (node as Y.XmlElement).clone())
      target.insert(1, copies)
    }
  })
  await savedAll(live)
  live.destroy()
}

interface Caret {
  /** Whether the keyboard is still in the editor's text (not on a button, inside it or elsewhere). */
  inEditor: boolean
  /** The text block holding the caret: `definitionTerm`, `definitionText`, `paragraph`... */
  field: string
  /** The term of the entry holding the caret ('' outside entries). */
  term: string
}

function caret(): Promise<Caret> {
  return page.evaluate(() => {
    const root = document.querySelector('.ProseMirror') as
      | (HTMLElement & {
          editor?: {
            state: {
              selection: {
                $from: {
                  parent: { type: { name: string } }
                  depth: number
                  node(depth: number): { type: { name: string }; firstChild: { textContent: string } | null }
                }
              }
            }
          }
        })
      | null
    const $from = root!.editor!.state.selection.$from
    const entry = $from.depth > 1 ? $from.node($from.depth - 1) : null
    return {
      inEditor: document.activeElement === root,
      field: $from.parent.type.name,
      term:
        entry && /^(definition|abbreviation)$/.test(entry.type.name)
          ? (entry.firstChild?.textContent ?? '')
          : '',
    }
  })
}

/** The blocks of a clause as a reader sees them, in order: "term: definition" per entry, "NOTE: text" per note. */
function blocksOf(number: string): Promise<string[]> {
  return clause(page, number)
    .locator(':scope > .definition, :scope > .note')
    .evaluateAll((blocks) =>
      blocks.map((block) =>
        block.classList.contains('note')
          ? `NOTE: ${block.textContent}`
          : `${block.querySelector('.definition-term')?.textContent}: ${block.querySelector('.definition-text')?.textContent}`,
      ),
    )
}

async function waitForBlocks(number: string, expected: string[]): Promise<void> {
  const deadline = Date.now() + LONG
  while (JSON.stringify(await blocksOf(number)) !== JSON.stringify(expected)) {
    if (Date.now() > deadline) expect(await blocksOf(number)).toEqual(expected)
    await page.waitForTimeout(50)
  }
}

/** Clicks into a field of the entry whose term reads `term` (fields sit side by side: End would leave it). */
async function caretInto(number: string, term: string, field: string): Promise<void> {
  const entry = clause(page, number).locator(':scope > .definition', {
    has: page.locator('.definition-term', { hasText: term }),
  })
  const target = entry.locator(`.${field}`)
  await target.scrollIntoViewIfNeeded()
  // The middle of the field's widest line box: the middle of a wrapped field's whole box may be in its neighbour,
  // and its first box may be the space drawn before it.
  const { x, y } = await target.evaluate((element) => {
    const line = [...element.getClientRects()].reduce((a, b) => (b.width > a.width ? b : a))
    return { x: line.left + line.width / 2, y: line.top + line.height / 2 }
  })
  await page.mouse.click(x, y)
  await page.waitForTimeout(20)
}

/** Presses the key `times` times, and says where the caret is after each press. */
async function pressEach(key: string, times: number): Promise<Caret[]> {
  const places: Caret[] = []
  for (let i = 0; i < times; i++) {
    await page.keyboard.press(key)
    places.push(await caret())
  }
  return places
}

describe('Tab in an entry', () => {
  it('moves through the fields of the entries like table cells, forward and back', async () => {
    await caretInto('3.1', 'digital twin', 'definition-term')
    expect(await caret()).toEqual({ inEditor: true, field: 'definitionTerm', term: 'digital twin' })
    expect(await pressEach('Tab', 4)).toEqual([
      { inEditor: true, field: 'definitionSource', term: 'digital twin' },
      { inEditor: true, field: 'definitionText', term: 'digital twin' },
      { inEditor: true, field: 'definitionTerm', term: 'avatar' },
      { inEditor: true, field: 'definitionSource', term: 'avatar' },
    ])
    expect(await pressEach('Shift+Tab', 4)).toEqual([
      { inEditor: true, field: 'definitionTerm', term: 'avatar' },
      { inEditor: true, field: 'definitionText', term: 'digital twin' },
      { inEditor: true, field: 'definitionSource', term: 'digital twin' },
      { inEditor: true, field: 'definitionTerm', term: 'digital twin' },
    ])
  })

  it('never presses the Sort button by typing: what is typed after Tab lands in the next field', async () => {
    await caretInto('3.1', 'digital twin', 'definition-source')
    await page.keyboard.press('Tab')
    await page.keyboard.press('End')
    await page.keyboard.type(' Typed after Tab.', { delay: 5 })
    await waitForBlocks('3.1', [
      'digital twin: A digital representation of an object of interest. Typed after Tab.',
      'avatar: A graphical representation of a user.',
    ])
    await waitForStatus(page, 'All changes saved')
  })

  it('stays in the editor at the first and the last field of a clause', async () => {
    await caretInto('3.1', 'digital twin', 'definition-term')
    await page.keyboard.press('Shift+Tab')
    expect(await caret()).toEqual({ inEditor: true, field: 'definitionTerm', term: 'digital twin' })
    await caretInto('3.1', 'avatar', 'definition-text')
    await page.keyboard.press('Tab')
    expect(await caret()).toEqual({ inEditor: true, field: 'definitionText', term: 'avatar' })
    // Not silently: the live region says how to go on.
    await page
      .getByTestId('announcer')
      .filter({ hasText: 'Esc then Tab leaves the editor' })
      .waitFor({ timeout: LONG })
  })

  it('leaves the editor with Esc then Tab', async () => {
    await caretInto('3.1', 'avatar', 'definition-term')
    await page.keyboard.press('Escape')
    await page.keyboard.press('Tab')
    expect((await caret()).inEditor).toBe(false)
    // Nothing was sorted by leaving.
    expect((await blocksOf('3.1')).map((b) => b.split(':')[0])).toEqual(['digital twin', 'avatar'])
  })
})

/** The entries of 3.2 as blocksOf reads them. */
const METAVERSE = 'metaverse: An integrative ecosystem of virtual worlds.'
const ITS_NOTE = 'NOTE: A metaverse can be virtual or augmented.'
const VIRTUAL_WORLD = 'virtual world: A computer-simulated environment.'
const IMMERSION = 'immersion: The feeling of being there.'

describe('a NOTE belongs to the entry before it', () => {
  it('a new definition goes after the NOTE of the entry it is inserted from, and a sort keeps them together', async () => {
    await caretInto('3.2', 'metaverse', 'definition-text')
    expect(await caret()).toEqual({ inEditor: true, field: 'definitionText', term: 'metaverse' })
    await page.keyboard.press('Control+Alt+d')
    await page.keyboard.type('augmented world', { delay: 5 })
    await waitForBlocks('3.2', [METAVERSE, ITS_NOTE, 'augmented world: ', VIRTUAL_WORLD, IMMERSION])
    await page.getByRole('button', { name: 'Sort terms in 3.2' }).click()
    await waitForBlocks('3.2', ['augmented world: ', IMMERSION, METAVERSE, ITS_NOTE, VIRTUAL_WORLD])
  })

  it('Enter at the end of a definition starts the next entry after its NOTE', async () => {
    await caretInto('3.2', 'metaverse', 'definition-text')
    expect(await caret()).toEqual({ inEditor: true, field: 'definitionText', term: 'metaverse' })
    await page.keyboard.press('Enter')
    await page.keyboard.type('mixed world', { delay: 5 })
    await waitForBlocks('3.2', [
      'augmented world: ',
      IMMERSION,
      METAVERSE,
      ITS_NOTE,
      'mixed world: ',
      VIRTUAL_WORLD,
    ])
    await waitForStatus(page, 'All changes saved')
  })
})

describe('the Sort button', () => {
  it('sorts its own clause after text was typed before it', async () => {
    await typeInClause(page, '1', ' Typed before the abbreviations.')
    await page.getByRole('button', { name: 'Sort abbreviations in 4' }).click()
    await page.waitForFunction(
      () => [...document.querySelectorAll('.abbreviation-term')].map((t) => t.textContent).join() === 'AR,XR',
      null,
      { timeout: LONG },
    )
    await waitForStatus(page, 'All changes saved')
  })
})

describe('Enter at the end of a clause', () => {
  it('makes a new paragraph of the same clause, never a heading', async () => {
    const headings = await page.locator('.itu-document .clause-heading').count()
    const before = await clauseText(page, '1')
    const paragraph = clause(page, '1').locator(':scope > p').last()
    await paragraph.click()
    await page.keyboard.press('End')
    await page.waitForTimeout(20)
    await page.keyboard.press('Enter')
    await page.keyboard.type('A second paragraph of the scope.', { delay: 5 })
    await waitForStatus(page, 'All changes saved')
    expect(await page.locator('.itu-document .clause-heading').count()).toBe(headings)
    expect(await clauseText(page, '1')).toBe(`${before}\nA second paragraph of the scope.`)
    expect(await caret()).toMatchObject({ inEditor: true, field: 'paragraph' })
  })

  it('keeps an empty paragraph in its clause: Enter twice leaves a blank line, never splits the clause', async () => {
    const headings = await page.locator('.itu-document .clause-heading').count()
    const paragraph = clause(page, '5').locator(':scope > p').last()
    await paragraph.click()
    await page.keyboard.press('End')
    await page.waitForTimeout(20)
    await page.keyboard.press('Enter')
    await page.keyboard.press('Enter')
    await page.keyboard.type('After a blank line.', { delay: 5 })
    await waitForStatus(page, 'All changes saved')
    expect(await page.locator('.itu-document .clause-heading').count()).toBe(headings)
    expect(await clauseText(page, '5')).toBe('None.\n\nAfter a blank line.')
    const ids = await page
      .locator('.itu-document section.clause')
      .evaluateAll((sections) => sections.map((s) => s.getAttribute('data-clause-id')))
    expect(new Set(ids).size).toBe(ids.length)
  })
})
