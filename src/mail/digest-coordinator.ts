/**
 * Coordinator digests, on the digest core (digest.ts): a coordinator who chose the daily
 * digest on the staff page gets the day's department notices — stalled pairs, enrollment
 * open, evaluation input ready — as one message, each line the notice's own subject and a
 * link to the pair's page. Escalation is untouched: only how the notice reaches them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { loadPairContext } from '../activities/pair-context.ts';
import type { MessageKind } from '../activities/types.ts';
import type { Policy } from '../domain/policy.ts';
import { formatAcademicYear } from '../domain/academic-year.ts';
import { findStaffDigestReader } from '../stores/digest-store.ts';
import type { DigestComposer } from './digest.ts';
import { renderEnrollmentOpen } from './enrollment-open.ts';
import { safeSubject } from './header-safety.ts';
import { escapeHtml, htmlMail, htmlParagraphs, htmlSignature, textMail, toolSignature } from './layout.ts';
import { MESSAGE_TEMPLATES } from './templates/index.ts';

export const STAFF_RECIPIENT = 'staff';
export const ENROLLMENT_OPEN_KIND = 'enrollment-open';

export interface CoordinatorDigestDeps {
  db: Kysely<Database>;
  policy: Policy;
  publicUrl: string;
}

export function coordinatorDigestComposer(deps: CoordinatorDigestDeps): DigestComposer {
  return async (period, items) => {
    const staff = await findStaffDigestReader(deps.db, period.recipient.id);
    // Removed, or no longer a coordinator, since the notices were held: they are not theirs to read.
    if (!staff || !staff.roles.includes('coordinator')) return null;
    const zone = deps.policy.defaultTimeZone;
    const to = { personId: null, email: staff.email, name: staff.name, pronouns: null, role: 'coordinator' as const, timeZone: zone };
    const referral = deps.policy.resources.find((r) => r.id === deps.policy.referralResourceId)!;
    const lines: { text: string; url: string }[] = [];
    for (const item of items) {
      if (item.kind === ENROLLMENT_OPEN_KIND) {
        const year = Number(item.facts.academicYear);
        const counts = { continuing: Number(item.facts.continuing ?? 0), started: Number(item.facts.started ?? 0) };
        lines.push({
          text: renderEnrollmentOpen(deps.policy.department, staff.name, formatAcademicYear(year), counts).subject,
          url: `${deps.publicUrl}/dashboard`,
        });
        continue;
      }
      if (!item.cycleId || !item.step) continue;
      const pair = await loadPairContext(deps.db, item.cycleId);
      const draft = MESSAGE_TEMPLATES[item.kind as MessageKind]({
        departmentName: deps.policy.department.name,
        ...pair,
        to,
        step: item.step,
        facts: item.facts,
        referralResource: referral,
      });
      lines.push({ text: draft.subject, url: `${deps.publicUrl}/dashboard/cycles/${item.cycleId}` });
    }
    if (lines.length === 0) return null;
    const what = `${lines.length} notice${lines.length === 1 ? '' : 's'}`;
    const subject = safeSubject(`Your daily mentoring digest: ${what}`);
    const intro = 'The department notices of the day, gathered into one message as you chose on the staff page.';
    const signature = toolSignature(deps.policy.department.name);
    const settings = `${deps.publicUrl}/dashboard/staff`;
    const text = textMail([`Dear ${staff.name},`, intro, ...lines.map((l) => `• ${l.text}\n  ${l.url}`), `How notices reach you: ${settings}`, signature]);
    const html = htmlMail(
      htmlParagraphs([`Dear ${staff.name},`, intro]) +
        `<ul>${lines.map((l) => `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.text)}</a></li>`).join('')}</ul>` +
        `<p><a href="${escapeHtml(settings)}">How notices reach you</a></p>` +
        htmlSignature(signature),
    );
    return { recipient: { personId: null, email: staff.email, name: staff.name, role: 'coordinator' }, content: { subject, text, html } };
  };
}
