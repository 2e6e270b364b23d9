/**
 * Hostile content in a real browser (issue part 6): XSS payloads as user names and organizations, group and
 * deliverable titles, clause headings and text, a `javascript:` link and foreign elements in the live document,
 * objection notes, and a presence name. Every screen that shows them is opened with `alert`, `confirm`, `prompt`
 * and dialogs trapped and CSP violations recorded: nothing may run, nothing may even try (a blocked inline
 * handler is still a handler that reached the page), and every page carries the strict Content-Security-Policy.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { recordFigures } from '../campaign/support/figures.ts'
import { XSS_PAYLOADS } from '../campaign/support/payloads.ts'
import { addClauses, connectAt, newClause, savedAll } from '../campaign/support/workload.ts'
import { launchBrowser, type TestBrowser } from '../support/browser.ts'
import {
  buildWorkspace,
  createDeliverable,
  createGroup,
  createUser,
  setDeliverableRole,
} from '../support/factories.ts'
import { clauseByTitle, firstParagraphText, type LiveClient } from '../support/syncClients.ts'
import { startTestServer, type TestServer } from '../support/testServer.ts'
import { ensureClientBuilt, LONG, openPage } from './pages.ts'

let server: TestServer
let browser: TestBrowser
let ws: Awaited<ReturnType<typeof buildWorkspace>>
let deliverableId: string
let hostileGroupId: string
let presence: LiveClient
let tried = 0
const pagesChecked: string[] = []

const TRAP = `
  window.__hits = [];
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = (...args) => { window.__hits.push(name + '(' + args.join(',') + ')'); };
  }
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__hits.push('csp ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
  });
`

beforeAll(async () => {
  ensureClientBuilt()
  server = await startTestServer()
  ws = await buildWorkspace(server)
  const fg = await createGroup(ws.admin, XSS_PAYLOADS[1]!)
  hostileGroupId = (await createGroup(ws.admin, XSS_PAYLOADS[2]!, fg.id)).id
  const deliverable = await createDeliverable(ws.chair, ws.wg.id, 'technical-report', XSS_PAYLOADS[0]!)
  deliverableId = deliverable.id
  await setDeliverableRole(ws.chair, deliverableId, ws.editor.user.id, 'editor')
  for (const [i, payload] of XSS_PAYLOADS.entries()) {
    const user = await createUser(server, ws.admin, {
      name: payload.slice(0, 120),
      organization: payload.slice(0, 160),
    })
    await setDeliverableRole(ws.chair, deliverableId, user.user.id, i % 2 === 0 ? 'participant' : 'observer')
    if (i === 3) {
      await setDeliverableRole(ws.chair, deliverableId, user.user.id, 'editor')
      presence = connectAt(server, deliverableId, user)
    }
    tried += 2
  }
  await presence.synced()
  presence.provider.awareness.setLocalStateField('cursor', null)

  await addClauses(
    server,
    deliverableId,
    ws.editor,
    XSS_PAYLOADS.map((payload, i) => ({
      id: `hostile${i}`,
      title: `${payload} Hostile ${i}`,
      text: payload,
    })),
  )
  tried += XSS_PAYLOADS.length * 2
  const editor = connectAt(server, deliverableId, ws.editor)
  await editor.synced()
  editor.doc.transact(() => {
    const text = firstParagraphText(clauseByTitle(editor.body, 'Scope'))
    text.insert(0, 'a javascript link ', { link: { href: 'javascript:alert(99)' } })
    text.insert(0, 'a data link ', { link: { href: 'data:text/html,<script>alert(98)</script>' } })
    const scope = clauseByTitle(editor.body, 'Scope')
    const script = new Y.XmlElement('script')
    script.insert(0, [new Y.XmlText('alert(97)')])
    const image = new Y.XmlElement('image')
    image.setAttribute('src', 'x')
    image.setAttribute('onerror', 'alert(96)')
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.setAttribute('onclick', 'alert(95)')
    paragraph.insert(0, [new Y.XmlText('a paragraph with an onclick attribute')])
    scope.insert(scope.length, [script, image, paragraph])
    editor.body.insert(editor.body.length, [
      newClause('late', '<img src=x onerror=alert(94)>', '<b>bold?</b>'),
    ])
  })
  await savedAll(editor)
  editor.destroy()
  tried += 6
  const sections = (await ws.chair.api.get(`/api/deliverables/${deliverableId}`)).body.sections
  const target = sections.find((s: { id: string }) => s.id === 'hostile0').id
  await ws.editor.api.post(`/api/deliverables/${deliverableId}/sections/${target}/actions`, {
    action: 'propose',
  })
  for (const payload of XSS_PAYLOADS.slice(0, 6)) {
    await ws.chair.api.post(`/api/deliverables/${deliverableId}/sections/${target}/actions`, {
      action: 'object',
      note: payload,
      suggestion: payload,
    })
    tried += 2
  }
  browser = await launchBrowser()
})

afterAll(async () => {
  presence?.destroy()
  await browser?.close()
  await server?.stop()
  await recordFigures('hostileContentBrowser', { payloadsTried: tried, pagesChecked: pagesChecked.length })
})

/** Opens a screen with the traps set; answers the page once `ready` shows, plus the response's CSP. */
async function visit(path: string, ready: (page: Page) => Promise<unknown>) {
  const { page, errors } = await openPage(browser.browser, server.url, ws.admin.cookie)
  const dialogs: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  await page.addInitScript(TRAP)
  const response = await page.goto(path)
  await ready(page)
  // Late renders (lists, presence, the editor's view) get time to do whatever they would do.
  await page.waitForTimeout(1000)
  pagesChecked.push(path)
  return { page, errors, dialogs, csp: response?.headers()['content-security-policy'] ?? '' }
}

