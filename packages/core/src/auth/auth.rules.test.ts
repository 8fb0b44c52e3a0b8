import { describe, expect, it } from 'vitest';
import { effectiveFailures, isLocked, passwordProblems } from './auth.rules.js';

describe('password policy (AUTH-3)', () => {
  it.each([
    ['short1', 'too_short'],
    ['onlyletterslong', 'needs_letters_and_digits'],
    ['12345678901', 'needs_letters_and_digits'],
    ['wangwei2026x', 'contains_login'],
  ])('refuses %s (%s)', (pw, problem) => {
    expect(passwordProblems(pw, 'wangwei')).toContain(problem);
  });

  it('accepts a long password with letters and digits that does not contain the login', () => {
    expect(passwordProblems('Sunny-Day-2026', 'wangwei')).toEqual([]);
  });
});

describe('lockout', () => {
  const now = new Date('2026-11-22T10:00:00Z');
  it('is locked until the lock time passes', () => {
    expect(isLocked(new Date('2026-11-22T10:05:00Z'), now)).toBe(true);
    expect(isLocked(new Date('2026-11-22T09:59:59Z'), now)).toBe(false);
    expect(isLocked(null, now)).toBe(false);
  });
  it('forgets failures from before an expired lock', () => {
    expect(effectiveFailures(3, new Date('2026-11-22T09:00:00Z'), now)).toBe(0);
    expect(effectiveFailures(3, null, now)).toBe(3);
  });
});
