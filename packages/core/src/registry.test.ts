import { describe, expect, it } from 'vitest';
import { allBuiltinRoles, modules } from './registry.js';

const grantsOf = (code: string) =>
  new Set(
    allBuiltinRoles()
      .find((r) => r.code === code)
      ?.grants()
      .map((g) => `${g.function}:${g.action}`),
  );

describe('the registry of modules', () => {
  it('orders each module after the ones it builds on', () => {
    const keys = modules.map((m) => m.key);
    for (const m of modules)
      for (const k of m.after ?? []) expect(keys.indexOf(k), `${m.key} after ${k}`).toBeLessThan(keys.indexOf(m.key));
  });
});

describe('built-in roles', () => {
  it('leaves loss, overage and first-operation approval to HQ (INV-4, MD-5)', () => {
    const store = grantsOf('store_admin');
    for (const t of ['loss', 'overage', 'first_operation']) {
      expect(store.has(`doc.${t}:create`), t).toBe(true);
      expect(store.has(`doc.${t}:approve`), t).toBe(false);
      expect(grantsOf('finance').has(`doc.${t}:approve`), t).toBe(true);
    }
    expect(store.has('doc.stocktake:approve')).toBe(true);
  });

  it('gives the HQ administrator every grant and the cashier no document powers', () => {
    expect(grantsOf('hq_admin').has('user:manage')).toBe(true);
    expect([...grantsOf('cashier')].some((g) => g.startsWith('doc.'))).toBe(false);
  });
});
