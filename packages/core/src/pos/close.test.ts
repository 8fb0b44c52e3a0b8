import { randomUUID } from 'node:crypto';
import { asSystem, asUser, expectLedgerMatchesBalances, expectRefusal, saleCommand, usePosFixture } from '@erp/test-kit';
import { describe, expect, it } from 'vitest';
import { createDocument } from '../documents/documents.service.js';
import { addDays, calendarDay } from '../platform/clock.js';
import { closeDay, dayStatus, getDailyReport, reopenDay } from './daily-close.service.js';
import { recordReturn } from './return.service.js';
import { recordSale } from './sale.service.js';
import { updateCashierSettings } from './settings.service.js';
import { uploadOfflineSales } from './upload.service.js';

const { database, chain, pos: f } = usePosFixture();
const today = calendarDay();
const d = (n: number) => addDays(today, n);
/** Noon of a business day in the chain's time zone (UTC+8). */
const noon = (day: string) => `${day}T12:00:00+08:00`;

const manager = <T>(fn: Parameters<typeof asUser<T>>[2]) => asUser(database(), chain.users.storeAAdmin, fn);
const upload = (sales: Parameters<typeof uploadOfflineSales>[2]['sales']) =>
  f.till.run((ctx, a) => uploadOfflineSales(ctx, a, { sales }));
const offline = (
  day: string,
  lines: { productId: number; qty: string; unitPrice: string }[],
  tenders: { method: 'cash' | 'bank_card'; amount: string }[],
) => ({
  clientId: randomUUID(),
  receiptNo: f.terminal.next(),
  soldAt: noon(day),
  terminalId: f.terminal.id,
  cashierId: chain.users.storeACashier,
  shiftId: f.till.shiftId,
  lines,
  tenders,
});

