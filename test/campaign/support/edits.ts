/** One edit made the way a client makes it: on a fresh replica of the server's document, sent as its diff. */
import * as Y from 'yjs'
import type { Session } from '../../support/factories.ts'
import { clauseByTitle, firstParagraphText } from '../../support/syncClients.ts'
import { type Outcome, openRaw, updateFrame } from './rawSync.ts'
import { bodyOf, readServerDoc } from './serverDoc.ts'

/** Inserts `text` at the start of the clause's first paragraph; answers what the server did with it. */
export async function editClause(
  wsBase: string,
  deliverableId: string,
  session: Session,
  title: string,
  text: string,
): Promise<Outcome> {
  const replica = await readServerDoc(wsBase, deliverableId, session.cookie)
  const before = Y.encodeStateVector(replica)
  firstParagraphText(clauseByTitle(bodyOf(replica), title)).insert(0, text)
  const raw = await openRaw(wsBase, deliverableId, session.cookie)
  try {
    return await raw.send(updateFrame(Y.encodeStateAsUpdate(replica, before)), { awaitSaved: true })
  } finally {
    raw.close()
  }
}

/** The clause's first paragraph as the server has it now. */
export async function clauseText(
  wsBase: string,
  deliverableId: string,
  session: Session,
  title: string,
): Promise<string> {
  const doc = await readServerDoc(wsBase, deliverableId, session.cookie)
  return firstParagraphText(clauseByTitle(bodyOf(doc), title)).toString()
}
