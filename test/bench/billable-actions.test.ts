/**
 * The action count behind `npm run bench`'s cost per pair-year, over the recorded year
 * histories (test/histories) and over hand-built events for the rules a real year may not show.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { ACTIONS_PER_PAIR_YEAR_GOAL, heartbeatsAtOnce } from '../../bench/actions-per-pair-year.ts';
import { countBillableActions } from '../../bench/support/billable-actions.ts';

const EventType = temporal.api.enums.v1.EventType;
/** A rule under which only activities whose input carries mail heartbeat: the counter applies whichever rule it is given. */
const mailOnly = (_type: string, input: unknown) => ((input as { notifications?: unknown[] } | undefined)?.notifications?.length ?? 0) > 0;
const recorded = (file: string) => historyFromJSON(JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../histories', file), 'utf8')));
const ofType = (history: ReturnType<typeof recorded>, type: temporal.api.enums.v1.EventType) => history.events!.filter((e) => e.eventType === type).length;

describe('billable actions of a pair-year', () => {
  for (const file of ['happy-year.json', 'stalled-year.json']) {
    it(`counts ${file} event by event, under the goal`, () => {
      const history = recorded(file);
      const count = countBillableActions(history, heartbeatsAtOnce);
      expect(count.events).toBe(history.events!.length);
      expect(count.byKind['workflow start']).toBe(1);
      expect(count.byKind.timer).toBe(ofType(history, EventType.EVENT_TYPE_TIMER_STARTED));
      expect(count.byKind.update ?? 0).toBe(ofType(history, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED));
      expect(Object.values(count.activities).reduce((a, b) => a + b, 0)).toBe(ofType(history, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED));
      // Every activity heartbeats as it starts (keep-alive): at least one each.
      expect(count.byKind['heartbeat (at least)']).toBe(ofType(history, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED));
      expect(count.total).toBe(Object.values(count.byKind).reduce((a, b) => a + b, 0));
      expect(count.total).toBeLessThan(ACTIONS_PER_PAIR_YEAR_GOAL);
    });
  }

  it('bills retries, rejected Updates and upserts, but not a version marker upsert', () => {
    const payload = (value: unknown) => ({ data: new TextEncoder().encode(JSON.stringify(value)) });
    const history: temporal.api.history.v1.IHistory = {
      events: [
        { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED },
        {
          eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
          activityTaskScheduledEventAttributes: {
            activityType: { name: 'applyEffects' },
            input: { payloads: [payload({ notifications: [{}], invites: [] })] },
          },
        },
        { eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, activityTaskStartedEventAttributes: { attempt: 3 } },
        {
          eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
          activityTaskScheduledEventAttributes: { activityType: { name: 'applyEffects' }, input: { payloads: [payload({ notifications: [], invites: [] })] } },
        },
        {
          eventType: EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
          upsertWorkflowSearchAttributesEventAttributes: { searchAttributes: { indexedFields: { TemporalChangeVersion: payload(['p']) } } },
        },
        {
          eventType: EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
          upsertWorkflowSearchAttributesEventAttributes: { searchAttributes: { indexedFields: { TandemStage: payload('x') } } },
        },
        { eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED },
        { eventType: EventType.EVENT_TYPE_MARKER_RECORDED },
      ],
    };
    const count = countBillableActions(history, mailOnly, 2);
    expect(count.byKind).toEqual({
      'workflow start': 1,
      'activity applyEffects': 2,
      'heartbeat (at least)': 1,
      'activity retry': 2,
      'search-attribute upsert': 1,
      signal: 1,
      'update (rejected)': 2,
    });
    expect(count.total).toBe(10);
  });

  it('bills local activities once per workflow task that ran any (the projection of a run that delivers behind it)', () => {
    const history = recorded('happy-year-delivery-behind.json');
    const count = countBillableActions(history, heartbeatsAtOnce);
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
    const count = countBillableActions({ events: [completed, marker, marker, completed, marker] }, heartbeatsAtOnce);
    expect(count.byKind).toEqual({ 'local activities (one per workflow task)': 2 });
  });
});
