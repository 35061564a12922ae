/**
 * Time away: a person announces leave, sabbatical, parental leave, fieldwork or travel.
 *
 * Dates are the person's own calendar days (first and last day away, in their zone): the
 * span runs from local midnight of the first day to local midnight after the last.
 * "Pause our steps" pauses every live cycle of theirs with `pauseCycle` and `until` = the
 * span's end, so each workflow resumes itself then and shifts its deadlines by the pause;
 * "only let them know" changes no cycle. Either way the counterparts and the coordinators
 * are told, with the contingency contact.
 *
 * A span that starts later is scheduled durably: a `timeAwayStart` workflow (one per span,
 * its id from the span's id) sleeps on a Temporal timer until the first day, then pauses the
 * cycles through the same function the page uses for a span that starts today. Ending early
 * resumes the paused cycles (or, before the start, cancels that timer).
 *
 * One person's announcements queue on a Postgres advisory lock, so two at once (two tabs,
 * two web processes) cannot both pass the overlap check.
 */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database, TimeAwayKind } from '../../db/schema.ts';
import type { Policy } from '../domain/policy.ts';
import { addLocalDays, zonedTimeToInstant } from '../domain/zoned-time.ts';
import { pauseCycleUpdate, resumeCycleUpdate, type PauseCycle, type PauseReason, type Participant } from '../workflows/definitions.ts';
import { coordinatorRecipients } from '../activities/coordinator-recipients.ts';
import {
  findOverlappingTimeAway,
  findTimeAway,
  insertTimeAway,
  lockTimeAwayOf,
  markTimeAwayActive,
  markTimeAwayEndedEarly,
  type TimeAway,
} from '../stores/people-store.ts';
import { queryCycleView } from '../cycles/cycle-updates.ts';
import { updateEachCycle, type CycleUpdateOutcome } from './cycle-updates.ts';
import { sendPeopleMessage, type PeopleMailDeps } from './people-mail.ts';
import { liveCycles, loadPersonPairs } from './person-pairs.ts';
import { TIME_AWAY_KINDS, type TimeAwayInput } from './person-input.ts';

export const PAUSE_REASON: Record<TimeAwayKind, PauseReason> = {
  leave: 'leave',
  sabbatical: 'sabbatical',
  'parental-leave': 'leave',
  fieldwork: 'travel',
  travel: 'travel',
};

export function timeAwayWorkflowId(timeAwayId: string): string {
  return `time-away-${timeAwayId}`;
}

export interface TimeAwayDeps extends PeopleMailDeps {
  temporal: () => Promise<Client>;
  policy: Policy;
  /** The worker's task queue, for the timer of a span that starts later. */
  taskQueue: string;
}

export type AnnounceResult =
  { status: 'overlap'; with: { startsAt: Date; endsAt: Date } } | { status: 'saved'; id: string; startsNow: boolean; cycles: CycleUpdateOutcome[] };

function localSpan(input: Pick<TimeAwayInput, 'firstDay' | 'lastDay'>, timeZone: string): { startsAt: Date; endsAt: Date } {
  const [fy, fm, fd] = input.firstDay.split('-').map(Number) as [number, number, number];
  const [ly, lm, ld] = input.lastDay.split('-').map(Number) as [number, number, number];
  return {
    startsAt: new Date(zonedTimeToInstant({ year: fy, month: fm, day: fd }, 0, 0, timeZone)),
    endsAt: new Date(zonedTimeToInstant(addLocalDays({ year: ly, month: lm, day: ld }, 1), 0, 0, timeZone)),
  };
}

export async function announceTimeAway(
  deps: TimeAwayDeps,
  person: { id: string; name: string; timeZone: string },
  input: TimeAwayInput,
  now: Date,
): Promise<AnnounceResult> {
  const span = localSpan(input, person.timeZone);
  const saved = await deps.db.transaction().execute(async (trx) => {
    await lockTimeAwayOf(trx, person.id);
    const overlapping = await findOverlappingTimeAway(trx, person.id, span);
    if (overlapping) return { overlap: overlapping, id: null };
    const id = await insertTimeAway(trx, {
      personId: person.id,
      kind: input.kind,
      ...span,
      pauseSteps: input.pauseSteps,
      contingency: input.contingency ?? null,
    });
    return { overlap: null, id };
  });
  if (saved.overlap || !saved.id) return { status: 'overlap', with: saved.overlap! };

  const startsNow = span.startsAt.getTime() <= now.getTime();
  let cycles: CycleUpdateOutcome[] = [];
  if (startsNow) cycles = await beginTimeAway(deps, saved.id);
  else if (input.pauseSteps) {
    const client = await deps.temporal();
    await client.workflow.start('timeAwayStart', {
      workflowId: timeAwayWorkflowId(saved.id),
      taskQueue: deps.taskQueue,
      args: [{ timeAwayId: saved.id, startsAt: span.startsAt.toISOString() }],
    });
  }
  await tellOthers(deps, person, saved.id, 'announced');
  return { status: 'saved', id: saved.id, startsNow, cycles };
}

/** The span's first day has come: mark it active and, when asked, pause every live cycle until its end. Idempotent. */
export async function beginTimeAway(deps: Pick<TimeAwayDeps, 'db' | 'temporal'>, timeAwayId: string): Promise<CycleUpdateOutcome[]> {
  const away = await timeAwayOrThrow(deps.db, timeAwayId);
  if (away.status === 'ended') return [];
  await markTimeAwayActive(deps.db, timeAwayId);
  if (!away.pauseSteps) return [];
  const pairs = await loadPersonPairs(deps.db, away.personId);
  return updateEachCycle(
    deps.temporal,
    liveCycles(pairs).map(({ pair, cycle }): { id: string; workflowId: string; arg: PauseCycle } => ({
      id: cycle.id,
      workflowId: cycle.workflowId,
      arg: { actor: { role: pair.role, personId: away.personId }, reason: PAUSE_REASON[away.kind], until: away.endsAt.toISOString() },
    })),
    pauseCycleUpdate,
    timeAwayId,
  );
}