async function expectInert(page: Page, dialogs: string[]): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __hits: string[] }).__hits)).toEqual([])
  expect(dialogs).toEqual([])
  const active = await page.evaluate(() =>
    [
      ...document.querySelectorAll(
        '#root script, #root iframe, #root object, #root embed, #root [onerror], #root [onload], #root [onclick], #root [ontoggle], #root [onmouseover], #root [style*="expression"], a[href^="javascript:" i], a[href^="data:" i], [src^="javascript:" i]',
      ),
    ].map((e) => e.outerHTML.slice(0, 160)),
  )
  expect(active).toEqual([])
}

function expectStrictCsp(csp: string): void {
  const directives = new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/)
      return [name!, values]
    }),
  )
  expect(directives.get('script-src')).toEqual(["'self'"])
  expect(directives.get('object-src')).toEqual(["'none'"])
  expect(directives.get('frame-ancestors')).toEqual(["'none'"])
  expect(directives.get('base-uri')).toEqual(["'self'"])
  expect(csp).not.toMatch(/unsafe-eval/)
}

describe('hostile content shows as text, and nothing runs', () => {
  it('the workspace: hostile group names and deliverable titles', async () => {
    const { page, dialogs, csp } = await visit('/', (p) =>
      p.getByText(XSS_PAYLOADS[0]!, { exact: false }).first().waitFor({ timeout: LONG }),
    )
    expectStrictCsp(csp)
    await expectInert(page, dialogs)
    await page.context().close()
  })

  it('the users screen: hostile names and organizations', async () => {
    const { page, dialogs, csp } = await visit('/admin/users', (p) =>
      p.getByText(XSS_PAYLOADS[1]!, { exact: false }).first().waitFor({ timeout: LONG }),
    )
    expectStrictCsp(csp)
    await expectInert(page, dialogs)
    await page.context().close()
  })

  it('the members screens of the deliverable and of a hostile group', async () => {
    for (const path of [`/d/${deliverableId}/members`, `/groups/${hostileGroupId}/members`]) {
      const { page, dialogs, csp } = await visit(path, (p) =>
        p.getByRole('heading').first().waitFor({ timeout: LONG }),
      )
      expectStrictCsp(csp)
      await expectInert(page, dialogs)
      await page.context().close()
    }
  })

  it('the editor: hostile headings, text, links, foreign elements and a hostile presence name', async () => {
    const { page, dialogs, csp, errors } = await visit(`/d/${deliverableId}`, (p) =>
      p.locator('.itu-document .clause-heading', { hasText: 'Hostile 0' }).waitFor({ timeout: LONG }),
    )
    expectStrictCsp(csp)
    // textContent: clauses off screen are not laid out (content-visibility: auto), and innerText needs layout.
    const headings = await page.locator('.itu-document .clause-heading').allTextContents()
    for (const [i, payload] of XSS_PAYLOADS.entries())
      expect(
        headings.some((h) => h.includes(`Hostile ${i}`) && h.includes(payload.trim().slice(0, 10))),
      ).toBe(true)
    // Clicking what would run script if it were active.
    for (const text of ['a javascript link', 'a data link', 'a paragraph with an onclick attribute']) {
      const target = page.getByText(text).first()
      if (await target.count()) await target.click({ modifiers: ['Control'] }).catch(() => undefined)
    }
    await page.waitForTimeout(500)
    await expectInert(page, dialogs)
    expect(errors).toEqual([])
    await page.context().close()
  })
})
