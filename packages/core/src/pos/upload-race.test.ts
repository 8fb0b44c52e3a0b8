import { randomUUID } from 'node:crypto';
import { expectLedgerMatchesBalances, signInTill, TEST_PIN, type TestTill, usePosFixture } from '@erp/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { uploadOfflineSales } from './upload.service.js';

// Issue 9, "uploads are exact": the same offline sale uploaded at the same moment from two tabs of a till
// (two sessions) and their retries. On PostgreSQL (DATABASE_URL) the uploads really run concurrently, each
// in its own connection; on PGlite they queue for its one connection.

const { database, chain, pos: f } = usePosFixture();
let secondTab: TestTill;

beforeAll(async () => {
  secondTab = await signInTill(database(), f.terminal, 'sa_cashier', TEST_PIN, { float: null });
});

describe('concurrent uploads of one sale', () => {
  it('one offline sale uploaded 20 times at once from two clients: one sale, its stock taken once', async () => {
    const sale = {
      clientId: randomUUID(),
      receiptNo: f.terminal.next(),
      soldAt: new Date(Date.now() - 600_000).toISOString(),
      terminalId: f.terminal.id,
      cashierId: chain.users.storeACashier,
      shiftId: f.till.shiftId,
      lines: [
        { productId: f.products.apple, qty: '2', unitPrice: '5.00' },
        { productId: f.products.milk, qty: '1', unitPrice: '3.50' },
      ],
      tenders: [{ method: 'cash' as const, amount: '20' }],
      expectedTotal: '13.50',
    };
    const before = await stockOf([f.products.apple, f.products.milk]);
    const tries = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? f.till : secondTab).run((ctx, a) => uploadOfflineSales(ctx, a, { sales: [sale] })),
    );
    const settled = await Promise.allSettled(tries);
    const failed = settled.filter((s) => s.status === 'rejected');
    expect(failed).toEqual([]);
    const results = settled.flatMap((s) => (s.status === 'fulfilled' ? s.value.results : []));
    expect(results.filter((r) => r.result === 'accepted')).toHaveLength(1);
    expect(results.filter((r) => r.result === 'duplicate')).toHaveLength(19);
    const saleIds = new Set(results.map((r) => (r.result === 'queued' ? null : r.saleId)));
    expect(saleIds.size).toBe(1);
    const [saleId] = [...saleIds];

    const sales = await database().db.selectFrom('pos_sale').select('id').where('client_id', '=', sale.clientId).execute();
    expect(sales.map((s) => Number(s.id))).toEqual([saleId]);
    // One set of ledger rows: the sale's quantities, once, and nothing pointing at a sale that does not exist.
    const ledger = await database()
      .db.selectFrom('stock_ledger')
      .select(['product_id', (eb) => eb.fn.sum<string>('qty').as('qty')])
      .where('source_type', '=', 'pos_sale')
      .where('source_id', '=', saleId as number)
      .groupBy('product_id')
      .orderBy('product_id')
      .execute();
    expect(Object.fromEntries(ledger.map((l) => [l.product_id, Number(l.qty)]))).toEqual({
      [f.products.apple]: -2,
      [f.products.milk]: -1,
    });
    const orphans = await database()
      .db.selectFrom('stock_ledger as l')
      .leftJoin('pos_sale as s', 's.id', 'l.source_id')
      .select('l.id')
      .where('l.source_type', '=', 'pos_sale')
      .where('s.id', 'is', null)
      .execute();
    expect(orphans).toEqual([]);
    const after = await stockOf([f.products.apple, f.products.milk]);
    expect(Number(before.get(f.products.apple)) - Number(after.get(f.products.apple))).toBe(2);
    expect(Number(before.get(f.products.milk)) - Number(after.get(f.products.milk))).toBe(1);
    const queued = await database()
      .db.selectFrom('pos_upload_error')
      .select('id')
      .where('client_id', '=', sale.clientId)
      .execute();
    expect(queued).toEqual([]);
    await expectLedgerMatchesBalances(database());
  });
});

async function stockOf(productIds: number[]): Promise<Map<number, string>> {
  const rows = await database()
    .db.selectFrom('stock_balance')
    .select(['product_id', (eb) => eb.fn.sum<string>('qty').as('qty')])
    .where('warehouse_id', '=', chain.storeA.warehouseId)
    .where('product_id', 'in', productIds)
    .groupBy('product_id')
    .execute();
  return new Map(rows.map((r) => [r.product_id, r.qty]));
}
