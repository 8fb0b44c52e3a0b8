import { asSystem, recalculateStock } from '@erp/core';
import type { Database } from '@erp/db';
import { expect } from 'vitest';

/** After any test that posts: the ledger, summed, equals every kept balance and cost quantity (INV-1). */
export async function expectLedgerMatchesBalances(database: Database): Promise<void> {
  const report = await asSystem(database.db, (ctx) => recalculateStock(ctx));
  expect(report.differences).toEqual([]);
  expect(report.costDifferences).toEqual([]);
}
