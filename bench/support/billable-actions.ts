/**
 * Temporal Cloud billable actions in one workflow run, counted from its event history the way
 * Temporal Cloud bills them (its "Actions" documentation): a workflow start (client start or
 * continue-as-new), each timer started (a TypeScript `condition` with a timeout starts one),
 * each activity scheduled plus each retry, each search-attribute upsert, each signal, each
 * Update (accepted ones are in history; rejected ones are billed too but are not, so callers
 * add them). Activity heartbeats are billed when they reach the server and are not in history:
 * they are estimated from each activity's last attempt's running time and its failed attempts,
 * by keep-alive's own rule (heartbeatsOfAttempt: none under two seconds, one per failed attempt).
 * Local activities (the projection an Update waits for) are billed one action per workflow task
 * that ran any: their markers follow that task's completion in the history.
 */
import type { temporal } from '@temporalio/proto';
import { heartbeatsOfAttempt } from '../../src/activities/keep-alive.ts';

type History = temporal.api.history.v1.IHistory;
/** The marker the SDK records for each local activity's result. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';
const EventType = {
  WORKFLOW_EXECUTION_STARTED: 1,
  WORKFLOW_TASK_COMPLETED: 7,
  ACTIVITY_TASK_SCHEDULED: 10,
  ACTIVITY_TASK_STARTED: 11,
  ACTIVITY_TASK_COMPLETED: 12,
  ACTIVITY_TASK_FAILED: 13,
  ACTIVITY_TASK_TIMED_OUT: 14,
  ACTIVITY_TASK_CANCELED: 16,
  TIMER_STARTED: 17,
  WORKFLOW_EXECUTION_SIGNALED: 26,
  MARKER_RECORDED: 25,
  UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: 40,
  WORKFLOW_EXECUTION_UPDATE_ACCEPTED: 41,
} as const;

export interface ActionCount {
  total: number;
  byKind: Record<string, number>;
  /** Activities scheduled, by activity type. */
  activities: Record<string, number>;
  events: number;
}

const millisOf = (t: temporal.api.history.v1.IHistoryEvent['eventTime']) => (t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : null);

export function countBillableActions(history: History, rejectedUpdates = 0): ActionCount {
  const byKind: Record<string, number> = {};
  const activities: Record<string, number> = {};
  const add = (kind: string, n = 1) => (byKind[kind] = (byKind[kind] ?? 0) + n);
  const events = history.events ?? [];
  let localActivityBilledInTask = false;
  /** The last attempt of each activity that has started, by its scheduled event's id: when, and after how many failures. */
  const lastAttempts = new Map<number, { startedMs: number | null; failedAttempts: number }>();
  const heartbeatsOnClose = (e: temporal.api.history.v1.IHistoryEvent, scheduledEventId: unknown, failed: boolean) => {
    const attempt = lastAttempts.get(Number(scheduledEventId));
    if (!attempt) return;
    const closedMs = millisOf(e.eventTime);
    const runningMs = attempt.startedMs !== null && closedMs !== null ? closedMs - attempt.startedMs : 0;
    const n = attempt.failedAttempts + heartbeatsOfAttempt(runningMs, failed);
    if (n) add('heartbeat (estimated)', n);
  };
  for (const e of events) {
    switch (Number(e.eventType)) {
      case EventType.WORKFLOW_TASK_COMPLETED:
        localActivityBilledInTask = false;
        break;
      case EventType.MARKER_RECORDED:
        if (e.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER && !localActivityBilledInTask) {
          add('local activities (one per workflow task)');
          localActivityBilledInTask = true;
        }
        break;
      case EventType.WORKFLOW_EXECUTION_STARTED:
        add('workflow start');
        break;
      case EventType.TIMER_STARTED:
        add('timer');
        break;
      case EventType.ACTIVITY_TASK_SCHEDULED: {
        const a = e.activityTaskScheduledEventAttributes!;
        const type = a.activityType?.name ?? '?';
        activities[type] = (activities[type] ?? 0) + 1;
        add(`activity ${type}`);
        break;
      }
      case EventType.ACTIVITY_TASK_STARTED: {
        const a = e.activityTaskStartedEventAttributes;
        const attempt = a?.attempt ?? 1;
        if (attempt > 1) add('activity retry', attempt - 1);
        lastAttempts.set(Number(a?.scheduledEventId), { startedMs: millisOf(e.eventTime), failedAttempts: attempt - 1 });
        break;
      }
      case EventType.ACTIVITY_TASK_COMPLETED:
        heartbeatsOnClose(e, e.activityTaskCompletedEventAttributes?.scheduledEventId, false);
        break;
      case EventType.ACTIVITY_TASK_FAILED:
        heartbeatsOnClose(e, e.activityTaskFailedEventAttributes?.scheduledEventId, true);
        break;
      case EventType.ACTIVITY_TASK_TIMED_OUT:
        heartbeatsOnClose(e, e.activityTaskTimedOutEventAttributes?.scheduledEventId, false);
        break;
      case EventType.ACTIVITY_TASK_CANCELED:
        heartbeatsOnClose(e, e.activityTaskCanceledEventAttributes?.scheduledEventId, false);
        break;
      case EventType.UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const fields = Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {});
        if (fields.some((f) => f !== 'TemporalChangeVersion')) add('search-attribute upsert');
        break;
      }
      case EventType.WORKFLOW_EXECUTION_SIGNALED:
        add('signal');
        break;
      case EventType.WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        add('update');
        break;
    }
  }
  if (rejectedUpdates) add('update (rejected)', rejectedUpdates);
  return { total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind, activities, events: events.length };
}
