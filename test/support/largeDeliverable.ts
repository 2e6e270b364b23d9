/**
 * A large deliverable for benchmarks and editor performance tests: by default 120,000 words in 400 nested
 * clauses, written with the paragraphs of the real editing traces' `endContent` (repeated as needed), as
 * ProseMirror JSON in our schema and as the Yjs update the editor would hold. Deterministic: the same options
 * always give the same document (clause ids included), so runs and peers can be compared.
 */
import type * as Y from 'yjs'
import { clause, deliverable, type PmNode, p } from './builders.ts'
import { loadTrace } from './traces.ts'

export interface LargeDeliverableOptions {
  /** Words in headings and paragraphs together (exact). Default 120,000. */
  words?: number
  /** Clauses in all (top-level and sub-clauses). Default 400. */
  clauses?: number
  /** Sub-clauses under each top-level clause. Default 3. */
  childrenPerClause?: number
  /** Words per paragraph at most (longer source paragraphs are cut). Default 120. */
  paragraphWords?: number
  /** Clause `id` attributes; default `large-0001`, `large-0002`, ... */
  newId?: () => string
}

export interface LargeDeliverable {
  /** A ProseMirror `doc` whose content is the clauses. */
  doc: PmNode
  /** Every clause's id, in document order. */
  clauseIds: string[]
  words: number
  paragraphs: number
}

const TRACE_FILES = ['automerge-paper.json.gz', 'seph-blog1.json.gz', 'friendsforever.json.gz']
const HEADING_WORDS = 4

let sourceCache: string[][] | undefined

/** The traces' final texts split into paragraphs (blank-line separated), each as its list of words. */
export function traceParagraphs(): string[][] {
  sourceCache ??= TRACE_FILES.flatMap((name) =>
    loadTrace<{ endContent: string }>(name)
      .endContent.split(/\n\s*\n/)
      .map((paragraph) => paragraph.split(/\s+/).filter(Boolean))
      .filter((words) => words.length >= 3),
  )
  return sourceCache
}

/** Hands out words paragraph by paragraph, cycling through the source. */
class WordSource {
  private paragraph = 0
  private offset = 0

  constructor(private readonly source: string[][]) {}

  /** Up to `count` words, never crossing a source paragraph. */
  take(count: number): string[] {
    const words = this.source[this.paragraph]!
    const taken = words.slice(this.offset, this.offset + count)
    this.offset += taken.length
    if (this.offset >= words.length) {
      this.paragraph = (this.paragraph + 1) % this.source.length
      this.offset = 0
    }
    return taken
  }
}

function sequentialIds(): () => string {
  let n = 0
  return () => `large-${String(++n).padStart(4, '0')}`
}

/** The ProseMirror JSON of the large deliverable (no skeleton clauses: only the generated ones). */
export function largeDeliverable(options: LargeDeliverableOptions = {}): LargeDeliverable {
  const totalWords = options.words ?? 120_000
  const totalClauses = options.clauses ?? 400
  const children = options.childrenPerClause ?? 3
  const paragraphWords = options.paragraphWords ?? 120
  if (totalClauses < 1 || totalWords < totalClauses * HEADING_WORDS)
    throw new RangeError('Need at least one clause and enough words for every heading')
  const source = new WordSource(traceParagraphs())
  let paragraphs = 0

  const clauseIds: string[] = []
  const newId = options.newId ?? sequentialIds()
  /** The index-th clause, with `subClauses` after its blocks; ids are handed out in document order. */
  const numbered = (index: number, subClauses: () => PmNode[] = () => []): PmNode => {
    const id = newId()
    clauseIds.push(id)
    // Spread the words evenly; the first clauses take the remainder, so the total is exact.
    const budget =
      Math.floor(totalWords / totalClauses) + (index < totalWords % totalClauses ? 1 : 0) - HEADING_WORDS
    const title = takeExactly(source, HEADING_WORDS).join(' ')
    const blocks: PmNode[] = []
    for (let left = budget; left > 0; ) {
      const words = takeExactly(source, Math.min(left, paragraphWords))
      blocks.push(p(words.join(' ')))
      left -= words.length
      paragraphs++
    }
    return clause({ id }, title, ...(blocks.length > 0 ? blocks : [p()]), ...subClauses())
  }

  const tops: PmNode[] = []
  for (let index = 0; index < totalClauses; ) {
    tops.push(
      numbered(index++, () => {
        const subs: PmNode[] = []
        for (let c = 0; c < children && index < totalClauses; c++) subs.push(numbered(index++))
        return subs
      }),
    )
  }
  return { doc: deliverable(...tops).json, clauseIds, words: totalWords, paragraphs }
}

/** Takes exactly `count` words, across source paragraphs when one runs out. */
function takeExactly(source: WordSource, count: number): string[] {
  const words: string[] = []
  while (words.length < count) words.push(...source.take(count - words.length))
  return words
}

/** A Yjs update of a fresh document whose body holds exactly the large deliverable. */
export function largeDeliverableUpdate(fixture: LargeDeliverable = largeDeliverable()): Uint8Array {
  return deliverable(...(fixture.doc.content ?? [])).update()
}

/**
 * Appends the large deliverable's clauses to an existing body (a deliverable created through the API keeps its
 * skeleton, whose required clauses may not be removed), in one transaction, as a client edit would.
 */
export function appendLargeDeliverable(
  body: Y.XmlFragment,
  fixture: LargeDeliverable = largeDeliverable(),
  origin: unknown = null,
): void {
  deliverable(...(fixture.doc.content ?? [])).appendTo(body, origin)
}
