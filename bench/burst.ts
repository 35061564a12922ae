/**
 * A quarter's burst: every pair's check-in invite going out at once — `invites` invites, two
 * messages each (mentor and mentee) — through the real invite path (sendCheckInInvite: record
 * the revision, render the iTIP invite and the message, outbox insert/claim/send/mark), against
 * plain pooled nodemailer sending the same number of messages to the same SMTP sink.
 *
 * Both use the production transport settings (pooled, SMTP_MAX_CONNECTIONS' default of 3) with
 * the rate limiter off: SMTP_RATE_PER_SECOND is the department's relay agreement, not Tandem's
 * speed. The invite activity is called in-process with as many in flight as a worker runs by
 * default (100), so what is measured is Tandem's own cost per message, not Temporal's. The raw
 * rate is measured before and after, and the ratio uses their mean.
 */
import { Client } from '@temporalio/client';
import { parsePolicy } from '../src/domain/policy.ts';
import { importRoster } from '../src/enrollment/import-roster.ts';
import { forEachConcurrently } from '../src/cycles/start-cycles.ts';
import { createInviteActivities } from '../src/activities/invites.ts';
import { createMailTransport } from '../src/mail/transport.ts';
import defaultPolicy from '../policy/default.json' with { type: 'json' };
import { benchRoster } from './enroll.ts';
import { plainMessage, PLAIN_ICS } from './support/plain-message.ts';
import { RecordingSink } from './support/recording-sink.ts';
import { throwawayDatabase } from './support/throwaway.ts';

export const BURST_GOAL = 0.7;
/** A worker's default maxConcurrentActivityTaskExecutions. */
const ACTIVITIES_IN_FLIGHT = 100;
const MAX_CONNECTIONS = 3;

export interface BurstBenchOptions {
  invites?: number;
  log?: (line: string) => void;
}

export interface BurstBenchResult {
  invites: number;
  messages: number;
  rawMessagesPerSecond: { before: number; after: number; mean: number };
  inviteMessagesPerSecond: number;
  inviteSeconds: number;
  meanMessageBytes: { raw: number; invite: number };
  ratio: number;
  goal: number;
  goalMet: boolean;
}

class SeededOnly extends Error {}

/** Plain nodemailer: the same pool, the same sink, a message of an invite's shape and size. */
export async function rawSend(smtpUrl: string, messages: number, ics: string = PLAIN_ICS): Promise<number> {
  const transport = createMailTransport(smtpUrl, { maxConnections: MAX_CONNECTIONS });
  const t0 = performance.now();
  await Promise.all(Array.from({ length: messages }, (_, i) => transport.sendMail(plainMessage(`p${i}@bench.example`, ics))));
  const seconds = (performance.now() - t0) / 1000;
  transport.close();
  return seconds;
}

function meanBytes(sink: RecordingSink): number {
  return sink.records.reduce((sum, r) => sum + r.bytes, 0) / Math.max(1, sink.records.length);
}

export async function runBurstBench(options: BurstBenchOptions = {}): Promise<BurstBenchResult> {
  const invites = options.invites ?? 5_000;
  const messages = invites * 2;
  const log = options.log ?? console.log;
  const database = await throwawayDatabase('burst', undefined, 20);
  const sink = new RecordingSink();
  await sink.listen();
  try {
    const db = database.db;
    const policy = parsePolicy(defaultPolicy);
    // Seed people, pairs and cycles exactly as an enrollment writes them; stop before the workflow starts.
    const seeded = await importRoster(
      { db, temporal: undefined as unknown as Client, taskQueue: 'unused', policy },
      benchRoster(invites, new Date().getUTCFullYear()),
      {
        onCommitted: () => {
          throw new SeededOnly();
        },
      },
    ).catch((error: unknown) => (error instanceof SeededOnly ? null : Promise.reject(error)));
    if (seeded !== null) throw new Error('seeding did not stop at commit');
    const cycles = await db.selectFrom('cycles').select('id').execute();
    if (cycles.length !== invites) throw new Error(`seeded ${cycles.length} cycles, wanted ${invites}`);
    log(
      `burst: ${invites} invites (${messages} messages), ${MAX_CONNECTIONS} pooled SMTP connections, rate limiter off, ${ACTIVITIES_IN_FLIGHT} invites in flight`,
    );

    const rawBefore = await rawSend(sink.smtpUrl, messages);
    const rawBytes = meanBytes(sink);
    log(`burst: raw nodemailer ${messages} messages in ${rawBefore.toFixed(2)} s (${(messages / rawBefore).toFixed(0)}/s)`);
    sink.clear();

    const mailer = createMailTransport(sink.smtpUrl, { maxConnections: MAX_CONNECTIONS });
    const { sendCheckInInvite } = createInviteActivities({
      db,
      mailer,
      policy,
      mailFrom: 'Biology Mentoring <mentoring@biology.example.edu>',
      publicUrl: 'http://tandem.bench',
      secret: 'bench-secret-for-signed-links-0123456789',
    });
    const startsAt = new Date(Date.now() + 14 * 86_400_000);
    const endsAt = new Date(startsAt.getTime() + 45 * 60_000);
    const t0 = performance.now();
    await forEachConcurrently(cycles, ACTIVITIES_IN_FLIGHT, async ({ id }) => {
      const result = await sendCheckInInvite({
        cycleId: id,
        step: 'check-in-1',
        method: 'REQUEST',
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        revision: 0,
      });
      if (result.sent !== 2) throw new Error(`invite for cycle ${id} sent ${result.sent} messages`);
    });
    const inviteSeconds = (performance.now() - t0) / 1000;
    mailer.close();
    const inviteBytes = meanBytes(sink);
    const distinct = new Set(sink.records.map((r) => r.messageId)).size;
    if (sink.records.length !== messages || distinct !== messages)
      throw new Error(`sink received ${sink.records.length} messages (${distinct} distinct), wanted ${messages}`);
    log(
      `burst: invites ${messages} messages in ${inviteSeconds.toFixed(2)} s (${(messages / inviteSeconds).toFixed(0)}/s), mean ${(inviteBytes / 1024).toFixed(1)} KiB vs raw ${(rawBytes / 1024).toFixed(1)} KiB`,
    );
    sink.clear();

    const rawAfter = await rawSend(sink.smtpUrl, messages);
    log(`burst: raw nodemailer ${messages} messages in ${rawAfter.toFixed(2)} s (${(messages / rawAfter).toFixed(0)}/s)`);

    const rawRate = (messages / rawBefore + messages / rawAfter) / 2;
    const inviteRate = messages / inviteSeconds;
    const ratio = inviteRate / rawRate;
    return {
      invites,
      messages,
      rawMessagesPerSecond: { before: messages / rawBefore, after: messages / rawAfter, mean: rawRate },
      inviteMessagesPerSecond: inviteRate,
      inviteSeconds,
      meanMessageBytes: { raw: rawBytes, invite: inviteBytes },
      ratio,
      goal: BURST_GOAL,
      goalMet: ratio >= BURST_GOAL,
    };
  } finally {
    await sink.close();
    await database.stop();
  }
}
