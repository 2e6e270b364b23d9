/**
 * Consensus actions taken between crashes, and what they must leave: the decision record (GET .../history) holds
 * every action that was answered 200, in order, plus or minus the one whose answer never came because the server
 * died; each clause's status is what its history folds to; an agreed clause's present hash is the one recorded at
 * agree.
 */
import * as Y from 'yjs'
import type { Session } from '../../support/factories.ts'
import { request } from '../../support/http.ts'
import { clauseByTitle, firstParagraphText, type LiveClient } from '../../support/syncClients.ts'
import { openRaw, updateFrame } from './rawSync.ts'
import { bodyOf, readServerDoc } from './serverDoc.ts'
import { savedAll, type Workspace } from './workload.ts'

interface DecisionCase {
  sectionId: string
  title: string
  /** Actions answered 200, in order. */
  confirmed: string[]
  /** An action whose answer never came: recorded whole or not at all. */
  uncertain: string | null
  agreedHash: string | null
}

const STATUS_AFTER: Record<string, string> = { propose: 'proposed', agree: 'agreed', reopen: 'draft' }

export class DecisionDesk {
  readonly cases: DecisionCase[]
  actions = 0
  private drafted = 0

  constructor(
    private readonly ws: Workspace,
    private readonly deliverableId: string,
    clauses: { id: string; title: string }[],
  ) {
    this.cases = clauses.map((c) => ({
      sectionId: c.id,
      title: c.title,
      confirmed: [],
      uncertain: null,
      agreedHash: null,
    }))
  }

  private act(url: string, session: Session, c: DecisionCase, body: Record<string, unknown>) {
    this.actions++
    return request(
      url,
      'POST',
      `/api/deliverables/${this.deliverableId}/sections/${c.sectionId}/actions`,
      body,
      {
        cookie: session.cookie,
      },
    )
  }

  private status(c: DecisionCase): string {
    const last = [...c.confirmed].reverse().find((a) => STATUS_AFTER[a])
    return last ? STATUS_AFTER[last]! : 'draft'
  }

  private nextFresh(): DecisionCase | undefined {
    return this.cases.find((c) => c.confirmed.length === 0 && c.uncertain === null)
  }

  private async draftAndPropose(url: string, drafter: LiveClient, c: DecisionCase): Promise<string> {
    firstParagraphText(clauseByTitle(drafter.body, c.title)).insert(0, `Agreed text ${++this.drafted}. `)
    await savedAll(drafter)
    const proposed = await this.act(url, this.ws.editor, c, { action: 'propose' })
    if (proposed.status !== 200)
      throw new Error(`propose: ${proposed.status} ${JSON.stringify(proposed.body)}`)
    c.confirmed.push('propose')
    return proposed.body.section.hash
  }

  /** One or two actions, each awaited: draft, propose and agree a fresh clause, or reopen an agreed one. */
  async step(url: string, drafter: LiveClient, random: () => number): Promise<void> {
    const agreed = this.cases.filter((c) => c.uncertain === null && this.status(c) === 'agreed')
    const fresh = this.nextFresh()
    if (agreed.length > 0 && (random() < 0.3 || !fresh)) {
      const c = agreed[Math.floor(random() * agreed.length)]!
      const reopened = await this.act(url, this.ws.chair, c, {
        action: 'reopen',
        note: 'Reopened by the campaign.',
      })
      if (reopened.status !== 200)
        throw new Error(`reopen: ${reopened.status} ${JSON.stringify(reopened.body)}`)
      c.confirmed.push('reopen')
      c.agreedHash = null
      return
    }
    if (!fresh) return
    const hash = await this.draftAndPropose(url, drafter, fresh)
    const agreedAnswer = await this.act(url, this.ws.chair, fresh, { action: 'agree', textHash: hash })
    if (agreedAnswer.status !== 200)
      throw new Error(`agree: ${agreedAnswer.status} ${JSON.stringify(agreedAnswer.body)}`)
    fresh.confirmed.push('agree')
    fresh.agreedHash = agreedAnswer.body.section.hash
    if (fresh.agreedHash !== hash) throw new Error('the agreed hash is not the proposed text hash')
  }

