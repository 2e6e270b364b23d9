/**
 * One deliverable's consensus state, rebuilt by folding its decision record (the record is the truth; the
 * state is derived, so they can never disagree). Actions on one deliverable run one at a time.
 */
import {
  applyDecision,
  type DecisionEvent,
  initialSectionConsensus,
  type SectionConsensus,
} from '../../shared/domain/consensus.ts'
import { SerialQueue } from '../serialQueue.ts'

export interface DecisionRecord {
  append(event: DecisionEvent): Promise<void>
  readAll(): Promise<DecisionEvent[]>
}

export class ConsensusBook {
  private readonly states = new Map<string, SectionConsensus>()
  /** Set when a decision's write failed and could not be taken back: the record's tail is in doubt. */
  uncertainSince: string | null = null
  private readonly queue = new SerialQueue()

  private constructor(
    private readonly record: DecisionRecord,
    private readonly events: DecisionEvent[],
  ) {
    for (const event of events) this.fold(event)
  }

  static async open(record: DecisionRecord): Promise<ConsensusBook> {
    return new ConsensusBook(record, await record.readAll())
  }

  private fold(event: DecisionEvent): void {
    this.states.set(event.sectionId, applyDecision(this.state(event.sectionId), event))
  }

  state(sectionId: string): SectionConsensus {
    return this.states.get(sectionId) ?? initialSectionConsensus()
  }

  allStates(): Map<string, SectionConsensus> {
    return this.states
  }

  history(sectionId: string): DecisionEvent[] {
    return this.events.filter((e) => e.sectionId === sectionId)
  }

  /** Every decision in the order taken (a meeting's report reads those carrying its id). */
  all(): readonly DecisionEvent[] {
    return this.events
  }

  get nextSeq(): number {
    return this.events.length + 1
  }

  /** Appends durably (fsync), then folds: a decision exists only once it is on disk. */
  async commit(event: DecisionEvent): Promise<SectionConsensus> {
    await this.record.append(event)
    this.events.push(event)
    this.fold(event)
    return this.state(event.sectionId)
  }

  /** Runs `task` after every earlier task on this deliverable has finished. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.run(task)
  }
}
