/**
 * A mentee's confidential request for help, from the "need help?" link at the end of a real
 * email: it reaches the chosen department resource by email and help_requests, and nothing
 * of it reaches the mentor, the cycle's records or the workflow.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { issueActionToken } from '../../src/security/action-tokens.ts';
import { upsertStaff } from '../../src/staff/accounts.ts';
import { endPairUpdate } from '../../src/workflows/definitions.ts';
import { staffCookie } from '../evaluation/support.ts';
import { enrollTestPair, eventually, timeline } from '../support/cycle.ts';
import { TEST_SECRET, testPolicy } from '../support/stack.ts';
import { linkFromMail, postForm } from './support/participant-web.ts';
import { useWebStack } from './support/web-stack.ts';

const SECRET_MESSAGE = 'My mentor has not replied for six weeks and I feel stuck — CONFIDENTIAL-HELP-TEXT.';

describe('participant pages: confidential help', () => {
  // Its own ombuds address: staff accounts are per address, and other test files sign the default ombuds in elsewhere.
  const base = testPolicy();
  const env = useWebStack({
    policy: { ...base, resources: base.resources.map((r) => (r.id === 'ombuds' ? { ...r, email: `ombuds-${base.department.id}@example.edu` } : r)) },
  });

  it('sends the message to the chosen resource only, and keeps it out of the cycle', async () => {
    const c = await enrollTestPair(env.stack);
    const help = await linkFromMail(env.stack, c.menteeEmail, 'request-help');
    const page = await env.web.inject({ method: 'GET', url: help });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your mentor is not told.');
    for (const r of env.stack.policy.resources) expect(page.body).toContain(r.name);

    const incomplete = await postForm(env.web, help, { message: SECRET_MESSAGE });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.body).toContain('href="#field-resource">Choose who you would like to reach.</a>');
    expect(incomplete.body).toContain(SECRET_MESSAGE);

    const ombuds = env.stack.policy.resources.find((r) => r.id === 'ombuds')!;
    const sent = await postForm(env.web, help, { resource: 'ombuds', message: SECRET_MESSAGE });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain(`Your message has gone to ${ombuds.name}`);

    await env.stack.mail.waitFor((all) => all.some((m) => m.envelopeTo.includes(ombuds.email)));
    const toResource = env.stack.mail.to(ombuds.email).filter((m) => m.parsed.headers.get('x-tandem-kind') === 'help-request');
    expect(toResource).toHaveLength(1);
    expect(toResource[0]!.parsed.subject).toBe('Confidential: a mentee asks for help');
    expect(toResource[0]!.parsed.text).toContain(SECRET_MESSAGE);
    expect(toResource[0]!.parsed.text).toContain(c.menteeEmail);

    // At rest the message is sealed: no plaintext column, and the sealed bytes hold no readable text.
    const stored = await env.stack.db
      .selectFrom('help_requests')
      .select(['id', 'person_id', 'resource_id', 'message', 'sealed'])
      .where('cycle_id', '=', c.cycleId)
      .execute();
    expect(stored.map((r) => ({ person_id: r.person_id, resource_id: r.resource_id, message: r.message }))).toEqual([
      { person_id: c.menteeId, resource_id: 'ombuds', message: null },
    ]);
    expect(stored[0]!.sealed!.toString('latin1')).not.toContain('CONFIDENTIAL-HELP-TEXT');
    expect(
      (await sql<{ row: string }>`select help_requests::text as row from help_requests where cycle_id = ${c.cycleId}`.execute(env.stack.db)).rows[0]!.row,
    ).not.toContain('CONFIDENTIAL');
    // …and the ombuds, signed in, still reads it, with the read on the audit log.
    const ombudsStaff = await upsertStaff(env.stack.db, {
      departmentId: env.stack.policy.department.id,
      email: ombuds.email,
      name: ombuds.name,
      roles: ['resource'],
    });
    const read = await env.web.inject({
      method: 'GET',
      url: '/resources/help-requests?reason=answer%20the%20mentee',
      headers: { cookie: await staffCookie(env.web, env.stack, ombuds.email) },
    });
    expect(read.statusCode).toBe(200);
    expect(read.body).toContain('CONFIDENTIAL-HELP-TEXT');
    expect(
      await env.stack.db
        .selectFrom('audit_log')
        .select(['action', 'subject_id', 'reason'])
        .where('actor_id', '=', ombudsStaff.id)
        .where('subject_id', '=', stored[0]!.id)
        .execute(),
    ).toEqual([{ action: 'read-help-request', subject_id: stored[0]!.id, reason: 'answer the mentee' }]);
    // Nowhere else: not to the mentor, not on the cycle's timeline or outbox, not in the workflow's history.
    expect(env.stack.mail.to(c.mentorEmail).some((m) => (m.parsed.text ?? '').includes('CONFIDENTIAL-HELP-TEXT'))).toBe(false);
    expect(JSON.stringify(await timeline(env.stack, c.cycleId))).not.toContain('help');
    expect(await env.stack.db.selectFrom('outbox').select('kind').where('cycle_id', '=', c.cycleId).where('kind', '=', 'help-request').execute()).toEqual([]);
    expect(JSON.stringify(await c.handle.fetchHistory())).not.toContain('CONFIDENTIAL-HELP-TEXT');

    const reused = await postForm(env.web, help, { resource: 'ombuds', message: 'again' });
    expect(reused.statusCode).toBe(409);
    expect(reused.body).toContain(`You sent a message to ${ombuds.name} with this link on`);
    expect(env.stack.mail.to(ombuds.email).filter((m) => m.parsed.headers.get('x-tandem-kind') === 'help-request')).toHaveLength(1);

    // Help does not end with the pair: another help link still works after the pair has ended.
    await c.handle.executeUpdate(endPairUpdate, { args: [{ actor: { role: 'coordinator', coordinatorId: 'c' }, reason: 'lab-change' }] });
    await eventually(
      () => env.stack.db.selectFrom('cycles').select('status').where('id', '=', c.cycleId).executeTakeFirstOrThrow(),
      (r) => r.status === 'ended',
      15_000,
    );
    const later = `/a/${issueActionToken(TEST_SECRET, { sub: c.menteeId, cyc: c.cycleId, act: 'request-help' }, { ttlSeconds: 3600 })}`;
    expect((await postForm(env.web, later, { resource: 'grad-office', message: 'After the lab change I need a new mentor.' })).statusCode).toBe(200);
    await env.stack.mail.waitFor((all) => all.some((m) => m.envelopeTo.includes('grad-office@example.edu')));
    // …while a step's link of the ended pair says the year is closed.
    const closed = `/a/${issueActionToken(TEST_SECRET, { sub: c.mentorId, cyc: c.cycleId, act: 'share-expectations', stp: 'expectations' }, { ttlSeconds: 3600 })}`;
    const closedPage = await env.web.inject({ method: 'GET', url: closed });
    expect(closedPage.statusCode).toBe(410);
    expect(closedPage.body).toContain('This mentoring pair has ended');
  });
});
