import { isDomainError, SYNC_COLUMNS } from '@erp/contracts';
import { asSystem, asUser, givePrices, giveStock, saleCommand, TEST_PIN, usePosFixture } from '@erp/test-kit';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProduct } from '../catalog/index.js';
import { localTime } from '../platform/clock.js';
import { exportJournal, getSale, searchJournal, setSaleInvoice } from './journal.service.js';
import { checkPin } from './pos.pins.js';
import { displayWidth, priceTags, receiptData } from './receipt.service.js';
import { recordSale } from './sale.service.js';
import { updateStoreSettings } from './settings.service.js';
import { syncTill } from './sync.service.js';

const { database, chain, pos: f } = usePosFixture();
let cola: number;

beforeAll(async () => {
  const p = await asSystem(database().db, (ctx) =>
    createProduct(ctx, {
      code: 'P100',
      name: '可口可乐 330ml',
      spec: '330ml',
      barcodes: [{ barcode: '6901234567892' }],
      prices: { retail: '3.00', member: '2.80' },
    }),
  );
  cola = p.id;
  await giveStock(database(), chain.storeA.id, chain.storeA.warehouseId, [{ productId: cola, qty: '50', unitCost: '1.90' }]);
});

const sync = (cursor?: string, limit = 5000) => f.till.run((ctx, a) => syncTill(ctx, a, { cursor, limit }));

describe('till sync (POS-9)', () => {
  it('cold load: compact rows of products, barcodes and the store’s prices; cashiers with PIN verifiers; settings', async () => {
    const page = await sync();
    expect(page.columns).toEqual(SYNC_COLUMNS);
    const col = (name: string) => (SYNC_COLUMNS.products as readonly string[]).indexOf(name);
    const row = page.products.find((p) => p[col('id')] === cola);
    expect(row?.[col('name')]).toBe('可口可乐 330ml');
    expect(row?.[col('sellable')]).toBe(1);
    expect(page.barcodes).toContainEqual(['6901234567892', cola, null, 'ean13', 1, 1]);
    expect(page.prices.filter((p) => p[1] === cola).map((p) => [p[2], p[6]])).toEqual(
      expect.arrayContaining([
        ['retail', '3.00'],
        ['member', '2.80'],
      ]),
    );
    const cashier = page.cashiers?.find((c) => c.login === 'sa_cashier');
    expect(cashier?.pin?.algorithm).toBe('PBKDF2-SHA256');
    expect(await checkPin(TEST_PIN, cashier!.pin!)).toBe(true); // the till can check the PIN offline
    expect(JSON.stringify(page.cashiers)).not.toContain('argon2'); // never the account password hash
    expect(page.cashiers?.find((c) => c.login === 'sa_admin')?.canAuthorize).toBe(true);
    expect(page.settings?.terminal.id).toBe(f.terminal.id);
    expect(page.settings?.hotkeys.length).toBeGreaterThan(5);
    expect(page.hasMore).toBe(false);
  });

  it('paged while hasMore; a delta holds only what changed since the cursor', async () => {
    const p1 = await sync(undefined, 100);
    let cursor = p1.cursor;
    let more = p1.hasMore;
    while (more) {
      const next = await sync(cursor, 100);
      cursor = next.cursor;
      more = next.hasMore;
    }
    const unchanged = await sync(cursor);
    expect(unchanged.products).toEqual([]);
    expect(unchanged.prices).toEqual([]);
    expect(unchanged.cashiers).toBeUndefined();
    expect(unchanged.settings).toBeUndefined();
    await givePrices(database(), { [cola]: '3.20' });
    await asSystem(database().db, (ctx) =>
      updateStoreSettings(ctx, chain.storeA.id, { rounding: { unit: '0.1', mode: 'down' } }),
    );
    const delta = await sync(cursor);
    expect(delta.products).toEqual([]);
    expect(delta.prices.map((p) => [p[1], p[2], p[6]])).toEqual([[cola, 'retail', '3.20']]);
    expect(delta.settings?.rounding).toEqual({ unit: '0.1', mode: 'down' });
    expect(delta.cashiers).toBeUndefined();
    await asSystem(database().db, (ctx) => updateStoreSettings(ctx, chain.storeA.id, { rounding: { unit: '0', mode: 'down' } }));
  });

  it('a bad cursor asks for a cold load', async () => {
    const e = await f.till.run((ctx, a) => syncTill(ctx, a, { cursor: 'garbage', limit: 100 })).catch((x) => x);
    expect(isDomainError(e, 'VALIDATION_FAILED')).toBe(true);
  });
});

