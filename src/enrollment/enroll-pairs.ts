/**
 * The one enrollment path, for a single pair (`enroll-pair`) and a whole roster alike:
 *
 *   1. plan   — read what the department already has and work out every change; a person
 *               whose email is known under another name is a conflict, and nothing is written;
 *   2. apply  — bulk writes in one transaction (people, pairs, cycles);
 *   3. start  — after the commit, start each cycle's workflow, idempotently by its id.
 *
 * A pair that is ended is left alone; a pair whose earlier cycle is still running carries
 * into the new year by itself (the workflow continues as new) and gets no second cycle.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Client } from '@temporalio/client';
import type { CycleStatus, Database } from '../../db/schema.ts';
import type { Policy } from '../domain/policy.ts';
import { cycleToStart, newCycleRow, type CycleToStart } from '../cycles/cycle-input.ts';
import { startCycles, type ProgressListener, type StartReport, type StartStatus } from '../cycles/start-cycles.ts';
import { cyclesOfPairs, insertCycles, type StoredCycle } from '../stores/cycle-store.ts';
import { transactionRetryingDeadlocks } from '../stores/transactions.ts';
import {
  insertPairsIfNew,
  insertPeopleIfNew,
  listActivePairsInPrograms,
  listPairsOfMentors,
  listPeopleByEmail,
  updatePairDetails,
  updatePersonDetails,
  upsertDepartment,
  type EnrolledPair,
  type EnrolledPerson,
} from '../stores/people-store.ts';

/** One person as a request gives them; null means "not given here", which keeps what is stored. */
export interface PersonRequest {
  email: string;
  fullName: string;
  preferredName: string | null;
  pronouns: string | null;
  timeZone: string | null;
}

export interface PairRequest {
  mentor: PersonRequest;
  mentee: PersonRequest;
  program: string | null;
  meetingPreferences: string | null;
  academicYear: number;
  /** When the year's plan is measured from; used only when the cycle is first created. */
  startsAt: Date;
}

/**
 * new — a pair Tandem did not have; updated / unchanged — a known pair (program or meeting
 * preferences changed or not); ended — a pair that was ended, not restarted; continuing — its
 * earlier cycle is still running and carries into this year.
 */
export type PairOutcome = 'new' | 'updated' | 'unchanged' | 'ended' | 'continuing';

export interface PlannedPair {
  outcome: PairOutcome;
  /** Changed pair fields ("program", "meeting preferences"). */
  changes: string[];
  /** A cycle row for the academic year is created. */
  newCycle: boolean;
}

export interface PersonChange {
  email: string;
  fields: string[];
  /** Each changed field with what is stored and what the request gives ("Kate" → "Katherine"). */
  changes: { field: string; from: string | null; to: string }[];
}

export interface MissingPair {
  mentorEmail: string;
  menteeEmail: string;
  program: string | null;
}

export interface EnrollmentPlan {
  newPeople: string[];
  updatedPeople: PersonChange[];
  unchangedPeople: number;
  /** By request index. */
  pairs: PlannedPair[];
  /** Active pairs of the department that the requests leave out: reported, never ended. */
  missingPairs: MissingPair[];
}

/** A problem found against the database, by request index and field ("mentor-name"). */
export interface ConflictProblem {
  index: number;
  field: string;
  reason: string;
}

export class EnrollmentConflictError extends Error {
  readonly problems: ConflictProblem[];
  constructor(problems: ConflictProblem[]) {
    super(problems.map((p) => `request ${p.index + 1}, ${p.field}: ${p.reason}`).join('; '));
    this.problems = problems;
    this.name = 'EnrollmentConflictError';
  }
}

export interface EnrollDeps {
  db: Kysely<Database>;
  temporal: Client;
  taskQueue: string;
  policy: Policy;
  /** Where a roster import's own workflow runs; defaults to `taskQueue` (where cycles run). */
  importTaskQueue?: string;
}

