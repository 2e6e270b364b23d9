/**
 * The editor as paper and on small screens. Printing gives the deliverable alone, in the ITU-T layout, with its
 * clause and definition numbers and nothing of the application. At 1,024 and 768 px the header stays one line
 * however full it gets (what does not fit goes into a keyboard-usable menu), and the side columns become drawers
 * that open over the text.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { savedAll } from '../consensus/support.ts'
import { axeViolations, describeViolations, launchBrowser, type TestBrowser } from '../support/browser.ts'
import { clause, definition, deliverable, note } from '../support/builders.ts'
import { buildWorkspace, createUser, type Session, setDeliverableRole } from '../support/factories.ts'
import { clauseByTitle, connectClient, type LiveClient } from '../support/syncClients.ts'
import { startServerBehindProxy, type TcpProxy } from '../support/tcpProxy.ts'
import type { TestServer } from '../support/testServer.ts'
import * as pages from './pages.ts'

/** One server (reached directly, or through a proxy that can cut the network), its people, one Chromium. */
interface Scene {
  server: TestServer
  proxy: TcpProxy
  browser: TestBrowser
  workspace: Awaited<ReturnType<typeof buildWorkspace>>
}
let scene: Scene
const present: LiveClient[] = []

const TERMS_HERE = 'Terms defined in this Technical Specification'
const DEFINITION = 'A digital representation of a user in a virtual environment.'
const NOTE = 'An avatar can be controlled by a person or by software.'

/** Fills 3.2 as an editor would: two definitions (one with a source) and a NOTE after the first. */
async function writeDefinitions(editor: Session, deliverableId: string): Promise<void> {
  const client = connectClient(scene.server, deliverableId, editor.cookie, { accord: true })
  await client.synced()
  const scratch = deliverable(
    clause(
      'scratch',
      definition('avatar', DEFINITION, 'b-ITU-T Y.4000'),
      note(NOTE),
      definition('digital twin', 'A virtual counterpart of a physical object.'),
    ),
  ).body()
  const blocks = (scratch.get(0) as Y.XmlElement)
    .toArray()
    .slice(1)
    .map((node) => (node as Y.XmlElement).clone())
  const target = clauseByTitle(client.body, TERMS_HERE)
  const empty = target.toArray().findIndex((node) => (node as Y.XmlElement).nodeName === 'definition')
  client.doc.transact(() => {
    target.delete(empty, 1)
    target.insert(empty, blocks)
  })
  await savedAll(client)
  client.destroy()
}

/** Someone present in the document, from a real sync client, with a caret in clause 1's text. */
async function bePresent(session: Session, deliverableId: string): Promise<LiveClient> {
  const client = connectClient(scene.server, deliverableId, session.cookie, { accord: true })
  await client.synced()
  const scope = clauseByTitle(client.body, 'Scope')
  const paragraph = scope
    .toArray()
    .find((node) => (node as Y.XmlElement).nodeName === 'paragraph') as Y.XmlElement
  const text = paragraph.get(0) as Y.XmlText
  const at = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, 2))
  client.provider.awareness.setLocalStateField('cursor', { anchor: at, head: at })
  present.push(client)
  return client
}

beforeAll(async () => {
  pages.ensureClientBuilt()
  const { server, proxy } = await startServerBehindProxy()
  const workspace = await buildWorkspace(server, 'terms')
  scene = { server, proxy, workspace, browser: await launchBrowser() }
  await writeDefinitions(workspace.editor, workspace.deliverable.id)
})

afterAll(async () => {
  for (const client of present) client.destroy()
  await scene?.browser.close()
  await scene?.proxy.close()
  await scene?.server.stop()
})

