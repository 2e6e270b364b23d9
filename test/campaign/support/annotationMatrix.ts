/**
 * The annotation part of the authorization matrix (issue 24): every comment and suggestion route for every role
 * of the matrix, each cell in its own clause, judged against the policy (support/annotationAuthorization.ts) and
 * against what the server stored (both event logs byte for byte, the document, the decision record); a foreign
 * Origin on each state-changing route; and the `annotations` live message, pushed to everyone who may see the
 * deliverable and never taken from a client.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { scanRecords } from '../../../server/storage/recordFormat.ts'
import type { PresentedComment } from '../../../shared/api/annotations.ts'
import { findClause } from '../../../shared/clauses/clauseText.ts'
import { type DeliverableAction, mayOnDeliverable } from '../../../shared/domain/policy.ts'
import type { User } from '../../../shared/domain/types.ts'
import { encodeAccordFrame } from '../../../shared/protocol/accordCodec.ts'
import { anchorOnWord } from '../../annotations/support.ts'
import { must } from '../../consensus/support.ts'
import { createUser, type Session, setDeliverableRole } from '../../support/factories.ts'
import { request } from '../../support/http.ts'
import { storedEventRecords } from '../../support/storedState.ts'
import { firstParagraphText, waitFor } from '../../support/syncClients.ts'
import type { TestServer } from '../../support/testServer.ts'
import {
  ANNOTATION_CONTRACT,
  ANNOTATION_ROWS,
  type AnnotationRow,
  CELL_TEXT,
  callerMakes,
  expectedAnnotationStatus,
  matches,
  type Stage,
} from './annotationAuthorization.ts'
import { ROLES, type Role, type Sessions } from './authorization.ts'
import { openRaw, UpgradeStatus } from './rawSync.ts'
import { bodyOf } from './serverDoc.ts'
import { addClauses, type Workspace } from './workload.ts'

export interface MatrixEnv {
  server: TestServer
  ws: Workspace
  sessions: Sessions
  liveUser: (role: Role) => User | null
  count: (kind: 'annotation' | 'socket' | 'csrf') => void
}

export function annotationMatrix(env: () => MatrixEnv): void {
  describe('every annotation route and the annotations message, for every role (issue 24)', () => {
    // Read when the tests run: the matrix's own beforeAll makes them.
    const meta = () => env().server.accord!.ctx.metadata
    let fixture: Session
    const id = () => env().ws.deliverable.id
    const cellId = (row: number, role: number) => `ann${row}x${role}`
    const live = () => env().server.accord!.ctx.hub.get(id())
    const paragraphOf = async (sectionId: string) => {
      const element = findClause(
        bodyOf((await live()).doc),
        (clause) => clause.getAttribute('id') === sectionId,
      )
      if (!element) throw new Error(`no clause ${sectionId}`)
      return firstParagraphText(element)
    }

    beforeAll(async () => {
      fixture = await createUser(env().server, env().ws.admin, { name: 'Fiona Fixture' })
      await setDeliverableRole(env().ws.chair, id(), fixture.user.id, 'participant')
      const clauses = ANNOTATION_ROWS.flatMap((_, row) =>
        ROLES.map((_, role) => ({
          id: cellId(row, role),
          title: `Annotated ${row}.${role}`,
          text: CELL_TEXT,
        })),
      )
      await addClauses(env().server, id(), env().ws.editor, clauses)
    })

    /** Makes what the row needs in its own clause: by the caller when the row is about their own and they may. */
    async function stageFor(row: AnnotationRow, sectionId: string, role: Role) {
      const user = env().liveUser(role)
      const paragraph = await paragraphOf(sectionId)
      const base = `/api/deliverables/${id()}`
      const stage: Stage = {
        base,
        sectionId,
        anchor: (word) => anchorOnWord(paragraph, word),
        commentId: 'no-comment',
        suggestionId: 'no-suggestion',
      }
      const own = callerMakes(row, user, meta().deliverable(id())!, meta().groupLookup)
      const maker = own ? (env().sessions[role] as Session) : fixture
      const setup = row.setup
      const made = async (path: string, body: unknown, status = 201) => {
        const answer = await maker.api.post(`${base}${path}`, body)
        expect(answer.status, JSON.stringify(answer.body)).toBe(status)
        return answer.body
      }
      if (setup && 'thread' in setup) {
        const body = { sectionId, anchor: stage.anchor('gamma'), body: 'A thread.' }
        stage.commentId = (await made('/comments', body)).comment.id
        if (setup.resolved) await made(`/comments/${stage.commentId}/resolve`, {}, 200)
      } else if (setup) {
        if (setup.agreed) {
          await must(env().ws.editor, id(), sectionId, { action: 'propose' })
          await must(env().ws.chair, id(), sectionId, { action: 'agree' })
        }
        for (const word of setup.suggestions) {
          const body = { sectionId, anchor: stage.anchor(word), replacement: word.toUpperCase() }
          stage.suggestionId = (await made('/suggestions', body)).suggestion.id
        }
      }
      return { stage, own, user }
    }

    /** What the server stored: both event logs byte for byte, the document's state, the cell's paragraph. */
    async function storedNow(sectionId: string) {
      return {
        annotations: await storedEventRecords(env().server, id(), 'annotations'),
        decisions: await storedEventRecords(env().server, id(), 'decisions'),
        state: Buffer.from(Y.encodeStateVector((await live()).doc)),
        text: (await paragraphOf(sectionId)).toString(),
      }
    }
    const appended = (before: Buffer, after: Buffer): Record<string, unknown>[] => {
      if (!after.subarray(0, before.length).equals(before))
        throw new Error('a log was rewritten, not appended to')
      return scanRecords(after.subarray(before.length)).records.map((r) =>
        JSON.parse(Buffer.from(r).toString()),
      )
    }

    for (const [rowIndex, row] of ANNOTATION_ROWS.entries()) {
      test(`${row.method} ${row.route}: ${row.name}`, async () => {
        const wrong: string[] = []
        for (const [roleIndex, role] of ROLES.entries()) {
          const sectionId = cellId(rowIndex, roleIndex)
          const { stage, own, user } = await stageFor(row, sectionId, role)
          const expected = expectedAnnotationStatus(
            row,
            user,
            meta().deliverable(id())!,
            meta().groupLookup,
            own,
          )
          const before = await storedNow(sectionId)
          const answer = await request(env().server.url, row.method, row.path(stage), row.body?.(stage), {
            cookie: env().sessions[role]?.cookie,
          })
          const after = await storedNow(sectionId)
          env().count('annotation')
          const problem = (text: string) =>
            wrong.push(`${role}: ${text} (${answer.status} ${JSON.stringify(answer.body).slice(0, 160)})`)
          if (answer.status !== expected) problem(`the policy says ${expected}`)
          if (answer.status >= 400 && typeof answer.body?.error?.code !== 'string') problem('no error body')
          const done = answer.status === expected && expected < 300
          const events = appended(before.annotations, after.annotations)
          const wanted = done && user ? (row.stored?.(user, stage) ?? []) : []
          if (events.length !== wanted.length || !wanted.every((w, i) => matches(events[i], w)))
            problem(`stored ${JSON.stringify(events).slice(0, 300)}, expected ${JSON.stringify(wanted)}`)
          const textNow = done && row.text ? row.text : CELL_TEXT
          if (after.text !== textNow) problem(`the text reads "${after.text}", expected "${textNow}"`)
          if (!(done && row.text) && !after.state.equals(before.state)) problem('the document changed')
          const decisions = appended(before.decisions, after.decisions)
          const reopen = done && row.reopens ? [{ action: 'reopen', sectionId, userId: user!.id }] : []
          if (decisions.length !== reopen.length || !reopen.every((w, i) => matches(decisions[i], w)))
            problem(`decision record gained ${JSON.stringify(decisions).slice(0, 200)}`)
        }
        expect(wrong).toEqual([])
      })
    }

    test('the policy gives each annotation action to whom API.md gives it', () => {
      const wrong: string[] = []
      for (const [action, holders] of Object.entries(ANNOTATION_CONTRACT))
        for (const role of ROLES) {
          const user = env().liveUser(role)
          if (!user) continue
          const may = mayOnDeliverable(
            user,
            action as DeliverableAction,
            meta().deliverable(id())!,
            meta().groupLookup,
          )
          env().count('annotation')
          if (may !== holders.includes(role)) wrong.push(`${role} ${action}: the policy says ${may}`)
        }
      expect(wrong).toEqual([])
    })

    test('state-changing annotation routes refuse a foreign Origin and change nothing', async () => {
      const wrong: string[] = []
      for (const [rowIndex, row] of ANNOTATION_ROWS.entries()) {
        if (row.method === 'GET') continue
        // The chair's cell of each row: the chair may do nearly all of them.
        const sectionId = cellId(rowIndex, ROLES.indexOf('chair'))
        const paragraph = await paragraphOf(sectionId)
        const stage: Stage = {
          base: `/api/deliverables/${id()}`,
          sectionId,
          anchor: (word) => anchorOnWord(paragraph, word),
          commentId: 'any',
          suggestionId: 'any',
        }
        const before = await storedNow(sectionId)
        const answer = await request(env().server.url, row.method, row.path(stage), row.body?.(stage), {
          cookie: env().ws.chair.cookie,
          origin: 'https://evil.example',
        })
        env().count('csrf')
        const after = await storedNow(sectionId)
        if (answer.status !== 403) wrong.push(`${row.name}: ${answer.status}`)
        if (!after.annotations.equals(before.annotations)) wrong.push(`${row.name}: annotations changed`)
      }
      expect(wrong).toEqual([])
    })

    test('the annotations message reaches everyone who may see the deliverable; a forged one changes nothing', async () => {
      const wrong: string[] = []
      const watcher = await openRaw(env().server.wsUrl, id(), fixture.cookie)
      const sockets = new Map<Role, Awaited<ReturnType<typeof openRaw>>>()
      for (const role of ROLES) {
        const user = env().liveUser(role)
        const mayView =
          !!user && mayOnDeliverable(user, 'view', meta().deliverable(id())!, meta().groupLookup)
        const opened = await openRaw(env().server.wsUrl, id(), env().sessions[role]?.cookie).then(
          (raw) => raw,
          (error) => (error instanceof UpgradeStatus ? error.status : -1),
        )
        env().count('socket')
        if (typeof opened === 'number') {
          if (mayView || opened !== (user ? 404 : 401)) wrong.push(`${role}: upgrade ${opened}`)
          continue
        }
        if (!mayView) wrong.push(`${role}: may not see the deliverable, yet connected`)
        sockets.set(role, opened)
        // A client may not push annotations: the server makes them, from the routes only.
        // As the server would send one (a comment as presented), but from a client.
        const comment = { id: `forged-${role}`, sectionId: cellId(0, 0), body: 'forged', authorId: 'admin' }
        const forged = encodeAccordFrame({
          type: 'annotations',
          comments: [comment as unknown as PresentedComment],
          suggestions: [],
        })
        const before = await storedNow(cellId(0, 0))
        const outcome = await opened.send(forged)
        env().count('socket')
        if (outcome.kind !== 'handled' && !(outcome.kind === 'closed' && outcome.code === 4400))
          wrong.push(`${role}: forged annotations ${JSON.stringify(outcome)}`)
        const after = await storedNow(cellId(0, 0))
        if (!after.annotations.equals(before.annotations)) wrong.push(`${role}: a forged message was stored`)
      }
      const posted = await fixture.api.post(`/api/deliverables/${id()}/comments`, {
        sectionId: cellId(0, 0),
        body: 'Pushed to everyone.',
      })
      expect(posted.status).toBe(201)
      const heard = (raw: Awaited<ReturnType<typeof openRaw>>) =>
        raw.messages().some((m) => m.type === 'annotations' && m.comments[0]?.id === posted.body.comment.id)
      await waitFor(() => [...sockets.values()].every(heard), 'every viewer to hear of the comment').catch(
        () => undefined,
      )
      for (const [role, raw] of sockets) {
        env().count('socket')
        if (!heard(raw)) wrong.push(`${role}: never heard of the new comment`)
        if (
          raw
            .messages()
            .some((m) => m.type === 'annotations' && m.comments.some((c) => c.id.startsWith('forged')))
        )
          wrong.push(`${role}: received a forged annotation`)
        raw.close()
      }
      if (
        watcher
          .messages()
          .some((m) => m.type === 'annotations' && m.comments.some((c) => c.id.startsWith('forged')))
      )
        wrong.push('the watcher received a forged annotation')
      watcher.close()
      expect(wrong).toEqual([])
    })
  })
}