  /**
   * Proposes a fresh clause, then starts its agree and returns at once: the caller kills the server while the
   * agree is in flight. `settled` resolves when the answer comes, or the connection dies.
   */
  async agreeInFlight(url: string, drafter: LiveClient): Promise<{ settled: Promise<void> }> {
    const c = this.nextFresh()
    if (!c) return { settled: Promise.resolve() }
    const hash = await this.draftAndPropose(url, drafter, c)
    c.uncertain = 'agree'
    const settled = this.act(url, this.ws.chair, c, { action: 'agree', textHash: hash }).then(
      (answer) => {
        if (answer.status === 200) {
          c.uncertain = null
          c.confirmed.push('agree')
          c.agreedHash = answer.body.section.hash
        }
        // A 503 while dying, or anything else: still uncertain, the record decides.
      },
      () => undefined,
    )
    return { settled }
  }

  /** Problems found in the decision record and the clause statuses, as sentences. */
  async verify(url: string): Promise<string[]> {
    const problems: string[] = []
    const sections = await request(url, 'GET', `/api/deliverables/${this.deliverableId}`, undefined, {
      cookie: this.ws.chair.cookie,
    })
    if (sections.status !== 200)
      return [`GET deliverable: ${sections.status} ${JSON.stringify(sections.body)}`]
    for (const c of this.cases) {
      if (c.confirmed.length === 0 && c.uncertain === null) continue
      const answer = await request(
        url,
        'GET',
        `/api/deliverables/${this.deliverableId}/sections/${c.sectionId}/history`,
        undefined,
        { cookie: this.ws.chair.cookie },
      )
      if (answer.status !== 200) {
        problems.push(`${c.sectionId}: history answered ${answer.status}`)
        continue
      }
      const events = answer.body.events as { action: string; hash: string }[]
      const actions = events.map((e) => e.action)
      const same = (list: string[]) => JSON.stringify(actions) === JSON.stringify(list)
      if (c.uncertain) {
        if (same([...c.confirmed, c.uncertain])) {
          c.confirmed.push(c.uncertain)
          if (c.uncertain === 'agree') c.agreedHash = events.at(-1)!.hash
        } else if (!same(c.confirmed)) {
          problems.push(
            `${c.sectionId}: history ${actions} is neither ${c.confirmed} nor it plus ${c.uncertain}`,
          )
        }
        c.uncertain = null
      } else if (!same(c.confirmed)) {
        problems.push(`${c.sectionId}: history ${actions}, expected ${c.confirmed}`)
      }
      const section = (sections.body.sections as { id: string; status: string; hash: string }[]).find(
        (s) => s.id === c.sectionId,
      )
      if (!section) {
        problems.push(`${c.sectionId}: the clause is gone`)
        continue
      }
      if (section.status !== this.status(c))
        problems.push(`${c.sectionId}: status ${section.status}, its history folds to ${this.status(c)}`)
      if (section.status === 'agreed') {
        const agreeEvent = [...events].reverse().find((e) => e.action === 'agree')
        if (section.hash !== c.agreedHash || agreeEvent?.hash !== c.agreedHash)
          problems.push(
            `${c.sectionId}: agreed hash ${c.agreedHash}, recorded ${agreeEvent?.hash}, present ${section.hash}`,
          )
      }
    }
    return problems
  }

  get agreedCount(): number {
    return this.cases.filter((c) => this.status(c) === 'agreed').length
  }

  /** Sends an edit into every agreed clause from a fresh replica; answers the clauses where it was not refused. */
  async unlockedAgreedClauses(wsBase: string): Promise<string[]> {
    const leaks: string[] = []
    for (const c of this.cases.filter((k) => this.status(k) === 'agreed')) {
      const replica = await readServerDoc(wsBase, this.deliverableId, this.ws.editor.cookie)
      const before = Y.encodeStateVector(replica)
      firstParagraphText(clauseByTitle(bodyOf(replica), c.title)).insert(0, 'Edit after agreement. ')
      const raw = await openRaw(wsBase, this.deliverableId, this.ws.editor.cookie)
      const outcome = await raw.send(updateFrame(Y.encodeStateAsUpdate(replica, before)))
      raw.close()
      if (outcome.kind !== 'refused' || outcome.reason !== 'section-locked')
        leaks.push(`${c.sectionId}: ${JSON.stringify(outcome)}`)
    }
    return leaks
  }
}
