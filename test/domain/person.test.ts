import { describe, expect, it } from 'vitest';
import { displayName, displayNameOfRow } from '../../src/domain/person.ts';

describe('display name', () => {
  it('is the preferred name when given, else the full name', () => {
    expect(displayName({ fullName: 'Robert Smith', preferredName: 'Bob' })).toBe('Bob');
    expect(displayName({ fullName: 'Robert Smith', preferredName: null })).toBe('Robert Smith');
    expect(displayName({ fullName: 'Robert Smith' })).toBe('Robert Smith');
    expect(displayNameOfRow({ full_name: 'Ana Li', preferred_name: null })).toBe('Ana Li');
  });
});
