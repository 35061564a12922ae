/**
 * Participant digests, on the digest core (digest.ts): which reminders a person may have
 * gathered, whether they chose to, and the one message a period's held reminders become.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { MessageKind } from '../activities/types.ts';
import { loadPairContext } from '../activities/pair-context.ts';
import type { Policy } from '../domain/policy.ts';
import { personalLinkUrl } from '../security/personal-links.ts';
import { countActivePairs } from '../stores/people-store.ts';
import { findParticipantDigestReader, findReminderDelivery } from '../stores/digest-store.ts';
import { createLinkIssuer } from './action-links.ts';
import type { DigestComposer, DigestFrequency } from './digest.ts';
import { safeSubject } from './header-safety.ts';
import { escapeHtml, htmlMail, htmlParagraphs, htmlSignature, programSignature, textMail } from './layout.ts';
import { partnerOf } from './templates/common.ts';
import { MESSAGE_TEMPLATES } from './templates/index.ts';
import { displayName } from '../domain/person.ts';

/**
 * Reminders to the reader about a step: before it is due, and the first two rungs once it is
 * overdue. Everything else (invites, cancellations, confirmations, coordinator notices,
 * referrals, pauses) is always sent at once. The rungs still fire on their dates: a digest
 * changes how the reminder reaches the person, not when the step escalates.
 */
export const DIGESTIBLE_KINDS: readonly MessageKind[] = ['reminder-before-due', 'ladder-remind-owner', 'ladder-remind-both'];

export const PARTICIPANT_RECIPIENT = 'participant';

/** Active pairs a person is in (as mentor or mentee): a digest is only for more than one. */
export function activePairCount(db: Kysely<Database>, personId: string): Promise<number> {
  return countActivePairs(db, personId);
}

/** The digest this person's reminders go to now, or null for one message each. */
export async function participantDigestChoice(db: Kysely<Database>, personId: string): Promise<DigestFrequency | null> {
  const reminderDelivery = await findReminderDelivery(db, personId);
  if (!reminderDelivery || reminderDelivery === 'immediate') return null;
  // Down to one pair since choosing: the choice rests, reminders go out one by one.
  return (await countActivePairs(db, personId)) > 1 ? reminderDelivery : null;
}

export interface ParticipantDigestDeps {
  db: Kysely<Database>;
  policy: Policy;
  secret: string;
  publicUrl: string;
}

/** One line per held reminder, each with its own signed button, newest state of names. */
export function participantDigestComposer(deps: ParticipantDigestDeps): DigestComposer {
  return async (period, items) => {
    const personId = period.recipient.id;
    const person = await findParticipantDigestReader(deps.db, personId);
    if (!person) return null;
    const referral = deps.policy.resources.find((r) => r.id === deps.policy.referralResourceId)!;
    const lines: { text: string; label?: string; url?: string }[] = [];
    let reader: { name: string; timeZone: string } | null = null;
    for (const item of items) {
      if (!item.cycleId || !item.step) continue;
      const pair = await loadPairContext(deps.db, item.cycleId);
      const to = pair.mentor.personId === personId ? pair.mentor : pair.mentee.personId === personId ? pair.mentee : null;
      if (!to) continue;
      reader = { name: to.name, timeZone: to.timeZone };
      const ctx = { departmentName: deps.policy.department.name, ...pair, to, step: item.step, facts: item.facts, referralResource: referral };
      const draft = MESSAGE_TEMPLATES[item.kind as MessageKind](ctx);
      const links = createLinkIssuer({
        secret: deps.secret,
        publicUrl: deps.publicUrl,
        cycleId: item.cycleId,
        policy: deps.policy,
        dueAt: typeof item.facts.dueAt === 'string' ? item.facts.dueAt : null,
      });
      const partner = partnerOf(ctx);
      lines.push({
        text: `${draft.subject} — with ${partner.name}`,
        ...(draft.action ? { label: draft.action.label, url: links.action(personId, draft.action.act, draft.action.step) } : {}),
      });
    }
    if (lines.length === 0) return null;
    const name = reader?.name ?? displayName(person);
    const what = `${lines.length} reminder${lines.length === 1 ? '' : 's'}`;
    const subject = safeSubject(`Your ${period.frequency} mentoring digest: ${what}`);
    const pageUrl = personalLinkUrl(deps.publicUrl, deps.secret, personId);
    const signature = programSignature(deps.policy.department.name);
    const intro = `Here is what waits for you in your mentoring, gathered into one message as you asked. Due dates have not moved.`;
    const text = textMail([
      `Dear ${name},`,
      intro,
      ...lines.map((l) => `• ${l.text}${l.url ? `\n  ${l.label}: ${l.url}` : ''}`),
      `Your mentoring page (all your pairs, and how reminders reach you): ${pageUrl}`,
      signature,
    ]);
    const html = htmlMail(
      htmlParagraphs([`Dear ${name},`, intro]) +
        `<ul>${lines.map((l) => `<li>${escapeHtml(l.text)}${l.url ? ` — <a href="${escapeHtml(l.url)}">${escapeHtml(l.label!)}</a>` : ''}</li>`).join('')}</ul>` +
        `<p><a href="${escapeHtml(pageUrl)}">Your mentoring page</a>: all your pairs, and how reminders reach you.</p>` +
        htmlSignature(signature),
    );
    return { recipient: { personId, email: person.email, name, role: 'participant' }, content: { subject, text, html } };
  };
}
