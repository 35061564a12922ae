/**
 * The outbox's second memory of what the relay accepted, kept in the running activity's
 * heartbeat details: Temporal gives them to the next attempt even when Postgres could not
 * take the sent mark. Outside an activity (a direct call) there is none.
 *
 * Recording does not heartbeat by itself: keep-alive (keep-alive.ts) carries the ledger in its
 * ticks and in the heartbeat a failed attempt sends as it fails, which is when the next attempt
 * needs it. An attempt that succeeds marked every row itself and sends nothing.
 */
import { asyncLocalStorage, type Context } from '@temporalio/activity';
import type { AcceptedLedger } from '../mail/outbox.ts';

// One ledger per running activity: applyEffects sends several notifications and invites in
// one attempt, and each heartbeat replaces the last, so they must all write to the same set.
const ledgers = new WeakMap<Context, { ledger: AcceptedLedger; accepted: Set<string> }>();

function earlierAccepted(context: Context): string[] {
  return (context.info.heartbeatDetails as { acceptedOutboxIds?: string[] } | undefined)?.acceptedOutboxIds ?? [];
}

export function heartbeatLedger(): AcceptedLedger | undefined {
  // getStore() rather than Context.current(): a direct call would otherwise build and throw an Error per invite.
  const context = asyncLocalStorage.getStore();
  if (!context) return undefined;
  const known = ledgers.get(context);
  if (known) return known.ledger;
  const accepted = new Set(earlierAccepted(context));
  const ledger: AcceptedLedger = {
    has: (id) => accepted.has(id),
    record(id) {
      accepted.add(id);
    },
  };
  ledgers.set(context, { ledger, accepted });
  return ledger;
}

/**
 * What a keep-alive heartbeat carries: the ledger as it stands (a heartbeat replaces the
 * details, so a bare one would make the next attempt forget what the relay accepted).
 */
export function currentHeartbeatDetails(context: Context): { acceptedOutboxIds: string[] } {
  const known = ledgers.get(context);
  return { acceptedOutboxIds: known ? [...known.accepted] : earlierAccepted(context) };
}

/** The rows the relay accepted in this activity so far (for a hand-over to another activity). */
export function acceptedSoFar(): string[] {
  const context = asyncLocalStorage.getStore();
  return context ? currentHeartbeatDetails(context).acceptedOutboxIds : [];
}
