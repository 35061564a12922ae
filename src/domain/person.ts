/**
 * A person's name as shown to others: the preferred name when they gave one, else the full name.
 * The one rule for pages, mails and reports (SQL that must sort by it coalesces the same way).
 *
 * The Person shapes, one per boundary:
 * - db/schema.ts `Person`: the people row (snake_case), read only in stores;
 * - enrollment/validate-person.ts `PersonInput`: a person as a coordinator or roster types them;
 * - mail/templates/common.ts `Person` (exported as `Recipient` by mail/render.ts): someone a mail
 *   is addressed to or names, with the display name already applied;
 * - web/participant/action-module.ts `ActingPerson`: the participant a signed link acts for.
 */

export interface PersonName {
  fullName: string;
  preferredName?: string | null;
}

export function displayName(person: PersonName): string {
  return person.preferredName ?? person.fullName;
}

/** The same rule for a people row as the database returns it. */
export function displayNameOfRow(row: { full_name: string; preferred_name: string | null }): string {
  return displayName({ fullName: row.full_name, preferredName: row.preferred_name });
}