export interface EnrollOptions {
  dryRun?: boolean;
  /** Report the department's active pairs that the requests leave out (a roster does). */
  reportMissing?: boolean;
  concurrency?: number;
  /** Called once the rows are committed, before the first workflow start. */
  onCommitted?: (cycles: number) => void;
  onProgress?: ProgressListener;
  /**
   * Runs inside the write transaction: `before` ahead of reading anything (to claim a preview),
   * `after` once the plan is known and the rows are written (to check the plan against the
   * preview and record the starts). Either may throw to write nothing.
   */
  within?: {
    before?: (trx: Transaction<Database>) => Promise<void>;
    after?: (trx: Transaction<Database>, plan: EnrollmentPlan, toStart: { cycleId: string; workflowId: string }[]) => Promise<void>;
  };
  /** The cycles are started elsewhere (a roster import's own workflow): write the rows, start nothing. */
  startElsewhere?: boolean;
}

export interface CycleRef {
  index: number;
  pairId: string;
  cycleId: string;
  workflowId: string;
  academicYear: number;
  /** The year has completed or was ended: never started again. */
  finished: boolean;
  /** What happened when starting it; 'not-attempted' for a finished cycle. */
  status: StartStatus;
}

export interface EnrollmentOutcome {
  plan: EnrollmentPlan;
  /** The cycles whose workflows were started or found running; empty in a dry run. */
  cycles: CycleRef[];
  /** Null in a dry run. */
  starts: StartReport | null;
}

type Db = Kysely<Database> | Transaction<Database>;

interface Snapshot {
  /** By email. */
  people: Map<string, EnrolledPerson>;
  /** By mentor/mentee email. */
  pairs: Map<string, EnrolledPair>;
  cyclesByPair: Map<string, StoredCycle[]>;
}

const pairKey = (mentorId: string, menteeId: string) => `${mentorId}/${menteeId}`;
const LIVE_CYCLE: CycleStatus[] = ['running', 'paused', 'stalled'];

/** One entry per email: the first request's name, and each detail from whichever request gives it. */
function mergePeople(requests: PairRequest[]): Map<string, PersonRequest> {
  const people = new Map<string, PersonRequest>();
  for (const r of requests) {
    for (const p of [r.mentor, r.mentee]) {
      const seen = people.get(p.email);
      if (!seen) people.set(p.email, { ...p });
      else {
        seen.preferredName ??= p.preferredName;
        seen.pronouns ??= p.pronouns;
        seen.timeZone ??= p.timeZone;
      }
    }
  }
  return people;
}

async function readSnapshot(db: Db, departmentId: string, emails: string[]): Promise<Snapshot> {
  const stored = await listPeopleByEmail(db, departmentId, emails);
  const people = new Map(stored.map((p) => [p.email, p]));
  const emailOf = new Map(stored.map((p) => [p.id, p.email]));
  const pairs: Snapshot['pairs'] = new Map();
  const cyclesByPair: Snapshot['cyclesByPair'] = new Map();
  if (stored.length === 0) return { people, pairs, cyclesByPair };
  const pairRows = await listPairsOfMentors(db, [...emailOf.keys()]);
  for (const row of pairRows) pairs.set(pairKey(emailOf.get(row.mentorId)!, emailOf.get(row.menteeId) ?? row.menteeId), row);
  const pairIds = pairRows.map((p) => p.id);
  for (const c of await cyclesOfPairs(db, pairIds)) cyclesByPair.set(c.pairId, [...(cyclesByPair.get(c.pairId) ?? []), c]);
  return { people, pairs, cyclesByPair };
}

