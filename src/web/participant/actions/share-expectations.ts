/**
 * share-expectations (mentor): the written expectations for the year — meeting cadence,
 * format, place or video link and local time; response-time norms; work-life boundaries;
 * what happens during leave or travel; anything else. After the mentee's questions the same
 * page shows them and starts from the last version, so revising is editing.
 */
import { parseLocalTime } from '../../../domain/zoned-time.ts';
import { shareExpectationsUpdate, type MeetingFormat } from '../../../workflows/definitions.ts';
import { html } from '../../html.ts';
import type { ActionModule, FieldError, FormState } from '../action-module.ts';
import { radioGroup, requireText, textArea, textField } from '../form-fields.ts';
import { dayIn } from '../pages.ts';
import { runUpdate, saveThenUpdate } from '../run-update.ts';
import { deleteExpectations, expectationQuestions, insertExpectations, latestExpectations } from '../../../stores/participant-content-store.ts';

const LONG = 4000;
const FORMATS: { value: MeetingFormat; label: string }[] = [
  { value: 'in-person', label: 'In person' },
  { value: 'video', label: 'Video call' },
  { value: 'hybrid', label: 'Sometimes in person, sometimes by video' },
];

interface Parsed {
  cadenceDays: number;
  localTime: string;
  format: MeetingFormat;
  location: string | null;
  responseTimeNorms: string;
  workLifeBoundaries: string;
  leaveContingencies: string;
  other: string | null;
}

function read(body: Record<string, string>): { value: Parsed } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const cadenceRaw = (body.meeting_cadence_days ?? '').trim();
  const cadenceDays = Number(cadenceRaw);
  if (cadenceRaw === '') errors.push({ field: 'meeting_cadence_days', message: 'Enter how often you will meet, in days.' });
  else if (!/^\d+$/.test(cadenceRaw) || cadenceDays < 1 || cadenceDays > 92)
    errors.push({ field: 'meeting_cadence_days', message: 'How often you will meet must be a whole number of days from 1 to 92.' });
  const format = body.meeting_format as MeetingFormat;
  if (!FORMATS.some((f) => f.value === format)) errors.push({ field: 'meeting_format', message: 'Choose how you will meet.' });
  const location = requireText(body, errors, 'meeting_location', 'the place or video link', 500, false);
  if (location && (format === 'video' || format === 'hybrid') && /^[a-z]+:/i.test(location) && !/^https?:\/\//i.test(location)) {
    errors.push({ field: 'meeting_location', message: 'A video link must start with https://.' });
  }
  const localTime = (body.meeting_local_time ?? '').trim();
  try {
    parseLocalTime(localTime);
  } catch {
    errors.push({
      field: 'meeting_local_time',
      message: localTime === '' ? 'Enter the usual meeting time.' : 'Enter the usual meeting time as HH:MM, for example 10:00.',
    });
  }
  const responseTimeNorms = requireText(body, errors, 'response_time_norms', 'how quickly you each reply', LONG);
  const workLifeBoundaries = requireText(body, errors, 'work_life_boundaries', 'your work-life boundaries', LONG);
  const leaveContingencies = requireText(body, errors, 'leave_contingencies', 'what happens during leave or travel', LONG);
  const other = requireText(body, errors, 'other_expectations', 'other expectations', LONG, false);
  if (errors.length > 0) return { errors };
  return {
    value: {
      cadenceDays,
      localTime,
      format,
      location,
      responseTimeNorms: responseTimeNorms!,
      workLifeBoundaries: workLifeBoundaries!,
      leaveContingencies: leaveContingencies!,
      other,
    },
  };
}

