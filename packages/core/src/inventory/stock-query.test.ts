import { isDomainError } from '@erp/contracts';
import { asSystem, asUser, expectLedgerMatchesBalances, sellStock, stockIn, useTestChain } from '@erp/test-kit';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCategory, createProduct } from '../catalog/index.js';
import { createDocument, transition } from '../documents/documents.service.js';
import { createCounter, createShelf } from '../org/org.service.js';
import { addDays, calendarDay } from '../platform/clock.js';
import type { Ctx } from '../platform/context.js';
import { exportLedgerDetail, exportNearExpiry, exportStockBalances, exportStockMovements } from './inventory.exports.js';
import { getLedgerDetail, listNearExpiry, listStockBalances, listStockMovements } from './stock-query.service.js';

const { database, chain } = useTestChain();
let shelf1: number;
let shelf2: number;
let counter: number;
const today = calendarDay();
const d1 = addDays(today, -10);
const d2 = addDays(today, -5);
const d3 = addDays(today, -1);

beforeAll(async () => {
  const ids = await asSystem(database().db, async (ctx) => {
    const c = await createCounter(ctx, { orgId: chain.storeA.id, code: 'FRUIT', name: '水果柜' });
    const s1 = await createShelf(ctx, { warehouseId: chain.storeA.warehouseId, code: 'Q-01', name: '水果架', counterId: c.id });
    const s2 = await createShelf(ctx, { warehouseId: chain.storeA.warehouseId, code: 'Q-02', name: '药架' });
    return { c: c.id, s1: s1.id, s2: s2.id };
  });
  counter = ids.c;
  shelf1 = ids.s1;
  shelf2 = ids.s2;
  // Day 1: apples 10 @ 3.00 on Q-01; drug batch N1 (expires in 20 days) 5 @ 8.00 and batch F1 (in 400 days) 5 @ 9.00.
  await stockIn(database(), {
    orgId: chain.storeA.id,
    warehouseId: chain.storeA.warehouseId,
    businessDate: d1,
    lines: [
      { productId: chain.products.apple, qty: '10', unitPrice: '3.00', shelfId: shelf1 },
      {
        productId: chain.products.batchDrug,
        qty: '5',
        unitPrice: '8.00',
        batchNo: 'N1',
        lotNo: 'LN1',
        expiryDate: addDays(today, 20),
        shelfId: shelf2,
      },
      {
        productId: chain.products.batchDrug,
        qty: '5',
        unitPrice: '9.00',
        batchNo: 'F1',
        lotNo: 'LF1',
        expiryDate: addDays(today, 400),
        shelfId: shelf2,
      },
    ],
  });
  // Day 2: 4 more apples @ 4.00 → average (30 + 16) / 14 = 3.2857; a loss of 1 drug N1 (reason 破损).
  await stockIn(database(), {
    orgId: chain.storeA.id,
    warehouseId: chain.storeA.warehouseId,
    businessDate: d2,
    lines: [{ productId: chain.products.apple, qty: '4', unitPrice: '4.00', shelfId: shelf1 }],
  });
  await asSystem(database().db, async (ctx) => {
    const loss = await createDocument(ctx, {
      docType: 'loss',
      orgId: chain.storeA.id,
      warehouseId: chain.storeA.warehouseId,
      businessDate: d2,
      attrs: { reason: '破损' },
      lines: [{ productId: chain.products.batchDrug, qty: '1', batchNo: 'N1', lotNo: 'LN1', shelfId: shelf2 }],
    });
    await transition(ctx, loss.id, 'submit');
    await transition(ctx, loss.id, 'approve');
    await transition(ctx, loss.id, 'confirm');
  });
  // Day 3: a sale of 13 apples leaves 1 (near zero).
  await sellStock(
    database(),
    { warehouseId: chain.storeA.warehouseId, productId: chain.products.apple, qty: '13', shelfId: shelf1 },
    d3,
  );
  // Store B stock must never show up for store A users.
  await stockIn(database(), {
    orgId: chain.storeB.id,
    warehouseId: chain.storeB.warehouseId,
    lines: [{ productId: chain.products.apple, qty: '99', unitPrice: '1', batchNo: '', expiryDate: addDays(today, 3) }],
  });
});

const storeA = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), chain.users.storeAAdmin, fn);
const page = { page: 1, pageSize: 100, order: 'asc' as const };

async function sheetRows(buf: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const rows: unknown[][] = [];
  ws?.eachRow((r) => {
    rows.push((r.values as unknown[]).slice(1));
  });
  return rows;
}

