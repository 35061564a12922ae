/**
 * The `roster_imports` rows (a recorded preview, its claim and summary), the uploads they
 * read (`roster_uploads`, by SHA-256) and their `roster_import_starts` (each cycle an import
 * starts, with its outcome).
 */
import { sql, type Kysely } from 'kysely';
import type { Database, RosterImportStatus, RosterStartStatus } from '../../db/schema.ts';
import { startableOf, type StartableCycle } from './cycle-store.ts';

/** Up to `limit` cycles of the import still to start (pending, or failed before), in a stable order. */
export async function importCyclesToStart(db: Kysely<Database>, importId: string, limit: number): Promise<StartableCycle[]> {
  const rows = await db
    .selectFrom('roster_import_starts as s')
    .innerJoin('cycles as c', 'c.id', 's.cycle_id')
    .innerJoin('pairs as p', 'p.id', 'c.pair_id')
    .innerJoin('people as mentee', 'mentee.id', 'p.mentee_id')
    .select(['c.id', 'c.pair_id', 'c.academic_year', 'c.workflow_id', 'c.enrolled_at', 'c.joined_at', 'mentee.time_zone'])
    .where('s.import_id', '=', importId)
    .where('s.status', 'in', ['pending', 'failed'])
    .orderBy('c.id')
    .limit(limit)
    .execute();
  return rows.map(startableOf);
}

/** Records how starting these cycles of the import went; `reason` only for failures. */
export async function markImportStarts(
  db: Kysely<Database>,
  importId: string,
  status: RosterStartStatus,
  cycleIds: readonly string[],
  reason: string | null,
): Promise<void> {
  await db
    .updateTable('roster_import_starts')
    .set({ status, reason: status === 'failed' ? reason : null })
    .where('import_id', '=', importId)
    .where('cycle_id', '=', sql<string>`any(${cycleIds}::uuid[])`)
    .execute();
}

/** A confirmed import whose every cycle has started. */
export async function markImportStarted(db: Kysely<Database>, importId: string): Promise<void> {
  await db.updateTable('roster_imports').set({ status: 'started' }).where('id', '=', importId).where('status', '=', 'confirmed').execute();
}

// ── previews and their claim ─────────────────────────────────────────────────

