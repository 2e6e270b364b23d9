import { abuseScenario } from './abuse.ts'
import { clusterScenario } from './cluster.ts'
import { concurrentTraceScenario } from './concurrentTrace.ts'
import type { Scenario } from './context.ts'
import { exportScenario } from './exportLarge.ts'
import { largeDeliverableScenario } from './largeDeliverable.ts'
import { lockCheckScenario } from './lockCheck.ts'
import { manyCommentsScenario } from './manyComments.ts'
import { meetingScenario } from './meeting.ts'
import { meetingFollowScenario } from './meetingFollow.ts'
import { statusChangesScenario } from './statusChanges.ts'
import { storageScenario } from './storage.ts'
import { traceReplayScenario } from './traceReplay.ts'

/** In the order they run; the abuse scenario reuses the meeting's quiet run, storage the trace replay's data. */
export const SCENARIOS: Scenario[] = [
  meetingScenario,
  traceReplayScenario,
  concurrentTraceScenario,
  largeDeliverableScenario,
  storageScenario,
  abuseScenario,
  lockCheckScenario,
  statusChangesScenario,
  exportScenario,
  meetingFollowScenario,
  manyCommentsScenario,
  clusterScenario,
]
