import { inspect } from 'node:util';
import { DomainError, type ErrorCode } from '@erp/contracts';

/**
 * Awaits what must be refused with the domain error `code`, and returns that error for asserts on its
 * params or field issues:
 *
 *   const e = await expectRefusal(sell(cmd), 'POS_DISCOUNT_BEYOND_LIMIT');
 *   expect(e.params).toMatchObject({ rate: '20.00', limit: '10.00' });
 *
 * It fails, saying what happened instead, when the promise resolves or is rejected with anything else
 * (another code, a plain Error, a ZodError), so a test that expects a refusal never passes by accident.
 * For a rejection that is not a DomainError on purpose, use `await expect(p).rejects…` instead.
 */
export async function expectRefusal(promise: Promise<unknown>, code: ErrorCode): Promise<DomainError> {
  let value: unknown;
  try {
    value = await promise;
  } catch (e) {
    if (e instanceof DomainError && e.code === code) return e;
    throw new Error(`expected a refusal with ${code}, but it was refused with ${describeRejection(e)}`, { cause: e });
  }
  throw new Error(`expected a refusal with ${code}, but it succeeded with ${preview(value)}`);
}

function describeRejection(e: unknown): string {
  if (e instanceof DomainError) return `${e.code} ${preview(e.params)} (${e.message})`;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return preview(e);
}

function preview(value: unknown): string {
  return inspect(value, { depth: 3, breakLength: Number.POSITIVE_INFINITY, maxStringLength: 200, maxArrayLength: 10 });
}
