import { randomUUID } from 'node:crypto';
import { dec, isDomainError } from '@erp/contracts';
import { sql } from '@erp/db';
import {
  asSystem,
  checkoutAtTill,
  expectLedgerMatchesBalances,
  givePrices,
  saleCommand,
  stockIn,
  usePosFixture,
} from '@erp/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, calendarDay } from '../platform/clock.js';
import { recordReturn } from './return.service.js';
import { recordSale } from './sale.service.js';

// Issue 9: a paid sale is a fact. Its stock is taken across lots by FEFO, a scanned lot first, expired lots
// last (and flagged); what the store lacks is booked as stock debt for the manager; a return goes back to
// the lots the sale took; the ledger never holds a row without its source.

const { database, chain, pos: f } = usePosFixture();
const today = calendarDay();

beforeAll(async () => {
  await givePrices(database(), { [chain.products.batchDrug]: '20.00' });
});

const sell = (lines: Parameters<typeof saleCommand>[1], cash: string) =>
  f.till.run((ctx, a) => recordSale(ctx, a, saleCommand(f.till, lines, { tenders: [{ method: 'cash', amount: cash }] })));

/** The sale's ledger rows: [lot, qty] in the order written. */
async function ledgerOf(saleId: number) {
  const r = await database()
    .db.selectFrom('stock_ledger')
    .select(['lot_no', 'qty', 'unit_cost'])
    .where('source_type', '=', 'pos_sale')
    .where('source_id', '=', saleId)
    .orderBy('id')
    .execute();
  return r.map((x) => [x.lot_no, x.qty]);
}

async function keys(productId: number) {
  const r = await database()
    .db.selectFrom('stock_balance')
    .select(['lot_no', 'qty'])
    .where('warehouse_id', '=', chain.storeA.warehouseId)
    .where('product_id', '=', productId)
    .where('qty', '<>', '0')
    .orderBy('lot_no')
    .execute();
  return Object.fromEntries(r.map((x) => [x.lot_no, x.qty]));
}

async function openExceptions(productId: number) {
  return database()
    .db.selectFrom('stock_exception')
    .select(['kind', 'qty', 'source_type', 'source_id', 'source_line_id', 'status', 'lot_no'])
    .where('product_id', '=', productId)
    .where('status', '=', 'open')
    .orderBy('id')
    .execute();
}

/** A product with no stock yet, priced, not flagged batch-managed — the receiving screen still takes lots. */
async function freshProduct(code: string): Promise<number> {
  const id = await asSystem(database().db, async (ctx) => {
    const { createProduct } = await import('../catalog/index.js');
    return (await createProduct(ctx, { code, name: `测试商品${code}` })).id;
  });
  await givePrices(database(), { [id]: '10.00' });
  return id;
}

const receive = (productId: number, lines: { qty: string; lotNo?: string; expiryDate?: string }[]) =>
  stockIn(database(), {
    orgId: chain.storeA.id,
    warehouseId: chain.storeA.warehouseId,
    lines: lines.map((l) => ({ productId, unitPrice: '4.00', ...l })),
  });