function planFrom(
  requests: PairRequest[],
  people: Map<string, PersonRequest>,
  snapshot: Snapshot,
): { plan: Omit<EnrollmentPlan, 'missingPairs'>; conflicts: ConflictProblem[] } {
  const conflicts: ConflictProblem[] = [];
  const newPeople: string[] = [];
  const updatedPeople: PersonChange[] = [];
  let unchangedPeople = 0;
  for (const [email, person] of people) {
    const stored = snapshot.people.get(email);
    if (!stored) {
      newPeople.push(email);
      continue;
    }
    if (stored.fullName.toLowerCase() !== person.fullName.toLowerCase()) {
      const index = requests.findIndex((r) => r.mentor.email === email || r.mentee.email === email);
      const role = requests[index]!.mentor.email === email ? 'mentor' : 'mentee';
      conflicts.push({ index, field: `${role}-name`, reason: `${email} is already enrolled as "${stored.fullName}", not "${person.fullName}"` });
      continue;
    }
    const changes = (
      [
        ['preferred name', stored.preferredName, person.preferredName],
        ['pronouns', stored.pronouns, person.pronouns],
        ['time zone', stored.timeZone, person.timeZone],
      ] as const
    ).flatMap(([field, from, to]) => (to !== null && to !== from ? [{ field, from, to }] : []));
    if (changes.length > 0) updatedPeople.push({ email, fields: changes.map((c) => c.field), changes });
    else unchangedPeople++;
  }

  const pairs = requests.map((r): PlannedPair => {
    const stored = snapshot.pairs.get(pairKey(r.mentor.email, r.mentee.email));
    if (!stored) return { outcome: 'new', changes: [], newCycle: true };
    if (stored.status === 'ended') return { outcome: 'ended', changes: [], newCycle: false };
    const changes = [
      r.program !== null && r.program !== stored.program ? 'program' : null,
      r.meetingPreferences !== null && r.meetingPreferences !== stored.meetingPreferences ? 'meeting preferences' : null,
    ].filter((f): f is string => f !== null);
    const cycles = snapshot.cyclesByPair.get(stored.id) ?? [];
    const thisYear = cycles.find((c) => c.academicYear === r.academicYear);
    const carriedOver = !thisYear && cycles.some((c) => c.academicYear < r.academicYear && LIVE_CYCLE.includes(c.status));
    return { outcome: carriedOver ? 'continuing' : changes.length > 0 ? 'updated' : 'unchanged', changes, newCycle: !thisYear && !carriedOver };
  });
  return { plan: { newPeople, updatedPeople, unchangedPeople, pairs }, conflicts };
}

async function findMissingPairs(db: Db, departmentId: string, requests: PairRequest[]): Promise<MissingPair[]> {
  const listed = new Set(requests.map((r) => pairKey(r.mentor.email, r.mentee.email)));
  // Only the roster's own programs: departments keep one roster per program, and another
  // program's pairs are not "left out" of this one.
  const programs = [...new Set(requests.map((r) => r.program).filter((p): p is string => p !== null))];
  if (programs.length === 0) return [];
  const active = await listActivePairsInPrograms(db, departmentId, programs);
  return active.filter((p) => !listed.has(pairKey(p.mentorEmail, p.menteeEmail)));
}

