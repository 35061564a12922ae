/**
 * Enrolling one mentor–mentee pair: rows in Postgres, then the pair's mentoringCycle
 * workflow for the academic year. Repeating it changes nothing and starts nothing new.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { cycleWorkflowId } from '../domain/ids.ts';
import { academicYearOf, type Policy } from '../domain/policy.ts';
import type { mentoringCycle } from '../workflows/mentoring-cycle.ts';
import type { MentoringCycleInput } from '../workflows/definitions.ts';
import { cleanText, validatePerson, type FieldProblem, type PersonInput } from './validate-person.ts';

export class EnrollmentValidationError extends Error {
  readonly problems: FieldProblem[];
  constructor(problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.reason}`).join('; '));
    this.problems = problems;
    this.name = 'EnrollmentValidationError';
  }
}

export interface EnrollPairInput {
  mentor: { fullName?: string; preferredName?: string; pronouns?: string; email?: string; timeZone?: string };
  mentee: { fullName?: string; preferredName?: string; pronouns?: string; email?: string; timeZone?: string };
  program?: string;
  /** When the year's plan starts; defaults to now. */
  startsAt?: Date;
}

export interface EnrollPairResult {
  pairId: string;
  cycleId: string;
  workflowId: string;
  academicYear: number;
  started: boolean;
}

export interface EnrollDeps {
  db: Kysely<Database>;
  temporal: Client;
  taskQueue: string;
  policy: Policy;
}

export function validateEnrollPair(input: EnrollPairInput, policy: Policy): { mentor: PersonInput; mentee: PersonInput; program: string | null } {
  const mentor = validatePerson('mentor', input.mentor, policy.defaultTimeZone);
  const mentee = validatePerson('mentee', input.mentee, policy.defaultTimeZone);
  const problems = [...mentor.problems, ...mentee.problems];
  if (mentor.person.email && mentor.person.email === mentee.person.email) {
    problems.push({ field: 'mentee-email', reason: 'is the same person as the mentor' });
  }
  if (input.startsAt && Number.isNaN(input.startsAt.getTime())) problems.push({ field: 'start', reason: 'is not a date' });
  if (problems.length > 0) throw new EnrollmentValidationError(problems);
  return { mentor: mentor.person, mentee: mentee.person, program: cleanText(input.program) || null };
}

async function upsertPerson(trx: Transaction<Database>, departmentId: string, p: PersonInput): Promise<string> {
  const row = await trx
    .insertInto('people')
    .values({
      department_id: departmentId,
      email: p.email,
      full_name: p.fullName,
      preferred_name: p.preferredName,
      pronouns: p.pronouns,
      time_zone: p.timeZone,
    })
    .onConflict((oc) =>
      oc.columns(['department_id', 'email']).doUpdateSet((eb) => ({
        full_name: eb.ref('excluded.full_name'),
        preferred_name: eb.ref('excluded.preferred_name'),
        pronouns: eb.ref('excluded.pronouns'),
        time_zone: eb.ref('excluded.time_zone'),
        updated_at: new Date(),
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function enrollPair(deps: EnrollDeps, input: EnrollPairInput): Promise<EnrollPairResult> {
  const valid = validateEnrollPair(input, deps.policy);
  const startsAt = input.startsAt ?? new Date();
  const academicYear = academicYearOf(deps.policy, startsAt);
  const department = deps.policy.department;

  const rows = await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('departments').values({ id: department.id, name: department.name }).onConflict((oc) => oc.column('id').doUpdateSet({ name: department.name })).execute();
    const mentorId = await upsertPerson(trx, department.id, valid.mentor);
    const menteeId = await upsertPerson(trx, department.id, valid.mentee);
    const pair = await trx
      .insertInto('pairs')
      .values({ department_id: department.id, mentor_id: mentorId, mentee_id: menteeId, program: valid.program })
      .onConflict((oc) => oc.columns(['mentor_id', 'mentee_id']).doUpdateSet((eb) => ({ program: eb.fn.coalesce('excluded.program', 'pairs.program') })))
      .returning('id')
      .executeTakeFirstOrThrow();
    const workflowId = cycleWorkflowId(pair.id, academicYear);
    await trx
      .insertInto('cycles')
      .values({ pair_id: pair.id, academic_year: academicYear, workflow_id: workflowId, enrolled_at: startsAt })
      .onConflict((oc) => oc.columns(['pair_id', 'academic_year']).doNothing())
      .execute();
    const cycle = await trx
      .selectFrom('cycles')
      .select(['id', 'enrolled_at', 'workflow_id'])
      .where('pair_id', '=', pair.id)
      .where('academic_year', '=', academicYear)
      .executeTakeFirstOrThrow();
    return { pairId: pair.id, cycle, timeZone: valid.mentee.timeZone };
  });

  const input_: MentoringCycleInput = {
    cycleId: rows.cycle.id,
    pairId: rows.pairId,
    academicYear,
    enrolledAt: rows.cycle.enrolled_at.toISOString(),
    timeZone: rows.timeZone,
    policy: deps.policy,
  };
  let started = true;
  try {
    await deps.temporal.workflow.start<typeof mentoringCycle>('mentoringCycle', {
      workflowId: rows.cycle.workflow_id,
      taskQueue: deps.taskQueue,
      args: [input_],
      // Once a pair's year has run, enrolling it again must not run it a second time.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    started = false;
  }
  return { pairId: rows.pairId, cycleId: rows.cycle.id, workflowId: rows.cycle.workflow_id, academicYear, started };
}