/** Whether `pdftotext` (poppler) is installed; without it the printed text is read from the DOM under print media. */
function hasPdfToText(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** The text as printed: from the PDF Chromium prints, or from what print media leaves displayed. */
async function printedText(page: Page): Promise<{ text: string; fonts: string | null }> {
  await page.emulateMedia({ media: 'print' })
  if (!hasPdfToText()) {
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point: what print media shows
    return { text: await page.locator('body').innerText(), fonts: null }
  }
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'accord-print-')), 'deliverable.pdf')
  writeFileSync(file, await page.pdf({ format: 'A4', preferCSSPageSize: true }))
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
  const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' })
  return { text, fonts }
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ')

describe('printing a deliverable', () => {
  it('prints the deliverable alone, numbered, in the ITU-T layout', async () => {
    const { page } = await pages.openPage(
      scene.browser.browser,
      scene.server.url,
      scene.workspace.editor2.cookie,
    )
    await bePresent(scene.workspace.observer, scene.workspace.deliverable.id)
    await pages.openEditor(page, scene.workspace.deliverable.id)
    // On screen: the application around the text, another person's caret, badges and placeholders.
    await page
      .locator('.collaboration-carets__label', { hasText: 'Otto Observer' })
      .waitFor({ timeout: pages.LONG })
    await page.locator('.itu-document [data-placeholder="Expansion"]').waitFor({ timeout: pages.LONG })
    expect(await page.locator('.editor-header').isVisible()).toBe(true)

    await page.emulateMedia({ media: 'print' })
    for (const chrome of [
      '.editor-header',
      '.outline',
      '.clause-panel',
      '.toolbar-wrap',
      '.collaboration-carets__caret',
    ]) {
      expect(await page.locator(chrome).first().isVisible(), chrome).toBe(false)
    }
    const heading = pages.clauseHeading(page, '3.2')
    const pseudo = (which: '::before' | '::after') =>
      heading.evaluate((element, at) => getComputedStyle(element, at).content, which)
    expect(await pseudo('::before')).toBe('"3.2"')
    expect(await pseudo('::after')).toBe('none')
    const avatar = page.locator('.itu-document .definition[data-number="3.2.1"]')
    expect(await avatar.evaluate((element) => getComputedStyle(element, '::before').content)).toMatch(
      /^"3\.2\.1/,
    )
    const fontFamily = await page
      .locator('.itu-document')
      .evaluate((element) => getComputedStyle(element).fontFamily)
    expect(fontFamily).toMatch(/^"Times New Roman", "Liberation Serif"/)
    const fontSize = await page
      .locator('.itu-document')
      .evaluate((element) => getComputedStyle(element).fontSize)
    expect(fontSize).toBe('16px') // 12 pt

    const { text, fonts } = await printedText(page)
    const printed = oneLine(text)
    expect(printed).toContain(oneLine(TERMS_HERE))
    expect(printed).toContain('Scope')
    if (fonts !== null) {
      // Numbers are the editor's decorations, printed as ITU-T numbers its clauses and definitions.
      expect(printed).toMatch(/3\.2 Terms defined in this Technical Specification/)
      expect(printed).toMatch(/3\.2\.1 avatar \[b-ITU-T Y\.4000\]: A digital representation of a user/)
      expect(printed).toMatch(/3\.2\.2 digital twin: A virtual counterpart/)
      expect(printed).toContain(`NOTE – ${NOTE}`)
      expect(fonts).toMatch(/LiberationSerif|TimesNewRoman/)
      expect(fonts).not.toMatch(/LiberationSans|DejaVuSans/)
    }
    for (const chrome of [
      'Workspace',
      'Outline',
      'All changes saved',
      'Clause consensus',
      'Log out',
      'Draft',
      'Otto Observer',
      'Expansion',
      'source]',
      'Clause title',
    ]) {
      expect(printed, `"${chrome}" must not print`).not.toContain(chrome)
    }
    await page.context().close()
  })
})

