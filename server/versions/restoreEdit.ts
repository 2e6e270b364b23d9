/**
 * The edit that turns the present document into a version's content, as an ordinary Yjs update (issue 22: a
 * restore is a new forward edit, checked like any client's). Built on a copy of the present document under a
 * fresh clientID, so the live document is untouched until the update has passed the checks.
 *
 * Clauses are matched by id, container by container: a clause kept in place keeps its element (and so its lock,
 * its anchors and its history) and only the blocks that differ are replaced; a clause the version does not hold
 * there is deleted, and one the present lacks there is inserted as a copy of the version's. Yjs has no move: a
 * clause that moved is deleted and inserted, which the lock check refuses for an agreed or required clause.
 */
import { diffArrays } from 'diff'
import * as Y from 'yjs'
import { clauseIdOf, isClauseElement } from '../../shared/clauses/clauseText.ts'
import { xmlString } from '../../shared/clauses/xmlString.ts'
import { BODY_FIELD } from '../../shared/editor/extensions.ts'
import { editOnCopy } from '../sync/editOnCopy.ts'

type Container = Y.XmlFragment | Y.XmlElement
type Child = Y.XmlElement | Y.XmlText

const children = (container: Container): Child[] =>
  container.toArray().filter((c): c is Child => c instanceof Y.XmlElement || c instanceof Y.XmlText)

const ownChildren = (container: Container): Child[] => children(container).filter((c) => !isClauseElement(c))
const clauseChildren = (container: Container): Y.XmlElement[] => children(container).filter(isClauseElement)

const indexOf = (container: Container, child: Child): number => container.toArray().indexOf(child)

/** Deletes `child` from `container`, wherever it stands now. */
function remove(container: Container, child: Child): void {
  container.delete(indexOf(container, child), 1)
}

/** Inserts `child` right after `previous`, or at `start` when there is none. */
function insertAfter(container: Container, previous: Child | null, start: number, child: Child): void {
  container.insert(previous ? indexOf(container, previous) + 1 : start, [child])
}

/**
 * Makes `present` (children of `now`) into `wanted` (children of the version) by the diff of their keys: removed
 * ones deleted, added ones inserted as copies after the last kept or inserted one (or at `start()`), kept pairs
 * handed to `kept`.
 */
function replaceChildren<C extends Child>(
  now: Container,
  present: C[],
  wanted: C[],
  key: (child: C) => string,
  start: () => number,
  kept: (present: C, wanted: C) => void = () => undefined,
): void {
  let previous: Child | null = null
  let p = 0
  let w = 0
  for (const change of diffArrays(present.map(key), wanted.map(key))) {
    const count = change.count ?? change.value.length
    if (change.removed) {
      for (const child of present.slice(p, p + count)) remove(now, child)
      p += count
    } else if (change.added) {
      for (const child of wanted.slice(w, w + count)) {
        const copy = child.clone()
        insertAfter(now, previous, start(), copy)
        previous = copy
      }
      w += count
    } else {
      for (let i = 0; i < count; i++) kept(present[p + i]!, wanted[w + i]!)
      previous = present[p + count - 1] ?? previous
      p += count
      w += count
    }
  }
}

/** The heading and blocks of `now` become those of `then`; blocks equal on both sides stay as they are. */
function reconcileOwnContent(now: Container, then: Container): void {
  if (now instanceof Y.XmlElement && then instanceof Y.XmlElement) {
    const kind = then.getAttribute('kind')
    if (now.getAttribute('kind') !== kind) {
      if (kind === undefined) now.removeAttribute('kind')
      else now.setAttribute('kind', kind)
    }
  }
  replaceChildren(now, ownChildren(now), ownChildren(then), xmlString, () => 0)
}

/** The sub-clauses of `now` become those of `then`, matched by id; a kept one is reconciled in turn. */
function reconcileClauses(now: Container, then: Container, pending: [Container, Container][]): void {
  // Before its first sub-clause: after the heading and blocks (a clause's content ends with its sub-clauses).
  const start = () => {
    const first = clauseChildren(now)[0]
    return first ? indexOf(now, first) : now.length
  }
  replaceChildren(now, clauseChildren(now), clauseChildren(then), clauseIdOf, start, (present, wanted) =>
    pending.push([present, wanted]),
  )
}

/** Makes `now` hold what `then` holds; iterative, as every walk over a stored document (unfold.ts). */
function reconcile(now: Y.XmlFragment, then: Y.XmlFragment): void {
  const pending: [Container, Container][] = [[now, then]]
  while (pending.length > 0) {
    const [present, wanted] = pending.pop()!
    reconcileOwnContent(present, wanted)
    reconcileClauses(present, wanted, pending)
  }
}

/**
 * The update that makes `present` hold the content of `versionState` (a whole document as one update), or null
 * when it holds that content already. `present` is only read.
 */
export function restoreUpdate(
  present: Y.Doc,
  versionState: Uint8Array,
  taken: (clientId: number) => boolean,
): Uint8Array | null {
  const version = new Y.Doc()
  try {
    Y.applyUpdate(version, versionState)
    return editOnCopy(present, taken, (copy) =>
      reconcile(copy.getXmlFragment(BODY_FIELD), version.getXmlFragment(BODY_FIELD)),
    )
  } finally {
    version.destroy()
  }
}
