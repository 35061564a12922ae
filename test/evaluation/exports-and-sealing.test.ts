/** Spreadsheet-safe CSV, participation facts from a timeline, and sealing at rest. Pure. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FRAMEWORK } from '../../src/evaluation/default-framework.ts';
import { packetsCsv } from '../../src/evaluation/packet-csv.ts';
import type { PacketContent } from '../../src/evaluation/packets.ts';
import { addCycleFacts, emptyFacts } from '../../src/evaluation/participation-facts.ts';
import { csvCell } from '../../src/evaluation/spreadsheet-csv.ts';
import { dataKeyFrom, open, seal, SealedDataError } from '../../src/security/data-encryption.ts';

describe('CSV exports', () => {
  it('neutralises spreadsheet formulas and quotes what needs quoting', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1')).toBe(`'+1`);
    expect(csvCell('-2+3')).toBe(`'-2+3`);
    expect(csvCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(csvCell('\t=1')).toBe(`'\t=1`);
    expect(csvCell('  =1')).toBe(`'  =1`);
    expect(csvCell('Ada Lovelace')).toBe('Ada Lovelace');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(4.5)).toBe('4.5');
    expect(csvCell(null)).toBe('');
  });

  it('exports a packet with a formula for a name and reflection as text, and no ratings for a withheld year', () => {
    const packet: PacketContent & { mentorName: string } = {
      mentorId: 'm',
      mentorName: '=cmd|" /C calc"!A0',
      academicYear: 2026,
      frameworkId: DEFAULT_FRAMEWORK.id,
      threshold: 3,
      ratings: { status: 'withheld' },
      facts: emptyFacts(),
      reflections: ['-I listened more this year'],
      producedAt: '2027-08-25T00:00:00Z',
    };
    const csv = packetsCsv(DEFAULT_FRAMEWORK, [packet]);
    const [header, row] = csv.trimEnd().split('\r\n');
    expect(header).toMatch(/^academic_year,mentor,ratings,responses,covered_years,overall_mean,group_mean:communication-feedback/);
    expect(row).toContain(`"'=cmd|"" /C calc""!A0"`);
    expect(row).toContain(`'-I listened more this year`);
    expect(row).toMatch(/^2026,.*,withheld,,,,/);
    // No cell in the whole file starts a formula.
    for (const cell of row!.split(',')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@]/);
  });
});

describe('participation facts from the timeline', () => {
  const at = (iso: string) => new Date(iso);
  it('counts expectations on time, check-ins held against planned, and escalations by how they ended', () => {
    const facts = addCycleFacts(emptyFacts(), [
      { step: 'expectations', kind: 'step-opened', occurredAt: at('2026-09-01T00:00:00Z'), detail: { dueAt: '2026-09-22T00:00:00.000Z' } },
      { step: 'expectations', kind: 'step-completed', occurredAt: at('2026-09-10T00:00:00Z'), detail: { phase: 'acknowledged' } },
      { step: 'check-in-1', kind: 'step-opened', occurredAt: at('2026-09-22T00:00:00Z'), detail: {} },
      { step: 'check-in-1', kind: 'check-in-missed', occurredAt: at('2026-10-01T00:00:00Z'), detail: { round: 0 } },
      { step: 'check-in-1', kind: 'step-completed', occurredAt: at('2026-10-10T00:00:00Z'), detail: { phase: 'held' } },
      { step: 'check-in-2', kind: 'step-opened', occurredAt: at('2026-12-01T00:00:00Z'), detail: {} },
      { step: 'check-in-2', kind: 'ladder-rung', occurredAt: at('2027-03-04T00:00:00Z'), detail: { rung: 'remind-owner', index: 0 } },
      { step: 'check-in-2', kind: 'ladder-rung', occurredAt: at('2027-03-15T00:00:00Z'), detail: { rung: 'notify-coordinator', index: 2 } },
      { step: 'check-in-2', kind: 'step-resolved', occurredAt: at('2027-03-20T00:00:00Z'), detail: { phase: 'resolved-by-coordinator' } },
      { step: 'feedback', kind: 'feedback-submitted', occurredAt: at('2027-07-01T00:00:00Z'), detail: { by: 'mentor' } },
    ]);
    expect(facts).toMatchObject({
      pairs: 1,
      expectations: { onTime: 1, late: 0, notSet: 0 },
      checkIns: { planned: 2, held: 1, missedAtLeastOnce: 1 },
      escalations: { completed: 0, 'resolved-by-coordinator': 1, lapsed: 0, 'pair-ended': 0, 'still-open': 0 },
      highestRungs: { 'notify-coordinator': 1 },
      feedback: { mentorSubmitted: 1, menteeSubmitted: 0 },
    });
  });
});

describe('sealing at rest', () => {
  const key = dataKeyFrom({ secret: 'test-secret-for-signed-links-0123456789' });
  it('round-trips, hides the text, and refuses another purpose, another key or a flipped bit', () => {
    const sealed = seal(key, 'feedback:c1:mentee', { whatHelped: 'SECRET-TEXT' });
    expect(sealed.toString('latin1')).not.toContain('SECRET-TEXT');
    expect(open(key, 'feedback:c1:mentee', sealed)).toEqual({ whatHelped: 'SECRET-TEXT' });
    expect(() => open(key, 'feedback:c2:mentee', sealed)).toThrow(SealedDataError);
    expect(() => open(dataKeyFrom({ secret: 'another-secret-of-enough-length-000000' }), 'feedback:c1:mentee', sealed)).toThrow(SealedDataError);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => open(key, 'feedback:c1:mentee', tampered)).toThrow(SealedDataError);
  });

  it('uses TANDEM_DATA_KEY when given instead of deriving one', () => {
    const explicit = dataKeyFrom({ secret: 'ignored-secret-ignored-secret-ignored', dataKey: Buffer.alloc(32, 7).toString('base64') });
    const sealed = seal(explicit, 'p', 1);
    expect(() => open(key, 'p', sealed)).toThrow(SealedDataError);
    expect(open(explicit, 'p', sealed)).toBe(1);
  });
});
