import { DomainError } from '@erp/contracts';
import { describe, expect, it } from 'vitest';
import { expectRefusal } from './refusal.js';

describe('expectRefusal', () => {
  it('returns the refusal with its params for further asserts', async () => {
    const e = await expectRefusal(Promise.reject(new DomainError('POS_TENDER_SHORT', { due: '5.00' })), 'POS_TENDER_SHORT');
    expect(e.params).toEqual({ due: '5.00' });
  });

  it('fails when the promise resolves, showing what it resolved with', async () => {
    await expect(expectRefusal(Promise.resolve({ id: 42 }), 'NOT_FOUND')).rejects.toThrow(
      'expected a refusal with NOT_FOUND, but it succeeded with { id: 42 }',
    );
  });

  it('fails on a refusal with another code, naming it', async () => {
    const other = new DomainError('FORBIDDEN');
    const failure = await expectRefusal(Promise.reject(other), 'NOT_FOUND').then(
      () => null,
      (e: Error) => e,
    );
    expect(failure?.message).toMatch(/^expected a refusal with NOT_FOUND, but it was refused with FORBIDDEN/);
    expect(failure?.cause).toBe(other);
  });

  it('fails on an error that is not a DomainError', async () => {
    await expect(expectRefusal(Promise.reject(new TypeError('x is undefined')), 'NOT_FOUND')).rejects.toThrow(
      'but it was refused with TypeError: x is undefined',
    );
  });
});
