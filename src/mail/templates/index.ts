/** The message catalogue: exactly one template per kind the workflow may ask for. */
import type { MessageKind } from '../../activities/types.ts';
import { checkInTemplates } from './check-ins.ts';
import type { Template } from './common.ts';
import { coordinationTemplates } from './coordination.ts';
import { expectationsTemplates } from './expectations.ts';
import { feedbackTemplates } from './feedback.ts';
import { lifeEventTemplates } from './life-events.ts';
import { reminderTemplates } from './reminders.ts';
import { trainingGoalsTemplates } from './training-goals.ts';

// Typed as a complete record: a kind added to MESSAGE_KINDS without a template fails to compile.
export const MESSAGE_TEMPLATES: Record<MessageKind, Template> = {
  ...expectationsTemplates,
  ...checkInTemplates,
  ...trainingGoalsTemplates,
  ...feedbackTemplates,
  ...reminderTemplates,
  ...coordinationTemplates,
  ...lifeEventTemplates,
};