/** The header's box and whether every one of its parts lies inside it (nothing wrapped below, nothing spilled). */
async function headerLayout(page: Page) {
  return page.locator('.editor-header').evaluate((header) => {
    const box = header.getBoundingClientRect()
    const spilled = Array.from(header.querySelectorAll<HTMLElement>('*'))
      .filter((element) => element.getClientRects().length > 0 && !element.closest('.overflow-panel'))
      .filter((element) => {
        const r = element.getBoundingClientRect()
        if (r.width === 0 || r.height === 0) return false
        return (
          r.top < box.top - 1 || r.bottom > box.bottom + 1 || r.right > box.right + 1 || r.left < box.left - 1
        )
      })
      .map((element) => `${element.tagName}.${element.className}: ${element.textContent?.slice(0, 40)}`)
    return { height: box.height, spilled }
  })
}

async function expectOneLine(page: Page, lineHeight: number, when: string): Promise<void> {
  // Items move into the menu in the frame after a change: give it a moment.
  await page.waitForTimeout(300)
  const { height, spilled } = await headerLayout(page)
  expect(height, `header height ${when}`).toBeLessThanOrEqual(lineHeight + 1)
  expect(spilled, `header parts outside its line ${when}`).toEqual([])
}

async function expectNoAxeViolations(page: Page, when: string): Promise<void> {
  const violations = await axeViolations(page)
  expect(violations, `${when}\n${describeViolations(violations)}`).toEqual([])
}

/** Whether the element at the centre of `locator` is inside it: it is drawn over whatever lies beneath. */
async function onTop(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const r = element.getBoundingClientRect()
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 200))
    return !!hit && element.contains(hit)
  })
}

const CROWD = [
  'Amira Benali-Okonkwo',
  'Bartholomew Lindqvist',
  'Chen Xiaoming',
  'Dagny Þórsdóttir',
  'Esteban Ruiz',
]
let crowd: Promise<void> | null = null

/** People with long names in the document, present from sync clients (once for the whole file). */
function gatherCrowd(): Promise<void> {
  crowd ??= (async () => {
    for (const name of CROWD) {
      const person = await createUser(scene.server, scene.workspace.admin, {
        name,
        organization: 'Example Org',
      })
      await setDeliverableRole(
        scene.workspace.chair,
        scene.workspace.deliverable.id,
        person.user.id,
        'observer',
      )
      await bePresent(person, scene.workspace.deliverable.id)
    }
  })()
  return crowd
}