export type EndResult = { status: 'not-found' } | { status: 'already-ended' } | { status: 'ended'; cycles: CycleUpdateOutcome[] };

/** Back early (or never went): resume what this span paused, or cancel its timer. */
export async function endTimeAway(
  deps: TimeAwayDeps,
  person: { id: string; name: string; timeZone: string },
  timeAwayId: string,
  now: Date,
): Promise<EndResult> {
  const away = await findTimeAway(deps.db, timeAwayId, person.id);
  if (!away) return { status: 'not-found' };
  if (away.status === 'ended' || away.endsAt.getTime() <= now.getTime()) return { status: 'already-ended' };
  await markTimeAwayEndedEarly(deps.db, timeAwayId, now);
  let cycles: CycleUpdateOutcome[] = [];
  if (away.status === 'scheduled' && away.pauseSteps) {
    const client = await deps.temporal();
    await client.workflow
      .getHandle(timeAwayWorkflowId(timeAwayId))
      .cancel()
      .catch(() => {}); // already fired: the cycles are paused and resumed below
  }
  if (away.pauseSteps && (away.status === 'active' || away.startsAt.getTime() <= now.getTime())) {
    const pairs = await loadPersonPairs(deps.db, person.id);
    // Only the pauses this span made (same end): a cycle paused for the counterpart's own time away stays paused.
    const paused = [];
    for (const live of liveCycles(pairs).filter(({ cycle }) => cycle.status === 'paused')) {
      if (await pausedUntil(deps.temporal, live.cycle.workflowId, away.endsAt)) paused.push(live);
    }
    cycles = await updateEachCycle(
      deps.temporal,
      paused.map(({ pair, cycle }) => ({
        id: cycle.id,
        workflowId: cycle.workflowId,
        arg: { actor: { role: pair.role, personId: person.id } as Participant },
      })),
      resumeCycleUpdate,
      `${timeAwayId}:end`,
    );
  }
  await tellOthers(deps, person, timeAwayId, 'ended');
  return { status: 'ended', cycles };
}

async function timeAwayOrThrow(db: Kysely<Database>, timeAwayId: string): Promise<TimeAway> {
  const away = await findTimeAway(db, timeAwayId);
  if (!away) throw new Error(`time away ${timeAwayId} not found`);
  return away;
}

async function pausedUntil(temporal: () => Promise<Client>, workflowId: string, endsAt: Date): Promise<boolean> {
  const view = await queryCycleView(temporal, workflowId);
  // Unreachable: try the resume anyway; if it fails too, the page says so.
  return view === null || view.paused?.until === endsAt.toISOString();
}

/** Counterparts (once each) and the coordinators: what, when, who covers, and whether steps pause. */
async function tellOthers(deps: TimeAwayDeps, person: { id: string; name: string }, timeAwayId: string, what: 'announced' | 'ended'): Promise<void> {
  const away = await timeAwayOrThrow(deps.db, timeAwayId);
  const kind = TIME_AWAY_KINDS.find((k) => k.value === away.kind)!.label.toLowerCase();
  const pairs = await loadPersonPairs(deps.db, person.id);
  const coordinators = await coordinatorRecipients(deps.db, deps.policy);
  const readers = [
    ...[...new Map(liveCycles(pairs).map(({ pair }) => [pair.partner.id, pair])).values()].map((pair) => ({
      to: { personId: pair.partner.id, email: pair.partner.email, name: pair.partner.name, role: pair.role === 'mentor' ? 'mentee' : 'mentor' },
      timeZone: pair.partner.timeZone,
    })),
    // The department's coordinators as the staff page has them (the policy's addresses only when
    // no staff coordinator exists). News of time away is never held for a digest.
    ...[...coordinators.immediate, ...coordinators.digest].map((c) => ({
      to: { personId: null, email: c.email, name: c.name, role: 'coordinator' },
      timeZone: deps.policy.defaultTimeZone,
    })),
  ];
  for (const reader of readers) {
    const day = (d: Date) => new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: reader.timeZone }).format(d);
    const lastDay = day(new Date(away.endsAt.getTime() - 1));
    const contact = away.contingency
      ? `While away, ${away.contingency.name} (${away.contingency.email}) covers: ${away.contingency.covers}.`
      : 'No contingency contact was given.';
    const paragraphs =
      what === 'announced'
        ? [
            `Dear ${reader.to.name},`,
            `${person.name} will be away (${kind}) from ${day(away.startsAt)} to ${lastDay}.`,
            contact,
            away.pauseSteps
              ? 'The mentoring steps pause for those dates: deadlines move on by the same time and no reminders are sent meanwhile.'
              : 'The mentoring steps are not paused: deadlines stay as they are.',
          ]
        : [
            `Dear ${reader.to.name},`,
            `${person.name} is back earlier than planned: the time away (${kind}) that was to last until ${lastDay} has ended.${away.pauseSteps ? ' Paused mentoring steps continue now.' : ''}`,
          ];
    await sendPeopleMessage(deps, {
      key: `time-away-${what}:${timeAwayId}`,
      kind: `time-away-${what}`,
      to: reader.to,
      subject: what === 'announced' ? `${person.name} will be away from ${day(away.startsAt)} to ${lastDay}` : `${person.name} is back`,
      paragraphs,
    });
  }
}
