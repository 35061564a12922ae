/**
 * What the outbox costs per message, against a raw baseline measured in the same run:
 * the same number of messages handed straight to the pooled transport, then through
 * deliver() (insert, claim, send, mark), then through the rate limit.
 *
 *   npx node bench/mail-outbox.ts [messages]
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createDb, dropDatabase, ensureDatabaseExists } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { MailCatcher } from '../src/mail/catcher.ts';
import { deliver } from '../src/mail/outbox.ts';
import { createMailTransport } from '../src/mail/transport.ts';

const n = Number(process.argv[2] ?? 300);
const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
base.pathname = `/tandem_bench_${Date.now().toString(36)}`;
const databaseUrl = base.toString();
await ensureDatabaseExists(databaseUrl);
const db = createDb(databaseUrl, 10);
await migrateToLatest(db);
const catcher = new MailCatcher();
await catcher.listen();

const content = { subject: 'Time for the second check-in', text: 'Dear Sam,\n\n'.padEnd(600, 'x'), html: `<p>${'x'.repeat(900)}</p>` };
async function timed(label: string, run: () => Promise<void>): Promise<number> {
  catcher.clear();
  const start = performance.now();
  await run();
  const ms = performance.now() - start;
  await catcher.waitFor((m) => m.length >= n, 60_000);
  console.log(`${label.padEnd(34)} ${n} messages  ${ms.toFixed(0).padStart(6)} ms  ${((n / ms) * 1000).toFixed(0).padStart(5)} msg/s`);
  return ms;
}

try {
  const unlimited = createMailTransport(catcher.smtpUrl, { maxConnections: 3 });
  const raw = await timed('raw sendMail (pool of 3)', async () => {
    await Promise.all(Array.from({ length: n }, (_, i) => unlimited.sendMail({ from: 'm@bench.example', to: `p${i}@bench.example`, ...content })));
  });
  const outbox = { db, mailer: unlimited, mailFrom: 'Bench <m@bench.example>', senderName: 'Bench Mentoring' };
  const run = randomUUID();
  const viaOutbox = await timed('outbox deliver() (pool of 3)', async () => {
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        deliver(
          outbox,
          { cycleId: null, step: run, kind: 'bench', sequence: 0, recipient: { personId: null, email: `p${i}@bench.example`, name: 'P', role: 'coordinator' } },
          () => content,
        ),
      ),
    );
  });
  const again = performance.now();
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      deliver(
        outbox,
        { cycleId: null, step: run, kind: 'bench', sequence: 0, recipient: { personId: null, email: `p${i}@bench.example`, name: 'P', role: 'coordinator' } },
        () => content,
      ),
    ),
  );
  const retryMs = performance.now() - again;
  console.log(
    `${'retry of all (already sent)'.padEnd(34)} ${n} messages  ${retryMs.toFixed(0).padStart(6)} ms  (sent nothing: ${catcher.messages.length === n})`,
  );
  unlimited.close();

  const rate = 50;
  const limited = createMailTransport(catcher.smtpUrl, { maxConnections: 3, ratePerSecond: rate });
  const limitedMs = await timed(`raw sendMail, SMTP_RATE_PER_SECOND=${rate}`, async () => {
    await Promise.all(Array.from({ length: n }, (_, i) => limited.sendMail({ from: 'm@bench.example', to: `p${i}@bench.example`, ...content })));
  });
  limited.close();
  console.log(`\noutbox / raw: ${(viaOutbox / raw).toFixed(2)}×   rate-limited: ${((n / limitedMs) * 1000).toFixed(1)} msg/s for a limit of ${rate}`);
} finally {
  await catcher.close();
  await db.destroy();
  await dropDatabase(databaseUrl);
}
