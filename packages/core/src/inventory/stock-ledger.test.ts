import { dec, isDomainError } from '@erp/contracts';
import { asSystem, asUser, expectLedgerMatchesBalances, stockSource, useTestChain } from '@erp/test-kit';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../platform/context.js';
import { recalculateStock } from './recalculation.service.js';
import { postStockMoves } from './stock-ledger.service.js';

const { database, chain } = useTestChain();
const src = (ctx: Ctx) => stockSource(ctx, chain.dcWarehouseId, '2026-11-22');

async function balance(warehouseId: number, productId: number): Promise<string> {
  const r = await database()
    .db.selectFrom('stock_balance')
    .select((eb) => eb.fn.sum<string>('qty').as('q'))
    .where('warehouse_id', '=', warehouseId)
    .where('product_id', '=', productId)
    .executeTakeFirst();
  return dec(r?.q ?? 0).toFixed(3);
}

async function avgCost(warehouseId: number, productId: number): Promise<string> {
  const r = await database()
    .db.selectFrom('stock_cost')
    .select('avg_cost')
    .where('warehouse_id', '=', warehouseId)
    .where('product_id', '=', productId)
    .executeTakeFirstOrThrow();
  return r.avg_cost;
}

describe('postStockMoves', () => {
  it('keeps the moving-average cost of a hand-computed example to the cent', async () => {
    const wh = chain.dcWarehouseId;
    const p = chain.products.milk;
    // 100 @ 2.50 → avg 2.5000; +50 @ 2.80 → (250 + 140) / 150 = 2.6000
    // −30 out at avg 2.6000 → 120 left, avg 2.6000, value 312.00
    // +80 @ 2.95 → (312 + 236) / 200 = 2.7400
    // +7 @ 3.10 → (548 + 21.7) / 207 = 2.752173… → 2.7522
    await asSystem(database().db, async (ctx) =>
      postStockMoves(ctx, await src(ctx), [{ warehouseId: wh, productId: p, qty: '100', unitCost: '2.50' }]),
    );
    await asSystem(database().db, async (ctx) =>
      postStockMoves(ctx, await src(ctx), [{ warehouseId: wh, productId: p, qty: '50', unitCost: '2.80' }]),
    );
    expect(await avgCost(wh, p)).toBe('2.6000');
    const out = await asSystem(database().db, async (ctx) =>
      postStockMoves(ctx, await src(ctx), [{ warehouseId: wh, productId: p, qty: '-30' }]),
    );
    expect(out[0]?.unitCost).toBe('2.6000');
    expect(out[0]?.amount).toBe('-78.0000');
    await asSystem(database().db, async (ctx) =>
      postStockMoves(ctx, await src(ctx), [{ warehouseId: wh, productId: p, qty: '80', unitCost: '2.95' }]),
    );
    expect(await avgCost(wh, p)).toBe('2.7400');
    await asSystem(database().db, async (ctx) =>
      postStockMoves(ctx, await src(ctx), [{ warehouseId: wh, productId: p, qty: '7', unitCost: '3.10' }]),
    );
    expect(await avgCost(wh, p)).toBe('2.7522');
    expect(await balance(wh, p)).toBe('207.000');
    // Stock value = ledger amounts: 250 + 140 − 78 + 236 + 21.70 = 569.70
    const value = await sql<{
      v: string;
    }>`select sum(amount)::numeric(18,2) as v from stock_ledger where warehouse_id = ${wh} and product_id = ${p}`.execute(
      database().db,
    );
    expect(value.rows[0]?.v).toBe('569.70');
    await expectLedgerMatchesBalances(database());
  });

  it('refuses to take a store below zero when the store forbids negative stock, and changes nothing', async () => {
    const wh = chain.storeA.warehouseId;
    const p = chain.products.apple;
    await asSystem(database().db, async (ctx) =>
      postStockMoves(ctx, await src(ctx), [{ warehouseId: wh, productId: p, qty: '5', unitCost: '3' }]),
    );
    const before = await database()
      .db.selectFrom('stock_ledger')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const err = await asSystem(database().db, async (ctx) =>
      postStockMoves(ctx, await src(ctx), [
        { warehouseId: wh, productId: chain.products.milk, qty: '1', unitCost: '1' },
        { warehouseId: wh, productId: p, qty: '-6' },
      ]),
    ).catch((e) => e);
    expect(isDomainError(err, 'INSUFFICIENT_STOCK')).toBe(true);
    expect(err.params).toMatchObject({ product: 'P001', available: '5', requested: '6' });
    const after = await database()
      .db.selectFrom('stock_ledger')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(await balance(wh, p)).toBe('5.000');
    await expectLedgerMatchesBalances(database());
  });

  it('lets a store that allows negative stock sell below zero', async () => {
    const wh = chain.storeB.warehouseId;
    await asSystem(database().db, async (ctx) =>
      postStockMoves(ctx, await src(ctx), [{ warehouseId: wh, productId: chain.products.apple, qty: '-2' }]),
    );
    expect(await balance(wh, chain.products.apple)).toBe('-2.000');
    await expectLedgerMatchesBalances(database());
  });

  it('takes batch-tracked goods out at their batch cost and keeps lots and expiry', async () => {
    const wh = chain.dcWarehouseId;
    const p = chain.products.batchDrug;
    await asSystem(database().db, async (ctx) =>
      postStockMoves(ctx, await src(ctx), [
        { warehouseId: wh, productId: p, qty: '10', unitCost: '12.00', batchNo: 'B1', lotNo: 'L2026A', expiryDate: '2027-06-30' },
        { warehouseId: wh, productId: p, qty: '10', unitCost: '14.00', batchNo: 'B2', lotNo: 'L2026B', expiryDate: '2027-12-31' },
      ]),
    );
    expect(await avgCost(wh, p)).toBe('13.0000');
    const out = await asSystem(database().db, async (ctx) =>
      postStockMoves(ctx, await src(ctx), [{ warehouseId: wh, productId: p, qty: '-4', batchNo: 'B2', lotNo: 'L2026B' }]),
    );
    expect(out[0]?.unitCost).toBe('14.0000');
    // 260 − 56 = 204 over 16 → 12.75
    expect(await avgCost(wh, p)).toBe('12.7500');
    const b2 = await database()
      .db.selectFrom('stock_balance')
      .selectAll()
      .where('warehouse_id', '=', wh)
      .where('product_id', '=', p)
      .where('batch_no', '=', 'B2')
      .executeTakeFirstOrThrow();
    expect(b2.qty).toBe('6.000');
    expect(b2.lot_no).toBe('L2026B');
    expect(b2.expiry_date).toBe('2027-12-31');
    await expectLedgerMatchesBalances(database());
  });

  it('moves stock between warehouses at the source cost in one call', async () => {
    const from = chain.dcWarehouseId;
    const to = chain.storeA.warehouseId;
    const p = chain.products.milk;
    const cost = await avgCost(from, p);
    const moved = await asSystem(database().db, async (ctx) =>
      postStockMoves(ctx, await src(ctx), [
        { warehouseId: to, productId: p, qty: '20', costFromMove: 1 },
        { warehouseId: from, productId: p, qty: '-20' },
      ]),
    );
    expect(moved[0]?.unitCost).toBe(cost);
    expect(moved[1]?.unitCost).toBe(cost);
    await expectLedgerMatchesBalances(database());
  });

  it('refuses zero and over-precise quantities', async () => {
    for (const qty of ['0', '1.0001']) {
      const err = await asSystem(database().db, async (ctx) =>
        postStockMoves(ctx, await src(ctx), [
          { warehouseId: chain.dcWarehouseId, productId: chain.products.apple, qty, unitCost: '1' },
        ]),
      ).catch((e) => e);
      expect(isDomainError(err, 'STOCK_MOVE_INVALID')).toBe(true);
    }
  });

  it('never lets a ledger row be changed or deleted', async () => {
    await expect(sql`update stock_ledger set qty = 0`.execute(database().db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from stock_ledger`.execute(database().db)).rejects.toThrow(/append-only/);
  });

  it('recalculation finds a tampered balance and repairs it from the ledger', async () => {
    await sql`update stock_balance set qty = qty + 1 where warehouse_id = ${chain.dcWarehouseId} and product_id = ${chain.products.milk}`.execute(
      database().db,
    );
    const report = await asSystem(database().db, (ctx) => recalculateStock(ctx));
    expect(report.differences).toHaveLength(1);
    expect(report.differences[0]).toMatchObject({ productId: chain.products.milk, warehouseId: chain.dcWarehouseId });
    const fixed = await asSystem(database().db, (ctx) => recalculateStock(ctx, { fix: true }));
    expect(fixed.fixed).toBe(true);
    await expectLedgerMatchesBalances(database());
  });

  it('a store user recalculates only their own warehouses', async () => {
    const report = await asUser(database(), chain.users.storeAAdmin, (ctx) => recalculateStock(ctx));
    expect(report.warehouses).toBe(1);
  });

  it('recalculation after 10,000 random postings equals the kept balances', async () => {
    // Store B allows negative stock, so every random move posts; a second warehouse makes it a real mix.
    const whB2 = await asSystem(database().db, async (ctx) => {
      const { createWarehouse } = await import('../org/org.service.js');
      return (await createWarehouse(ctx, { orgId: chain.storeB.id, code: 'SB-W2', name: '门店B二仓' })).id;
    });
    const warehouses = [chain.storeB.warehouseId, whB2];
    const products = [chain.products.apple, chain.products.milk, chain.products.batchDrug];
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)] as T;
    const randomMove = (warehouseId: number) => {
      const inbound = rand() < 0.6;
      const q = dec(Math.floor(rand() * 20000) + 1).dividedBy(1000);
      return {
        warehouseId,
        productId: pick(products),
        qty: (inbound ? q : q.negated()).toFixed(3),
        ...(inbound
          ? {
              unitCost: dec(Math.floor(rand() * 100000))
                .dividedBy(10000)
                .toFixed(4),
            }
          : {}),
        batchNo: pick(['', '', 'X1', 'X2']),
        status: pick(['sellable', 'sellable', 'unsellable', 'pending_check'] as const),
      };
    };
    const before = await database()
      .db.selectFrom('stock_ledger')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    for (let call = 0; call < 200; call++) {
      await asSystem(database().db, async (ctx) =>
        postStockMoves(
          ctx,
          await src(ctx),
          Array.from({ length: 50 }, () => randomMove(pick(warehouses))),
        ),
      );
      // Interleave postings the DC refuses (it forbids negative stock): they must roll back without a trace.
      if (call % 20 === 0) {
        await asSystem(database().db, async (ctx) =>
          postStockMoves(ctx, await src(ctx), [
            { warehouseId: chain.dcWarehouseId, productId: chain.products.apple, qty: '-100000' },
          ]),
        ).catch((e) => {
          if (!isDomainError(e, 'INSUFFICIENT_STOCK')) throw e;
        });
      }
    }
    const after = await database()
      .db.selectFrom('stock_ledger')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    // Every move is at least one row; outbound moves split across keys and arrivals settle debts.
    expect(Number(after.n) - Number(before.n)).toBeGreaterThanOrEqual(10_000);
    const report = await asSystem(database().db, (ctx) => recalculateStock(ctx));
    expect(report.differences).toEqual([]);
    expect(report.costDifferences).toEqual([]);
  });
});
