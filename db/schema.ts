/**
 * The database, as kysely sees it. These types are the documentation of every table:
 * keep them in step with db/migrations.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;

export interface DepartmentsTable {
  id: string;
  name: string;
  created_at: CreatedAt;
}

export interface PeopleTable {
  id: Generated<string>;
  department_id: string;
  /** Stored lower-cased; unique per department. */
  email: string;
  full_name: string;
  preferred_name: string | null;
  pronouns: string | null;
  time_zone: string;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  /** The address that refused mail permanently (5xx); the mark lapses when `email` changes. */
  undeliverable_email: string | null;
  undeliverable_reason: string | null;
  undeliverable_since: NullableTimestamp;
}

export type PairStatus = 'active' | 'ended';

export interface PairsTable {
  id: Generated<string>;
  department_id: string;
  mentor_id: string;
  mentee_id: string;
  program: string | null;
  /** Free text from the roster ("Tuesdays, in person"); shown to the pair, not used by the workflow. */
  meeting_preferences: string | null;
  status: Generated<PairStatus>;
  ended_reason: string | null;
  ended_at: NullableTimestamp;
  created_at: CreatedAt;
}

export type CycleStatus = 'running' | 'paused' | 'stalled' | 'completed' | 'ended';

export interface CyclesTable {
  id: Generated<string>;
  pair_id: string;
  /** The calendar year in which the academic year starts (2026 for 2026–27). */
  academic_year: number;
  workflow_id: string;
  enrolled_at: Timestamp;
  status: Generated<CycleStatus>;
  current_step: string | null;
  due_at: NullableTimestamp;
  owed_by: string | null;
  stalled_since: NullableTimestamp;
  ladder_rung: number | null;
  updated_at: Generated<Date>;
  /** The real enrollment instant (0009); null for cycles from before it was kept. */
  joined_at: Generated<Date | null>;
  /** Set by the mail activities when a message of this cycle could not be delivered; for the coordinator. */
  delivery_problem: string | null;
  delivery_problem_at: NullableTimestamp;
}

/** The timeline of one cycle: states and ids only, never what a person typed. */
export interface CycleEventsTable {
  id: Generated<string>;
  cycle_id: string;
  /** Business key: a retried projection write lands once. */
  event_key: string;
  occurred_at: Timestamp;
  step: string | null;
  kind: string;
  detail: Json<Record<string, unknown>>;
}

/** `sending`: claimed by one attempt until `lease_until`; `failed`: refused permanently. */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxTable {
  id: Generated<string>;
  /** cycle/step/kind/sequence/recipient: the send happens at most once per key. */
  idempotency_key: string;
  cycle_id: string | null;
  step: string | null;
  kind: string;
  sequence: number;
  recipient_person_id: string | null;
  to_address: string;
  subject: string;
  message_id: string;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: NullableTimestamp;
  /** While `sending`: no other attempt may claim the row before this instant. */
  lease_until: NullableTimestamp;
}

/** One check-in's calendar identity: the same UID for its life, SEQUENCE raised per revision. */
export interface CheckInInvitesTable {
  cycle_id: string;
  step: string;
  uid: string;
  sequence: number;
  /** The workflow's revision last sent; a retried activity with the same revision sends nothing new. */
  revision: number;
  method: 'REQUEST' | 'CANCEL';
  starts_at: Timestamp;
  ends_at: Timestamp;
  /** The pair's zone when sent (the mentee's `people.time_zone`). */
  time_zone: string;
  /** DTSTAMP of this revision: fixed, so a resend is byte-for-byte the same invite. */
  stamped_at: Timestamp;
}

export interface ExpectationsTable {
  id: Generated<string>;
  cycle_id: string;
  author_person_id: string;
  /** 1 for the first sharing, +1 each time the mentor revises after a question. */
  version: number;
  meeting_cadence_days: number;
  meeting_local_time: string;
  meeting_format: 'in-person' | 'video' | 'hybrid';
  /** Room or video link; goes into check-in invites. */
  meeting_location: string | null;
  response_time_norms: string;
  work_life_boundaries: string;
  leave_contingencies: string;
  other_expectations: string | null;
  created_at: CreatedAt;
}

