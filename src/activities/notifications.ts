/**
 * Sending a notification: resolve who it is for, then deliver each copy through the
 * outbox — the row is written before the send and marked after it, keyed by
 * cycle/step/kind/sequence/recipient, so a retried activity never sends twice.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Database } from '../../db/schema.ts';
import type { Policy } from '../domain/policy.ts';
import { renderMessage, type MessageContext, type Recipient } from '../mail/render.ts';
import type { Audience, NotificationRequest } from './types.ts';

export interface NotificationDeps {
  db: Kysely<Database>;
  mailer: Transporter;
  policy: Policy;
  mailFrom: string;
  publicUrl: string;
}

async function loadPairContext(db: Kysely<Database>, cycleId: string) {
  const row = await db
    .selectFrom('cycles')
    .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
    .innerJoin('people as mentor', 'mentor.id', 'pairs.mentor_id')
    .innerJoin('people as mentee', 'mentee.id', 'pairs.mentee_id')
    .select([
      'mentor.id as mentorId',
      'mentor.email as mentorEmail',
      'mentor.full_name as mentorFullName',
      'mentor.preferred_name as mentorPreferredName',
      'mentor.pronouns as mentorPronouns',
      'mentee.id as menteeId',
      'mentee.email as menteeEmail',
      'mentee.full_name as menteeFullName',
      'mentee.preferred_name as menteePreferredName',
      'mentee.pronouns as menteePronouns',
    ])
    .where('cycles.id', '=', cycleId)
    .executeTakeFirstOrThrow(() => new Error(`cycle ${cycleId} not found`));
  const mentor: Recipient = {
    personId: row.mentorId,
    email: row.mentorEmail,
    name: row.mentorPreferredName ?? row.mentorFullName,
    pronouns: row.mentorPronouns,
    role: 'mentor',
  };
  const mentee: Recipient = {
    personId: row.menteeId,
    email: row.menteeEmail,
    name: row.menteePreferredName ?? row.menteeFullName,
    pronouns: row.menteePronouns,
    role: 'mentee',
  };
  return { mentor, mentee };
}

function recipientsFor(audience: Audience, pair: { mentor: Recipient; mentee: Recipient }, policy: Policy): Recipient[] {
  switch (audience) {
    case 'mentor':
      return [pair.mentor];
    case 'mentee':
      return [pair.mentee];
    case 'coordinators':
      return policy.department.coordinators.map((c) => ({ personId: null, email: c.email, name: c.name, pronouns: null, role: 'coordinator' as const }));
    case 'referral-resource': {
      const r = policy.resources.find((x) => x.id === policy.referralResourceId)!;
      return [{ personId: null, email: r.email, name: r.name, pronouns: null, role: 'resource' as const }];
    }
  }
}

export function createNotificationActivities(deps: NotificationDeps) {
  const domain = deps.mailFrom.match(/@([^>\s]+)>?$/)?.[1] ?? 'tandem.localhost';
  return {
    async sendNotification(request: NotificationRequest): Promise<{ sent: number; alreadySent: number }> {
      const pair = await loadPairContext(deps.db, request.cycleId);
      const ctx: MessageContext = { department: deps.policy.department, ...pair, publicUrl: deps.publicUrl, step: request.step };
      let sent = 0;
      let alreadySent = 0;
      for (const recipient of request.audience.flatMap((a) => recipientsFor(a, pair, deps.policy))) {
        const key = [request.cycleId, request.step, request.kind, request.sequence, recipient.personId ?? recipient.email].join('/');
        const message = renderMessage(request.kind, ctx, recipient);
        await deps.db
          .insertInto('outbox')
          .values({
            idempotency_key: key,
            cycle_id: request.cycleId,
            step: request.step,
            kind: request.kind,
            sequence: request.sequence,
            recipient_person_id: recipient.personId,
            to_address: recipient.email,
            subject: message.subject,
            message_id: `<${randomUUID()}@${domain}>`,
          })
          .onConflict((oc) => oc.column('idempotency_key').doNothing())
          .execute();
        const row = await deps.db.selectFrom('outbox').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();
        if (row.status === 'sent') {
          alreadySent++;
          continue;
        }
        await deps.mailer.sendMail({
          from: deps.mailFrom,
          to: { name: recipient.name, address: recipient.email },
          subject: row.subject,
          messageId: row.message_id,
          text: message.text,
          html: message.html,
          headers: { 'X-Tandem-Kind': request.kind },
        });
        await deps.db
          .updateTable('outbox')
          .set({ status: 'sent', sent_at: new Date(), attempts: row.attempts + 1 })
          .where('id', '=', row.id)
          .execute();
        sent++;
      }
      return { sent, alreadySent };
    },
  };
}
