/**
 * The people pages' routes on the real stack: search by part of a name or email (the
 * department's people only, wildcards taken literally); a correction refused for an address
 * another person has, an unknown time zone or an empty name — each named, with what was
 * typed shown back and nothing changed; a saved email change tells the old address.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ORIGIN, makeStaff, seedCycle, signIn } from './dashboard-support.ts';
import { useWebStack } from './support/web-stack.ts';

describe('the people pages', () => {
  const ctx = useWebStack();
  const form = (session: { cookie: string; csrf: string }, url: string, fields: Record<string, string>) =>
    ctx.web.inject({
      method: 'POST',
      url,
      headers: { ...ORIGIN, cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
    });
  const person = (id: string) => ctx.stack.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const idOf = async (email: string) => (await ctx.stack.db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

  it('finds people by part of a name or an email, in this department only', async () => {
    const me = await makeStaff(ctx.stack);
    const session = await signIn(ctx.web, ctx.stack, me.email);
    const tag = randomUUID().slice(0, 6);
    const seeded = await seedCycle(ctx.stack, { mentorName: `Rosalind Franklin ${tag}` });
    const elsewhere = `other-${tag}`;
    await ctx.stack.db.insertInto('departments').values({ id: elsewhere, name: 'Chemistry' }).execute();
    await ctx.stack.db
      .insertInto('people')
      .values({ department_id: elsewhere, email: `rf.${tag}@chem.example.edu`, full_name: `Rosalind Franklin ${tag}`, time_zone: 'UTC' })
      .execute();
    const byName = await ctx.web.inject({
      method: 'GET',
      url: `/dashboard/people?q=${encodeURIComponent(`franklin ${tag}`)}`,
      headers: { cookie: session.cookie },
    });
    expect(byName.statusCode).toBe(200);
    expect(byName.body).toContain(`Rosalind Franklin ${tag}`);
    expect(byName.body).not.toContain('chem.example.edu');
    const byEmail = await ctx.web.inject({
      method: 'GET',
      url: `/dashboard/people?q=${encodeURIComponent(seeded.mentorEmail.toUpperCase())}`,
      headers: { cookie: session.cookie },
    });
    expect(byEmail.body).toContain(`/dashboard/people/${await idOf(seeded.mentorEmail)}`);
    // "%" is a character to look for, not "anything".
    const wildcard = await ctx.web.inject({ method: 'GET', url: '/dashboard/people?q=%25', headers: { cookie: session.cookie } });
    expect(wildcard.body).toContain('Nobody matches');
  });

  it('refuses an address in use, an unknown zone and an empty name, changing nothing', async () => {
    const me = await makeStaff(ctx.stack);
    const session = await signIn(ctx.web, ctx.stack, me.email);
    const a = await seedCycle(ctx.stack);
    const b = await seedCycle(ctx.stack);
    const id = await idOf(a.mentorEmail);
    const before = await person(id);
    const fields = { full_name: before.full_name, preferred_name: '', pronouns: '', time_zone: 'UTC', email: a.mentorEmail };

    const taken = await form(session, `/dashboard/people/${id}`, { ...fields, email: b.mentorEmail, pronouns: 'he/him' });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain(`${b.mentorEmail} already belongs to another person in this department; nothing was changed`);
    expect(taken.body).toContain('value="he/him"');

    const zone = await form(session, `/dashboard/people/${id}`, { ...fields, time_zone: 'Mars/Olympus' });
    expect(zone.statusCode).toBe(400);
    expect(zone.body).toContain('time-zone: &quot;Mars/Olympus&quot; is not an IANA time zone');
    const nameless = await form(session, `/dashboard/people/${id}`, { ...fields, full_name: '  ' });
    expect(nameless.statusCode).toBe(400);
    expect(nameless.body).toContain('name: is required');

    expect(await person(id)).toEqual(before);
    expect(await ctx.stack.db.selectFrom('audit_log').select('id').where('subject_id', '=', id).execute()).toEqual([]);
    expect(ctx.stack.mail.to(a.mentorEmail)).toEqual([]);
  });

  it('saves an email change and tells the old address once', async () => {
    const me = await makeStaff(ctx.stack);
    const session = await signIn(ctx.web, ctx.stack, me.email);
    const a = await seedCycle(ctx.stack);
    const id = await idOf(a.mentorEmail);
    const before = await person(id);
    const moved = `moved.${a.mentorEmail}`;
    const saved = await form(session, `/dashboard/people/${id}`, {
      full_name: before.full_name,
      preferred_name: 'Ros',
      pronouns: '',
      time_zone: 'Europe/London',
      email: moved,
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/dashboard/people/${id}?done=email-saved`);
    expect(await person(id)).toMatchObject({ email: moved, preferred_name: 'Ros', time_zone: 'Europe/London' });
    await ctx.stack.mail.waitFor(() => ctx.stack.mail.to(a.mentorEmail).length === 1);
    const notice = ctx.stack.mail.to(a.mentorEmail)[0]!.parsed;
    expect(notice.subject).toBe('Your address for mentoring messages has changed');
    expect(notice.text).toContain('your address at example.edu');
    expect(notice.text).not.toContain(moved);
    expect(ctx.stack.mail.to(moved)).toEqual([]);
    const audit = await ctx.stack.db.selectFrom('audit_log').select(['action', 'actor_id', 'reason']).where('subject_id', '=', id).execute();
    expect(audit).toEqual([{ action: 'correct-person', actor_id: me.id, reason: 'corrected: preferred-name, time-zone, email' }]);
  });

  it('answers 404 for a person of another department', async () => {
    const me = await makeStaff(ctx.stack);
    const session = await signIn(ctx.web, ctx.stack, me.email);
    const response = await ctx.web.inject({ method: 'GET', url: `/dashboard/people/${randomUUID()}`, headers: { cookie: session.cookie } });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('No such person in this department.');
  });
});
