/**
 * `npm run demo`: Accord with a ready sample focus group, so that a newcomer can try every feature within a
 * minute. Uses its own data directory (DEMO_DATA_DIR, default ./demo-data), seeded on first start.
 */
import path from 'node:path'
import { newId } from '../shared/domain/ids.ts'
import type { DeliverableRole, Group, GroupRole } from '../shared/domain/types.ts'
import { createAccordServer } from './app.ts'
import { hashPassword } from './auth/passwords.ts'
import { loadConfig } from './config.ts'
import type { AppContext } from './context.ts'
import { fillGapAnalysis, fillRequirements, fillTechnicalReport, fillTerms } from './demo/sampleText.ts'
import type { StoredDeliverable } from './storage/metadataStore.ts'

const PASSWORD = 'accord-demo'

const PEOPLE = [
  { key: 'admin', name: 'Ada Secretariat', organization: 'ITU/TSB', admin: true },
  { key: 'fgchair', name: 'Farid Chair', organization: 'Saudi Arabia' },
  { key: 'wgchair', name: 'Wen Chair', organization: 'China Telecom' },
  { key: 'editor', name: 'Elena Editor', organization: 'ETRI' },
  { key: 'editor2', name: 'Emeka Editor', organization: 'Huawei' },
  { key: 'participant', name: 'Priya Participant', organization: 'Nokia' },
  { key: 'observer', name: 'Olaf Observer', organization: 'University of Oslo' },
] as const

async function seed(ctx: AppContext): Promise<void> {
  const { metadata } = ctx
  const ids: Record<string, string> = {}
  const users = await Promise.all(
    PEOPLE.map(async (person) => {
      ids[person.key] = newId()
      return {
        id: ids[person.key]!,
        email: `${person.key}@demo.accord`,
        name: person.name,
        organization: person.organization,
        admin: 'admin' in person && person.admin,
        passwordHash: await hashPassword(PASSWORD, ctx.passwordCost),
        createdAt: new Date().toISOString(),
        removed: false,
      }
    }),
  )
  const group = (name: string, parentId: string | null, members: Record<string, GroupRole>): Group => ({
    id: newId(),
    name,
    parentId,
    members,
  })
  const fg = group('ITU-T Focus Group on metaverse (FG-MV)', null, { [ids.fgchair!]: 'chair' })
  const wg1 = group('WG1: General aspects', fg.id, { [ids.wgchair!]: 'chair' })
  const wg2 = group('WG2: Technical framework', fg.id, { [ids.wgchair!]: 'chair' })
  await metadata.update((data) => {
    data.setupCompleted = true
    data.users.push(...users)
    data.groups.push(fg, wg1, wg2)
  })
  const roles: Record<string, DeliverableRole> = {
    [ids.editor!]: 'editor',
    [ids.editor2!]: 'editor',
    [ids.participant!]: 'participant',
    [ids.observer!]: 'observer',
  }
  const samples = [
    { title: 'FGMV-20 Definition of metaverse', type: 'terms', groupId: wg1.id, fill: fillTerms },
    {
      title: 'FGMV-05 Requirements for metaverse platforms',
      type: 'requirements',
      groupId: wg1.id,
      fill: fillRequirements,
    },
    {
      title: 'FGMV-12 Gap analysis of metaverse standards',
      type: 'gap-analysis',
      groupId: wg2.id,
      fill: fillGapAnalysis,
    },
    {
      title: 'FGMV-03 Technical framework of the metaverse',
      type: 'technical-report',
      groupId: wg2.id,
      fill: fillTechnicalReport,
    },
  ] as const
  for (const sample of samples) {
    const deliverable = await ctx.deliverables.seed(sample, sample.fill)
    await metadata.update(() => {
      Object.assign(deliverable.members, roles)
    })
    if (sample.type === 'terms') await showConsensus(ctx, deliverable, ids)
  }
}

/** The definition deliverable shows every status: agreed clauses, a proposed one with an objection, drafts. */
async function showConsensus(ctx: AppContext, deliverable: StoredDeliverable, ids: Record<string, string>) {
  const chair = ctx.metadata.user(ids.wgchair!)!
  const participant = ctx.metadata.user(ids.participant!)!
  const sections = await ctx.consensus.sections(deliverable.id)
  const byTitle = (title: string) => sections.find((s) => s.title === title)!.id
  for (const title of ['Scope', 'References']) {
    const sectionId = byTitle(title)
    await ctx.consensus.act(deliverable, chair, { action: 'propose', sectionId })
    await ctx.consensus.act(deliverable, chair, {
      action: 'agree',
      sectionId,
      note: 'Agreed at the 2nd FG-MV meeting.',
    })
  }
  const definitions = byTitle('Terms defined in this Technical Specification')
  await ctx.consensus.act(deliverable, chair, { action: 'propose', sectionId: definitions })
  await ctx.consensus.act(deliverable, participant, {
    action: 'object',
    sectionId: definitions,
    note: 'The definition should mention persistence.',
    suggestion: 'An integrative and persistent ecosystem of virtual worlds ...',
  })
}

const config = loadConfig({
  ...process.env,
  DATA_DIR: process.env.DEMO_DATA_DIR || path.resolve('demo-data'),
})
const accord = await createAccordServer(config)
if (!accord.ctx.metadata.data.setupCompleted) await seed(accord.ctx)
const port = await accord.listen()
const base = `http://${config.host}:${port}`
console.log(
  `\nAccord demo at ${base}  (data in ${config.dataDir})\n\nLog in as any of (password "${PASSWORD}"):`,
)
for (const person of PEOPLE)
  console.log(`  ${`${person.key}@demo.accord`.padEnd(26)} ${person.name}, ${person.organization}`)
console.log('\nadmin: secretariat; fgchair: chairs the focus group; wgchair: chairs both working groups;')
console.log('editor/editor2: edit every deliverable; participant: reads and objects; observer: reads.\n')
process.on('SIGTERM', () => void accord.close().then(() => process.exit(0)))
process.on('SIGINT', () => void accord.close().then(() => process.exit(0)))
