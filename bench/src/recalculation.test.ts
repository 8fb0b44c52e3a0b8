import { asSystem, postStockMoves, recalculateStock } from '@erp/core';
import { sql } from '@erp/db';
import { buildTestChain, expectLedgerMatchesBalances, stockSource, type TestChain, useTestDatabase } from '@erp/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The benchmark's fix to 重算库存 (one pass over the ledger instead of two) must report exactly what the
 * straightforward formulation reports, for every kind of drift: a balance off, a cost quantity off, a
 * balance with no ledger rows, a cost row with no ledger rows, ledger rows with no balance.
 */
describe('recalculateStock single-pass rewrite', () => {
  const database = useTestDatabase();
  let chain: TestChain;

  /** The pre-benchmark SQL: two GROUP BYs of the ledger, each joined to what is kept. */
  async function reference() {
    const db = database().db;
    const balances = await sql<{ w: number; p: number; b: string; l: string; s: number; st: string; lq: string; bq: string }>`
      with l as (
        select warehouse_id, product_id, batch_no, lot_no, shelf_id, status, sum(qty) as qty
          from stock_ledger group by warehouse_id, product_id, batch_no, lot_no, shelf_id, status
      )
      select coalesce(l.warehouse_id, b.warehouse_id) as w, coalesce(l.product_id, b.product_id) as p,
             coalesce(l.batch_no, b.batch_no) as b, coalesce(l.lot_no, b.lot_no) as l,
             coalesce(l.shelf_id, b.shelf_id) as s, coalesce(l.status, b.status) as st,
             coalesce(l.qty, 0) as lq, coalesce(b.qty, 0) as bq
        from l full join stock_balance b using (warehouse_id, product_id, batch_no, lot_no, shelf_id, status)
       where coalesce(l.qty, 0) <> coalesce(b.qty, 0)`.execute(db);
    const costs = await sql<{ w: number; p: number; lq: string; cq: string }>`
      with l as (select warehouse_id, product_id, sum(qty) as qty from stock_ledger group by warehouse_id, product_id)
      select coalesce(l.warehouse_id, c.warehouse_id) as w, coalesce(l.product_id, c.product_id) as p,
             coalesce(l.qty, 0) as lq, coalesce(c.qty, 0) as cq
        from l full join stock_cost c using (warehouse_id, product_id)
       where coalesce(l.qty, 0) <> coalesce(c.qty, 0)`.execute(db);
    return {
      differences: balances.rows.map((r) => ({
        warehouseId: r.w,
        productId: r.p,
        batchNo: r.b,
        lotNo: r.l,
        shelfId: r.s,
        status: r.st,
        ledgerQty: r.lq,
        balanceQty: r.bq,
      })),
      costDifferences: costs.rows.map((r) => ({ warehouseId: r.w, productId: r.p, ledgerQty: r.lq, costQty: r.cq })),
    };
  }

  const sorted = <T>(xs: T[]) => [...xs].map((x) => JSON.stringify(x)).sort();
  const qtyOf = (x: { ledgerQty: string }) => Number(x.ledgerQty);

  beforeAll(async () => {
    chain = await buildTestChain(database());
    await asSystem(database().db, async (ctx) =>
      postStockMoves(ctx, await stockSource(ctx, chain.dcWarehouseId, '2026-03-01'), [
        { warehouseId: chain.dcWarehouseId, productId: chain.products.apple, qty: '10', unitCost: '2.5' },
        { warehouseId: chain.dcWarehouseId, productId: chain.products.milk, qty: '7.250', unitCost: '1.2' },
        { warehouseId: chain.dcWarehouseId, productId: chain.products.batchDrug, qty: '5', unitCost: '9', batchNo: 'B1' },
        { warehouseId: chain.dcWarehouseId, productId: chain.products.batchDrug, qty: '3', unitCost: '9.5', batchNo: 'B2' },
        { warehouseId: chain.storeA.warehouseId, productId: chain.products.apple, qty: '4', unitCost: '2.5' },
      ]),
    );
    await asSystem(database().db, async (ctx) =>
      postStockMoves(ctx, await stockSource(ctx, chain.dcWarehouseId, '2026-03-01'), [
        { warehouseId: chain.dcWarehouseId, productId: chain.products.apple, qty: '-3' },
        { warehouseId: chain.storeA.warehouseId, productId: chain.products.apple, qty: '-1.5' },
      ]),
    );
  });

  it('reports nothing on consistent books', async () => {
    const report = await asSystem(database().db, (ctx) => recalculateStock(ctx));
    expect(report.differences).toEqual([]);
    expect(report.costDifferences).toEqual([]);
    expect(report.balanceRows).toBe(5);
  });

  it('finds drift that cancels out within a warehouse and a product (one batch up, another down)', async () => {
    const db = database().db;
    const dc = chain.dcWarehouseId;
    // The warehouse's and the product's totals still agree with the ledger: only the per-key fingerprint tells.
    await sql`update stock_balance set qty = qty + 3 where warehouse_id = ${dc} and product_id = ${chain.products.batchDrug} and batch_no = 'B1'`.execute(
      db,
    );
    await sql`update stock_balance set qty = qty - 3 where warehouse_id = ${dc} and product_id = ${chain.products.batchDrug} and batch_no = 'B2'`.execute(
      db,
    );
    const report = await asSystem(db, (ctx) => recalculateStock(ctx));
    expect(sorted(report.differences)).toEqual(sorted((await reference()).differences));
    expect(report.differences.map((d) => d.batchNo).sort()).toEqual(['B1', 'B2']);
    expect(report.costDifferences).toEqual([]);
    await asSystem(db, (ctx) => recalculateStock(ctx, { fix: true }));
    await expectLedgerMatchesBalances(database());
  });

  it('reports every kind of drift exactly as the two-pass formulation does, and repairs it', async () => {
    const db = database().db;
    const dc = chain.dcWarehouseId;
    // A balance off; a cost quantity off; a balance row with no ledger behind it; a cost row with no ledger;
    // ledger rows whose balance row vanished.
    await sql`update stock_balance set qty = qty + 1 where warehouse_id = ${dc} and product_id = ${chain.products.apple}`.execute(
      db,
    );
    await sql`update stock_cost set qty = qty - 2 where warehouse_id = ${dc} and product_id = ${chain.products.milk}`.execute(db);
    await sql`insert into stock_balance (warehouse_id, product_id, batch_no, lot_no, shelf_id, status, org_id, qty)
              values (${chain.storeB.warehouseId}, ${chain.products.milk}, '', '', 0, 'unsellable', ${chain.storeB.id}, 4)`.execute(
      db,
    );
    await sql`insert into stock_cost (warehouse_id, product_id, qty, avg_cost)
              values (${chain.storeB.warehouseId}, ${chain.products.apple}, 6, 1)`.execute(db);
    await sql`delete from stock_balance where warehouse_id = ${dc} and product_id = ${chain.products.batchDrug} and batch_no = 'B2'`.execute(
      db,
    );

    const report = await asSystem(db, (ctx) => recalculateStock(ctx));
    const expected = await reference();
    expect(sorted(report.differences)).toEqual(sorted(expected.differences));
    expect(sorted(report.costDifferences)).toEqual(sorted(expected.costDifferences));
    expect(report.differences).toHaveLength(3);
    expect(report.costDifferences).toHaveLength(2);
    expect(report.differences.map(qtyOf).every(Number.isFinite)).toBe(true);
    expect(report.balanceRows).toBe(5);

    const fixed = await asSystem(db, (ctx) => recalculateStock(ctx, { fix: true }));
    expect(fixed.fixed).toBe(true);
    // The orphan cost row has no ledger: its quantity is rewritten to zero, which is what the ledger says.
    await expectLedgerMatchesBalances(database());
  });
});