describe.each([1024, 768])('at %i px wide', (width) => {
  let page: Page
  let lineHeight: number

  beforeAll(async () => {
    page = (await pages.openPage(scene.browser.browser, scene.proxy.url, scene.workspace.chair.cookie)).page
    await page.setViewportSize({ width, height: 800 })
    await pages.openEditor(page, scene.workspace.deliverable.id)
    await pages.waitForStatus(page, 'All changes saved')
    lineHeight = (await headerLayout(page)).height
  })

  afterAll(async () => {
    await page?.context().close()
  })

  it('keeps the header on one line with many people present, offline, and after the merge', async () => {
    expect(lineHeight).toBeLessThan(60)
    await expectOneLine(page, lineHeight, 'with the chair alone')

    await gatherCrowd()
    await expect
      .poll(() => page.locator('.presence .avatar').count(), { timeout: pages.LONG })
      .toBeGreaterThanOrEqual(CROWD.length + 1)
    await expectOneLine(page, lineHeight, 'with many people present')

    scene.proxy.cut()
    await pages.waitForStatus(page, /Reconnecting|Offline/)
    await pages.typeInClause(page, '1', ` Typed offline at ${width} px.`)
    await pages.waitForStatus(page, 'Offline — changes kept on this device')
    await expectOneLine(page, lineHeight, 'offline')

    scene.proxy.restore()
    await pages.waitForStatus(page, 'All changes saved')
    await page.getByTestId('merge-note').waitFor({ state: 'attached', timeout: pages.LONG })
    await expect
      .poll(() => page.locator('.presence .avatar').count(), { timeout: pages.LONG })
      .toBeGreaterThanOrEqual(CROWD.length + 1)
    await expectOneLine(page, lineHeight, 'back online with the merge note and everyone')
    await expectNoAxeViolations(page, `the full header at ${width} px`)
  })

  it('moves what does not fit into a menu that works by keyboard', async () => {
    const more = page.locator('.overflow-button')
    expect(await more.count(), 'a full header has a More menu').toBe(1)
    const panel = page.getByTestId('overflow-panel')
    expect(await panel.isVisible()).toBe(false)
    await more.focus()
    await page.keyboard.press('Enter')
    expect(await more.getAttribute('aria-expanded')).toBe('true')
    expect(await panel.isVisible()).toBe(true)
    // What moved is there once, usable: the user's own name and the way to log out, at the least.
    expect(await pages.textOf(panel)).toContain('Log out')
    expect(await page.getByRole('button', { name: 'Log out' }).count()).toBe(1)
    await page.keyboard.press('Tab')
    expect(await panel.evaluate((element) => element.contains(document.activeElement))).toBe(true)
    await expectNoAxeViolations(page, `the open menu at ${width} px`)
    await page.keyboard.press('Escape')
    expect(await panel.isVisible()).toBe(false)
    expect(await more.evaluate((element) => element === document.activeElement)).toBe(true)
  })

  it('opens the clause panel from a button, over the text, and closes it with Escape', async () => {
    const toggle = page.getByRole('button', { name: 'Clause', exact: true })
    const panel = page.getByTestId('clause-panel')
    await pages.clauseHeading(page, '3.2').click()
    expect(await panel.isVisible(), 'the closed drawer is out of the way').toBe(false)
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')

    await toggle.focus()
    await page.keyboard.press('Enter')
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    await panel.waitFor({ timeout: pages.LONG })
    expect(await pages.textOf(panel)).toContain('Terms defined in this Technical Specification')
    // Over the text, in view, not below the document.
    const box = (await panel.boundingBox())!
    const paper = (await page.locator('.paper').boundingBox())!
    expect(box.y).toBeLessThan(100)
    expect(box.x).toBeLessThan(paper.x + paper.width)
    expect(await onTop(panel)).toBe(true)
    expect(await panel.evaluate((element) => element.contains(document.activeElement))).toBe(true)
    await expectNoAxeViolations(page, `the open clause panel at ${width} px`)

    await page.keyboard.press('Escape')
    expect(await panel.isVisible()).toBe(false)
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    expect(await toggle.evaluate((element) => element === document.activeElement)).toBe(true)
  })

  it(width < 960 ? 'opens the outline as a drawer too' : 'keeps the outline as a column', async () => {
    const outline = page.getByRole('navigation', { name: 'Outline' })
    const toggle = page.getByRole('button', { name: 'Outline', exact: true })
    if (width >= 960) {
      expect(await outline.isVisible()).toBe(true)
      expect(await toggle.isVisible()).toBe(false)
      return
    }
    expect(await outline.isVisible()).toBe(false)
    await toggle.click()
    await outline.waitFor({ timeout: pages.LONG })
    expect(await onTop(outline)).toBe(true)
    expect(await outline.evaluate((element) => element.contains(document.activeElement))).toBe(true)
    await page.keyboard.press('Escape')
    expect(await outline.isVisible()).toBe(false)
    expect(await toggle.evaluate((element) => element === document.activeElement)).toBe(true)

    // Choosing a clause is done with the outline: it closes, and the clause is in view, not under a drawer.
    await toggle.click()
    await outline.getByRole('treeitem', { name: /Abbreviations/ }).click()
    await outline.waitFor({ state: 'hidden', timeout: pages.LONG })
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    const heading = (await pages.clauseHeading(page, '4').boundingBox())!
    expect(heading.y).toBeGreaterThan(0)
    expect(heading.y).toBeLessThan(800)
  })
})
