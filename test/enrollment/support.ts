/** What an enrollment test looks at: a department's rows, and its workflows on the real server. */
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export async function departmentRows(db: Kysely<Database>, departmentId: string) {
  const people = await db.selectFrom('people').selectAll().where('department_id', '=', departmentId).orderBy('email').execute();
  const pairs = await db
    .selectFrom('pairs')
    .innerJoin('people as mentor', 'mentor.id', 'pairs.mentor_id')
    .innerJoin('people as mentee', 'mentee.id', 'pairs.mentee_id')
    .select(['pairs.id', 'mentor.email as mentor', 'mentee.email as mentee', 'pairs.program', 'pairs.meeting_preferences', 'pairs.status'])
    .where('pairs.department_id', '=', departmentId)
    .orderBy('mentor.email')
    .orderBy('mentee.email')
    .execute();
  const cycles = await db
    .selectFrom('cycles')
    .innerJoin('pairs', 'pairs.id', 'cycles.pair_id')
    .select(['cycles.id', 'cycles.pair_id', 'cycles.academic_year', 'cycles.workflow_id', 'cycles.enrolled_at'])
    .where('pairs.department_id', '=', departmentId)
    .orderBy('cycles.workflow_id')
    .execute();
  return { people, pairs, cycles };
}

/** The run id of each workflow: a cycle started twice would show a different one. */
export async function runIds(client: Client, workflowIds: string[]): Promise<Record<string, string>> {
  const entries = await Promise.all(workflowIds.map(async (id) => [id, (await client.workflow.getHandle(id).describe()).runId] as const));
  return Object.fromEntries(entries);
}

export function rosterOf(rows: string[][]): string {
  const header = 'mentor_name,mentor_email,mentee_name,mentee_email,program,academic_year';
  return [header, ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

/** n pairs of distinct people, each mentor with one mentee. */
export function generatedRoster(n: number, tag: string, year = 2099): string {
  return rosterOf(
    Array.from({ length: n }, (_, i) => [
      `Mentor ${i}`,
      `mentor${i}.${tag}@example.edu`,
      `Mentee ${i}`,
      `mentee${i}.${tag}@example.edu`,
      'PhD Biology',
      String(year),
    ]),
  );
}