async function apply(
  trx: Transaction<Database>,
  policy: Policy,
  requests: PairRequest[],
  people: Map<string, PersonRequest>,
  snapshot: Snapshot,
  plan: EnrollmentPlan,
): Promise<(Omit<CycleRef, 'status'> & { start: CycleToStart | null })[]> {
  const department = policy.department;
  await upsertDepartment(trx, department);

  // Concurrent imports may race us to the same rows: insert what is missing, then read back every id.
  await insertPeopleIfNew(
    trx,
    department.id,
    plan.newPeople.map((email) => {
      const p = people.get(email)!;
      return { email, fullName: p.fullName, preferredName: p.preferredName, pronouns: p.pronouns, timeZone: p.timeZone ?? policy.defaultTimeZone };
    }),
  );
  for (const { email } of plan.updatedPeople) await updatePersonDetails(trx, department.id, email, people.get(email)!);
  const personOf = new Map((await listPeopleByEmail(trx, department.id, [...people.keys()])).map((p) => [p.email, p]));
  const idsOf = (r: PairRequest) => ({ mentorId: personOf.get(r.mentor.email)!.id, menteeId: personOf.get(r.mentee.email)!.id });

  const newPairs = requests.filter((_, i) => plan.pairs[i]!.outcome === 'new');
  await insertPairsIfNew(
    trx,
    department.id,
    newPairs.map((r) => ({ ...idsOf(r), program: r.program, meetingPreferences: r.meetingPreferences })),
  );
  for (const [i, r] of requests.entries()) {
    if (plan.pairs[i]!.changes.length === 0) continue;
    await updatePairDetails(trx, snapshot.pairs.get(pairKey(r.mentor.email, r.mentee.email))!.id, r);
  }

  // Only pairs that get a cycle this year matter from here on.
  const wanted = requests.map((r, index) => ({ r, index })).filter(({ index }) => !['ended', 'continuing'].includes(plan.pairs[index]!.outcome));
  const mentorIds = [...new Set(wanted.map(({ r }) => idsOf(r).mentorId))];
  const pairIdOf = new Map((await listPairsOfMentors(trx, mentorIds)).map((p) => [pairKey(p.mentorId, p.menteeId), p.id]));
  const pairIdFor = (r: PairRequest) => pairIdOf.get(pairKey(idsOf(r).mentorId, idsOf(r).menteeId))!;

  const newCycles = wanted.filter(({ index }) => plan.pairs[index]!.newCycle);
  await insertCycles(
    trx,
    newCycles.map(({ r }) => newCycleRow(pairIdFor(r), r.academicYear, r.startsAt)),
  );
  const cycleOf = new Map(
    (
      await cyclesOfPairs(
        trx,
        wanted.map(({ r }) => pairIdFor(r)),
      )
    ).map((c) => [`${c.pairId}/${c.academicYear}`, c]),
  );

  const refs: (Omit<CycleRef, 'status'> & { start: CycleToStart | null })[] = [];
  for (const { r, index } of wanted) {
    const pairId = pairIdFor(r);
    const cycle = cycleOf.get(`${pairId}/${r.academicYear}`)!;
    // A finished year is never run again; everything else is (re)started idempotently.
    if (cycle.status === 'completed' || cycle.status === 'ended') {
      refs.push({ index, pairId, cycleId: cycle.cycleId, workflowId: cycle.workflowId, academicYear: r.academicYear, finished: true, start: null });
      continue;
    }
    const start = cycleToStart({ ...cycle, timeZone: personOf.get(r.mentee.email)!.timeZone }, policy);
    refs.push({ index, pairId, cycleId: cycle.cycleId, workflowId: cycle.workflowId, academicYear: r.academicYear, finished: false, start });
  }
  return refs;
}

/** Plans, writes and starts (or, with dryRun, only plans) the given pairs. */
export async function enrollPairs(deps: EnrollDeps, requests: PairRequest[], options: EnrollOptions = {}): Promise<EnrollmentOutcome> {
  const people = mergePeople(requests);
  // Re-planned from a fresh snapshot if Postgres aborts it to break a deadlock (see transactions.ts).
  const written = await transactionRetryingDeadlocks(deps.db, async (trx) => {
    await options.within?.before?.(trx);
    const snapshot = await readSnapshot(trx, deps.policy.department.id, [...people.keys()]);
    const { plan: partial, conflicts } = planFrom(requests, people, snapshot);
    if (conflicts.length > 0) throw new EnrollmentConflictError(conflicts);
    const plan: EnrollmentPlan = { ...partial, missingPairs: options.reportMissing ? await findMissingPairs(trx, deps.policy.department.id, requests) : [] };
    if (options.dryRun) return { plan, refs: null };
    const refs = await apply(trx, deps.policy, requests, people, snapshot, plan);
    await options.within?.after?.(
      trx,
      plan,
      refs.filter((r) => r.start !== null).map((r) => ({ cycleId: r.cycleId, workflowId: r.workflowId })),
    );
    return { plan, refs };
  });
  if (!written.refs) return { plan: written.plan, cycles: [], starts: null };
  const toStart = written.refs.filter((r) => r.start !== null);
  options.onCommitted?.(toStart.length);
  if (options.startElsewhere)
    return { plan: written.plan, cycles: written.refs.map(({ start: _start, ...rest }) => ({ ...rest, status: 'not-attempted' })), starts: null };
  const starts = await startCycles(
    deps.temporal,
    deps.taskQueue,
    toStart.map((r) => r.start!),
    { concurrency: options.concurrency, onProgress: options.onProgress },
  );
  const statusOf = new Map(toStart.map((r, i) => [r, starts.statuses[i]!]));
  const cycles = written.refs.map((ref): CycleRef => {
    const { start: _start, ...rest } = ref;
    return { ...rest, status: statusOf.get(ref) ?? 'not-attempted' };
  });
  return { plan: written.plan, cycles, starts };
}
