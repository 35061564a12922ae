/**
 * A mentee's confidential request for help, from the "need help?" link at the end of a real
 * email: it reaches the chosen department resource by email and help_requests, and nothing
 * of it reaches the mentor, the cycle's records or the workflow.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollTestPair, timeline } from '../support/cycle.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
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
    await c.handle.terminate('test over');
  });
});
