import { describe, expect, it } from 'vitest';
import { loadPolicyFile } from '../../src/config/policy-file.ts';
import { academicYearOf } from '../../src/domain/academic-year.ts';
import { parsePolicy, PolicyError } from '../../src/domain/policy.ts';
import defaultPolicy from '../../policy/default.json' with { type: 'json' };

describe('department policy', () => {
  it('loads the shipped default and compressed policies', () => {
    expect(loadPolicyFile('policy/default.json').timeCompression).toBe(1);
    expect(loadPolicyFile('policy/compressed.json').timeCompression).toBe(604_800);
  });

  it('reports every problem at once, each by its path', () => {
    const bad = structuredClone(defaultPolicy) as Record<string, any>;
    bad.academicYearStart = '13-01';
    bad.defaultTimeZone = 'Mars/Olympus';
    bad.stages.expectations = { opensAtDay: 10, dueAtDay: 5 };
    bad.ladder[1].afterDays = 2;
    bad.ladder[2].rung = 'shout';
    bad.referralResourceId = 'nobody';
    bad.anonymityThreshold = 1;
    const error = (() => {
      try {
        parsePolicy(bad);
      } catch (e) {
        return e as PolicyError;
      }
    })();
    expect(error).toBeInstanceOf(PolicyError);
    expect(error!.problems).toEqual([
      'academicYearStart: must be "MM-DD" with a day from 01 to 28 (got "13-01")',
      'defaultTimeZone: not an IANA time zone (got "Mars/Olympus")',
      'stages.expectations: dueAtDay must be after opensAtDay',
      'ladder[1].afterDays: rungs must climb in time',
      'ladder[2].rung: must be one of remind-owner, remind-both, notify-coordinator, refer-resource (got "shout")',
      'referralResourceId: no resource with id "nobody"',
      'anonymityThreshold: must be a whole number ≥ 2 (got 1)',
    ]);
  });

  it('names the file when it is not JSON', () => {
    expect(() => loadPolicyFile('README.md')).toThrow(/README\.md: Unexpected token/);
  });

  it('places a date in its academic year', () => {
    const p = parsePolicy(defaultPolicy);
    expect(academicYearOf(p, new Date('2026-09-01T00:00:00Z'))).toBe(2026);
    expect(academicYearOf(p, new Date('2026-08-31T23:59:00Z'))).toBe(2025);
    expect(academicYearOf(p, new Date('2027-03-01T00:00:00Z'))).toBe(2026);
  });
});
