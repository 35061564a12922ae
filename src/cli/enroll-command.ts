/** `tandem enroll roster.csv`: import a cohort's roster (see docs/roster-example.csv). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openAppContext } from '../app-context.ts';
import type { TandemConfig } from '../config/env.ts';
import { formatRosterReport } from '../enrollment/format-roster-report.ts';
import { runRosterImport } from '../enrollment/run-roster-import.ts';
import { connectClient } from '../temporal/connection.ts';
import { createProgress } from './progress.ts';

const HELP = `Usage: tandem enroll ROSTER.csv [--dry-run] [--concurrency N]

Imports a roster (.xlsx, or CSV / tab-separated text in UTF-8, UTF-16 or Windows-1252; at most
20 MB; "-" reads standard input): every row is checked first, and any problem means nothing is
imported. The cycles are then started by the import's own workflow (a worker must be running). Importing the same roster again
changes nothing; an amended roster updates people and adds new pairs.

  --dry-run          show what would change (new and updated people, new pairs), change nothing
  --concurrency N    cycle starts kept in flight (default: TANDEM_ENROLL_CONCURRENCY or 64)

Columns: mentor_name, mentor_email, mentee_name, mentee_email, program, academic_year
(required); mentor/mentee _preferred_name, _pronouns, _time_zone; start_date (YYYY-MM-DD);
meeting_preferences. See docs/roster-example.csv.`;

export async function enrollCommand(argv: string[], loadConfig: () => TandemConfig): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { 'dry-run': { type: 'boolean' }, concurrency: { type: 'string' }, help: { type: 'boolean' } },
    });
  } catch (error) {
    console.error(`tandem enroll: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`tandem enroll: give exactly one roster file\n\n${HELP}`);
    return 2;
  }
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000)) {
    console.error(`tandem enroll: --concurrency must be a whole number from 1 to 1000 (got "${values.concurrency}")`);
    return 2;
  }
  let csv: Buffer;
  try {
    csv = readFileSync(positionals[0] === '-' ? 0 : positionals[0]!);
  } catch (error) {
    console.error(`tandem enroll: cannot read ${positionals[0]}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return 2;
  }

  const config = loadConfig();
  const app = await openAppContext(config);
  const temporal = await connectClient(config.temporal);
  const progress = createProgress('Starting cycles');
  try {
    // The same path as the page and the API: recorded upload, then the import's own workflow starts the cycles.
    const result = await runRosterImport(
      { db: app.db, temporal, taskQueue: config.temporal.taskQueue, policy: app.policy },
      csv,
      { source: 'cli' },
      {
        dryRun: values['dry-run'],
        concurrency: concurrency ?? config.enrollConcurrency,
        fileName: positionals[0] === '-' ? 'standard input' : path.basename(positionals[0]!),
        onCommitted: (n) => n > 0 && console.error(`Roster saved. Starting ${n} cycle${n === 1 ? '' : 's'} (any already running is left as it is)…`),
        onProgress: (done, total) => progress.update(done, total),
      },
    );
    progress.finish();
    const lines = formatRosterReport(result);
    (result.ok ? console.log : console.error)(lines.join('\n'));
    return result.ok && !result.summary.startError ? 0 : 1;
  } finally {
    await temporal.connection.close();
    await app.close();
  }
}
