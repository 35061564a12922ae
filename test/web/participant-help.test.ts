/**
 * A mentee's confidential request for help, from the "need help?" link at the end of a real
 * email: it reaches the chosen department resource by email and help_requests, and nothing
 * of it reaches the mentor, the cycle's records or the workflow.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueActionToken } from '../../src/security/action-tokens.ts';
import { endPairUpdate } from '../../src/workflows/definitions.ts';
import { enrollTestPair, eventually, timeline } from '../support/cycle.ts';
import { startTestStack, TEST_SECRET, type TestStack } from '../support/stack.ts';
import { linkFromMail, participantWeb, postForm } from './support/participant-web.ts';

const SECRET_MESSAGE = 'My mentor has not replied for six weeks and I feel stuck — CONFIDENTIAL-HELP-TEXT.';

describe('participant pages: confidential help', () => {
  let stack: TestStack;
  let web: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => {
    stack = await startTestStack();
    ({ web, close } = await participantWeb(stack));
  });
  afterAll(async () => {
    await close?.();
    await stack?.close();
  });

  it('sends the message to the chosen resource only, and keeps it out of the cycle', async () => {
    const c = await enrollTestPair(stack);
    const help = await linkFromMail(stack, c.menteeEmail, 'request-help');
    const page = await web.inject({ method: 'GET', url: help });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your mentor is not told.');
    for (const r of stack.policy.resources) expect(page.body).toContain(r.name);

    const incomplete = await postForm(web, help, { message: SECRET_MESSAGE });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.body).toContain('href="#field-resource">Choose who you would like to reach.</a>');
    expect(incomplete.body).toContain(SECRET_MESSAGE);

    const ombuds = stack.policy.resources.find((r) => r.id === 'ombuds')!;
    const sent = await postForm(web, help, { resource: 'ombuds', message: SECRET_MESSAGE });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain(`Your message has gone to ${ombuds.name}`);

    await stack.mail.waitFor((all) => all.some((m) => m.envelopeTo.includes(ombuds.email)));
    const toResource = stack.mail.to(ombuds.email);
    expect(toResource).toHaveLength(1);
    expect(toResource[0]!.parsed.subject).toBe('Confidential: a mentee asks for help');
    expect(toResource[0]!.parsed.text).toContain(SECRET_MESSAGE);
    expect(toResource[0]!.parsed.text).toContain(c.menteeEmail);

    expect(await stack.db.selectFrom('help_requests').select(['person_id', 'resource_id', 'message']).where('cycle_id', '=', c.cycleId).execute()).toEqual([
      { person_id: c.menteeId, resource_id: 'ombuds', message: SECRET_MESSAGE },
    ]);
    // Nowhere else: not to the mentor, not on the cycle's timeline or outbox, not in the workflow's history.
    expect(stack.mail.to(c.mentorEmail).some((m) => (m.parsed.text ?? '').includes('CONFIDENTIAL-HELP-TEXT'))).toBe(false);
    expect(JSON.stringify(await timeline(stack, c.cycleId))).not.toContain('help');
    expect(await stack.db.selectFrom('outbox').select('kind').where('cycle_id', '=', c.cycleId).where('kind', '=', 'help-request').execute()).toEqual([]);
    expect(JSON.stringify(await c.handle.fetchHistory())).not.toContain('CONFIDENTIAL-HELP-TEXT');

    const reused = await postForm(web, help, { resource: 'ombuds', message: 'again' });
    expect(reused.statusCode).toBe(409);
    expect(reused.body).toContain(`You sent a message to ${ombuds.name} with this link on`);
    expect(stack.mail.to(ombuds.email)).toHaveLength(1);

    // Help does not end with the pair: another help link still works after the pair has ended.
    await c.handle.executeUpdate(endPairUpdate, { args: [{ actor: { role: 'coordinator', coordinatorId: 'c' }, reason: 'lab-change' }] });
    await eventually(() => stack.db.selectFrom('cycles').select('status').where('id', '=', c.cycleId).executeTakeFirstOrThrow(), (r) => r.status === 'ended', 15_000);
    const later = `/a/${issueActionToken(TEST_SECRET, { sub: c.menteeId, cyc: c.cycleId, act: 'request-help' }, { ttlSeconds: 3600 })}`;
    expect((await postForm(web, later, { resource: 'grad-office', message: 'After the lab change I need a new mentor.' })).statusCode).toBe(200);
    await stack.mail.waitFor((all) => all.some((m) => m.envelopeTo.includes('grad-office@example.edu')));
    // …while a step's link of the ended pair says the year is closed.
    const closed = `/a/${issueActionToken(TEST_SECRET, { sub: c.mentorId, cyc: c.cycleId, act: 'share-expectations', stp: 'expectations' }, { ttlSeconds: 3600 })}`;
    const closedPage = await web.inject({ method: 'GET', url: closed });
    expect(closedPage.statusCode).toBe(410);
    expect(closedPage.body).toContain('This mentoring pair has ended');
  });
});
