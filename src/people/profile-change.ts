/**
 * A person changes how they are called (name, pronouns) or their time zone, themselves.
 * Saved in Postgres first (everything reads names at send time, so every later email,
 * invite, page and the dashboard uses them); then each live cycle records `profileChanged`
 * on its timeline (ids only); then each counterpart — once, however many pairs they share —
 * is told how to address them now. A zone change alone tells no one: check-ins keep their
 * instants and are simply shown in the new zone.
 */
import type { Client } from '@temporalio/client';
import { findProfile, saveProfile } from '../stores/people-store.ts';
import { profileChangedUpdate, type Participant } from '../workflows/definitions.ts';
import { updateEachCycle, type CycleUpdateOutcome } from './cycle-updates.ts';
import { sendPeopleMessage, type PeopleMailDeps } from './people-mail.ts';
import { liveCycles, loadPersonPairs } from './person-pairs.ts';
import type { ProfileInput } from './person-input.ts';
import { displayName } from '../domain/person.ts';

export interface ProfileChangeResult {
  changed: boolean;
  told: number;
  cycles: CycleUpdateOutcome[];
}

export async function changeProfile(
  deps: PeopleMailDeps & { temporal: () => Promise<Client> },
  personId: string,
  input: ProfileInput,
): Promise<ProfileChangeResult> {
  const before = await findProfile(deps.db, personId);
  const nameChanged = displayName(before) !== input.preferredName || (before.pronouns ?? null) !== input.pronouns;
  const zoneChanged = before.timeZone !== input.timeZone;
  if (!nameChanged && !zoneChanged) return { changed: false, told: 0, cycles: [] };
  const stamp = (await saveProfile(deps.db, personId, input)).getTime();

  const pairs = await loadPersonPairs(deps.db, personId);
  const live = liveCycles(pairs);
  const cycles = await updateEachCycle(
    deps.temporal,
    live.map(({ pair, cycle }) => ({ id: cycle.id, workflowId: cycle.workflowId, arg: { actor: { role: pair.role, personId } as Participant, personId } })),
    profileChangedUpdate,
    `${personId}:${stamp}`,
  );
  if (!nameChanged) return { changed: true, told: 0, cycles };

  const addressed = input.pronouns ? `${input.preferredName} (${input.pronouns})` : input.preferredName;
  const told = new Set<string>();
  for (const { pair } of live) {
    if (told.has(pair.partner.id)) continue;
    told.add(pair.partner.id);
    await sendPeopleMessage(deps, {
      key: `profile-changed:${personId}:${stamp}`,
      kind: 'profile-changed',
      to: { personId: pair.partner.id, email: pair.partner.email, name: pair.partner.name, role: pair.role === 'mentor' ? 'mentee' : 'mentor' },
      subject: `How to address ${input.preferredName} now`,
      paragraphs: [
        `Dear ${pair.partner.name},`,
        `Your ${pair.role} asked to be called ${addressed}${input.pronouns ? '' : ' (no pronouns given: use their name)'}. Our messages and invites use this from now on; please use it too.`,
      ],
    });
  }
  return { changed: true, told: told.size, cycles };
}