export const shareExpectations: ActionModule = {
  act: 'share-expectations',
  roles: ['mentor'],
  singleUse: true,
  fields: {
    meeting_cadence_days: { type: 'string', maxLength: 10 },
    meeting_format: { type: 'string', maxLength: 20 },
    meeting_location: { type: 'string', maxLength: 1000 },
    meeting_local_time: { type: 'string', maxLength: 10 },
    response_time_norms: { type: 'string', maxLength: 10_000 },
    work_life_boundaries: { type: 'string', maxLength: 10_000 },
    leave_contingencies: { type: 'string', maxLength: 10_000 },
    other_expectations: { type: 'string', maxLength: 10_000 },
  },
  title: (ctx) => `Share your expectations with ${ctx.partner.name}`,

  async render(ctx, form) {
    const latest = await latestExpectations(ctx.db, ctx.cycle.id);
    const questions = latest ? await expectationQuestions(ctx.db, latest.id) : [];
    // A fresh page starts from the last version (a revision after questions is an edit); a re-render keeps what was typed.
    const values: FormState =
      form.errors.length || form.notice
        ? form
        : {
            ...form,
            values: latest
              ? valuesOf(latest)
              : { meeting_cadence_days: String(ctx.policy.meetings.defaultCadenceDays), meeting_local_time: ctx.policy.meetings.defaultLocalTime },
          };
    return html`<p>Write down what you and ${ctx.partner.name} can expect from each other this year. ${ctx.partner.name} will read it and acknowledge it or ask questions; the check-ins are then planned at the cadence and time you give here.</p>
${
  questions.length > 0
    ? html`<section class="card" aria-labelledby="questions-title"><h2 id="questions-title">${ctx.partner.name}’s questions</h2>
${questions.map((q) => html`<blockquote><p>${q.message ?? ''}</p><footer class="hint">${dayIn(q.createdAt, ctx.person.timeZone)}</footer></blockquote>`)}
<p>Revise the expectations below and share them again.</p></section>`
    : ''
}
<form method="post" action="${ctx.formAction}" novalidate>
<fieldset><legend>Meetings</legend>
${textField(values, { name: 'meeting_cadence_days', label: 'How often you will meet (days between meetings)', hint: 'For example 7 for weekly, 14 for every two weeks, 28 for monthly.', type: 'number', min: 1, max: 92 })}
${radioGroup(values, { name: 'meeting_format', legend: 'How you will meet', options: FORMATS })}
${textField(values, { name: 'meeting_location', label: 'Room or video link', hint: 'Goes into the calendar invitations.', required: false, maxLength: 500 })}
${textField(values, { name: 'meeting_local_time', label: 'Usual meeting time', hint: `In ${ctx.partner.name}’s time zone (${ctx.partner.timeZone}), where the pair’s meetings are planned.`, type: 'time' })}
</fieldset>
${textArea(values, { name: 'response_time_norms', label: 'How quickly you each reply', hint: 'To email, to drafts, to urgent questions.', maxLength: LONG })}
${textArea(values, { name: 'work_life_boundaries', label: 'Work-life boundaries', hint: 'Working hours, evenings and weekends, holidays.', maxLength: LONG })}
${textArea(values, { name: 'leave_contingencies', label: 'During leave or travel', hint: 'Who to turn to and how you stay in touch while either of you is away.', maxLength: LONG })}
${textArea(values, { name: 'other_expectations', label: 'Anything else', required: false, maxLength: LONG })}
<div class="actions"><button type="submit">Share with ${ctx.partner.name}</button></div>
</form>`;
  },

  async submit(ctx, body) {
    const parsed = read(body);
    if ('errors' in parsed) return { status: 'invalid', errors: parsed.errors };
    const e = parsed.value;
    return saveThenUpdate(ctx, {
      save: async () => {
        const latest = await latestExpectations(ctx.db, ctx.cycle.id);
        return insertExpectations(ctx.db, { ...e, cycleId: ctx.cycle.id, authorPersonId: ctx.person.id, version: (latest?.version ?? 0) + 1 });
      },
      update: (row) =>
        runUpdate(ctx, shareExpectationsUpdate, {
          actor: { role: 'mentor', personId: ctx.person.id },
          expectationsId: row.id,
          meetingCadenceDays: e.cadenceDays,
          meetingLocalTime: e.localTime,
          meetingFormat: e.format,
        }),
      undo: async (row) => {
        await deleteExpectations(ctx.db, row.id);
      },
      done: (row) => ({
        status: 'done',
        outcome: `shared:${row.version}`,
        message: html`<p>Your expectations are shared with ${ctx.partner.name}.</p><p>${ctx.partner.name} has been asked to read them and acknowledge them or ask questions; you will hear either way.</p>`,
      }),
    });
  },

  describeUse: (ctx, use) =>
    html`You shared ${use.outcome === 'shared:1' ? 'your expectations' : 'a revised version of your expectations'} with ${ctx.partner.name} on ${dayIn(use.usedAt, ctx.person.timeZone)}. If ${ctx.partner.name} raises questions, you will get an email with a new link to revise them.`,
};

function valuesOf(row: {
  meeting_cadence_days: number;
  meeting_format: string;
  meeting_location: string | null;
  meeting_local_time: string;
  response_time_norms: string;
  work_life_boundaries: string;
  leave_contingencies: string;
  other_expectations: string | null;
}): Record<string, string> {
  return {
    meeting_cadence_days: String(row.meeting_cadence_days),
    meeting_format: row.meeting_format,
    meeting_location: row.meeting_location ?? '',
    meeting_local_time: row.meeting_local_time,
    response_time_norms: row.response_time_norms,
    work_life_boundaries: row.work_life_boundaries,
    leave_contingencies: row.leave_contingencies,
    other_expectations: row.other_expectations ?? '',
  };
}
