/**
 * The outbox's second memory of what the relay accepted, kept in the running activity's
 * heartbeat details: Temporal gives them to the next attempt even when Postgres could not
 * take the sent mark. Outside an activity (a direct call) there is none.
 */
import { Context } from '@temporalio/activity';
import type { AcceptedLedger } from '../mail/outbox.ts';

export function heartbeatLedger(): AcceptedLedger | undefined {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return undefined;
  }
  const earlier = (context.info.heartbeatDetails as { acceptedOutboxIds?: string[] } | undefined)?.acceptedOutboxIds ?? [];
  const accepted = new Set(earlier);
  return {
    has: (id) => accepted.has(id),
    record(id) {
      accepted.add(id);
      context.heartbeat({ acceptedOutboxIds: [...accepted] });
    },
  };
}
