/** Gathering what "My mentoring" shows for one person, from Postgres and each live cycle's Query. */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { timeAwayMaxDays, type Policy } from '../../domain/policy.ts';
import { createLinkIssuer } from '../../mail/action-links.ts';
import { activePairCount } from '../../mail/digest-participant.ts';
import { loadPersonPairs } from '../../people/person-pairs.ts';
import { queryCycleView } from '../../cycles/cycle-updates.ts';
import type { CycleView } from '../../workflows/definitions.ts';
import type { FormState } from './action-module.ts';
import { actionForStep, type MyMentoringModel, type TimeAwayRow } from './my-mentoring-page.ts';
import { displayNameOfRow } from '../../domain/person.ts';
import { currentTimeAway, findPersonById, reminderDeliveryOf } from '../../stores/people-store.ts';

const ZONES: readonly string[] = [...Intl.supportedValuesOf('timeZone'), 'UTC'];

export interface ModelDeps {
  db: Kysely<Database>;
  policy: Policy;
  secret: string;
  publicUrl: string;
  temporal: () => Promise<Client>;
}

function liveView(deps: ModelDeps, workflowId: string, cycleId: string): Promise<CycleView | null> {
  return queryCycleView(deps.temporal, workflowId, cycleId);
}

function timeAwayRow(r: {
  id: string;
  kind: string;
  starts_at: Date;
  ends_at: Date;
  pause_steps: boolean;
  status: string;
  contingency_name: string | null;
  contingency_email: string | null;
  contingency_covers: string | null;
}): TimeAwayRow {
  return {
    id: r.id,
    kind: r.kind,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    pauseSteps: r.pause_steps,
    status: r.status,
    contingency: r.contingency_name ? { name: r.contingency_name, email: r.contingency_email ?? '', covers: r.contingency_covers ?? '' } : null,
  };
}

export async function loadMyMentoring(
  deps: ModelDeps,
  personId: string,
  options: { now: Date; formBase: string; forms?: MyMentoringModel['forms']; notice?: FormState['notice'] },
): Promise<MyMentoringModel | null> {
  const person = await findPersonById(deps.db, personId);
  if (!person) return null;
  const pairs = await loadPersonPairs(deps.db, personId);
  const partnerIds = pairs.map((p) => p.partner.id);
  const away = await currentTimeAway(deps.db, [personId, ...partnerIds]);
  const now = options.now;
  const views = await Promise.all(
    pairs.map(async (pair) => {
      const latest = pair.cycles[0];
      const current = latest
        ? {
            id: latest.id,
            academicYear: latest.academicYear,
            status: latest.status,
            currentStep: latest.currentStep,
            dueAt: latest.dueAt,
            view: await liveView(deps, latest.workflowId, latest.id),
          }
        : null;
      const owed =
        current?.view && pair.pairStatus === 'active'
          ? current.view.steps.flatMap((s) => {
              const act = actionForStep(s, pair.role);
              if (!act) return [];
              const links = createLinkIssuer({ secret: deps.secret, publicUrl: deps.publicUrl, cycleId: current.id, policy: deps.policy, dueAt: s.dueAt, now });
              return [{ label: act.label, url: links.action(personId, act.act, s.id), step: s.id }];
            })
          : [];
      const partnerAway = away.find((a) => a.person_id === pair.partner.id && a.starts_at.getTime() <= now.getTime() && a.ends_at.getTime() > now.getTime());
      return {
        pair,
        current,
        past: pair.cycles.slice(1).map((c) => ({ academicYear: c.academicYear, status: c.status })),
        owed,
        partnerAway: partnerAway ? timeAwayRow(partnerAway) : null,
      };
    }),
  );
  const feed = createLinkIssuer({ secret: deps.secret, publicUrl: deps.publicUrl, cycleId: '', policy: deps.policy, now }).calendarFeed(personId);
  return {
    person: {
      name: displayNameOfRow(person),
      fullName: person.full_name,
      pronouns: person.pronouns,
      timeZone: person.time_zone,
      email: person.email,
    },
    pairs: views,
    timeAway: away.filter((a) => a.person_id === personId).map(timeAwayRow),
    reminderDelivery: (await reminderDeliveryOf(deps.db, personId)) ?? 'immediate',
    activePairs: await activePairCount(deps.db, personId),
    calendar: { https: feed, webcal: feed.replace(/^https?:\/\//, 'webcal://') },
    zones: ZONES,
    now,
    forms: options.forms ?? {},
    ...(options.notice ? { notice: options.notice } : {}),
    maxAwayDays: timeAwayMaxDays(deps.policy),
    formBase: options.formBase,
  };
}
