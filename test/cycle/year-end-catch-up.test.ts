/**
 * A worker stopped across a cohort's year end, on the real stack: the mentees gave feedback
 * through the pages, then the worker stopped before the feedback window closed and came back
 * only after the year had ended. Every cycle still applies what fell due, in order — the
 * feedback window closes and is announced to both, the evaluation input is produced — and only
 * then closes the year. Nothing lapses for the worker's absence. A policy day passes each second.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { enrollPair } from '../../src/enrollment/enroll-pair.ts';
import { testPolicy } from '../support/policy.ts';
import { eventually, timeline } from '../support/cycle.ts';
import { claimsOf, postForm } from '../web/support/participant-web.ts';
import { useWebStack } from '../web/support/web-stack.ts';
import { feedbackForm } from '../evaluation/support.ts';

const DAY_MS = 1_000;

/** Feedback from day 1 to day 15, evaluation on day 18, the year's end on day 30; check-ins late and out of the way. */
function shortYear() {
  return testPolicy({
    timeCompression: 86_400,
    yearLengthDays: 30,
    stages: {
      expectations: { opensAtDay: 0, dueAtDay: 29 },
      checkIns: [
        { opensAtDay: 25, dueAtDay: 29 },
        { opensAtDay: 25, dueAtDay: 29 },
        { opensAtDay: 25, dueAtDay: 29 },
        { opensAtDay: 25, dueAtDay: 29 },
      ],
      trainingGoalsWithCheckIn: 1,
      feedback: { opensAtDay: 1, dueAtDay: 15 },
      evaluationAtDay: 18,
    },
  });
}

describe('a year end the worker missed', () => {
  const env = useWebStack({ policy: shortYear() });

  async function link(to: string, cycleId: string): Promise<string> {
    const find = () =>
      env.stack.mail
        .to(to)
        .flatMap((m) => [...(m.parsed.text ?? '').matchAll(/http:\/\/tandem\.test(\/a\/[A-Za-z0-9_.-]+)/g)].map((x) => x[1]!))
        .find((p) => claimsOf(p).act === 'give-feedback' && claimsOf(p).cyc === cycleId);
    await env.stack.mail.waitFor(() => find() !== undefined, 30_000);
    return find()!;
  }

  it('still releases and announces feedback and produces every evaluation packet, then closes the year', { timeout: 150_000 }, async () => {
    // Two mentors: one with three mentees (ratings released), one with two (withheld, but a packet all the same).
    const tag = randomUUID().slice(0, 8);
    const pairs = await Promise.all(
      [3, 2].flatMap((count, m) =>
        Array.from({ length: count }, async (_, i) => {
          const mentorEmail = `mentor${m}.${tag}@example.edu`;
          const menteeEmail = `mentee${m}-${i}.${tag}@example.edu`;
          const enrolled = await enrollPair(
            { db: env.stack.db, temporal: env.stack.client, taskQueue: env.stack.taskQueue, policy: env.stack.policy },
            {
              mentor: { fullName: `Mentor ${m} ${tag}`, email: mentorEmail },
              mentee: { fullName: `Mentee ${m}-${i} ${tag}`, email: menteeEmail },
              program: 'PhD Biology',
            },
          );
          return { ...enrolled, mentorEmail, menteeEmail };
        }),
      ),
    );
    const startedAt = Date.now();
    for (const p of pairs) {
      const done = await postForm(env.web, await link(p.menteeEmail, p.cycleId), feedbackForm('mentee', '4', { whatHelped: 'MENTEE-TEXT' }));
      expect(done.statusCode, done.body).toBe(200);
    }
    // Stopped before the window closes (day 15); back only after the year's end (day 30).
    await env.stack.stopWorker();
    expect(Date.now() - startedAt).toBeLessThan(15 * DAY_MS);
    await eventually(
      async () => Date.now(),
      (t) => t > startedAt + 32 * DAY_MS,
      60_000,
      'the year to pass',
    );
    await env.stack.startWorker();

    for (const p of pairs) {
      const events = await eventually(
        () => timeline(env.stack, p.cycleId),
        (rows) => rows.some((e) => e.kind === 'year-ended'),
        60_000,
        `the year of ${p.cycleId} to end`,
      );
      const at = (step: string, kind: string) => events.findIndex((e) => e.step === step && e.kind === kind);
      expect(events.find((e) => e.step === 'feedback' && (e.kind === 'step-closed' || e.kind === 'step-completed'))?.detail).toMatchObject({
        phase: 'window-closed',
      });
      expect(events.find((e) => e.step === 'evaluation' && e.kind === 'step-completed')?.detail.phase).toMatch(/^(released|withheld)$/);
      expect(events.filter((e) => e.detail.phase === 'lapsed-at-year-end').map((e) => e.step)).not.toContain('feedback');
      expect(events.filter((e) => e.detail.phase === 'lapsed-at-year-end').map((e) => e.step)).not.toContain('evaluation');
      // In order: feedback closed, evaluation produced, then the year closed.
      expect(at('feedback', 'step-closed')).toBeLessThan(at('evaluation', 'step-completed'));
      expect(at('evaluation', 'step-completed')).toBeLessThan(events.findIndex((e) => e.kind === 'year-ended'));
    }
    // The mentees' feedback is announced to both sides of every pair.
    for (const p of pairs) {
      await eventually(
        () => env.stack.db.selectFrom('outbox').select('to_address').where('cycle_id', '=', p.cycleId).where('kind', '=', 'feedback-released').execute(),
        (rows) => rows.length === 2,
        60_000,
        'feedback-released to both',
      ).then((rows) => expect(rows.map((r) => r.to_address).sort()).toEqual([p.mentorEmail, p.menteeEmail].sort()));
    }
    // One packet per mentor for the year: released for three responses, withheld (but produced) for two.
    const mentorIds = await env.stack.db
      .selectFrom('pairs')
      .select('mentor_id')
      .where(
        'id',
        'in',
        pairs.map((p) => p.pairId),
      )
      .distinct()
      .execute();
    const packets = await env.stack.db
      .selectFrom('evaluation_packets')
      .innerJoin('people', 'people.id', 'evaluation_packets.mentor_id')
      .select(['people.email', 'ratings_status', 'responses'])
      .where(
        'mentor_id',
        'in',
        mentorIds.map((r) => r.mentor_id),
      )
      .where('academic_year', '=', pairs[0]!.academicYear)
      .execute();
    expect(packets.map((r) => `${r.email} ${r.ratings_status}`).sort()).toEqual([`mentor0.${tag}@example.edu released`, `mentor1.${tag}@example.edu withheld`]);
    for (const p of pairs) await env.stack.client.workflow.getHandle(p.workflowId).terminate('test over');
  });
});