/** Keeps the uploaded file once per content. */
export async function saveRosterUpload(db: Kysely<Database>, sha256: string, content: Buffer): Promise<void> {
  await db
    .insertInto('roster_uploads')
    .values({ sha256, content, byte_size: content.length })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

export interface NewRosterImport {
  departmentId: string;
  sha256: string;
  fileName: string;
  rowCount: number;
  encoding: string;
  delimiter: string | null;
  source: 'web' | 'cli' | 'api';
  staffId: string | null;
  staffName: string | null;
  planDigest: string;
  /** Stored as JSON. */
  summary: unknown;
}

/** Records a preview; returns its id. */
export async function insertRosterImport(db: Kysely<Database>, preview: NewRosterImport): Promise<string> {
  const row = await db
    .insertInto('roster_imports')
    .values({
      department_id: preview.departmentId,
      sha256: preview.sha256,
      file_name: preview.fileName.slice(0, 255),
      row_count: preview.rowCount,
      encoding: preview.encoding,
      delimiter: preview.delimiter,
      source: preview.source,
      staff_id: preview.staffId,
      staff_name: preview.staffName,
      plan_digest: preview.planDigest,
      summary: JSON.stringify(preview.summary),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A preview of the department with the file it was made from. */
export async function findImportWithUpload(
  db: Kysely<Database>,
  departmentId: string,
  importId: string,
): Promise<{ id: string; sha256: string; status: RosterImportStatus; planDigest: string; content: Buffer } | undefined> {
  const row = await db
    .selectFrom('roster_imports as i')
    .innerJoin('roster_uploads as u', 'u.sha256', 'i.sha256')
    .select(['i.id', 'i.sha256', 'i.status', 'i.plan_digest', 'u.content'])
    .where('i.id', '=', importId)
    .where('i.department_id', '=', departmentId)
    .executeTakeFirst();
  return row && { id: row.id, sha256: row.sha256, status: row.status, planDigest: row.plan_digest, content: row.content };
}

/** Claims a previewed import for confirming; false when it is no longer previewed. The update locks the row, so a second claim waits for the first. */
export async function claimPreviewedImport(db: Kysely<Database>, importId: string, workflowId: string): Promise<boolean> {
  const claimed = await db
    .updateTable('roster_imports')
    .set({ status: 'confirmed', confirmed_at: new Date(), workflow_id: workflowId })
    .where('id', '=', importId)
    .where('status', '=', 'previewed')
    .returning('status')
    .executeTakeFirst();
  return claimed !== undefined;
}

/** Records every cycle the import is to start (pending). */
export async function insertImportStarts(db: Kysely<Database>, importId: string, cycleIds: readonly string[]): Promise<void> {
  for (let i = 0; i < cycleIds.length; i += 2_000) {
    const batch = cycleIds.slice(i, i + 2_000);
    await sql`insert into roster_import_starts (import_id, cycle_id) select ${importId}::uuid, unnest(${batch}::uuid[]) on conflict do nothing`.execute(db);
  }
}

/** Stored as JSON. */
export async function saveImportSummary(db: Kysely<Database>, importId: string, summary: unknown): Promise<void> {
  await db
    .updateTable('roster_imports')
    .set({ summary: JSON.stringify(summary) })
    .where('id', '=', importId)
    .execute();
}

export async function findImportStatus(db: Kysely<Database>, importId: string): Promise<RosterImportStatus> {
  const row = await db.selectFrom('roster_imports').select('status').where('id', '=', importId).executeTakeFirstOrThrow();
  return row.status;
}

/** A preview that no longer matches the department's records; only while it is still a preview. */
export async function markImportStale(db: Kysely<Database>, importId: string): Promise<void> {
  await db.updateTable('roster_imports').set({ status: 'stale' }).where('id', '=', importId).where('status', '=', 'previewed').execute();
}

// ── progress and history ─────────────────────────────────────────────────────

export async function findImport(
  db: Kysely<Database>,
  departmentId: string,
  importId: string,
): Promise<{ id: string; sha256: string; fileName: string; status: RosterImportStatus } | undefined> {
  const row = await db
    .selectFrom('roster_imports')
    .select(['id', 'sha256', 'file_name', 'status'])
    .where('id', '=', importId)
    .where('department_id', '=', departmentId)
    .executeTakeFirst();
  return row && { id: row.id, sha256: row.sha256, fileName: row.file_name, status: row.status };
}

/** How many of the import's cycles are in each start status. */
export async function countImportStarts(db: Kysely<Database>, importId: string): Promise<{ status: RosterStartStatus; n: number }[]> {
  return db
    .selectFrom('roster_import_starts')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .where('import_id', '=', importId)
    .groupBy('status')
    .execute();
}

/** The first 100 failed starts of the import, by pair. */
export async function listImportStartFailures(
  db: Kysely<Database>,
  importId: string,
): Promise<{ mentorEmail: string; menteeEmail: string; reason: string | null }[]> {
  return db
    .selectFrom('roster_import_starts as s')
    .innerJoin('cycles as c', 'c.id', 's.cycle_id')
    .innerJoin('pairs as p', 'p.id', 'c.pair_id')
    .innerJoin('people as mentor', 'mentor.id', 'p.mentor_id')
    .innerJoin('people as mentee', 'mentee.id', 'p.mentee_id')
    .select(['mentor.email as mentorEmail', 'mentee.email as menteeEmail', 's.reason'])
    .where('s.import_id', '=', importId)
    .where('s.status', '=', 'failed')
    .limit(100)
    .execute();
}

export interface StoredImport {
  id: string;
  fileName: string;
  rowCount: number;
  status: RosterImportStatus;
  source: 'web' | 'cli' | 'api';
  staffName: string | null;
  previewedAt: Date;
  confirmedAt: Date | null;
  summary: unknown;
}

/** The department's confirmed imports, newest first. */
export async function listConfirmedImports(db: Kysely<Database>, departmentId: string, limit: number): Promise<StoredImport[]> {
  const rows = await db
    .selectFrom('roster_imports')
    .select(['id', 'file_name', 'row_count', 'status', 'source', 'staff_name', 'previewed_at', 'confirmed_at', 'summary'])
    .where('department_id', '=', departmentId)
    .where('status', 'in', ['confirmed', 'started'])
    .orderBy('confirmed_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    fileName: r.file_name,
    rowCount: r.row_count,
    status: r.status,
    source: r.source,
    staffName: r.staff_name,
    previewedAt: r.previewed_at,
    confirmedAt: r.confirmed_at,
    summary: r.summary,
  }));
}
