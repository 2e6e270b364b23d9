/**
 * Applying an objection's suggestion on the demo's own clause 3.2 (an intro, two definitions and a NOTE): the
 * editor first sees, word by word, what will change, reaches the preview and its buttons by keyboard, and the
 * change then touches only the words that differ: the definitions and the NOTE stay what they are.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fillTerms } from '../../server/demo/sampleText.ts'
import type { PmNode } from '../../shared/clauses/skeletons.ts'
import { skeletonFor } from '../../shared/clauses/skeletonTypes.ts'
import { axeViolations, describeViolations } from '../support/browser.ts'
import { type EditorSession, openEditorSession } from './editorSession.ts'
import { clause, LONG, waitForStatus } from './pages.ts'

const TITLE = 'Terms defined in this Technical Specification'
/** The demo's objection on 3.2 (server/demo.ts). */
const SUGGESTION = 'An integrative and persistent ecosystem of virtual worlds ...'

let session: EditorSession
let eve: Page

/** The own blocks of the demo's clause 3.2, as the demo seeds them. */
function demoDefinitions(): PmNode[] {
  const skeleton = skeletonFor('terms', () => 'seed')
  fillTerms(skeleton)
  const find = (node: PmNode): PmNode | undefined =>
    node.type === 'clause' && node.content?.[0]?.content?.[0]?.text === TITLE
      ? node
      : node.content?.map(find).find(Boolean)
  const found = find(skeleton.doc)!
  return found.content!.slice(1).filter((child) => child.type !== 'clause')
}

/** Puts the blocks into clause 3.2 as the editor's own edit (the demo seeds them on the server). */
async function fill32(page: Page, blocks: PmNode[]): Promise<void> {
  await page.evaluate(
    ({ blocks, title }) => {
      const editor = (document.querySelector('.ProseMirror') as unknown as { editor: TiptapEditor }).editor
      const { state } = editor
      let range: { from: number; to: number } | null = null
      state.doc.descendants((node, pos) => {
        if (range || node.type.name !== 'clause' || node.firstChild?.textContent !== title) return !range
        const from = pos + 1 + node.firstChild.nodeSize
        let to = from
        node.forEach((child, offset) => {
          if (offset > 0 && child.type.name !== 'clause' && pos + 1 + offset >= from)
            to = pos + 1 + offset + child.nodeSize
        })
        range = { from, to }
        return false
      })
      const nodes = blocks.map((b) => state.schema.nodeFromJSON(b))
      const found = range as unknown as { from: number; to: number }
      editor.view.dispatch(state.tr.replaceWith(found.from, found.to, nodes))
    },
    { blocks, title: TITLE },
  )
}
type TiptapEditor = import('@tiptap/core').Editor

const definitions = () => clause(eve, '3.2').locator(':scope > .definition')
const notes = () => clause(eve, '3.2').locator(':scope > p.note')
const panel = () => eve.getByTestId('clause-panel')

beforeAll(async () => {
  session = await openEditorSession('terms')
  eve = session.page
  await fill32(eve, demoDefinitions())
  await waitForStatus(eve, 'All changes saved')

  const { deliverable, chair, participant } = session.workspace
  const { body } = await chair.api.get(`/api/deliverables/${deliverable.id}`)
  const section = (body.sections as { id: string; title: string }[]).find((s) => s.title === TITLE)!
  const actions = `/api/deliverables/${deliverable.id}/sections/${section.id}/actions`
  expect((await chair.api.post(actions, { action: 'propose' })).status).toBe(200)
  const objected = await participant.api.post(actions, {
    action: 'object',
    note: 'The definition should mention persistence.',
    suggestion: SUGGESTION,
  })
  expect(objected.status).toBe(200)
})

afterAll(async () => {
  await session?.close()
})

describe('applying a suggestion to a clause of definitions', () => {
  it('shows what will change before changing anything, reachable by keyboard', async () => {
    expect(await definitions().count()).toBe(2)
    await eve.getByRole('treeitem', { name: /^3\.2 / }).click()
    await panel().getByText(SUGGESTION).waitFor({ timeout: LONG })
    const apply = panel().getByRole('button', { name: /Apply suggestion/ })
    await apply.focus()
    await eve.keyboard.press('Enter')

    const preview = panel().getByTestId('suggestion-preview')
    await preview.waitFor({ timeout: LONG })
    expect(await eve.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'suggestion-preview',
    )
    expect(await preview.locator('ins').allTextContents()).toEqual(['[inserted: and persistent ]'])
    expect(await preview.locator('del').count()).toBe(0)
    const violations = await axeViolations(eve)
    expect(violations, describeViolations(violations)).toEqual([])
    // Nothing changed yet.
    expect(await definitions().count()).toBe(2)
    expect(await clause(eve, '3.2').textContent()).not.toContain('persistent')

    // Escape closes it and gives the focus back to the button.
    await eve.keyboard.press('Escape')
    await preview.waitFor({ state: 'detached' })
    await expect
      .poll(() => eve.evaluate(() => document.activeElement?.textContent ?? ''))
      .toMatch(/^Apply suggestion/)
  })

  it('changes only the words that differ and keeps the definitions and the NOTE', async () => {
    await eve.keyboard.press('Enter')
    const preview = panel().getByTestId('suggestion-preview')
    await preview.waitFor({ timeout: LONG })
    await eve.keyboard.press('Tab')
    expect(await eve.evaluate(() => document.activeElement?.textContent)).toBe('Apply these changes')
    await eve.keyboard.press('Enter')
    await preview.waitFor({ state: 'detached', timeout: LONG })

    expect(await definitions().count()).toBe(2)
    expect(await notes().count()).toBe(1)
    expect(await definitions().first().locator('.definition-term').textContent()).toBe('metaverse')
    expect(await definitions().first().locator('.definition-text').textContent()).toBe(
      'An integrative and persistent ecosystem of virtual worlds offering immersive experiences to users, ' +
        'that modify pre-existing and create new value from economic, environmental, social and cultural perspectives.',
    )
    expect(await notes().first().textContent()).toBe(
      'A metaverse can be virtual, augmented, representative of, or associated with the physical world.',
    )
    await waitForStatus(eve, 'All changes saved')
    const { body } = await session.workspace.chair.api.get(
      `/api/deliverables/${session.workspace.deliverable.id}`,
    )
    const section = (body.sections as { title: string; text: string }[]).find((s) => s.title === TITLE)!
    expect(section.text).toContain('An integrative and persistent ecosystem')
    expect(section.text).toContain('virtual world')
  })

  it('raised no page errors', () => {
    expect(session.errors).toEqual([])
  })
})
