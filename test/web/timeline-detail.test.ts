/** The pair timeline's details in a coordinator's words (pure formatting, no stack). */
import { describe, expect, it } from 'vitest';
import { timelineDetailText, timelineKindText } from '../../src/web/coordinator/timeline-detail.ts';

describe('timeline details', () => {
  it('writes instants in the zone, rungs by name and pauses as durations; leaves out ids and counters', () => {
    expect(timelineDetailText({ dueAt: '2026-11-26T15:00:00.000Z' }, 'America/New_York')).toBe('due: 26 Nov 2026, 10:00 GMT-5');
    expect(timelineDetailText({ rung: 'notify-coordinator', index: 2 }, 'UTC')).toBe('rung: Coordinator notified');
    expect(timelineDetailText({ pausedForMs: 3 * 86_400_000, by: 'coordinator' }, 'UTC')).toBe('paused for: 3 days · by: coordinator');
    expect(timelineDetailText({ pausedForMs: 726 }, 'UTC')).toBe('paused for: under a minute');
    expect(timelineDetailText({ n: 0 }, 'UTC')).toBe('');
    expect(timelineDetailText({ academicYear: 2026, run: 'abc', personId: 'p1' }, 'UTC')).toBe('academic year: 2026');
    expect(timelineDetailText({ phase: 'resolved-by-coordinator', until: null }, 'UTC')).toBe('phase: resolved by coordinator');
  });

  it('names event kinds in words', () => {
    expect(timelineKindText('ladder-rung')).toBe('Escalated');
    expect(timelineKindText('cycle-paused')).toBe('Cycle paused');
  });
});
