import { describe, expect, it } from 'vitest';
import { checkInLabel, checkInNumber, checkInStepId, isCheckInStep, parseStepId, stepKindOf } from '../../src/domain/step-id.ts';

describe('step ids', () => {
  it('parses every step the workflow names', () => {
    for (const id of ['expectations', 'check-in-1', 'check-in-4', 'training-goals', 'feedback', 'evaluation']) expect(parseStepId(id)).toBe(id);
  });

  it('reads a check-in number of any length (a tenth check-in)', () => {
    expect(parseStepId('check-in-10')).toBe('check-in-10');
    expect(checkInNumber('check-in-10')).toBe(10);
    expect(checkInNumber('check-in-2')).toBe(2);
    expect(checkInNumber(checkInStepId(12))).toBe(12);
    expect(isCheckInStep('check-in-3')).toBe(true);
    expect(stepKindOf('check-in-10')).toBe('check-in');
    expect(stepKindOf('training-goals')).toBe('training-goals');
    expect(checkInLabel(10)).toBe('Check-in 10');
  });

  it('rejects junk', () => {
    for (const junk of ['', 'check-in-', 'check-in-0', 'check-in-01', 'check-in-x', 'check-in-2a', ' check-in-2', 'cycle', 'Expectations', 'check-in--1']) {
      expect(parseStepId(junk)).toBeNull();
      expect(checkInNumber(junk)).toBeNull();
    }
    expect(parseStepId(null)).toBeNull();
    expect(parseStepId(undefined)).toBeNull();
    expect(stepKindOf('cycle')).toBeNull();
    expect(isCheckInStep('expectations')).toBe(false);
  });
});