describe('a paid sale takes its stock by FEFO and is never refused (issue 9)', () => {
  it('goods received under lots on a product not flagged batch-managed sell: split across lots, earliest expiry first', async () => {
    const p = await freshProduct('FEFO1');
    await receive(p, [
      { qty: '24', lotNo: 'L-LATE', expiryDate: addDays(today, 200) },
      { qty: '2', lotNo: 'L-SOON', expiryDate: addDays(today, 20) },
    ]);
    const sale = await sell([{ productId: p, qty: '3' }], '30');
    expect(await ledgerOf(sale.id)).toEqual([
      ['L-SOON', '-2.000'],
      ['L-LATE', '-1.000'],
    ]);
    expect(sale.lines[0]?.costAmount).toBe('12.0000');
    expect(await keys(p)).toEqual({ 'L-LATE': '23.000' });
    expect(await openExceptions(p)).toEqual([]);
  });

  it('a scanned GS1 lot is taken first; an expired lot only after every other, and flagged for the manager', async () => {
    const p = await freshProduct('FEFO2');
    await receive(p, [
      { qty: '2', lotNo: 'EXP', expiryDate: addDays(today, -3) },
      { qty: '2', lotNo: 'A', expiryDate: addDays(today, 30) },
      { qty: '2', lotNo: 'B', expiryDate: addDays(today, 60) },
    ]);
    const scanned = await sell([{ productId: p, qty: '1', lotNo: 'B' }], '10');
    expect(await ledgerOf(scanned.id)).toEqual([['B', '-1.000']]);
    const big = await sell([{ productId: p, qty: '4' }], '40');
    expect(await ledgerOf(big.id)).toEqual([
      ['A', '-2.000'],
      ['B', '-1.000'],
      ['EXP', '-1.000'],
    ]);
    expect(await openExceptions(p)).toEqual([
      {
        kind: 'expired_sold',
        qty: '1.000',
        source_type: 'pos_sale',
        source_id: big.id,
        source_line_id: big.lines[0]?.id,
        status: 'open',
        lot_no: 'EXP',
      },
    ]);
  });

  it('a store that sells expired lots takes them in plain FEFO order, without flagging them', async () => {
    const { updateStoreSettings } = await import('./settings.service.js');
    const p = await freshProduct('FEFO4');
    await receive(p, [
      { qty: '1', lotNo: 'OLD', expiryDate: addDays(today, -2) },
      { qty: '1', lotNo: 'NEW', expiryDate: addDays(today, 30) },
    ]);
    await asSystem(database().db, (ctx) => updateStoreSettings(ctx, chain.storeA.id, { sellExpired: true }));
    try {
      const sale = await sell([{ productId: p, qty: '1' }], '10');
      expect(await ledgerOf(sale.id)).toEqual([['OLD', '-1.000']]);
      expect(await openExceptions(p)).toEqual([]);
    } finally {
      await asSystem(database().db, (ctx) => updateStoreSettings(ctx, chain.storeA.id, { sellExpired: false }));
    }
  });

  it('a return goes back to the lots the sale took them from, at their cost, never twice', async () => {
    const p = await freshProduct('FEFO3');
    await receive(p, [
      { qty: '1', lotNo: 'R1', expiryDate: addDays(today, 10) },
      { qty: '5', lotNo: 'R2', expiryDate: addDays(today, 90) },
    ]);
    const sale = await sell([{ productId: p, qty: '3' }], '30');
    const back = (qty: string) =>
      f.till.run((ctx, a) =>
        recordReturn(ctx, a, {
          clientId: randomUUID(),
          receiptNo: f.till.terminal.next(),
          originalReceiptNo: sale.receiptNo,
          shiftId: f.till.shiftId,
          lines: [{ originalLineId: sale.lines[0]?.id as number, qty }],
        }),
      );
    const first = await back('2');
    expect(await ledgerOf(first.id)).toEqual([
      ['R1', '1.000'],
      ['R2', '1.000'],
    ]);
    const second = await back('1');
    expect(await ledgerOf(second.id)).toEqual([['R2', '1.000']]);
    expect(await keys(p)).toEqual({ R1: '1.000', R2: '5.000' });
    await expectLedgerMatchesBalances(database());
  });

  it('zero book stock where the store forbids negative stock: the paid sale is booked as stock debt, listed until stock arrives', async () => {
    const p = await freshProduct('DEBT1');
    const cmd = saleCommand(f.till, [{ productId: p, qty: '2' }], { tenders: [{ method: 'cash', amount: '20' }] });
    const sale = await checkoutAtTill(f.till, cmd);
    expect(sale.status).toBe('formal');
    expect(await keys(p)).toEqual({ '': '-2.000' });
    expect(await openExceptions(p)).toEqual([
      {
        kind: 'stock_debt',
        qty: '2.000',
        source_type: 'pos_sale',
        source_id: sale.id,
        source_line_id: sale.lines[0]?.id,
        status: 'open',
        lot_no: '',
      },
    ]);
    // Goods arrive under a lot: the debt moves onto them, the negative key returns to zero, the exception closes.
    const receipt = await receive(p, [{ qty: '10', lotNo: 'IN1', expiryDate: addDays(today, 100) }]);
    expect(await keys(p)).toEqual({ IN1: '8.000' });
    expect(await openExceptions(p)).toEqual([]);
    const closed = await database()
      .db.selectFrom('stock_exception')
      .select(['status', 'resolution', 'resolved_source_type', 'resolved_source_id'])
      .where('source_id', '=', sale.id)
      .executeTakeFirstOrThrow();
    expect(closed).toEqual({
      status: 'resolved',
      resolution: 'stock_arrived',
      resolved_source_type: 'document',
      resolved_source_id: receipt,
    });
    await expectLedgerMatchesBalances(database());
  });

  it('a document is flagged beyond what is available when saved, and refused at posting if stock left since', async () => {
    const p = await freshProduct('DEBT2');
    await receive(p, [
      { qty: '3', lotNo: 'X', expiryDate: addDays(today, 100) },
      { qty: '1', lotNo: 'Y', expiryDate: addDays(today, 10) },
    ]);
    const { createDocument, transition } = await import('../documents/index.js');
    const outbound = (qty: string) =>
      asSystem(database().db, (ctx) =>
        createDocument(ctx, {
          docType: 'other_outbound',
          orgId: chain.storeA.id,
          warehouseId: chain.storeA.warehouseId,
          lines: [{ productId: p, qty }],
        }),
      );
    const flagged = await outbound('5').catch((err) => err);
    expect(isDomainError(flagged, 'VALIDATION_FAILED')).toBe(true);
    expect(flagged.fieldIssues).toEqual([
      expect.objectContaining({
        path: 'lines.0.qty',
        messageZh: '数量超过可用库存（可用 4）',
        messageEn: 'More than the stock available (4 available)',
      }),
    ]);
    const saved = await outbound('4');
    await sell([{ productId: p, qty: '1' }], '10');
    const refused = await asSystem(database().db, (ctx) => transition(ctx, saved.id, 'confirm')).catch((err) => err);
    // At confirm the posting decides under its locks, naming what is left.
    expect(isDomainError(refused, 'INSUFFICIENT_STOCK')).toBe(true);
    expect(refused.params).toMatchObject({ available: '3', requested: '4' });
    expect(await keys(p)).toEqual({ X: '3.000' });
  });
});