export interface ExpectationResponsesTable {
  id: Generated<string>;
  expectations_id: string;
  author_person_id: string;
  kind: 'acknowledged' | 'questioned';
  message: string | null;
  created_at: CreatedAt;
}

export interface TrainingGoalsTable {
  id: Generated<string>;
  cycle_id: string;
  author_person_id: string;
  training_goals: string;
  career_goals: string;
  support_needed: string | null;
  mentor_review: string | null;
  reviewed_at: NullableTimestamp;
  created_at: CreatedAt;
}

/** Confidential. */
export interface FeedbackTable {
  id: Generated<string>;
  cycle_id: string;
  author_person_id: string;
  author_role: 'mentor' | 'mentee';
  /** Plaintext, only in rows written before migration 0007; null since. */
  content: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** AES-256-GCM sealed FeedbackContent (src/evaluation/feedback-store.ts). */
  sealed: Buffer | null;
  framework_id: string | null;
  submitted_at: CreatedAt;
}

/** Confidential: for department resources only. */
export interface HelpRequestsTable {
  id: Generated<string>;
  cycle_id: string;
  person_id: string;
  resource_id: string;
  /** Plaintext only in rows written before 0008 and not yet sealed after migrating; null otherwise. */
  message: string | null;
  /** The message sealed with the data key, bound to this row's id (src/help-requests/help-request-store.ts). */
  sealed: Buffer | null;
  created_at: CreatedAt;
}

/** One mentor's evaluation input for one academic year; contents sealed (src/evaluation/packets.ts). */
export interface EvaluationPacketsTable {
  id: Generated<string>;
  department_id: string;
  mentor_id: string;
  academic_year: number;
  ratings_status: 'released' | 'withheld';
  responses: Generated<number>;
  covered_years: ColumnType<number[], number[] | undefined, number[]>;
  sealed: Buffer;
  released_at: NullableTimestamp;
  updated_at: Generated<Date>;
}

export interface EvaluationPacketResponsesTable {
  feedback_id: string;
  packet_id: string;
}

/** Every read of confidential data: who, when, why. Append-only. */
export interface AuditLogTable {
  id: Generated<string>;
  occurred_at: CreatedAt;
  actor_kind: 'participant' | 'staff' | 'system';
  actor_id: string;
  actor_role: string;
  action: string;
  subject_kind: string;
  subject_id: string;
  reason: string;
}

export type StaffRole = 'coordinator' | 'evaluation' | 'resource';

/** Department staff who sign in by emailed link: coordinators, evaluation committee, resources. */
export interface StaffTable {
  id: Generated<string>;
  department_id: string;
  /** Stored lower-cased; unique per department. */
  email: string;
  name: string;
  roles: ColumnType<StaffRole[], StaffRole[], StaffRole[]>;
  created_at: CreatedAt;
  /** 0012: set on every sign-in (emailed link or university sign-in). */
  last_signed_in_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** 0012: a coordinator's department notices, one message each or a daily digest. */
  notice_delivery: ColumnType<NoticeDelivery, NoticeDelivery | undefined, NoticeDelivery>;
}

