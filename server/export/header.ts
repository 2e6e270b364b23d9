/**
 * The document header of an export: the deliverable's own header fields where set, sensible defaults otherwise
 * (DOMAIN.md "Document header"): the number from the title ("FGMV-20 ..."), the focus group and working group from
 * the group tree, the editors as source and contacts, keywords and abstract from the Keywords and Summary clauses.
 */
import type { Deliverable, Group, User } from '../../shared/domain/types.ts'
import { inlineText, type ModelClause } from './documentModel.ts'
import type { HeaderInfo } from './exportDocument.ts'
import { blockText } from './layout.ts'

export interface HeaderSources {
  deliverable: Deliverable
  group: Group | undefined
  parent: Group | undefined
  user: (id: string) => User | undefined
  clauses: readonly ModelClause[]
  now: Date
}

export function resolveHeader({ deliverable, group, parent, user, clauses, now }: HeaderSources): HeaderInfo {
  const own = deliverable.header ?? {}
  const numbered = /^([A-Z][A-Z0-9]*-[A-Z0-9-]+)\s+(.*)$/.exec(deliverable.title)
  const editors = Object.entries(deliverable.members)
    .filter(([, role]) => role === 'editor')
    .map(([id]) => user(id))
    .filter((u): u is User => u !== undefined)
  const focusGroup = parent ?? group
  const clauseText = (title: string) => {
    const clause = clauses.find((c) => c.level === 1 && inlineText(c.title).trim() === title)
    return clause ? clause.blocks.map(blockText).join(' ').replace(/\s+/g, ' ').trim() : ''
  }
  const year = now.getUTCFullYear()
  const periodStart = year - ((((year - 2025) % 4) + 4) % 4)
  return {
    documentNumber: own.documentNumber ?? numbered?.[1] ?? 'Draft',
    group: own.group ?? focusGroup?.name ?? '',
    studyPeriod: own.studyPeriod ?? `${periodStart}-${periodStart + 3}`,
    workingGroup: own.workingGroup ?? (parent && group ? group.name : ''),
    meeting: own.meeting ?? now.toISOString().slice(0, 10),
    source: own.source ?? (editors.length > 0 ? 'Editors' : (focusGroup?.name ?? '')),
    title: deliverable.title,
    purpose: own.purpose ?? 'Discussion',
    contacts: own.contacts ?? editors.map((e) => `${e.name}, ${e.organization}, E-mail: ${e.email}`),
    keywords: own.keywords ?? clauseText('Keywords'),
    abstract: own.abstract ?? clauseText('Summary'),
  }
}
