/** Builders for the versions suites: versions through the HTTP API, and text edits made by a real client. */
import { expect } from 'vitest'
import type * as Y from 'yjs'
import type { ApiComparison, ApiVersion } from '../../shared/api/versions.ts'
import { savedAll } from '../consensus/support.ts'
import type { Session } from '../support/factories.ts'
import { clauseByTitle, firstParagraphText, type LiveClient } from '../support/syncClients.ts'

export async function saveVersion(
  session: Session,
  deliverableId: string,
  name: string,
): Promise<ApiVersion> {
  const response = await session.api.post(`/api/deliverables/${deliverableId}/versions`, { name })
  expect(response.status, JSON.stringify(response.body)).toBe(201)
  return response.body.version
}

export async function listVersions(session: Session, deliverableId: string): Promise<ApiVersion[]> {
  const response = await session.api.get(`/api/deliverables/${deliverableId}/versions`)
  expect(response.status, JSON.stringify(response.body)).toBe(200)
  return response.body.versions
}

export async function compare(
  session: Session,
  deliverableId: string,
  from: string,
  to = 'now',
): Promise<ApiComparison> {
  const response = await session.api.get(`/api/deliverables/${deliverableId}/compare?from=${from}&to=${to}`)
  expect(response.status, JSON.stringify(response.body)).toBe(200)
  return response.body.comparison
}

export function restore(session: Session, deliverableId: string, versionId: string) {
  return session.api.post(`/api/deliverables/${deliverableId}/versions/${versionId}/restore`)
}

/** Replaces the text of the clause's first paragraph, as one edit of the client, and waits until it is saved. */
export async function setParagraph(client: LiveClient, title: string, text: string): Promise<void> {
  const run = firstParagraphText(clauseByTitle(client.body, title))
  client.doc.transact(() => {
    run.delete(0, run.length)
    run.insert(0, text)
  })
  await savedAll(client)
}

/**
 * Moves the clause under another clause, at its end, the only way Yjs can: a copy inserted there and the original
 * deleted, in one edit.
 */
export async function moveClause(client: LiveClient, title: string, newParentTitle: string): Promise<void> {
  const moving = clauseByTitle(client.body, title)
  const parent = clauseByTitle(client.body, newParentTitle)
  client.doc.transact(() => {
    const copy = moving.clone()
    const container = moving.parent as Y.XmlElement | Y.XmlFragment
    container.delete(container.toArray().indexOf(moving), 1)
    parent.insert(parent.length, [copy])
  })
  await savedAll(client)
}

/** The trimmed texts of a comparison's parts of one kind. */
export function partsOf(parts: { kind: string; text: string }[], kind: 'insert' | 'delete'): string[] {
  return parts.filter((part) => part.kind === kind).map((part) => part.text.trim())
}