describe('daily close (POS-8, ORG-4)', () => {
  it('closes only the earliest unclosed day, never a later or future one, and produces the daily report', async () => {
    const r = await upload([
      offline(
        d(-2),
        [
          { productId: f.products.apple, qty: '2', unitPrice: '5.00' },
          { productId: f.products.milk, qty: '1', unitPrice: '3.50' },
        ],
        [{ method: 'cash', amount: '20' }],
      ),
      offline(d(-2), [{ productId: f.products.milk, qty: '4', unitPrice: '3.50' }], [{ method: 'bank_card', amount: '14' }]),
      offline(d(-1), [{ productId: f.products.apple, qty: '1', unitPrice: '5.00' }], [{ method: 'cash', amount: '5' }]),
    ]);
    expect(r.results.map((x) => x.result)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(r.results.map((x) => (x.result === 'accepted' ? x.businessDay : null))).toEqual([d(-2), d(-2), d(-1)]);
    const status = await manager((ctx) => dayStatus(ctx, chain.storeA.id));
    expect(status).toMatchObject({ lastClosed: null, closableDay: d(-2) });
    await expectRefusal(
      manager((ctx) => closeDay(ctx, { storeId: chain.storeA.id, day: d(-1) })),
      'POS_CLOSE_NOT_EARLIEST',
    );
    await expectRefusal(
      manager((ctx) => closeDay(ctx, { storeId: chain.storeA.id, day: d(1) })),
      'POS_CLOSE_FUTURE',
    );

    const report = await manager((ctx) => closeDay(ctx, { storeId: chain.storeA.id, day: d(-2) }));
    expect(report.sales).toMatchObject({ count: 2, gross: '27.50', amount: '27.50', cogs: '16.90' });
    expect(report.byTender).toEqual([
      { method: 'bank_card', sales: '14.00', refunds: '0.00', net: '14.00' },
      { method: 'cash', sales: '13.50', refunds: '0.00', net: '13.50' },
    ]);
    expect(report.byCashier).toEqual([expect.objectContaining({ login: 'sa_cashier', sales: 2, amount: '27.50' })]);
    expect(report.net).toMatchObject({ amount: '27.50', cogs: '16.90', grossMargin: '10.60', marginRate: '38.55' });
    expect(report.returns).toEqual({ count: 0, amount: '0.00', cogs: '0.00' });
    expect(report.byCategory.reduce((a, c) => a + Number(c.amount), 0)).toBe(27.5);
    expect(report.offlineSales).toBe(2);
    const closed = await database().db.selectFrom('business_day').selectAll().where('org_id', '=', chain.storeA.id).execute();
    expect(closed.map((c) => c.day)).toEqual([d(-2)]);
    const stored = await manager((ctx) => getDailyReport(ctx, chain.storeA.id, d(-2)));
    expect(stored.closed).toBe(true);
    expect(stored.report.sales.amount).toBe('27.50');
  });

  it('afterwards nothing lands on a closed day: uploads move to the open day, documents are refused', async () => {
    const r = await upload([
      offline(d(-2), [{ productId: f.products.apple, qty: '1', unitPrice: '5.00' }], [{ method: 'cash', amount: '5' }]),
    ]);
    expect(r.results[0]).toMatchObject({ result: 'accepted', businessDay: today });
    await expectRefusal(
      asSystem(database().db, (ctx) =>
        createDocument(ctx, {
          docType: 'other_inbound',
          orgId: chain.storeA.id,
          warehouseId: chain.storeA.warehouseId,
          businessDate: d(-2),
          lines: [],
        }),
      ),
      'BUSINESS_DAY_CLOSED',
    );
  });

  it('clears the temporary sales of the day it closes; once today is closed, sales land on tomorrow', async () => {
    await manager((ctx) => closeDay(ctx, { storeId: chain.storeA.id, day: d(-1) }));
    const tmp = await f.till.run((ctx, a) =>
      recordSale(ctx, a, saleCommand(f.till, [{ productId: f.products.apple, qty: '1' }], { status: 'temporary' })),
    );
    expect(tmp.businessDay).toBe(today);
    await asSystem(database().db, (ctx) => updateCashierSettings(ctx, chain.users.storeACashier, { maxDiscountRate: '10' }));
    const sold = await f.till.run((ctx, a) =>
      recordSale(
        ctx,
        a,
        saleCommand(f.till, [{ productId: f.products.milk, qty: '2', discount: { kind: 'amount', value: '0.50' } }], {
          tenders: [{ method: 'cash', amount: '10' }],
        }),
      ),
    );
    await f.till.run((ctx, a) =>
      recordReturn(ctx, a, {
        clientId: randomUUID(),
        receiptNo: f.terminal.next(),
        originalReceiptNo: sold.receiptNo,
        shiftId: f.till.shiftId,
        lines: [{ originalLineId: sold.lines[0]!.id, qty: '1' }],
      }),
    );
    const report = await manager((ctx) => closeDay(ctx, { storeId: chain.storeA.id, day: today }));
    expect(report.clearedTemporary).toBe(1);
    expect(report.returns).toEqual({ count: 1, amount: '3.25', cogs: '2.10' });
    expect(report.discounts).toMatchObject({ line: '0.50', total: '0.50' });
    expect(report.byTender.find((t) => t.method === 'cash')).toMatchObject({ refunds: '3.25' });
    const row = await database()
      .db.selectFrom('pos_sale')
      .select(['status', 'void_reason'])
      .where('id', '=', tmp.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'void', void_reason: 'daily_close' });
    const sale = await f.till.run((ctx, a) =>
      recordSale(
        ctx,
        a,
        saleCommand(f.till, [{ productId: f.products.apple, qty: '1' }], { tenders: [{ method: 'cash', amount: '5' }] }),
      ),
    );
    expect(sale.businessDay).toBe(d(1));
    await expectRefusal(
      manager((ctx) => closeDay(ctx, { storeId: chain.storeA.id, day: d(1) })),
      'POS_CLOSE_FUTURE',
    );
    await expectLedgerMatchesBalances(database());
  });

  it('reopens only the latest closed day, and only while finance has not started on it', async () => {
    await expectRefusal(
      manager((ctx) => reopenDay(ctx, { storeId: chain.storeA.id, day: d(-1), reason: '补录' })),
      'POS_REOPEN_NOT_LATEST',
    );
    await database()
      .db.updateTable('business_day')
      .set({ finance_started: true })
      .where('org_id', '=', chain.storeA.id)
      .where('day', '=', today)
      .execute();
    await expectRefusal(
      manager((ctx) => reopenDay(ctx, { storeId: chain.storeA.id, day: today, reason: '补录' })),
      'POS_REOPEN_FINANCE_STARTED',
    );
    await database()
      .db.updateTable('business_day')
      .set({ finance_started: false })
      .where('org_id', '=', chain.storeA.id)
      .where('day', '=', today)
      .execute();
    const reopened = await manager((ctx) => reopenDay(ctx, { storeId: chain.storeA.id, day: today, reason: '漏录一笔脱机销售' }));
    expect(reopened.lastClosed).toBe(d(-1));
    // an offline sale of today now lands on today again, and the re-close counts it
    const before = await manager((ctx) => getDailyReport(ctx, chain.storeA.id, today));
    const r = await upload([
      offline(today, [{ productId: f.products.milk, qty: '1', unitPrice: '3.50' }], [{ method: 'cash', amount: '3.5' }]),
    ]);
    expect(r.results[0]).toMatchObject({ result: 'accepted', businessDay: today });
    const again = await manager((ctx) => closeDay(ctx, { storeId: chain.storeA.id, day: today }));
    expect(Number(again.sales.amount) - Number(before.report.sales.amount)).toBeCloseTo(3.5, 2);
    const audit = await database()
      .db.selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'business_day')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'pos.day_closed',
      'pos.day_closed',
      'pos.day_closed',
      'pos.day_reopened',
      'pos.day_closed',
    ]);
  });

  it('a store user cannot close or reopen another store', async () => {
    await expectRefusal(
      manager((ctx) => closeDay(ctx, { storeId: chain.storeB.id, day: today })),
      'NOT_FOUND',
    );
  });
});
