/**
 * Nothing a person typed can add or change a mail header: names with CR/LF, quotes,
 * commas and angle brackets, in From/To display names and in subjects built from names,
 * checked on the raw bytes the SMTP sink received.
 */
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, parseMime } from './support/mime.ts';
import { createPair, rawHeaders, startMailFixture, type MailFixture, type TestPair } from './support/mail-fixture.ts';

const HOSTILE_MENTEE = 'Eve "the intern"\r\nBcc: attacker@evil.example\r\nSubject: You won, <prize@evil.example>';
const HOSTILE_MENTOR = 'Mallory, PhD <mallory@evil.example>\nCc: copy@evil.example\u2028X-Injected: yes';

describe('header safety on the raw message', () => {
  let f: MailFixture;
  let pair: TestPair;
  beforeAll(async () => {
    f = await startMailFixture();
    pair = await createPair(f.db, f.policy, {
      mentor: { fullName: 'Mallory Example', preferredName: HOSTILE_MENTOR, pronouns: 'she/her\r\nX-Pronoun-Injected: 1' },
      mentee: { fullName: 'Eve Example', preferredName: HOSTILE_MENTEE, pronouns: 'they/them' },
    });
    await f.activities.sendNotification({
      cycleId: pair.cycleId,
      step: 'expectations',
      kind: 'expectations-requested',
      sequence: 0,
      audience: ['mentor', 'mentee'],
    });
    await f.activities.sendCheckInInvite({
      cycleId: pair.cycleId,
      step: 'check-in-1',
      method: 'REQUEST',
      startsAt: '2026-10-01T14:00:00Z',
      endsAt: '2026-10-01T14:45:00Z',
      revision: 1,
    });
    await f.mail.waitFor((m) => m.length >= 4);
  });
  afterAll(() => f?.close());

  it('goes only to the intended address and adds no header', () => {
    expect(f.mail.messages).toHaveLength(4);
    for (const message of f.mail.messages) {
      expect(message.envelopeTo).toHaveLength(1);
      expect([pair.mentorEmail, pair.menteeEmail]).toContain(message.envelopeTo[0]);
      const headers = rawHeaders(message.raw);
      const names = headers.map((h) => h.slice(0, h.indexOf(':')).toLowerCase());
      for (const single of ['from', 'to', 'subject', 'message-id'])
        expect(
          names.filter((n) => n === single),
          single,
        ).toHaveLength(1);
      for (const injected of ['bcc', 'cc', 'x-injected', 'x-pronoun-injected', 'reply-to']) expect(names).not.toContain(injected);

      const to = message.parsed.to as { value: { address: string }[] };
      expect(to.value.map((v) => v.address)).toEqual(message.envelopeTo);
      expect(message.parsed.cc).toBeUndefined();
      expect(message.parsed.bcc).toBeUndefined();
      expect(message.parsed.from?.value).toEqual([{ address: 'mentoring@biology.example.edu', name: 'Department of Biology Mentoring' }]);
      expect(message.parsed.subject).not.toMatch(/[\r\n]/);
    }
  });

  it('keeps the typed name, minus its line breaks, as display text', () => {
    const toMentor = f.mail.to(pair.mentorEmail).find((m) => m.parsed.headers.get('x-tandem-kind') === 'expectations-requested')!;
    expect(toMentor.parsed.subject).toBe(
      'Please share your expectations with Eve "the intern" Bcc: attacker@evil.example Subject: You won, <prize@evil.example>',
    );
    const toMentee = f.mail.to(pair.menteeEmail).find((m) => m.parsed.headers.get('x-tandem-kind') === 'expectations-requested')!;
    expect((toMentee.parsed.to as { value: { name: string }[] }).value[0]!.name).toBe(
      'Eve "the intern" Bcc: attacker@evil.example Subject: You won, <prize@evil.example>',
    );
    // In the HTML body, typed text is escaped, never markup.
    expect(toMentee.parsed.html).toContain('&lt;mallory@evil.example&gt;');
    expect(toMentee.parsed.html).not.toContain('<mallory@evil.example>');
    // A name is one line wherever it appears, the body included.
    expect(toMentee.parsed.text).toContain('Mallory, PhD <mallory@evil.example> Cc: copy@evil.example X-Injected: yes (she/her X-Pronoun-Injected: 1)');
  });

  it('keeps the invite to exactly the two attendees whatever their names say', () => {
    for (const message of f.mail.messages.filter((m) => m.parsed.headers.get('x-tandem-kind') === 'check-in-invite')) {
      const mime = parseMime(message.raw.toString('utf8'));
      const calendar = mime.children[0]!.children.find((c) => c.type === 'text/calendar')!;
      const event = new ICAL.Component(ICAL.parse(decodeBody(calendar))).getFirstSubcomponent('vevent')!;
      const attendees = event.getAllProperties('attendee');
      expect(attendees.map((a) => String(a.getFirstValue()).toLowerCase()).sort()).toEqual([`mailto:${pair.mentorEmail}`, `mailto:${pair.menteeEmail}`].sort());
      expect(event.getAllProperties().map((p) => p.name)).not.toContain('x-injected');
    }
  });
});