describe('stock queries (INV-3)', () => {
  it('shows stock by batch/lot/shelf/status, or summed per product, with value at batch cost or average', async () => {
    const detail = await storeA((ctx) => listStockBalances(ctx, { ...page, orgId: chain.storeA.id }));
    expect(detail.items.map((r) => [r.productCode, r.batchNo, r.shelfCode, r.qty, r.value])).toEqual([
      ['P001', '', 'Q-01', '1.000', '3.29'],
      ['P003', 'F1', 'Q-02', '5.000', '45.00'],
      ['P003', 'N1', 'Q-02', '4.000', '32.00'],
    ]);
    expect(detail.items.every((r) => r.orgId === chain.storeA.id)).toBe(true);
    const perProduct = await storeA((ctx) => listStockBalances(ctx, { ...page, orgId: chain.storeA.id, groupBy: [] }));
    expect(perProduct.items.map((r) => [r.productCode, r.batchNo, r.qty, r.value, r.expiryDate])).toEqual([
      ['P001', null, '1.000', '3.29', null],
      ['P003', null, '9.000', '77.00', addDays(today, 20)],
    ]);
    const byBatch = await storeA((ctx) => listStockBalances(ctx, { ...page, orgId: chain.storeA.id, groupBy: ['batch'] }));
    expect(byBatch.items).toHaveLength(3);
    expect(byBatch.items[0]?.shelfCode).toBeNull();
    const nearZero = await storeA((ctx) => listStockBalances(ctx, { ...page, orgId: chain.storeA.id, maxQty: '1', groupBy: [] }));
    expect(nearZero.items.map((r) => r.productCode)).toEqual(['P001']);
    const ofCounter = await storeA((ctx) => listStockBalances(ctx, { ...page, counterId: counter }));
    expect(ofCounter.items.map((r) => r.productCode)).toEqual(['P001']);
    const expiring = await storeA((ctx) => listStockBalances(ctx, { ...page, expiryBefore: addDays(today, 30) }));
    expect(expiring.items.map((r) => r.batchNo)).toEqual(['N1']);
    const other = await storeA((ctx) => listStockBalances(ctx, { ...page, orgId: chain.storeB.id }).catch((e) => e));
    expect(isDomainError(other, 'NOT_FOUND')).toBe(true);
    // Everything visible to store A: store B's 99 apples are not.
    const all = await storeA((ctx) => listStockBalances(ctx, page));
    expect(all.items.some((r) => r.qty === '99.000')).toBe(false);
  });

  it('ledger detail: opening, entries with running balance and closing per warehouse and product', async () => {
    const res = await storeA((ctx) =>
      getLedgerDetail(ctx, { ...page, pageSize: 20, from: d2, to: today, warehouseId: chain.storeA.warehouseId }),
    );
    const apple = res.items.find((g) => g.productCode === 'P001');
    expect(apple).toMatchObject({
      openingQty: '10.000',
      openingAmount: '30.00',
      inQty: '4.000',
      inAmount: '16.00',
      outQty: '13.000',
      closingQty: '1.000',
    });
    expect(apple?.entries.map((e) => [e.businessDate, e.inQty, e.outQty, e.balanceQty])).toEqual([
      [d2, '4.000', '0.000', '14.000'],
      [d3, '0.000', '13.000', '1.000'],
    ]);
    expect(apple?.entries[0]?.docType).toBe('other_inbound');
    expect(apple?.entries[1]?.docType).toBe('other_outbound');
    // Sold at the average 3.2857: 13 × 3.2857 = 42.7141 → closing value 46.00 − 42.71 = 3.29.
    expect(apple?.closingAmount).toBe('3.29');
    const drug = res.items.find((g) => g.productCode === 'P003');
    expect(drug).toMatchObject({ openingQty: '10.000', outQty: '1.000', closingQty: '9.000', closingAmount: '77.00' });
    expect(drug?.entries[0]).toMatchObject({ docType: 'loss', batchNo: 'N1', outQty: '1.000', unitCost: '8.0000' });
    // A period after everything: opening = closing, no entries, the group still shows.
    const later = await storeA((ctx) =>
      getLedgerDetail(ctx, {
        ...page,
        pageSize: 20,
        from: addDays(today, 1),
        to: addDays(today, 2),
        productId: chain.products.apple,
      }),
    );
    expect(later.items).toHaveLength(1);
    expect(later.items[0]).toMatchObject({ openingQty: '1.000', closingQty: '1.000', entries: [] });
  });

  it('near-expiry stock within N days, expired stock included, with days left', async () => {
    const res = await storeA((ctx) => listNearExpiry(ctx, { ...page, days: 30, includeExpired: true }));
    expect(res.items.map((r) => [r.batchNo, r.daysLeft, r.qty, r.value])).toEqual([['N1', 20, '4.000', '32.00']]);
    const wide = await storeA((ctx) => listNearExpiry(ctx, { ...page, days: 500, includeExpired: true }));
    expect(wide.items.map((r) => r.batchNo)).toEqual(['N1', 'F1']);
  });

  it('inbound/outbound detail lists posted document lines by type and direction, with reasons', async () => {
    const res = await storeA((ctx) => listStockMovements(ctx, { ...page, from: d1, to: today, sourceType: 'document' }));
    expect(res.items.map((r) => [r.docType, r.direction, r.productCode, r.qty])).toEqual([
      ['other_inbound', 'in', 'P001', '10.000'],
      ['other_inbound', 'in', 'P003', '5.000'],
      ['other_inbound', 'in', 'P003', '5.000'],
      ['other_inbound', 'in', 'P001', '4.000'],
      ['loss', 'out', 'P003', '1.000'],
      ['other_outbound', 'out', 'P001', '13.000'],
    ]);
    const losses = await storeA((ctx) =>
      listStockMovements(ctx, { ...page, from: d1, to: today, sourceType: 'document', docType: 'loss', direction: 'out' }),
    );
    expect(losses.items).toHaveLength(1);
    expect(losses.items[0]).toMatchObject({ reason: '破损', amount: '8.00', lineNo: 1 });
    expect(losses.items[0]?.documentNumber).toMatch(/^LSSA-/);
    const sales = await storeA((ctx) =>
      listStockMovements(ctx, { ...page, from: d1, to: today, sourceType: 'document', docType: 'other_outbound' }),
    );
    expect(sales.items.map((r) => [r.direction, r.qty])).toEqual([['out', '13.000']]);
  });

  it('exports every query to .xlsx with the screen’s filters, in the user’s language', async () => {
    const stock = await storeA((ctx) => exportStockBalances(ctx, { ...page, orgId: chain.storeA.id, groupBy: [] }));
    expect(stock.filename).toMatch(/^stock-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const rows = await sheetRows(stock.content);
    expect(rows[0]?.slice(0, 4)).toEqual(['仓库编码', '仓库名称', '商品编码', '商品名称']);
    expect(rows.slice(1).map((r) => [r[2], r[11]])).toEqual([
      ['P001', 1],
      ['P003', 9],
    ]);
    const en = await asUser(database(), chain.users.storeAAdmin, async (ctx) => {
      ctx.locale = 'en';
      return exportNearExpiry(ctx, { ...page, days: 30, includeExpired: true });
    });
    expect((await sheetRows(en.content))[0]?.[0]).toBe('Warehouse');
    const detail = await sheetRows(
      (await storeA((ctx) => exportLedgerDetail(ctx, { ...page, from: d2, to: today, productId: chain.products.apple }))).content,
    );
    expect(detail.slice(1).map((r) => [r[4], r[11]])).toEqual([
      ['期初', 10],
      [expect.stringContaining('其他入库单'), 14],
      [expect.stringContaining('其他出库单'), 1],
      ['期末', 1],
    ]);
    const moves = await sheetRows(
      (await storeA((ctx) => exportStockMovements(ctx, { ...page, from: d1, to: today, sourceType: 'document' }))).content,
    );
    expect(moves).toHaveLength(7);
    const cashier = await asUser(database(), chain.users.storeACashier, (ctx) => exportStockBalances(ctx, page).catch((e) => e));
    expect(isDomainError(cashier, 'FORBIDDEN')).toBe(true);
    await expectLedgerMatchesBalances(database());
  });

  it('filters stock by category, sub-categories included, and shows spec and unit from master data', async () => {
    const pear = await asSystem(database().db, async (ctx) => {
      const food = await createCategory(ctx, { code: 'FOOD', name: '食品' });
      const fruit = await createCategory(ctx, { parentId: food.id, code: 'FRUIT', name: '水果' });
      const p = await createProduct(ctx, { code: 'P900', name: '砀山酥梨', spec: '500g', categoryId: fruit.id });
      return { food: food.id, id: p.id };
    });
    await stockIn(database(), {
      orgId: chain.storeA.id,
      warehouseId: chain.storeA.warehouseId,
      lines: [{ productId: pear.id, qty: '6', unitPrice: '4.50' }],
    });
    const res = await storeA((ctx) => listStockBalances(ctx, { ...page, categoryId: pear.food, groupBy: [] }));
    expect(res.items.map((r) => [r.productCode, r.productSpec, r.qty, r.value])).toEqual([['P900', '500g', '6.000', '27.00']]);
    await expectLedgerMatchesBalances(database());
  });
});