describe('the store manager sees the exceptions (issue 9)', () => {
  it('lists stock debt and expired lots sold with the receipt, and acknowledges only the expired ones', async () => {
    const { listStockExceptions, acknowledgeStockException } = await import('../inventory/index.js');
    const { asUser } = await import('@erp/test-kit');
    const manager = <T>(fn: (ctx: import('../platform/context.js').Ctx) => Promise<T>) =>
      asUser(database(), chain.users.storeAAdmin, fn);
    const p = await freshProduct('EXC1');
    await receive(p, [{ qty: '1', lotNo: 'GONE', expiryDate: addDays(today, -1) }]);
    const sale = await sell([{ productId: p, qty: '3' }], '30');
    const open = await manager((ctx) => listStockExceptions(ctx, { orgId: chain.storeA.id, status: 'open', q: 'EXC1' }));
    expect(open.items.map((e) => [e.kind, e.qty, e.sourceNumber, e.lotNo, e.stockNow])).toEqual([
      ['stock_debt', '2.000', sale.receiptNo, null, '-2.000'],
      ['expired_sold', '1.000', sale.receiptNo, 'GONE', '-2.000'],
    ]);
    const debt = open.items[0]?.id as number;
    const expired = open.items[1]?.id as number;
    const refused = await manager((ctx) => acknowledgeStockException(ctx, debt, '已处理')).catch((e) => e);
    expect(isDomainError(refused, 'INV_EXCEPTION_NOT_ACKNOWLEDGEABLE')).toBe(true);
    const done = await manager((ctx) => acknowledgeStockException(ctx, expired, '已从货架撤下同批次'));
    expect(done).toMatchObject({ status: 'resolved', resolution: 'acknowledged', note: '已从货架撤下同批次' });
    const cashier = await asUser(database(), chain.users.storeACashier, (ctx) =>
      acknowledgeStockException(ctx, expired, 'x'),
    ).catch((e) => e);
    expect(isDomainError(cashier, 'FORBIDDEN')).toBe(true);
  });
});

describe('the ledger never holds a row without its source (issue 9)', () => {
  it('the database refuses a ledger row naming a sale or document that does not exist', async () => {
    for (const [type, id] of [
      ['pos_sale', 987654321],
      ['document', 987654321],
      ['sale', 1],
    ] as const) {
      const e = await database()
        .db.transaction()
        .execute(async (trx) => {
          await sql`insert into stock_ledger (org_id, warehouse_id, product_id, qty, unit_cost, amount, source_type, source_id, business_date)
                    values (${chain.storeA.id}, ${chain.storeA.warehouseId}, ${chain.products.apple}, -1, 0, 0, ${type}, ${id}, ${today})`.execute(
            trx,
          );
        })
        .catch((err) => err);
      expect((e as { code?: string }).code, type).toMatch(/^(23503|23514)$/);
    }
  });

  it('recalculation reports a row planted around the checks', async () => {
    await database()
      .db.transaction()
      .execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`insert into stock_ledger (org_id, warehouse_id, product_id, qty, unit_cost, amount, source_type, source_id, business_date)
                  values (${chain.storeA.id}, ${chain.storeA.warehouseId}, ${chain.products.apple}, 0.001, 0, 0, 'pos_sale', 123456789, ${today})`.execute(
          trx,
        );
      });
    const { recalculateStock } = await import('../inventory/index.js');
    const report = await asSystem(database().db, (ctx) => recalculateStock(ctx, { warehouseIds: [chain.storeA.warehouseId] }));
    expect(report.orphans).toEqual([
      expect.objectContaining({ sourceType: 'pos_sale', sourceId: 123456789, productId: chain.products.apple }),
    ]);
    expect(
      dec(report.differences[0]?.ledgerQty ?? 0)
        .minus(report.differences[0]?.balanceQty ?? 0)
        .toFixed(),
    ).toBe('0.001');
  });
});
