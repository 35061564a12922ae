/**
 * The `tandem` command line. Each subcommand loads and validates configuration first, so a
 * bad setting stops it with one line naming the variable.
 */
import { ConfigError, loadConfig } from '../config/env.ts';
import { PolicyError } from '../domain/policy.ts';
import { DatabaseUnreachableError } from '../../db/connection.ts';
import { TemporalSetupError } from '../temporal/prepare-temporal.ts';
import { enrollCommand } from './enroll-command.ts';
import { enrollPairCommand } from './enroll-pair-command.ts';
import { migrateCommand } from './migrate-command.ts';
import { rotateDataKeyCommand } from './rotate-data-key-command.ts';
import { policyCommand } from './policy-command.ts';
import { staffCommand } from './staff-command.ts';

const USAGE = `Usage: tandem <command> [options]

Commands:
  migrate                 bring the database to the latest schema (creates it when missing)
  enroll-pair [options]   enroll one mentor–mentee pair and start its cycle
  enroll ROSTER.csv       import a cohort's roster and start every cycle (--dry-run to preview)
  worker                  run the Temporal worker (task queue from TEMPORAL_TASK_QUEUE)
  web                     run the web app (WEB_HOST, WEB_PORT)
  setup-temporal          create the namespace if missing, register Tandem's search attributes and the fall rollover schedule
  staff add|list|remove   staff accounts that sign in (coordinator, evaluation, resource roles)
  rotate-data-key         re-seal every sealed row under TANDEM_DATA_KEY's first key (resumable)
  policy check FILE       validate a policy file and list what it would change against the one in effect

Run "tandem <command> --help" for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'migrate':
      return migrateCommand(loadConfig());
    case 'enroll-pair':
      return enrollPairCommand(rest, loadConfig);
    case 'enroll':
      return enrollCommand(rest, loadConfig);
    case 'staff':
      return staffCommand(rest, loadConfig);
    case 'rotate-data-key':
      return rotateDataKeyCommand(loadConfig());
    case 'policy':
      return policyCommand(rest, loadConfig);
    case 'worker': {
      const { runWorker } = await import('../worker/main.ts');
      await runWorker();
      return 0;
    }
    case 'web': {
      const { runWeb } = await import('../web/main.ts');
      await runWeb();
      return 0;
    }
    case 'setup-temporal': {
      const config = loadConfig();
      const { connectClient } = await import('../temporal/connection.ts');
      const { prepareTemporal } = await import('../temporal/prepare-temporal.ts');
      const { loadPolicyFile } = await import('../config/policy-file.ts');
      const client = await connectClient(config.temporal);
      try {
        const lines = await prepareTemporal(client, {
          namespace: config.temporal.namespace,
          retentionDays: config.temporal.retentionDays,
          policy: loadPolicyFile(config.policyFile),
          taskQueue: config.temporal.taskQueue,
        });
        for (const line of lines) console.log(line);
      } finally {
        await client.connection.close();
      }
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`tandem: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof PolicyError || error instanceof DatabaseUnreachableError || error instanceof TemporalSetupError) {
      console.error(`tandem: ${error.message}`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
