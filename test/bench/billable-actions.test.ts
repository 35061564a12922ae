/**
 * The action count behind `npm run bench`'s cost per pair-year, over the recorded year
 * histories (test/histories) and over hand-built events for the rules a real year may not show.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { ACTIONS_PER_PAIR_YEAR_GOAL } from '../../bench/actions-per-pair-year.ts';
import { countBillableActions } from '../../bench/support/billable-actions.ts';

const EventType = temporal.api.enums.v1.EventType;
const recorded = (file: string) => historyFromJSON(JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../histories', file), 'utf8')));
const ofType = (history: ReturnType<typeof recorded>, type: temporal.api.enums.v1.EventType) => history.events!.filter((e) => e.eventType === type).length;

describe('billable actions of a pair-year', () => {
  for (const file of ['happy-year.json', 'stalled-year.json']) {
    it(`counts ${file} event by event, under the goal`, () => {
      const history = recorded(file);
      const count = countBillableActions(history);
      expect(count.events).toBe(history.events!.length);
      expect(count.byKind['workflow start']).toBe(1);
      expect(count.byKind.timer).toBe(ofType(history, EventType.EVENT_TYPE_TIMER_STARTED));
      expect(count.byKind.update ?? 0).toBe(ofType(history, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED));
      expect(Object.values(count.activities).reduce((a, b) => a + b, 0)).toBe(ofType(history, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED));
      // A compressed year's activities finish in milliseconds: none runs long enough to heartbeat.
      expect(count.byKind['heartbeat (estimated)']).toBeUndefined();
      expect(count.total).toBe(Object.values(count.byKind).reduce((a, b) => a + b, 0));
      expect(count.total).toBeLessThan(ACTIONS_PER_PAIR_YEAR_GOAL);
    });
  }

  it('bills retries, rejected Updates, upserts and the heartbeats of long or failed attempts, but not a version marker upsert', () => {
    const payload = (value: unknown) => ({ data: Buffer.from(JSON.stringify(value)).toString('base64') });
    const at = (ms: number) => new Date(ms).toISOString();
    const activity = (id: number, attempt: number, startedMs: number, completedMs: number) => [
      {
        eventId: String(id),
        eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
        activityTaskScheduledEventAttributes: { activityType: { name: 'deliverEffects' }, input: { payloads: [payload({ notifications: [], invites: [] })] } },
      },
      {
        eventType: 'EVENT_TYPE_ACTIVITY_TASK_STARTED',
        eventTime: at(startedMs),
        activityTaskStartedEventAttributes: { scheduledEventId: String(id), attempt },
      },
      { eventType: 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED', eventTime: at(completedMs), activityTaskCompletedEventAttributes: { scheduledEventId: String(id) } },
    ];
    const upsert = (field: string) => ({
      eventType: 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES',
      upsertWorkflowSearchAttributesEventAttributes: { searchAttributes: { indexedFields: { [field]: payload('x') } } },
    });
    const history = historyFromJSON({
      events: [
        { eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', workflowExecutionStartedEventAttributes: {} },
        // Third attempt, after two failures (one heartbeat each), done in 0.4 s: 2 heartbeats.
        ...activity(2, 3, 10_000, 10_400),
        // First attempt, 13 s long: ticks from 2 s on, let through at 2 and 10 s: 2 heartbeats.
        ...activity(5, 1, 20_000, 33_000),
        // Done in 1.9 s: none.
        ...activity(8, 1, 40_000, 41_900),
        upsert('TemporalChangeVersion'),
        upsert('TandemStage'),
        { eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED', workflowExecutionSignaledEventAttributes: {} },
        { eventType: 'EVENT_TYPE_MARKER_RECORDED', markerRecordedEventAttributes: {} },
      ],
    });
    const count = countBillableActions(history, 2);
    expect(count.byKind).toEqual({
      'workflow start': 1,
      'activity deliverEffects': 3,
      'activity retry': 2,
      'heartbeat (estimated)': 4,
      'search-attribute upsert': 1,
      signal: 1,
      'update (rejected)': 2,
    });
    expect(count.total).toBe(14);
  });

  it('bills local activities once per workflow task that ran any (the projection of a run that delivers behind it)', () => {
    const history = recorded('happy-year-delivery-behind.json');
    const count = countBillableActions(history);
    const markers = history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length;
    expect(markers).toBeGreaterThan(0);
    const billed = count.byKind['local activities (one per workflow task)']!;
    expect(billed).toBeGreaterThan(0);
    expect(billed).toBeLessThanOrEqual(markers);
    expect(billed).toBeLessThanOrEqual(ofType(history, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED));
    expect(count.total).toBeLessThan(ACTIONS_PER_PAIR_YEAR_GOAL);
  });

  it('bills two local activities of one workflow task as one action, and one in the next task as another', () => {
    const marker = { eventType: EventType.EVENT_TYPE_MARKER_RECORDED, markerRecordedEventAttributes: { markerName: 'core_local_activity' } };
    const completed = { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED };
    const count = countBillableActions({ events: [completed, marker, marker, completed, marker] });
    expect(count.byKind).toEqual({ 'local activities (one per workflow task)': 2 });
  });
});