describe('retail journal (POS-11), receipts and price tags (POS-10)', () => {
  it('searches by receipt, product, cashier; HQ sees every store, a store only its own; invoices; Excel', async () => {
    const sale = await f.till.run((ctx, a) =>
      recordSale(
        ctx,
        a,
        saleCommand(
          f.till,
          [
            { productId: cola, qty: '2' },
            { productId: f.products.milk, qty: '1' },
          ],
          { tenders: [{ method: 'cash', amount: '20' }] },
        ),
      ),
    );
    const byReceipt = await asUser(database(), chain.users.storeAAdmin, (ctx) =>
      searchJournal(ctx, { receiptNo: sale.receiptNo, page: 1, pageSize: 10, order: 'desc' }),
    );
    expect(byReceipt.items.map((r) => r.id)).toEqual([sale.id]);
    const byProduct = await asUser(database(), chain.users.hqAdmin, (ctx) =>
      searchJournal(ctx, { productId: cola, page: 1, pageSize: 10, order: 'desc' }),
    );
    expect(byProduct.items.map((r) => r.id)).toContain(sale.id);
    const byCashier = await asUser(database(), chain.users.hqAdmin, (ctx) =>
      searchJournal(ctx, {
        storeId: chain.storeA.id,
        cashierId: chain.users.storeACashier,
        page: 1,
        pageSize: 500,
        order: 'desc',
      }),
    );
    expect(byCashier.items.every((r) => r.cashierId === chain.users.storeACashier)).toBe(true);
    const storeB = await asUser(database(), chain.users.storeBAdmin, (ctx) =>
      searchJournal(ctx, { page: 1, pageSize: 500, order: 'desc' }),
    );
    expect(storeB.items).toEqual([]);
    const hidden = await asUser(database(), chain.users.storeBAdmin, (ctx) => getSale(ctx, sale.id)).catch((e) => e);
    expect(isDomainError(hidden, 'NOT_FOUND')).toBe(true);

    const invoiced = await asUser(database(), chain.users.storeAAdmin, (ctx) =>
      setSaleInvoice(ctx, sale.id, { invoiceNo: 'FP20260001', invoiceAt: '2026-03-01T10:00:00+08:00' }),
    );
    expect(invoiced.invoiceNo).toBe('FP20260001');
    expect(invoiced.invoiceAt?.toISOString()).toBe('2026-03-01T02:00:00.000Z');

    const file = await asUser(database(), chain.users.storeAAdmin, (ctx) => exportJournal(ctx, { storeId: chain.storeA.id }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('零售流水');
    expect(ws.getRow(1).getCell(3).value).toBe('小票号');
    const receipts = ws.getColumn(3).values.slice(2);
    expect(receipts).toContain(sale.receiptNo);
  });

  it('receipt data for 58 and 80 mm from the store template: lines fit, savings, change, QR of the receipt number', async () => {
    await asSystem(database().db, (ctx) =>
      updateStoreSettings(ctx, chain.storeA.id, {
        receiptTemplates: {
          '58': {
            header: ['{storeName}', '欢迎光临', '电话 {storePhone}'],
            footer: ['谢谢惠顾'],
            showSavings: true,
            showBarcode: true,
            showCashier: true,
            qr: 'receipt_no',
          },
        },
      }),
    );
    // member price 2.80 × 3 = 8.40 (savings 1.20 against retail 3.20)
    const sale = await f.till.run((ctx, a) =>
      recordSale(
        ctx,
        a,
        saleCommand(f.till, [{ productId: cola, qty: '3' }], { memberId: 5, tenders: [{ method: 'cash', amount: '10' }] }),
      ),
    );
    expect(sale.total).toBe('8.40');
    const r58 = await f.till.run((ctx) => receiptData(ctx, sale.id, 58));
    expect(r58.header).toEqual(['门店A', '欢迎光临']);
    expect(r58.qr).toBe(sale.receiptNo);
    expect(r58.barcode).toBe(sale.receiptNo);
    expect(r58.totals.change).toBe(sale.change);
    expect(r58.text.every((l) => displayWidth(l) <= 32)).toBe(true);
    expect(r58.text.some((l) => l.includes('可口可乐'))).toBe(true);
    // The store has no phone: no bare "电话" line. The terminal code is never cut. The time is the chain's.
    expect(r58.text.some((l) => l.trim() === '电话')).toBe(false);
    expect(r58.text.some((l) => l.includes(`收银机 ${f.terminal.code}`))).toBe(true);
    expect(r58.text).toContain(localTime(r58.soldAt));
    expect(localTime(new Date('2026-11-22T16:30:05Z'))).toBe('2026-11-23 00:30:05');
    const r80 = await f.till.run((ctx) => receiptData(ctx, sale.id, 80));
    expect(r80.text.every((l) => displayWidth(l) <= 48)).toBe(true);
    expect(r80.text.join('\n')).toContain(sale.receiptNo);
  });

  it('price tags: name, spec, primary barcode, retail and member price at the store', async () => {
    const tags = await asUser(database(), chain.users.storeAAdmin, (ctx) =>
      priceTags(ctx, { storeId: chain.storeA.id, productIds: [cola, f.products.apple] }),
    );
    expect(tags[0]).toMatchObject({
      productId: cola,
      name: '可口可乐 330ml',
      spec: '330ml',
      barcode: '6901234567892',
      barcodeKind: 'ean13',
      memberPrice: '2.80',
    });
    expect(tags[1]).toMatchObject({ productId: f.products.apple, retailPrice: '5.00', barcode: null });
  });
});
