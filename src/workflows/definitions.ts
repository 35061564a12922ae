/**
 * The mentoring cycle's public surface: its input, and the Updates and Queries that the
 * web app, the CLI and tests use. Everything here carries ids and states only — what a
 * person typed stays in Postgres (see DESIGN.md, rule 2).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Policy } from '../domain/policy.ts';

export const TASK_QUEUE = 'tandem';

export interface MentoringCycleInput {
  cycleId: string;
  pairId: string;
  academicYear: number;
  /** ISO instant the cycle's plan is measured from. */
  enrolledAt: string;
  /** The pair's time zone, for meeting times. */
  timeZone: string;
  policy: Policy;
}

export interface ExpectationsShared {
  /** Row in Postgres holding the written expectations. */
  expectationsId: string;
  meetingCadenceDays: number;
}

export interface CycleStatusView {
  cycleId: string;
  status: 'running' | 'paused' | 'stalled' | 'completed' | 'ended';
  currentStep: string | null;
}

export const shareExpectationsUpdate = defineUpdate<CycleStatusView, [ExpectationsShared]>('shareExpectations');
export const statusQuery = defineQuery<CycleStatusView>('status');
