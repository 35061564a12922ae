/**
 * Check-in invites (iTIP REQUEST / CANCEL) sent to both participants through the outbox.
 * Interim version: one UID per check-in, SEQUENCE = the workflow's revision.
 */
import ical, { ICalCalendarMethod } from 'ical-generator';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Database } from '../../db/schema.ts';
import type { CheckInInviteRequest } from './types.ts';

export function createInviteActivities(deps: { db: Kysely<Database>; mailer: Transporter; mailFrom: string }) {
  const domain = deps.mailFrom.match(/@([^>\s]+)>?$/)?.[1] ?? 'tandem.localhost';
  const organizer = deps.mailFrom.match(/<([^>]+)>/)?.[1] ?? deps.mailFrom;
  return {
    async sendCheckInInvite(request: CheckInInviteRequest): Promise<void> {
      const people = await deps.db
        .selectFrom('cycles')
        .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
        .innerJoin('people', (join) => join.on((eb) => eb.or([eb('people.id', '=', eb.ref('pairs.mentor_id')), eb('people.id', '=', eb.ref('pairs.mentee_id'))])))
        .select(['people.id', 'people.email', 'people.full_name', 'people.preferred_name'])
        .where('cycles.id', '=', request.cycleId)
        .execute();
      const uid = `${request.cycleId}-${request.step}@${domain}`;
      for (const person of people) {
        const key = `${request.cycleId}/${request.step}/invite/${request.revision}/${person.id}`;
        const calendar = ical({ method: request.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST, prodId: '//Tandem//Mentoring//EN' });
        calendar.createEvent({
          id: uid,
          sequence: request.revision,
          start: new Date(request.startsAt),
          end: new Date(request.endsAt),
          summary: 'Mentoring check-in',
          organizer: { name: 'Mentoring program', email: organizer },
          attendees: people.map((p) => ({ email: p.email, name: p.preferred_name ?? p.full_name })),
        });
        const subject = request.method === 'CANCEL' ? 'Cancelled: mentoring check-in' : 'Mentoring check-in';
        await deps.db
          .insertInto('outbox')
          .values({ idempotency_key: key, cycle_id: request.cycleId, step: request.step, kind: `invite-${request.method.toLowerCase()}`, sequence: request.revision, recipient_person_id: person.id, to_address: person.email, subject, message_id: `<${crypto.randomUUID()}@${domain}>` })
          .onConflict((oc) => oc.column('idempotency_key').doNothing())
          .execute();
        const row = await deps.db.selectFrom('outbox').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();
        if (row.status === 'sent') continue;
        await deps.mailer.sendMail({
          from: deps.mailFrom,
          to: person.email,
          subject,
          messageId: row.message_id,
          text: `${subject}: ${request.startsAt} – ${request.endsAt}`,
          icalEvent: { method: request.method, content: calendar.toString() },
        });
        await deps.db.updateTable('outbox').set({ status: 'sent', sent_at: new Date(), attempts: row.attempts + 1 }).where('id', '=', row.id).execute();
      }
    },
  };
}
