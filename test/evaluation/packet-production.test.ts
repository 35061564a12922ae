/**
 * Producing packets against real Postgres (no workflow needed): a released packet's ratings
 * never change when a late response arrives, so two versions can never be compared; the
 * late response waits for the next year's pool; each read is audited.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createDb } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';
import { parseFeedbackForm } from '../../src/evaluation/feedback-content.ts';
import { saveFeedback } from '../../src/stores/participant-content-store.ts';
import { DEFAULT_FRAMEWORK } from '../../src/evaluation/default-framework.ts';
import { produceEvaluationPacket, readPackets } from '../../src/evaluation/packets.ts';
import { dataKeyFrom } from '../../src/security/data-encryption.ts';
import { testPolicy } from '../support/policy.ts';
import { feedbackForm } from './support.ts';

describe('producing evaluation packets', () => {
  let db: Kysely<Database>;
  const policy = testPolicy();
  const key = dataKeyFrom({ secret: 'packet-test-secret-0123456789abcdef' });
  beforeAll(async () => {
    db = createDb(inject('databaseUrl'), 2);
    await db.insertInto('departments').values({ id: policy.department.id, name: 'Biology' }).execute();
  });
  afterAll(() => db?.destroy());

  const person = async (name: string) =>
    (
      await db
        .insertInto('people')
        .values({ department_id: policy.department.id, email: `${name}.${randomUUID().slice(0, 8)}@example.edu`, full_name: name, time_zone: 'UTC' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  async function pairWithFeedback(mentorId: string, year: number, rating: string) {
    const menteeId = await person('mentee');
    const pair = await db
      .insertInto('pairs')
      .values({ department_id: policy.department.id, mentor_id: mentorId, mentee_id: menteeId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const cycle = await db
      .insertInto('cycles')
      .values({ pair_id: pair.id, academic_year: year, workflow_id: `wf-${pair.id}`, enrolled_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const parsed = parseFeedbackForm(DEFAULT_FRAMEWORK, 'mentee', feedbackForm('mentee', rating));
    if (!parsed.ok) throw new Error('form');
    await saveFeedback(db, key, { cycleId: cycle.id, authorPersonId: menteeId, authorRole: 'mentee', content: parsed.content });
    return { pairId: pair.id, cycleId: cycle.id };
  }

  it('freezes released ratings and pools a late response into the next year', async () => {
    const mentorId = await person('mentor');
    const pairs = [await pairWithFeedback(mentorId, 2026, '3'), await pairWithFeedback(mentorId, 2026, '4'), await pairWithFeedback(mentorId, 2026, '5')];
    const first = await produceEvaluationPacket({ db, policy, key }, { pairId: pairs[0]!.pairId, academicYear: 2026 });
    expect(first).toMatchObject({ released: true, responses: 3 });

    // A fourth mentee of the same year answers late; the year's packet is produced again for their pair.
    const late = await pairWithFeedback(mentorId, 2026, '7');
    const again = await produceEvaluationPacket({ db, policy, key }, { pairId: late.pairId, academicYear: 2026 });
    expect(again).toMatchObject({ packetId: first.packetId, released: true, responses: 3 });
    const actor = { kind: 'staff' as const, id: 'eve', role: 'evaluation' as const };
    const [packet] = await readPackets(
      db,
      key,
      { departmentId: policy.department.id, packetIds: [first.packetId] },
      { actor, action: 'read-packet', reason: 'test' },
    );
    expect(packet!.ratings).toMatchObject({ status: 'released', aggregate: { responses: 3, overallMean: 4 } });
    expect(packet!.facts.pairs).toBe(4);

    // Next year: the late response plus two new ones make three, released on their own.
    const next = [await pairWithFeedback(mentorId, 2027, '1'), await pairWithFeedback(mentorId, 2027, '1')];
    const y2 = await produceEvaluationPacket({ db, policy, key }, { pairId: next[0]!.pairId, academicYear: 2027 });
    expect(y2).toMatchObject({ released: true, responses: 3 });
    const [second] = await readPackets(
      db,
      key,
      { departmentId: policy.department.id, packetIds: [y2.packetId] },
      { actor, action: 'read-packet', reason: 'test' },
    );
    expect(second!.ratings).toMatchObject({ status: 'released', coveredYears: [2026, 2027], aggregate: { overallMean: 3 } });

    const audit = await db.selectFrom('audit_log').select(['action', 'subject_kind']).where('actor_id', 'in', ['eve', 'evaluation-input']).execute();
    expect(audit.filter((a) => a.action === 'read-packet')).toHaveLength(2);
    expect(audit.filter((a) => a.action === 'aggregate-feedback' && a.subject_kind === 'feedback').length).toBeGreaterThanOrEqual(3);
  });

  it('refuses to open a packet without a reason', async () => {
    await expect(
      readPackets(
        db,
        key,
        { departmentId: policy.department.id },
        { actor: { kind: 'staff', id: 'x', role: 'evaluation' }, action: 'read-packet', reason: '  ' },
      ),
    ).rejects.toThrow(/reason/);
  });
});
