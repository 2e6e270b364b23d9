/**
 * A suggestion's proposed text is drawn as a widget beside the text (never in it). Typing further on in the same
 * paragraph must leave that widget as it is: ProseMirror redraws a widget that touches the text node being typed
 * into, which cost every keystroke after a suggestion a second layout of the page.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { browserSuite } from './browserSuite.ts'
import { clause, LONG, openEditor, openPage, typeInClause } from './pages.ts'

const suite = browserSuite()
let eve: Page
let pat: Page

beforeAll(async () => {
  const { browser, server, workspace } = suite
  eve = (await openPage(browser.browser, server.url, workspace.editor.cookie)).page
  pat = (await openPage(browser.browser, server.url, workspace.participant.cookie)).page
  await Promise.all([openEditor(eve, workspace.deliverable.id), openEditor(pat, workspace.deliverable.id)])
})

describe('a suggestion’s proposed text', () => {
  it('is not drawn again while someone types further on in its paragraph', async () => {
    // The participant suggests words at the start of clause 1's paragraph: the widget is followed by its text.
    await typeInClause(pat, '1', 'Proposed start. ', 'start')
    const widget = clause(eve, '1').locator('ins.suggestion-insertion', { hasText: 'Proposed start.' })
    await widget.waitFor({ timeout: LONG })
    await widget.evaluate((element) => {
      ;(window as unknown as { watched: Element }).watched = element
    })
    await typeInClause(eve, '1', ' Typed on by the editor.')
    await clause(eve, '1').getByText('Typed on by the editor.', { exact: false }).waitFor({ timeout: LONG })
    const same = await widget.evaluate(
      (element) => element === (window as unknown as { watched: Element }).watched && element.isConnected,
    )
    expect(same).toBe(true)
  })
})
