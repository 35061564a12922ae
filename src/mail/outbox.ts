/**
 * Delivering one message through the outbox, at most once per business key
 * (cycle/step/kind/sequence/recipient).
 *
 * 1. The row is inserted (pending) before anything is sent; its Message-ID is fixed then.
 *    A key seen for the first time is inserted already claimed, in the same statement.
 * 2. An attempt *claims* the row: pending → sending, with a lease it renews while it waits
 *    on the transport (a queue behind the rate limit can be long). A second attempt that
 *    finds the row sending under a live lease sends nothing and reports "in flight"; one
 *    that finds it sent reports "already sent".
 * 3. The message is handed to SMTP with the row's Message-ID.
 * 4. Accepted → the row is marked sent (retried in-process a few times, so a database blip
 *    does not undo a successful send). Refused permanently (5xx) → failed, the address is
 *    marked undeliverable, the cycle shows the problem. Deferred (4xx, connection) → back to
 *    pending, so the activity's retry sends it.
 *
 * The guarantee: never two sends of one key from concurrent attempts, and never a resend of
 * a row marked sent. When the relay accepted but the mark could not be written (database
 * down), the acceptance is also recorded in the activity's heartbeat, and the retry marks
 * the row instead of resending it. The one window left is a process that dies after the
 * relay answered 250 and before either record was made: its row stays `sending` until the lease lapses and is
 * then sent again — with the same Message-ID (and, for invites, the same UID and SEQUENCE),
 * so mail clients and calendars see the same message, not a new one. We choose this over
 * losing the message: a duplicate reminder is a nuisance, a lost one stalls a step.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Database } from '../../db/schema.ts';
import { recordDeliveryProblem } from '../stores/cycle-store.ts';
import {
  claimOutbox,
  deferOutbox,
  failOutbox,
  failPendingOutbox,
  findOutboxByKey,
  insertOutboxClaimed,
  insertOutboxPending,
  renewOutboxLease,
  type NewOutboxRow,
  type OutboxMessage,
} from '../stores/outbox-store.ts';
import { findUndeliverableEmail, markEmailUndeliverable } from '../stores/people-store.ts';
import { addressOf, safeDisplayName } from './header-safety.ts';
import { classifySmtpError } from './smtp-errors.ts';
import { markSentSoon } from './sent-marks.ts';
import { batchedPerTurn } from './turn-batch.ts';

/**
 * How long a claim holds without word from its attempt. A live attempt renews it every third
 * of that while its message waits in the transport (rate limit, slow relay), so only a dead
 * attempt's claim lapses. Short, because a dead worker's messages wait this long before the
 * retry (on a live worker, seconds later: every activity heartbeats) may send them.
 */
export const SEND_LEASE_SECONDS = 30;

export interface OutboxDeps {
  db: Kysely<Database>;
  mailer: Transporter;
  /** MAIL_FROM: its address is the sender; the display name is the department's. */
  mailFrom: string;
  senderName: string;
  /** Defaults to SEND_LEASE_SECONDS; shorter in tests of lease renewal. */
  leaseSeconds?: number;
  /**
   * Remembers, outside Postgres, the rows the relay accepted (the activity's heartbeat
   * details, which Temporal hands to the next attempt). When the sent mark could not be
   * written, the retry marks such a row sent instead of sending it again.
   */
  acceptedLedger?: AcceptedLedger;
}

export interface AcceptedLedger {
  has(outboxId: string): boolean;
  record(outboxId: string): void;
}

export interface OutboxEntry {
  cycleId: string | null;
  step: string | null;
  kind: string;
  sequence: number;
  recipient: { personId: string | null; email: string; name: string; role: string };
  /** The business key of a message that is not a cycle's (a department notice); defaults to cycle/step/kind/sequence/recipient. */
  key?: string;
}

export interface MailContent {
  subject: string;
  text: string;
  html: string;
  /** An iTIP invite: nodemailer adds it as the text/calendar alternative and an application/ics attachment. */
  icalEvent?: { method: 'REQUEST' | 'CANCEL'; content: string; filename: string };
}

export type DeliveryResult =
  | { outcome: 'sent' | 'already-sent'; outboxId: string }
  | { outcome: 'refused'; outboxId: string; reason: string }
  | { outcome: 'deferred'; outboxId: string; reason: string }
  | { outcome: 'in-flight'; outboxId: string };

