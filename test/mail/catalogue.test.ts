/**
 * The message catalogue, end to end: every kind rendered for every kind of reader, sent
 * through the real SMTP sink, and read back as a mail client would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_KINDS, type Audience } from '../../src/activities/types.ts';
import { verifyActionToken } from '../../src/security/action-tokens.ts';
import { TEST_SECRET } from '../support/stack.ts';
import { createPair, PUBLIC_URL, startMailFixture, type MailFixture, type TestPair } from './support/mail-fixture.ts';

const AUDIENCES: Audience[] = ['mentor', 'mentee', 'coordinators', 'referral-resource'];
const STEP_FOR_KIND: Record<string, string> = {
  'check-in-window-open': 'check-in-2',
  'check-in-outcome-requested': 'check-in-2',
  'check-in-missed': 'check-in-2',
  'training-goals-due': 'training-goals',
  'training-goals-updated': 'training-goals',
  'training-goals-reviewed': 'training-goals',
  'feedback-requested': 'feedback',
  'feedback-released': 'feedback',
  'cycle-paused': 'cycle',
  'cycle-resumed': 'cycle',
  'pair-ended': 'cycle',
  'evaluation-input-ready': 'evaluation',
};
const FACTS = {
  dueAt: '2026-11-14T17:00:00.000Z',
  startsAt: '2026-11-10T15:00:00.000Z',
  endsAt: '2026-11-10T15:45:00.000Z',
  stalledSince: '2026-11-20T17:00:00.000Z',
  rung: 2,
  reason: 'sabbatical',
  until: '2027-01-31T00:00:00.000Z',
  owedBy: 'mentor',
};

function links(text: string): string[] {
  return [...text.matchAll(/http:\/\/tandem\.test\/[^\s"<]+/g)].map((m) => m[0]);
}

describe('message catalogue through the SMTP sink', () => {
  let f: MailFixture;
  let pair: TestPair;
  beforeAll(async () => {
    f = await startMailFixture();
    pair = await createPair(f.db, f.policy, {
      mentor: { fullName: 'Professor Adaline Lovelace', preferredName: 'Ada', pronouns: 'she/her' },
      mentee: { fullName: 'Samuel Okafor-Reyes', preferredName: 'Sam', pronouns: 'they/them', timeZone: 'Europe/Berlin' },
    });
    for (const kind of MESSAGE_KINDS) {
      const result = await f.activities.sendNotification({
        cycleId: pair.cycleId,
        step: STEP_FOR_KIND[kind] ?? 'expectations',
        kind,
        sequence: 0,
        audience: AUDIENCES,
        facts: FACTS,
      });
      expect(result).toEqual({ sent: 4, alreadySent: 0, refused: 0 });
    }
    await f.mail.waitFor((m) => m.length >= MESSAGE_KINDS.length * AUDIENCES.length);
  });
  afterAll(() => f?.close());

  const byKind = (kind: string, to: string) => f.mail.to(to).filter((m) => m.parsed.headers.get('x-tandem-kind') === kind);

  it.each(MESSAGE_KINDS)('%s: one copy per reader, text and HTML, no missing values', (kind) => {
    const readers = [
      pair.mentorEmail,
      pair.menteeEmail,
      f.policy.department.coordinators[0]!.email,
      f.policy.resources.find((r) => r.id === f.policy.referralResourceId)!.email,
    ];
    for (const address of readers) {
      const copies = byKind(kind, address);
      expect(copies, `${kind} → ${address}`).toHaveLength(1);
      const { parsed } = copies[0]!;
      expect(parsed.text?.length).toBeGreaterThan(80);
      expect(typeof parsed.html === 'string' && parsed.html.includes('<p>')).toBe(true);
      for (const body of [parsed.subject ?? '', parsed.text ?? '', parsed.html as string]) {
        expect(body).not.toMatch(/\bundefined\b|\bnull\b|\bNaN\b|\[object Object\]|Invalid Date/);
      }
      expect(parsed.from?.value[0]).toEqual({ address: 'mentoring@biology.example.edu', name: 'Department of Biology Mentoring' });
      expect(parsed.messageId).toMatch(/^<[0-9a-f-]{36}@biology\.example\.edu>$/);
      expect(parsed.text).toContain('Department of Biology, mentoring program');
    }
  });

  it.each(MESSAGE_KINDS)('%s: preferred names, never the full name, and pronouns for the partner', (kind) => {
    const mentee = byKind(kind, pair.menteeEmail)[0]!.parsed;
    const mentor = byKind(kind, pair.mentorEmail)[0]!.parsed;
    expect(mentee.text).toContain('Dear Sam,');
    expect(mentor.text).toContain('Dear Ada,');
    for (const m of [mentee, mentor]) {
      expect(`${m.subject} ${m.text}`).not.toContain('Samuel Okafor-Reyes');
      expect(`${m.subject} ${m.text}`).not.toContain('Adaline');
    }
    // Each participant sees the other's pronouns wherever the other is named in full.
    if (/Sam\b/.test(mentor.text!.replace('Dear Ada,', ''))) expect(mentor.text).toContain('Sam (they/them)');
  });

  it.each(MESSAGE_KINDS)('%s: the confidential help link on every mentee copy and on no other', (kind) => {
    const menteeText = byKind(kind, pair.menteeEmail)[0]!.parsed.text!;
    const help = links(menteeText)
      .filter((u) => u.includes('/a/'))
      .map((url) => ({ url, claims: verifyActionToken(TEST_SECRET, url.slice(`${PUBLIC_URL}/a/`.length)) }))
      .filter((l) => l.claims.act === 'request-help');
    expect(help).toHaveLength(1);
    expect(help[0]!.claims).toMatchObject({ sub: pair.menteeId, cyc: pair.cycleId });
    expect(menteeText).toContain('confidentially — your mentor is not told');
    for (const resource of f.policy.resources) expect(menteeText).toContain(resource.name);
    const html = byKind(kind, pair.menteeEmail)[0]!.parsed.html as string;
    expect(html).toContain(help[0]!.url);
    for (const other of [pair.mentorEmail, f.policy.department.coordinators[0]!.email]) {
      const text = byKind(kind, other)[0]!.parsed.text!;
      expect(text).not.toContain('confidentially');
      for (const url of links(text).filter((u) => u.includes('/a/'))) {
        expect(verifyActionToken(TEST_SECRET, url.slice(`${PUBLIC_URL}/a/`.length)).act).not.toBe('request-help');
      }
    }
  });

  it('signs every action link for its reader, cycle, action and step, living past the ladder', () => {
    const ladderEnd = Date.parse(FACTS.dueAt) + (Math.max(...f.policy.ladder.map((r) => r.afterDays)) + 7) * 86_400_000;
    const share = links(byKind('expectations-requested', pair.mentorEmail)[0]!.parsed.text!).filter((u) => u.includes('/a/'));
    expect(share).toHaveLength(1);
    const claims = verifyActionToken(TEST_SECRET, share[0]!.slice(`${PUBLIC_URL}/a/`.length));
    expect(claims).toMatchObject({ sub: pair.mentorId, cyc: pair.cycleId, act: 'share-expectations', stp: 'expectations' });
    expect(Math.abs(claims.exp * 1000 - ladderEnd)).toBeLessThan(120_000);

    const schedule = links(byKind('check-in-window-open', pair.menteeEmail)[0]!.parsed.text!);
    const acts = schedule.map((u) => (u.includes('/calendar/') ? 'feed' : verifyActionToken(TEST_SECRET, u.replace(/^.*\/(a|me)\//, '')).act));
    // The footer's personal link to "My mentoring" comes last, bound to the reader and no cycle.
    expect(acts).toEqual(['schedule-check-in', 'feed', 'request-help', 'my-mentoring']);
    expect(verifyActionToken(TEST_SECRET, schedule.at(-1)!.slice(`${PUBLIC_URL}/me/`.length))).toMatchObject({ sub: pair.menteeId, cyc: '' });
    const feed = schedule.find((u) => u.includes('/calendar/'))!;
    expect(feed).toMatch(/^http:\/\/tandem\.test\/calendar\/[\w-]+\.[\w-]+\.ics$/);
    expect(verifyActionToken(TEST_SECRET, feed.slice(`${PUBLIC_URL}/calendar/`.length, -4))).toMatchObject({ sub: pair.menteeId, act: 'calendar-feed' });
  });

  it('shows dates in the reader’s own time zone', () => {
    // 17:00 UTC on the 14th is the 14th in Berlin and New York alike; the reminder names the day.
    expect(byKind('reminder-before-due', pair.menteeEmail)[0]!.parsed.text).toContain('Saturday, November 14');
    const proposed = byKind('check-in-window-open', pair.menteeEmail)[0]!.parsed.text!;
    expect(proposed).toContain('4:00 PM GMT+1');
  });

  it('uses a changed preferred name and pronouns in every later message, a retry included', async () => {
    await f.db.updateTable('people').set({ preferred_name: 'Sammy', pronouns: 'he/him' }).where('id', '=', pair.menteeId).execute();
    await f.activities.sendNotification({
      cycleId: pair.cycleId,
      step: 'check-in-2',
      kind: 'nudge',
      sequence: 1,
      audience: ['mentee', 'mentor'],
      facts: FACTS,
    });
    const after = await f.mail.waitFor((m) => m.filter((x) => x.parsed.headers.get('x-tandem-kind') === 'nudge').length >= 6);
    const nudges = after.filter((x) => x.parsed.headers.get('x-tandem-kind') === 'nudge' && x.envelopeTo.includes(pair.menteeEmail));
    expect(nudges.at(-1)!.parsed.text).toContain('Dear Sammy,');
    expect(nudges.at(-1)!.parsed.to).toMatchObject({ value: [{ name: 'Sammy', address: pair.menteeEmail }] });
    const mentorCopy = after.filter((x) => x.parsed.headers.get('x-tandem-kind') === 'nudge' && x.envelopeTo.includes(pair.mentorEmail)).at(-1)!;
    expect(mentorCopy.parsed.text).toContain('Sammy (he/him)');
  });

  it('refuses a request outside the catalogue without sending anything', async () => {
    const before = f.mail.messages.length;
    await expect(
      f.activities.sendNotification({ cycleId: pair.cycleId, step: 'x', kind: 'no-such-kind' as never, sequence: 0, audience: ['mentee'] }),
    ).rejects.toThrow('sendNotification: kind "no-such-kind" is not in the message catalogue');
    expect(f.mail.messages.length).toBe(before);
  });
});
