/**
 * What looks wrong in a valid roster but does not block it: a name written "Last, First"
 * (the emails would say "Dear Curie, Marie,"), a preferred name equal to the full name, a
 * time zone far from the department's. Each by spreadsheet row and column. Pure.
 */
import { zoneOffsetMs } from '../domain/zoned-time.ts';
import type { PairRequest } from './enroll-pairs.ts';
import type { ParsedRoster } from './parse-roster.ts';
import type { RosterColumn } from './roster-columns.ts';
import { headerFor } from './validate-roster.ts';

export interface RosterWarning {
  row: number;
  column: string;
  value: string;
  reason: string;
}

/** Hours apart beyond which a time zone is worth a second look (New York to London is 5). */
const FAR_HOURS = 5;

export function rosterWarnings(
  roster: Pick<ParsedRoster, 'headers'>,
  requests: PairRequest[],
  rowOf: number[],
  departmentZone: string,
  now: Date = new Date(),
): RosterWarning[] {
  const warnings: RosterWarning[] = [];
  const at = (row: number, column: RosterColumn, value: string, reason: string) => warnings.push({ row, column: headerFor(roster, column), value, reason });
  const home = zoneOffsetMs(now.getTime(), departmentZone);
  const zonesSeen = new Set<string>();
  requests.forEach((r, i) => {
    const row = rowOf[i]!;
    for (const role of ['mentor', 'mentee'] as const) {
      const person = r[role];
      const comma = /^([^,]+),\s*([^,]+)$/.exec(person.fullName);
      if (comma)
        at(
          row,
          `${role}_name`,
          person.fullName,
          `looks like "Last, First": emails would begin "Dear ${person.fullName},". Write it as "${comma[2]} ${comma[1]}" if that is the person's name`,
        );
      if (person.preferredName && person.preferredName === person.fullName) {
        at(row, `${role}_preferred_name`, person.preferredName, 'is the same as the full name; leave it blank unless the person goes by a different name');
      }
      const zone = person.timeZone;
      if (zone && !zonesSeen.has(`${role}/${person.email}`)) {
        zonesSeen.add(`${role}/${person.email}`);
        const hours = Math.abs(zoneOffsetMs(now.getTime(), zone) - home) / 3_600_000;
        if (hours >= FAR_HOURS)
          at(
            row,
            `${role}_time_zone`,
            zone,
            `is ${hours} hours from the department's ${departmentZone}; check it is where the person works (meeting times are proposed in it)`,
          );
      }
    }
  });
  return warnings;
}