export function outboxKey(entry: OutboxEntry): string {
  if (entry.key) return entry.key;
  return [entry.cycleId ?? '-', entry.step ?? '-', entry.kind, entry.sequence, entry.recipient.personId ?? entry.recipient.email.toLowerCase()].join('/');
}

function messageIdDomain(mailFrom: string): string {
  return addressOf(mailFrom).split('@')[1] ?? 'tandem.localhost';
}

async function recordProblem(trx: Kysely<Database>, entry: OutboxEntry, problem: string): Promise<void> {
  if (!entry.cycleId) return;
  await recordDeliveryProblem(trx, entry.cycleId, problem);
}

async function markSent(db: Kysely<Database>, row: OutboxMessage, subject: string): Promise<void> {
  try {
    await markSentSoon(db, row.id, subject);
  } catch (error) {
    throw new Error(`outbox ${row.id}: accepted by the relay but could not be marked sent; it stays claimed until its lease lapses`, { cause: error });
  }
}

/** The full path for a key that may exist already: insert if new, refuse an undeliverable address, then claim. */
async function insertThenClaim(deps: OutboxDeps, row: NewOutboxRow, leaseSeconds: number): Promise<OutboxMessage | DeliveryResult> {
  const { db } = deps;
  const { key, address } = row;
  await insertOutboxPending(db, row);

  if (row.recipientPersonId) {
    const person = await findUndeliverableEmail(db, row.recipientPersonId);
    if (person?.undeliverableEmail && person.undeliverableEmail === address) {
      const reason = `not sent: ${address} refused mail earlier (${person.undeliverableReason ?? 'permanent failure'})`;
      const failedId = await failPendingOutbox(db, key, reason);
      if (failedId) return { outcome: 'refused', outboxId: failedId, reason };
    }
  }

  // Claim: only a pending row, or one whose previous claimant's lease has lapsed.
  const claimed = await claimOutbox(db, key, address, leaseSeconds);
  if (claimed) return claimed;

  const existing = await findOutboxByKey(db, key);
  if (existing.status === 'sent') return { outcome: 'already-sent', outboxId: existing.id };
  if (existing.status === 'sending' && deps.acceptedLedger?.has(existing.id)) {
    await markSent(db, existing, existing.subject);
    return { outcome: 'already-sent', outboxId: existing.id };
  }
  if (existing.status === 'failed') return { outcome: 'refused', outboxId: existing.id, reason: existing.lastError ?? 'failed earlier' };
  return { outcome: 'in-flight', outboxId: existing.id };
}

/**
 * New rows of the same turn share one insert (a notice's two readers, an invite's two copies,
 * other cycles' sends beside them). A second ask for the same key in that turn finds its row
 * inserted by another ask and takes the full path, where it sees the row in flight.
 */
const claimInBatch = batchedPerTurn(async (db: Kysely<Database>, asks: { row: NewOutboxRow; leaseSeconds: number }[]) => {
  const byLease = new Map<number, Map<string, NewOutboxRow>>();
  for (const { row, leaseSeconds } of asks) {
    const rows = byLease.get(leaseSeconds) ?? new Map<string, NewOutboxRow>();
    if (!rows.has(row.key)) rows.set(row.key, row);
    byLease.set(leaseSeconds, rows);
  }
  const claimed = new Map<string, OutboxMessage>();
  for (const [leaseSeconds, rows] of byLease)
    for (const [key, message] of await insertOutboxClaimed(db, [...rows.values()], leaseSeconds)) claimed.set(key, message);
  return claimed;
});

async function insertClaimedSoon(db: Kysely<Database>, row: NewOutboxRow, leaseSeconds: number): Promise<OutboxMessage | undefined> {
  const claimed = await claimInBatch(db, { row, leaseSeconds });
  const inserted = claimed.get(row.key);
  // The row is this caller's only if it was inserted from this caller's ask (each ask has its own Message-ID).
  return inserted?.messageId === row.messageId ? inserted : undefined;
}

