/**
 * Paste from Word and LibreOffice, as a real paste event (ClipboardEvent with a DataTransfer holding their HTML)
 * in Chromium: headings become clauses and sub-clauses placed by their level, with their typed numbers removed;
 * "NOTE –" paragraphs become NOTE blocks; Word's list paragraphs and real lists become lists. Pasting into an agreed
 * clause is still refused.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LIBREOFFICE_HTML, WORD_HTML, WORD_LIST_HTML } from './clipboardFixtures.ts'
import { type EditorSession, openEditorSession } from './editorSession.ts'
import { clause, clauseHeading, editorContent, LONG, typeInClause, waitForStatus } from './pages.ts'

let session: EditorSession
let eve: Page

beforeAll(async () => {
  session = await openEditorSession('technical-report')
  eve = session.page
})

afterAll(async () => {
  await session?.close()
})

/** Pastes as the browser does when the user presses Ctrl+V with this HTML on the clipboard. */
async function paste(page: Page, html: string): Promise<void> {
  await page.evaluate((html) => {
    const data = new DataTransfer()
    data.setData('text/html', html)
    data.setData('text/plain', new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '')
    const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })
    document.querySelector('.ProseMirror')!.dispatchEvent(event)
  }, html)
}

/** Puts the caret at the end of the clause's last paragraph and pastes there. */
async function pasteInto(number: string, html: string): Promise<void> {
  await typeInClause(eve, number, '')
  await paste(eve, html)
}

const headingText = (number: string) => clauseHeading(eve, number).textContent()
const own = (number: string, selector: string) => clause(eve, number).locator(`:scope > ${selector}`)

describe('paste from Word', () => {
  it('makes clauses of headings, NOTE blocks of NOTEs and lists of list paragraphs', async () => {
    await pasteInto('7', WORD_HTML)

    await clauseHeading(eve, '7.1').waitFor({ timeout: LONG })
    expect(await headingText('7.1')).toBe('Infrastructure layer')
    expect(await headingText('7.1.1')).toBe('Compute')
    expect(await headingText('Annex A')).toBe('Security profile')
    expect(await clause(eve, 'Annex A').getAttribute('data-kind')).toBe('annex')
    // The annex comes after clause 7 and before the appendix that was there.
    expect(await clauseHeading(eve, 'Appendix I').textContent()).toBe('Examples')

    expect(await own('7', 'p').last().textContent()).toBe('The framework has four layers.')
    expect(await own('7.1', 'p').first().textContent()).toBe(
      'The infrastructure layer hosts compute and storage.',
    )
    expect(await own('7.1', 'p').first().locator('strong').textContent()).toBe('compute')
    expect(await own('7.1', 'p.note').textContent()).toBe('The layer is shared between platforms.')

    const bullets = own('7.1', 'ul')
    expect(await bullets.locator(':scope > li').count()).toBe(2)
    expect(await bullets.locator(':scope > li').first().locator('ul > li').textContent()).toBe(
      'their appearance;',
    )
    expect(await own('7.1.1', 'ol > li').allTextContents()).toEqual([
      'Schedule the workload.',
      'Report the result.',
    ])
    expect(await own('Annex A', 'p').textContent()).toBe('This annex lists the security requirements.')

    // No typed number, bullet glyph or Word markup became text.
    const text = (await editorContent(eve).textContent()) ?? ''
    for (const typed of ['7.1 Infrastructure', '7.1.1', 'Annex A –', '·', 'NOTE', 'mso-', 'o:p'])
      expect(text).not.toContain(typed)
    await waitForStatus(eve, 'All changes saved')
  })

  it('makes a NOTE block and a list of a paste without headings, in the clause it lands in', async () => {
    await pasteInto('Appendix I', WORD_LIST_HTML)

    await own('Appendix I', 'p.note').waitFor({ timeout: LONG })
    expect(await own('Appendix I', 'p.note').textContent()).toBe('Examples are informative.')
    expect(await own('Appendix I', 'ul > li').allTextContents()).toEqual(['a shop;', 'a classroom.'])
    expect(await clause(eve, 'Appendix I').locator('section.clause').count()).toBe(0)
    expect(await clause(eve, 'Appendix I').textContent()).not.toContain('·')
  })
})

describe('paste from LibreOffice', () => {
  it('makes a sub-clause of a heading one level below the clause it lands in', async () => {
    await pasteInto('6', LIBREOFFICE_HTML)

    await clauseHeading(eve, '6.1').waitFor({ timeout: LONG })
    expect(await headingText('6.1')).toBe('Actors')
    expect(await headingText('6.1.1')).toBe('Avatars')
    expect(await own('6.1', 'p.note').textContent()).toBe('An avatar can be a person or an agent.')
    expect(await own('6.1', 'ol > li').allTextContents()).toEqual(['enter the world;', 'meet other users.'])
    expect(await own('6.1', 'ul > li').allTextContents()).toEqual(['a bullet'])
    expect(await own('6.1.1', 'p').locator('em').textContent()).toBe('identity')
    // Clause 7 and what was pasted into it before are still where they were.
    expect(await headingText('7')).toBe('Technical framework')
    expect(await headingText('7.1')).toBe('Infrastructure layer')
    await waitForStatus(eve, 'All changes saved')
  })
})

describe('paste into an agreed clause', () => {
  it('is refused as any other edit there', async () => {
    const { body } = await session.workspace.chair.api.get(
      `/api/deliverables/${session.workspace.deliverable.id}`,
    )
    const scope = (body.sections as { id: string; title: string }[]).find((s) => s.title === 'Scope')!
    const actions = `/api/deliverables/${session.workspace.deliverable.id}/sections/${scope.id}/actions`
    expect((await session.workspace.chair.api.post(actions, { action: 'propose' })).status).toBe(200)
    expect((await session.workspace.chair.api.post(actions, { action: 'agree' })).status).toBe(200)
    await eve
      .locator('.itu-document .clause-heading[data-number="1"][data-consensus="Agreed"]')
      .waitFor({ timeout: LONG })
    const before = await editorContent(eve).innerHTML()

    await pasteInto('1', LIBREOFFICE_HTML)
    await eve.waitForTimeout(500)
    expect(await editorContent(eve).innerHTML()).toBe(before)
    expect(await clauseHeading(eve, '1.1').count()).toBe(0)
  })

  it('raised no page errors', () => {
    expect(session.errors).toEqual([])
  })
})