export interface StaffSessionsTable {
  /** sha256 (hex) of the random id in the cookie; the id itself is never stored. */
  id_hash: string;
  staff_id: string;
  /** Synchronizer token every form of this session must carry. */
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

/** Magic links already spent (by token id), so each signs in once. */
export interface StaffLoginLinksUsedTable {
  jti: string;
  staff_id: string;
  used_at: CreatedAt;
  expires_at: Timestamp;
}

/** An emailed action link that has done its action: single use, and what it did (ids and states only). */
export interface UsedActionLinksTable {
  jti: string;
  person_id: string;
  cycle_id: string;
  action: string;
  step: string | null;
  /** What happened, for the "already done" page: "acknowledged", "scheduled:<ISO>", "held", … */
  outcome: string;
  used_at: CreatedAt;
}

// --- 0012 staff directory and university sign-in ---
export type NoticeDelivery = 'immediate' | 'digest';

/** An OpenID Connect sign-in under way: what the callback must match (single use, short-lived). */
export interface StaffOidcLoginsTable {
  state_hash: string;
  nonce: string;
  code_verifier: string;
  next: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
}
// --- end 0012 ---

// ── People act for themselves (migration 0011, issue 14) ─────────────────────────────
export type ReminderDelivery = 'immediate' | 'daily' | 'weekly';

/** What a person chose for themselves that is not part of their identity. */
export interface PersonSettingsTable {
  person_id: string;
  /** Reminders to them one by one, or gathered in a daily/weekly digest (only with more than one pair). */
  reminder_delivery: ColumnType<ReminderDelivery, ReminderDelivery | undefined, ReminderDelivery>;
  updated_at: Generated<Date>;
}

export type TimeAwayKind = 'leave' | 'sabbatical' | 'parental-leave' | 'fieldwork' | 'travel';

/** A person's announced time away; `pause_steps` pauses every cycle of theirs for the span. */
export interface TimeAwayTable {
  id: Generated<string>;
  person_id: string;
  kind: TimeAwayKind;
  starts_at: Timestamp;
  ends_at: Timestamp;
  pause_steps: boolean;
  contingency_name: string | null;
  contingency_email: string | null;
  contingency_covers: string | null;
  /** scheduled → active (its start came) → ended (its end came, or ended early). */
  status: ColumnType<'scheduled' | 'active' | 'ended', 'scheduled' | 'active' | 'ended' | undefined, 'scheduled' | 'active' | 'ended'>;
  ended_early_at: NullableTimestamp;
  created_at: CreatedAt;
}

/** One digest of one recipient (a participant, or staff): the business key of its one message. */
export interface DigestPeriodsTable {
  id: Generated<string>;
  recipient_kind: string;
  recipient_id: string;
  frequency: 'daily' | 'weekly';
  starts_at: Timestamp;
  ends_at: Timestamp;
  /** Set when its delivery began: no item joins it after; a retry re-sends the same outbox key. */
  closed_at: NullableTimestamp;
  outbox_id: string | null;
}

/** A message held for a digest instead of being sent on its own: ids, kind and facts only. */
export interface DigestItemsTable {
  id: Generated<string>;
  period_id: string;
  item_key: string;
  kind: string;
  cycle_id: string | null;
  step: string | null;
  facts: Json<Record<string, string | number | null>>;
  held_at: CreatedAt;
}

export interface PeopleActTables {
  person_settings: PersonSettingsTable;
  time_away: TimeAwayTable;
  digest_periods: DigestPeriodsTable;
  digest_items: DigestItemsTable;
}
// ── end of migration 0011 ────────────────────────────────────────────────────────────

export interface Database extends PeopleActTables {
  departments: DepartmentsTable;
  people: PeopleTable;
  pairs: PairsTable;
  cycles: CyclesTable;
  roster_uploads: RosterUploadsTable;
  roster_imports: RosterImportsTable;
  roster_import_starts: RosterImportStartsTable;
  cycle_events: CycleEventsTable;
  outbox: OutboxTable;
  expectations: ExpectationsTable;
  expectation_responses: ExpectationResponsesTable;
  training_goals: TrainingGoalsTable;
  feedback: FeedbackTable;
  help_requests: HelpRequestsTable;
  check_in_invites: CheckInInvitesTable;
  evaluation_packets: EvaluationPacketsTable;
  evaluation_packet_responses: EvaluationPacketResponsesTable;
  audit_log: AuditLogTable;
  staff: StaffTable;
  staff_sessions: StaffSessionsTable;
  staff_login_links_used: StaffLoginLinksUsedTable;
  used_action_links: UsedActionLinksTable;
  // 0014 (limits across processes)
  relay_send_slots: RelaySendSlotsTable;
  rate_limit_windows: RateLimitWindowsTable;
  staff_oidc_logins: StaffOidcLoginsTable;
  // 0015 (dashboard counts)
  cycle_stage_counts: CycleStageCountsTable;
  // 0016 (year report counts)
  cycle_report_facts: CycleReportFactsTable;
  cycle_report_counts: CycleReportCountsTable;
}

// --- 0014: limits across processes ---
/** When the next message may be handed to the relay: one row per relay, shared by every process. */
export interface RelaySendSlotsTable {
  relay: string;
  next_at: Generated<Date>;
}

/** A sign-in rate limit's counter for one key (sha256 of it) in its fixed window. */
export interface RateLimitWindowsTable {
  key_hash: string;
  hits: number;
  window_ends_at: Date;
}
// --- end 0014 ---

export type Person = Selectable<PeopleTable>;
export type NewPerson = Insertable<PeopleTable>;
export type PersonUpdate = Updateable<PeopleTable>;
export type Pair = Selectable<PairsTable>;
export type Cycle = Selectable<CyclesTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type StaffMember = Selectable<StaffTable>;

// ── 0010: saves whose Update's outcome is not known yet (invites helper) ──────────
/** A form's saved row ids, kept while its Update's outcome is unknown: the same link again reuses them. */
export interface PendingActionSavesTable {
  jti: string;
  saved: unknown;
  created_at: CreatedAt;
}
export interface Database {
  pending_action_saves: PendingActionSavesTable;
}

// ── Roster imports (0009) ─────────────────────────────────────────────────────────
export interface RosterUploadsTable {
  sha256: string;
  content: Buffer;
  byte_size: number;
  first_uploaded_at: Generated<Date>;
}
export type RosterImportStatus = 'previewed' | 'confirmed' | 'started' | 'stale';
export interface RosterImportsTable {
  id: Generated<string>;
  department_id: string;
  sha256: string;
  file_name: string;
  row_count: number;
  encoding: string;
  delimiter: string | null;
  source: 'web' | 'cli' | 'api';
  staff_id: string | null;
  staff_name: string | null;
  previewed_at: Generated<Date>;
  plan_digest: string;
  status: Generated<RosterImportStatus>;
  confirmed_at: NullableTimestamp;
  summary: unknown;
  workflow_id: string | null;
}
export type RosterStartStatus = 'pending' | 'started' | 'already-running' | 'failed';
export interface RosterImportStartsTable {
  import_id: string;
  cycle_id: string;
  status: Generated<RosterStartStatus>;
  reason: string | null;
}

// --- 0015: the dashboard's counts ---
/** How many cycles a department's program has in each status and step; kept by triggers on cycles and pairs. */
export interface CycleStageCountsTable {
  department_id: string;
  program: string | null;
  status: CycleStatus;
  current_step: string | null;
  /** bigint: pg returns it as a string. */
  cycles: string;
}

// --- 0016: the year report's counts ---
/** What one cycle's timeline says for the year report, and where it is counted; kept by triggers on cycle_events, cycles and pairs. */
export interface CycleReportFactsTable {
  cycle_id: string;
  pair_id: string;
  department_id: string;
  program: string | null;
  academic_year: number;
  /** The pair's first academic year (joined late is read from it and enrolled_on). */
  first_cycle: boolean;
  /** enrolled_at's day, in UTC. */
  enrolled_on: Date;
  /** Status ended or completed: a stalled step left open has lapsed. */
  finished: boolean;
  expectations_set: boolean;
  expectations_laddered: boolean;
  check_ins_planned: number;
  check_ins_held: number;
  check_ins_rescheduled: number;
  /** The distinct check-ins reported missed. */
  missed_steps: string[];
  goals_updated: boolean;
  goals_reviewed: boolean;
  feedback_from: number;
  /** One reason per pause. */
  pause_reasons: string[];
  ended_reasons: string[];
  stalled: boolean;
  stalled_steps: string[];
  completed_steps: string[];
  resolved_steps: string[];
  referred_steps: string[];
  closed_steps: string[];
}

/** A year report measure of a department's program and year (label: its step, reason or enrollment day, else ''); kept from cycle_report_facts. */
export interface CycleReportCountsTable {
  department_id: string;
  program: string | null;
  academic_year: number;
  measure: string;
  label: string;
  /** bigint: pg returns it as a string. */
  value: string;
}
