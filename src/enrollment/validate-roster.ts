/**
 * Turning parsed roster rows into pair requests, checking everything that can be checked
 * without the database: each field, each row, and the rows against each other (the same
 * pair twice, one email with two names). Pure: every problem comes back at once.
 */
import { academicYearEndDate, academicYearStartDate } from '../domain/academic-year.ts';
import type { Policy } from '../domain/policy.ts';
import type { PairRequest, PersonRequest } from './enroll-pairs.ts';
import type { ParsedRoster, RosterProblem } from './parse-roster.ts';
import type { RosterColumn } from './roster-columns.ts';
import { cleanText, parseIsoDate, validatePerson } from './validate-person.ts';
import { formatAcademicYear, parseAcademicYear } from '../domain/academic-year.ts';

export interface ValidatedRoster {
  requests: PairRequest[];
  /** Spreadsheet row of each request, by index. */
  rowOf: number[];
  problems: RosterProblem[];
}

type Role = 'mentor' | 'mentee';
const ROLES: Role[] = ['mentor', 'mentee'];

interface Sighting {
  row: number;
  role: Role;
  person: PersonRequest;
}

/** The header text as written in the file, so a person finds the column they know. */
export function headerFor(roster: Pick<ParsedRoster, 'headers'>, column: RosterColumn): string {
  return roster.headers[column] ?? column;
}

export function validateRoster(roster: ParsedRoster, policy: Policy, now: Date = new Date()): ValidatedRoster {
  const problems: RosterProblem[] = [...roster.problems];
  const requests: PairRequest[] = [];
  const rowOf: number[] = [];
  if (roster.rows.length === 0) return { requests, rowOf, problems };
  const missingColumns = new Set<RosterColumn>(roster.missingColumns);
  // A column missing from the header is reported once there, not again on every row.
  let rowFailed = false;
  const at = (row: number, column: RosterColumn, reason: string) => {
    rowFailed = true;
    if (!missingColumns.has(column)) problems.push({ row, column: headerFor(roster, column), reason });
  };

  const byEmail = new Map<string, Sighting>();
  const pairsSeen = new Map<string, number>();

  for (const { row, values } of roster.rows) {
    rowFailed = false;
    const people = {} as Record<Role, PersonRequest>;
    for (const role of ROLES) {
      const rawZone = values[`${role}_time_zone`];
      const checked = validatePerson(
        role,
        {
          fullName: values[`${role}_name`],
          preferredName: values[`${role}_preferred_name`],
          pronouns: values[`${role}_pronouns`],
          email: values[`${role}_email`],
          timeZone: rawZone,
        },
        policy.defaultTimeZone,
      );
      // validatePerson names fields "mentor-email"; the roster's columns are "mentor_email".
      for (const p of checked.problems) at(row, p.field.replace(/-/g, '_') as RosterColumn, p.reason);
      people[role] = { ...checked.person, timeZone: cleanText(rawZone) ? checked.person.timeZone : null };
    }

    const program = cleanText(values.program);
    if (!program) at(row, 'program', 'is required');

    const yearText = cleanText(values.academic_year);
    const academicYear = yearText ? parseAcademicYear(yearText) : null;
    if (!yearText) at(row, 'academic_year', 'is required');
    else if (academicYear === null) at(row, 'academic_year', `"${yearText}" is not an academic year such as 2026 or 2026-27`);
    else if (academicYearEndDate(policy, academicYear) <= now) at(row, 'academic_year', `${formatAcademicYear(academicYear)} is over`);

    const startText = cleanText(values.start_date);
    let startsAt: Date | null = null;
    if (startText) {
      startsAt = parseIsoDate(startText);
      if (!startsAt) at(row, 'start_date', `"${startText}" is not a date in the form YYYY-MM-DD`);
      else if (academicYear !== null && (startsAt < academicYearStartDate(policy, academicYear) || startsAt >= academicYearEndDate(policy, academicYear))) {
        at(row, 'start_date', `${startText} is not in the academic year ${formatAcademicYear(academicYear)}`);
      }
    }

    const mentorEmail = people.mentor.email;
    const menteeEmail = people.mentee.email;
    if (mentorEmail && mentorEmail === menteeEmail) at(row, 'mentee_email', 'is the same person as the mentor');

    if (mentorEmail && menteeEmail && mentorEmail !== menteeEmail) {
      const earlier = pairsSeen.get(`${mentorEmail}\n${menteeEmail}`);
      const reversed = pairsSeen.get(`${menteeEmail}\n${mentorEmail}`);
      if (earlier !== undefined) at(row, 'mentee_email', `the same pair is already on row ${earlier}`);
      else if (reversed !== undefined) at(row, 'mentee_email', `row ${reversed} pairs the same two people the other way round`);
      else pairsSeen.set(`${mentorEmail}\n${menteeEmail}`, row);
    }

    for (const role of ROLES) {
      const person = people[role];
      if (!person.email || !person.fullName || (role === 'mentee' && person.email === mentorEmail)) continue;
      const seen = byEmail.get(person.email);
      if (!seen) {
        byEmail.set(person.email, { row, role, person });
        continue;
      }
      if (seen.person.fullName.toLowerCase() !== person.fullName.toLowerCase()) {
        at(row, `${role}_name`, `${person.email} is "${person.fullName}" here but "${seen.person.fullName}" on row ${seen.row}`);
      }
      const fields = [
        ['preferredName', 'preferred_name', 'preferred name'],
        ['pronouns', 'pronouns', 'pronouns'],
        ['timeZone', 'time_zone', 'time zone'],
      ] as const;
      for (const [key, column, label] of fields) {
        const mine = person[key];
        const theirs = seen.person[key];
        // A blank means "not given here": only two different answers conflict.
        if (mine && theirs && mine !== theirs) at(row, `${role}_${column}`, `${person.email} has ${label} "${mine}" here but "${theirs}" on row ${seen.row}`);
        else if (mine && !theirs) seen.person = { ...seen.person, [key]: mine };
      }
    }

    if (rowFailed || academicYear === null) continue;
    requests.push({
      mentor: people.mentor,
      mentee: people.mentee,
      program,
      meetingPreferences: (values.meeting_preferences ?? '').trim() || null,
      academicYear,
      startsAt: startsAt ?? new Date(Math.max(now.getTime(), academicYearStartDate(policy, academicYear).getTime())),
    });
    rowOf.push(row);
  }
  // Every row of one person carries the details gathered from all their rows.
  for (const request of requests) {
    request.mentor = { ...byEmail.get(request.mentor.email)!.person, fullName: request.mentor.fullName };
    request.mentee = { ...byEmail.get(request.mentee.email)!.person, fullName: request.mentee.fullName };
  }
  return { requests, rowOf, problems };
}
