/**
 * `tandem policy check FILE`: validates a policy file as the worker and web app would load
 * it (every problem named by its path), then prints what it would change against the
 * policy in effect (POLICY_FILE, or --against). Reads files only; changes nothing. Policy
 * changes are made in the file and reviewed like code; this is the check before deploying.
 */
import { parseArgs } from 'node:util';
import type { TandemConfig } from '../config/env.ts';
import { loadPolicyFile } from '../config/policy-file.ts';
import { PolicyError } from '../domain/policy.ts';
import { changeLine, diffPolicies, WHO_TAKES_IT } from '../reports/policy-diff.ts';

const HELP = `Usage: tandem policy check FILE [--against IN_EFFECT.json]

  Validates FILE and lists every setting it would change against the policy in effect
  (POLICY_FILE unless --against names another file). Exit code 0 when FILE is valid,
  1 when it is not.`;

export interface PolicyCommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleIo: PolicyCommandIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

export async function policyCommand(argv: string[], loadConfig: () => TandemConfig, io: PolicyCommandIo = consoleIo): Promise<number> {
  const [sub, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, options: { against: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
  } catch (error) {
    io.err(`tandem policy: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const file = parsed.positionals[0];
  if (parsed.values.help || sub !== 'check' || !file || parsed.positionals.length > 1) {
    if (!parsed.values.help) io.err(sub !== 'check' ? `tandem policy: unknown subcommand "${sub ?? ''}"\n` : 'tandem policy check: name one policy file\n');
    io.out(HELP);
    return parsed.values.help ? 0 : 2;
  }

  let proposed;
  try {
    proposed = loadPolicyFile(file);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    io.err(`${file} is not a valid policy (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}); nothing was changed:`);
    for (const problem of error.problems) io.err(`  - ${problem}`);
    return 1;
  }
  const inEffectFile = parsed.values.against ?? loadConfig().policyFile;
  const inEffect = loadPolicyFile(inEffectFile);
  io.out(`${file} is a valid policy.`);
  const changes = diffPolicies(inEffect, proposed);
  if (changes.length === 0) io.out(`It changes nothing against the policy in effect (${inEffectFile}).`);
  else {
    io.out(`Against the policy in effect (${inEffectFile}) it would change ${changes.length} setting${changes.length === 1 ? '' : 's'}:`);
    for (const change of changes) io.out(`  ${changeLine(change)}`);
  }
  io.out(WHO_TAKES_IT);
  return 0;
}
