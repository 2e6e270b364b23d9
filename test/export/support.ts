/** Shared by the export and import suites: a workspace holding the demo's deliverables, and docx readers. */
import { unzipSync } from 'fflate'
import mammoth from 'mammoth'
import {
  fillGapAnalysis,
  fillRequirements,
  fillTechnicalReport,
  fillTerms,
} from '../../server/demo/sampleText.ts'
import { buildWorkspace } from '../support/factories.ts'
import type { TestServer } from '../support/testServer.ts'

export const DEMO_SAMPLES = [
  { title: 'FGMV-20 Definition of metaverse', type: 'terms', fill: fillTerms },
  { title: 'FGMV-05 Requirements for metaverse platforms', type: 'requirements', fill: fillRequirements },
  { title: 'FGMV-12 Gap analysis of metaverse standards', type: 'gap-analysis', fill: fillGapAnalysis },
  {
    title: 'FGMV-03 Technical framework of the metaverse',
    type: 'technical-report',
    fill: fillTechnicalReport,
  },
] as const

/** The workspace of `buildWorkspace` plus the four demo deliverables (server/demo.ts), with the same members. */
export async function demoWorkspace(server: TestServer) {
  const workspace = await buildWorkspace(server, 'terms')
  const ctx = server.accord!.ctx
  const demos = []
  for (const sample of DEMO_SAMPLES) {
    const deliverable = await ctx.deliverables.seed({ ...sample, groupId: workspace.wg.id }, sample.fill)
    await ctx.metadata.update(() => {
      deliverable.members[workspace.editor.user.id] = 'editor'
      deliverable.members[workspace.observer.user.id] = 'observer'
    })
    demos.push(deliverable)
  }
  return { ...workspace, demos }
}

export function docxPart(docx: Uint8Array, name: string): string {
  const files = unzipSync(docx, { filter: (file) => file.name === name })
  return new TextDecoder().decode(files[name])
}

/** The headings mammoth reads from a .docx, as text. */
export async function mammothHeadings(docx: Uint8Array): Promise<string[]> {
  const { value } = await mammoth.convertToHtml({ buffer: Buffer.from(docx) })
  return [...value.matchAll(/<h(\d)>(.*?)<\/h\1>/g)].map((m) =>
    m[2]!.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&'),
  )
}

export const squash = (text: string) => text.replace(/\s+/g, ' ').trim()
