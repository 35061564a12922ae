/** `npm run temporal:cli`: builds the Temporal CLI into .tools/bin once, then reuses it. */
import { ensureTemporalCli } from '../src/temporal/cli-binary.ts';

try {
  const cli = ensureTemporalCli();
  console.error(`Temporal CLI: ${cli}`);
} catch (error) {
  console.error(`temporal:cli: ${(error as Error).message}`);
  process.exit(1);
}
