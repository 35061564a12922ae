import { parseArgs } from 'node:util';
import { openAppContext } from '../app-context.ts';
import type { TandemConfig } from '../config/env.ts';
import { enrollPair, EnrollmentValidationError, validateEnrollPair, type EnrollPairInput } from '../enrollment/enroll-pair.ts';
import { loadPolicyFile } from '../config/policy-file.ts';
import { connectClient } from '../temporal/connection.ts';

const HELP = `Usage: tandem enroll-pair --mentor-name NAME --mentor-email EMAIL --mentee-name NAME --mentee-email EMAIL [options]

  --mentor-name, --mentee-name                   full name (required)
  --mentor-email, --mentee-email                 email address (required)
  --mentor-preferred-name, --mentee-preferred-name   what they like to be called
  --mentor-pronouns, --mentee-pronouns           for example she/her, they/them
  --mentor-time-zone, --mentee-time-zone         IANA zone (default: the policy's)
  --program NAME                                 for example "PhD Biology"
  --start YYYY-MM-DD                             when the year's plan starts (default: now)`;

const PERSON_FIELDS = ['name', 'email', 'preferred-name', 'pronouns', 'time-zone'] as const;

export async function enrollPairCommand(argv: string[], loadConfig: () => TandemConfig): Promise<number> {
  const options: Record<string, { type: 'string' | 'boolean' }> = { program: { type: 'string' }, start: { type: 'string' }, help: { type: 'boolean' } };
  for (const who of ['mentor', 'mentee']) for (const f of PERSON_FIELDS) options[`${who}-${f}`] = { type: 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options, strict: true }).values;
  } catch (error) {
    console.error(`tandem enroll-pair: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const s = (k: string) => values[k] as string | undefined;
  const person = (who: string) => ({
    fullName: s(`${who}-name`),
    email: s(`${who}-email`),
    preferredName: s(`${who}-preferred-name`),
    pronouns: s(`${who}-pronouns`),
    timeZone: s(`${who}-time-zone`),
  });
  const start = s('start');
  const input: EnrollPairInput = {
    mentor: person('mentor'),
    mentee: person('mentee'),
    program: s('program'),
    startsAt: start === undefined ? undefined : /^\d{4}-\d{2}-\d{2}$/.test(start) ? new Date(`${start}T00:00:00Z`) : new Date(Number.NaN),
  };

  const config = loadConfig();
  // Validate before touching anything, so a bad call changes nothing.
  try {
    validateEnrollPair(input, loadPolicyFile(config.policyFile));
  } catch (error) {
    if (!(error instanceof EnrollmentValidationError)) throw error;
    for (const p of error.problems) console.error(`tandem enroll-pair: --${p.field} ${p.reason}`);
    return 2;
  }

  const app = await openAppContext(config);
  const temporal = await connectClient(config.temporal);
  try {
    const result = await enrollPair({ db: app.db, temporal, taskQueue: config.temporal.taskQueue, policy: app.policy }, input).catch((error: unknown) => {
      // Problems only the database can show (an email already enrolled under another name).
      if (!(error instanceof EnrollmentValidationError)) throw error;
      for (const p of error.problems) console.error(`tandem enroll-pair: --${p.field} ${p.reason}`);
      return null;
    });
    if (!result) return 2;
    console.log(
      result.started
        ? `Enrolled: cycle ${result.cycleId} for ${result.academicYear}–${result.academicYear + 1} started as workflow ${result.workflowId}.`
        : `Already enrolled: workflow ${result.workflowId} is running or has run for ${result.academicYear}–${result.academicYear + 1}; nothing new started.`,
    );
    return 0;
  } finally {
    await temporal.connection.close();
    await app.close();
  }
}
