/**
 * `tandem policy check FILE` and the policy summary the policy page shows: a bad file gets
 * every problem named by its path and changes nothing; a good one lists what it would change
 * against the policy in effect and says who takes it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyCommand } from '../../src/cli/policy-command.ts';
import { loadConfig } from '../../src/config/env.ts';
import { loadPolicyFile } from '../../src/config/policy-file.ts';
import { summarizePolicy } from '../../src/reports/policy-summary.ts';

const DEFAULT = path.resolve('policy/default.json');
const dir = mkdtempSync(path.join(tmpdir(), 'tandem-policy-check-'));

function file(name: string, edit: (p: Record<string, any>) => void): string {
  const policy = JSON.parse(readFileSync(DEFAULT, 'utf8'));
  edit(policy);
  const to = path.join(dir, name);
  writeFileSync(to, JSON.stringify(policy, null, 2));
  return to;
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await policyCommand(argv, () => loadConfig({ POLICY_FILE: DEFAULT }), { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('tandem policy check', () => {
  it('names every problem of a bad file by its path, and leaves the files alone', async () => {
    const bad = file('bad.json', (p) => {
      p.stages.checkIns[1].dueAtDay = 80; // before it opens (91)
      p.ladder[2].rung = 'shout';
      p.anonymityThreshold = 1;
      p.referralResourceId = 'nobody';
    });
    const before = readFileSync(bad, 'utf8');
    const { code, out, err } = await run(['check', bad]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('is not a valid policy (4 problems); nothing was changed');
    expect(err).toContain(`${bad}: stages.checkIns[1]: dueAtDay must be after opensAtDay`);
    expect(err).toContain(`${bad}: ladder[2].rung: must be one of remind-owner, remind-both, notify-coordinator, refer-resource (got "shout")`);
    expect(err).toContain(`${bad}: anonymityThreshold: must be a whole number ≥ 2 (got 1)`);
    expect(err).toContain(`${bad}: referralResourceId: no resource with id "nobody"`);
    expect(readFileSync(bad, 'utf8')).toBe(before);
  });

  it('refuses a file that is not JSON, naming the file', async () => {
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ "department": ');
    const { code, err } = await run(['check', broken]);
    expect(code).toBe(1);
    expect(err).toMatch(new RegExp(`${broken.replace(/[.]/g, '\\.')}: .*JSON`));
  });

  it('lists the settings a good file changes and says running cycles keep their policy', async () => {
    const next = file('next.json', (p) => {
      p.stages.checkIns[1].dueAtDay = 175;
      p.remindBeforeDueDays = [3];
      p.ladderByStep = {
        'check-in': [
          { rung: 'remind-both', afterDays: 2 },
          { rung: 'notify-coordinator', afterDays: 10 },
        ],
      };
    });
    const { code, out } = await run(['check', next]);
    expect(code).toBe(0);
    expect(out).toContain(`${next} is a valid policy.`);
    expect(out).toContain(`Against the policy in effect (${DEFAULT}) it would change`);
    expect(out).toContain('~ stages.checkIns[1].dueAtDay: 182 → 175');
    expect(out).toContain('~ remindBeforeDueDays[0]: 7 → 3');
    expect(out).toContain('- remindBeforeDueDays[1]: 1 (removed)');
    expect(out).toContain('+ ladderByStep.check-in[1].rung: "notify-coordinator"');
    expect(out).toContain('Cycles already running keep the policy they started with');
    expect(out).toContain('each new academic year');
  });

  it('says when a file changes nothing, and explains its usage when called wrong', async () => {
    expect((await run(['check', DEFAULT])).out).toContain('It changes nothing against the policy in effect');
    const wrong = await run(['verify']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('unknown subcommand "verify"');
  });
});

describe('the policy summary', () => {
  it('dates the year of a pair enrolled on a given day with the planner, and lists ladders per step', () => {
    const policy = loadPolicyFile(DEFAULT);
    const withOwn = { ...policy, ladderByStep: { 'training-goals': [{ rung: 'notify-coordinator' as const, afterDays: 5 }] } };
    const summary = summarizePolicy(withOwn, new Date('2026-09-01T14:00:00Z'), 'America/New_York');
    const dates = Object.fromEntries(summary.calendar.map((c) => [c.stepId, [c.opensAt.toISOString().slice(0, 10), c.dueAt.toISOString().slice(0, 10)]]));
    expect(dates.expectations).toEqual(['2026-09-01', '2026-09-22']);
    expect(dates['check-in-2']).toEqual(['2026-12-01', '2027-03-02']);
    expect(dates['training-goals']).toEqual(dates['check-in-3']);
    expect(summary.yearEndsAt.toISOString().slice(0, 10)).toBe('2027-09-01');
    const goals = summary.ladders.find((l) => l.kind === 'training-goals')!;
    expect(goals.own).toBe(true);
    expect(goals.rungs.map((r) => r.afterDays)).toEqual([5]);
    expect(summary.ladders.find((l) => l.kind === 'check-in')!.rungs.map((r) => r.rung)).toEqual([
      'remind-owner',
      'remind-both',
      'notify-coordinator',
      'refer-resource',
    ]);
    expect(summary.remindBeforeDueDays).toEqual([7, 1]);
    expect(summary.referralResource?.id).toBe('grad-office');
  });
});
