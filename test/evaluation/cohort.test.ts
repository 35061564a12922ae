/**
 * A compressed-policy cohort on the real stack: mentors with 1, 2, 3 and 5 mentees give and
 * receive feedback through the pages; each year's end produces their packets. Below the
 * threshold of 3 nothing is released; 3 and 5 are; the next year pools what was withheld.
 * Packets reach the evaluation committee only, with a reason, audited; CSV is formula-safe;
 * the workflow histories hold none of the text anyone typed.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { enrollPair, type EnrollPairResult } from '../../src/enrollment/enroll-pair.ts';
import type { Action } from '../../src/security/action-tokens.ts';
import { eventually } from '../support/cycle.ts';
import { makeStaff } from '../web/dashboard-support.ts';
import { claimsOf, postForm } from '../web/support/participant-web.ts';
import { feedbackForm, feedbackPolicy, staffCookie } from './support.ts';
import { useWebStack } from '../web/support/web-stack.ts';

interface Pair extends EnrollPairResult {
  mentor: string;
  mentorEmail: string;
  menteeEmail: string;
}

describe('evaluation input for a cohort', () => {
  const env = useWebStack({ policy: feedbackPolicy() });

  /** The emailed link for `act` of one cycle, waiting for it. */
  async function link(to: string, act: Action, cycleId: string): Promise<string> {
    const find = () =>
      env.stack.mail
        .to(to)
        .flatMap((m) => [...(m.parsed.text ?? '').matchAll(/http:\/\/tandem\.test(\/a\/[A-Za-z0-9_.-]+)/g)].map((x) => x[1]!))
        .find((p) => claimsOf(p).act === act && claimsOf(p).cyc === cycleId);
    await env.stack.mail.waitFor(() => find() !== undefined, 60_000);
    return find()!;
  }

  async function give(pair: Pair, cycleId: string, menteeRating: string, year: string): Promise<void> {
    const mentee = await postForm(
      env.web,
      await link(pair.menteeEmail, 'give-feedback', cycleId),
      feedbackForm('mentee', menteeRating, { whatHelped: `MENTEE-SECRET-${year}-${pair.menteeEmail}` }),
    );
    expect(mentee.statusCode, mentee.body).toBe(200);
  }

  async function giveMentor(pair: Pair, cycleId: string): Promise<void> {
    const mentor = await postForm(
      env.web,
      await link(pair.mentorEmail, 'give-feedback', cycleId),
      feedbackForm('mentor', '5', { reflection: `REFLECTION-OF-${pair.mentor}` }),
    );
    expect(mentor.statusCode, mentor.body).toBe(200);
  }

  async function evaluated(cycleIds: string[]): Promise<void> {
    await eventually(
      () =>
        env.stack.db
          .selectFrom('cycle_events')
          .select('cycle_id')
          .where('cycle_id', 'in', cycleIds)
          .where('step', '=', 'evaluation')
          .where('kind', '=', 'step-completed')
          .execute(),
      (rows) => rows.length === cycleIds.length,
      240_000, // a compressed year is ~52 s; a loaded 2-core CI machine can take several times that
      'every cycle to reach its evaluation',
    );
  }

  it('releases packets only from 3 mentee responses, pools withheld years, and shows them to the evaluation role only', { timeout: 600_000 }, async () => {
    const tag = randomUUID().slice(0, 6);
    // Mentor "=Formula" tests the CSV: a name a spreadsheet would run.
    const sizes: [string, number, string[]][] = [
      ['One', 1, ['6']],
      ['Two', 2, ['4', '4']],
      ['Three', 3, ['3', '5', '7']],
      ['=Five', 5, ['1', '2', '3', '4', '5']],
    ];
    const pairs: (Pair & { rating: string })[] = [];
    const yearOne: Promise<void>[] = [];
    for (const [mentor, count, ratings] of sizes) {
      for (let i = 0; i < count; i++) {
        const mentorEmail = `mentor.${mentor.replace('=', '')}.${tag}@example.edu`.toLowerCase();
        const menteeEmail = `mentee.${mentor.replace('=', '')}${i}.${tag}@example.edu`.toLowerCase();
        const result = await enrollPair(
          { db: env.stack.db, temporal: env.stack.client, taskQueue: env.stack.taskQueue, policy: env.stack.policy },
          {
            mentor: { fullName: `${mentor} Mentor ${tag}`, email: mentorEmail },
            mentee: { fullName: `Mentee ${mentor}${i} ${tag}`, email: menteeEmail },
            program: 'PhD',
          },
        );
        const pair = { ...result, mentor, mentorEmail, menteeEmail, rating: ratings[i]! };
        pairs.push(pair);
        // Each pair's feedback window closes ~36 s after its own start: answer at once, not after the whole cohort is enrolled.
        yearOne.push(
          (async () => {
            await give(pair, pair.cycleId, pair.rating, 'Y1');
            await giveMentor(pair, pair.cycleId);
          })(),
        );
        yearOne.at(-1)!.catch(() => undefined); // awaited below; an early failure is reported there
      }
    }
    const year = pairs[0]!.academicYear;
    await Promise.all(yearOne);
    await evaluated(pairs.map((p) => p.cycleId));

    // Year two starts the moment year one ends, and its feedback window closes about 36 s later
    // in this compressed policy, whatever the test is doing: so the mentees of One and Two answer
    // as soon as their year-two links arrive, while year one's packets are checked below.
    const nextCycle = async (p: Pair) =>
      (await eventually(
        () =>
          env.stack.db
            .selectFrom('cycles')
            .select('id')
            .where('pair_id', '=', p.pairId)
            .where('academic_year', '=', year + 1)
            .executeTakeFirst(),
        (row) => row !== undefined,
        60_000,
        'year two',
      ))!.id;
    const yearTwo = (async () => {
      const cycles = await Promise.all(pairs.map(async (p) => ({ p, cycleId: await nextCycle(p) })));
      await Promise.all(cycles.filter(({ p }) => p.mentor === 'One' || p.mentor === 'Two').map(({ p, cycleId }) => give(p, cycleId, '2', 'Y2')));
      return cycles;
    })();
    yearTwo.catch(() => undefined); // awaited below; this only keeps an early failure from being reported as unhandled

    const packets = async (academicYear: number) =>
      env.stack.db
        .selectFrom('evaluation_packets')
        .innerJoin('people', 'people.id', 'evaluation_packets.mentor_id')
        .select(['people.email', 'ratings_status', 'responses', 'covered_years', 'sealed'])
        .where('academic_year', '=', academicYear)
        .where('people.email', 'like', `%.${tag}@example.edu`)
        .orderBy('people.email')
        .execute();
    const y1 = await packets(year);
    expect(y1.map((p) => [p.email.split('.')[1], p.ratings_status, p.responses])).toEqual([
      ['five', 'released', 5],
      ['one', 'withheld', 0],
      ['three', 'released', 3],
      ['two', 'withheld', 0],
    ]);
    for (const p of y1) expect(p.sealed.toString('latin1')).not.toContain('REFLECTION-OF');

    // The evaluation committee reads them, with a reason; the coordinator cannot.
    const evaluator = await makeStaff(env.stack, ['evaluation'], 'Eve Evaluator');
    const coordinator = await makeStaff(env.stack, ['coordinator'], 'Casey Coordinator');
    const evalCookie = await staffCookie(env.web, env.stack, evaluator.email);
    const coordCookie = await staffCookie(env.web, env.stack, coordinator.email);
    const noReason = await env.web.inject({ method: 'GET', url: `/evaluation/packets?year=${year}`, headers: { cookie: evalCookie } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('reason');
    const printable = await env.web.inject({
      method: 'GET',
      url: `/evaluation/packets?year=${year}&reason=${encodeURIComponent('annual merit review')}`,
      headers: { cookie: evalCookie },
    });
    expect(printable.statusCode).toBe(200);
    const section = (name: string) => printable.body.split('<section class="packet"').find((s) => s.includes(`${name} Mentor ${tag}`)) ?? '';
    expect(section('Three')).toContain('Aggregated from <strong>3</strong> mentee responses');
    expect(section('Three')).toContain('Overall mean: <span class="mean">5.0</span>');
    expect(section('=Five')).toContain('Overall mean: <span class="mean">3.0</span>');
    for (const name of ['One', 'Two']) {
      expect(section(name)).toContain('withheld');
      expect(section(name)).not.toContain('class="mean"');
    }
    expect(section('Two')).toContain('REFLECTION-OF-Two');
    expect(section('=Five')).toContain('Check-ins held: 0 of');
    expect(printable.body).not.toContain('MENTEE-SECRET');

    const csv = await env.web.inject({ method: 'GET', url: `/evaluation/packets.csv?year=${year}&reason=merit`, headers: { cookie: evalCookie } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.body
      .trimEnd()
      .split('\r\n')
      .filter((r) => r.includes(tag));
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.includes('Five'))).toMatch(new RegExp(`^${year},'=Five Mentor ${tag},released,5,${year},3,`));
    expect(rows.find((r) => r.includes('One Mentor'))).toMatch(new RegExp(`^${year},One Mentor ${tag},withheld,,,,`));
    expect(csv.body).not.toContain('MENTEE-SECRET');

    for (const url of [`/evaluation`, `/evaluation/packets?year=${year}&reason=x`, `/evaluation/packets.csv?year=${year}&reason=x`]) {
      expect((await env.web.inject({ method: 'GET', url, headers: { cookie: coordCookie } })).statusCode, url).toBe(403);
    }
    const audit = await env.stack.db.selectFrom('audit_log').selectAll().where('actor_id', '=', evaluator.id).execute();
    expect(audit.filter((a) => a.action === 'read-packet').every((a) => a.reason === 'annual merit review')).toBe(true);
    expect(audit.filter((a) => a.action === 'read-packet').length).toBeGreaterThanOrEqual(4);
    expect(audit.filter((a) => a.action === 'export-packets-csv').length).toBeGreaterThanOrEqual(4);

    // The year's histories carry no typed text.
    for (const p of pairs.slice(0, 3)) {
      const first = await env.stack.db
        .selectFrom('cycle_events')
        .select('detail')
        .where('cycle_id', '=', p.cycleId)
        .where('kind', '=', 'cycle-started')
        .executeTakeFirstOrThrow();
      const history = JSON.stringify(await env.stack.client.workflow.getHandle(p.workflowId, String(first.detail.run)).fetchHistory());
      expect(history).not.toContain('MENTEE-SECRET');
      expect(history).not.toContain('REFLECTION-OF');
      expect(history).not.toContain('weekly');
    }

    // Year two (started above): One's 1 + 1 stay withheld; Two's 2 + 2 are pooled and released;
    // Three's and Five's spent responses are never counted again.
    const y2 = await yearTwo;
    await evaluated(y2.map((x) => x.cycleId));
    expect((await packets(year + 1)).map((p) => [p.email.split('.')[1], p.ratings_status, p.responses, p.covered_years])).toEqual([
      ['five', 'withheld', 0, []],
      ['one', 'withheld', 0, []],
      ['three', 'withheld', 0, []],
      ['two', 'released', 4, [year, year + 1]],
    ]);
    for (const p of pairs)
      await env.stack.client.workflow
        .getHandle(p.workflowId)
        .terminate('test over')
        .catch(() => undefined);
  });
});