/** Sends `render()` for this entry unless the outbox says it was sent, is being sent, or cannot be. */
export async function deliver(deps: OutboxDeps, entry: OutboxEntry, render: () => MailContent): Promise<DeliveryResult> {
  const { db } = deps;
  const key = outboxKey(entry);
  const content = render();
  const address = entry.recipient.email.toLowerCase();
  const leaseSeconds = deps.leaseSeconds ?? SEND_LEASE_SECONDS;
  const messageId = `<${randomUUID()}@${messageIdDomain(deps.mailFrom)}>`;
  const row: NewOutboxRow = {
    key,
    cycleId: entry.cycleId,
    step: entry.step,
    kind: entry.kind,
    sequence: entry.sequence,
    recipientPersonId: entry.recipient.personId,
    address,
    subject: content.subject,
    messageId,
  };
  // The common case in one round trip: a key never seen before, for a recipient not marked
  // undeliverable, is inserted already claimed — the state the insert-then-claim would leave.
  // Anything else (a retry, a refused address) gets nothing here and takes the full path.
  const outcome = (await insertClaimedSoon(db, row, leaseSeconds)) ?? (await insertThenClaim(deps, row, leaseSeconds));
  if ('outcome' in outcome) return outcome;
  const claimed = outcome;

  if (deps.acceptedLedger?.has(claimed.id)) {
    await markSent(db, claimed, claimed.subject);
    return { outcome: 'already-sent', outboxId: claimed.id };
  }
  const renewal = setInterval(
    () => {
      renewOutboxLease(db, claimed.id, leaseSeconds).catch(() => {}); // a missed renewal only shortens the claim; the send itself decides the outcome
    },
    (leaseSeconds * 1000) / 3,
  );
  try {
    await deps.mailer.sendMail({
      from: { name: safeDisplayName(deps.senderName), address: addressOf(deps.mailFrom) },
      to: { name: safeDisplayName(entry.recipient.name), address: claimed.toAddress },
      subject: content.subject,
      messageId: claimed.messageId,
      text: content.text,
      html: content.html,
      ...(content.icalEvent ? { icalEvent: content.icalEvent } : {}),
      headers: { 'X-Tandem-Kind': entry.kind },
    });
  } catch (error) {
    const failure = classifySmtpError(error);
    const reason =
      failure.code !== null && failure.response.startsWith(String(failure.code)) ? failure.response : `${failure.code ?? 'no reply'}: ${failure.response}`;
    if (failure.kind === 'transient') {
      await deferOutbox(db, claimed.id, reason);
      return { outcome: 'deferred', outboxId: claimed.id, reason };
    }
    await db.transaction().execute(async (trx) => {
      await failOutbox(trx, claimed.id, reason);
      if (failure.kind === 'address-refused' && entry.recipient.personId)
        await markEmailUndeliverable(trx, entry.recipient.personId, claimed.toAddress, reason);
      const who = entry.recipient.role === 'mentor' || entry.recipient.role === 'mentee' ? `the ${entry.recipient.role}` : entry.recipient.role;
      await recordProblem(
        trx,
        entry,
        failure.kind === 'address-refused'
          ? `Mail to ${who} (${claimed.toAddress}) is refused: ${reason}. Check the address.`
          : `A message to ${who} (${claimed.toAddress}) was refused: ${reason}.`,
      );
    });
    return { outcome: 'refused', outboxId: claimed.id, reason };
  } finally {
    clearInterval(renewal);
  }
  deps.acceptedLedger?.record(claimed.id);
  await markSent(db, claimed, content.subject);
  return { outcome: 'sent', outboxId: claimed.id };
}

/** Thrown when some messages must wait for a retry; the ones already sent stay sent. */
export class DeliveryDeferredError extends Error {
  constructor(results: DeliveryResult[]) {
    const waiting = results.filter((r) => r.outcome === 'deferred' || r.outcome === 'in-flight');
    super(
      `${waiting.length} of ${results.length} messages must be retried: ` +
        waiting.map((r) => `outbox ${r.outboxId} ${r.outcome === 'deferred' ? `deferred (${r.reason})` : 'is being sent by another attempt'}`).join('; '),
    );
    this.name = 'DeliveryDeferredError';
  }
}

export interface DeliverySummary {
  sent: number;
  alreadySent: number;
  refused: number;
}

/** Counts for the workflow; throws (so the activity retries) while anything is deferred. */
export function summarize(results: DeliveryResult[]): DeliverySummary {
  if (results.some((r) => r.outcome === 'deferred' || r.outcome === 'in-flight')) throw new DeliveryDeferredError(results);
  return {
    sent: results.filter((r) => r.outcome === 'sent').length,
    alreadySent: results.filter((r) => r.outcome === 'already-sent').length,
    refused: results.filter((r) => r.outcome === 'refused').length,
  };
}
