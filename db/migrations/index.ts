/**
 * Every migration, by name. Listed statically (not read from the folder) so they load the
 * same under node, vitest and a bundler. Names sort in the order they must run.
 */
import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.ts';
import * as participantContent from './0002_participant_content.ts';
import * as mailDelivery from './0003_mail_delivery.ts';
import * as enrollment from './0004_enrollment.ts';
import * as participantLinks from './0005_participant_links.ts';
import * as staffAccess from './0006_staff_access.ts';
import * as dashboardChartIndex from './0006b_dashboard_chart_index.ts';
import * as feedbackEvaluation from './0007_feedback_evaluation.ts';
import * as sealedHelpRequests from './0008_sealed_help_requests.ts';
import * as rosterImports from './0009_roster_imports.ts';
import * as pendingActionSaves from './0010_pending_action_saves.ts';
import * as peopleAct from './0011_people_act.ts';
import * as staffDirectory from './0012_staff_directory.ts';
import * as sharedLimits from './0014_shared_limits.ts';
import * as dashboardStageCounts from './0015_dashboard_stage_counts.ts';
import * as yearReportCounts from './0016_year_report_counts.ts';
import * as projectCycle from './0017_project_cycle.ts';

export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_participant_content': participantContent,
  '0003_mail_delivery': mailDelivery,
  '0004_enrollment': enrollment,
  '0005_participant_links': participantLinks,
  '0006_staff_access': staffAccess,
  '0006b_dashboard_chart_index': dashboardChartIndex,
  '0007_feedback_evaluation': feedbackEvaluation,
  '0008_sealed_help_requests': sealedHelpRequests,
  '0009_roster_imports': rosterImports,
  '0010_pending_action_saves': pendingActionSaves,
  '0011_people_act': peopleAct,
  '0012_staff_directory': staffDirectory,
  '0014_shared_limits': sharedLimits,
  '0015_dashboard_stage_counts': dashboardStageCounts,
  '0016_year_report_counts': yearReportCounts,
  '0017_project_cycle': projectCycle,
};
