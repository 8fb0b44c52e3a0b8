import { randomUUID } from 'node:crypto';
import { sql } from '@erp/db';
import { asSystem, asUser, usePosFixture } from '@erp/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { updateOrgParams } from '../org/org.service.js';
import { addDays, calendarDay } from '../platform/clock.js';
import { closeDay } from './daily-close.service.js';
import { uploadOfflineSales } from './upload.service.js';

/**
 * POS-8 performance: a store-day of 5,000 sales with 25,000 lines closes in ≤ 1 s on PostgreSQL (the close
 * is set-based: one statement builds the whole report). The sales arrive through the real upload path.
 */
const { database, chain, pos: f } = usePosFixture();
const SALES = 5000;
const LINES = 5;
const day = addDays(calendarDay(), -1);

beforeAll(async () => {
  // Wholesale mode: the sales wait for the outbound review, so loading them does not post 25,000 stock moves.
  await asSystem(database().db, (ctx) => updateOrgParams(ctx, chain.storeA.id, { businessMode: 'wholesale' }));
  const started = Date.now();
  for (let b = 0; b < SALES / 500; b++) {
    const sales = Array.from({ length: 500 }, (_, i) => ({
      clientId: randomUUID(),
      receiptNo: f.terminal.next(),
      soldAt: `${day}T${String(8 + (i % 12)).padStart(2, '0')}:00:00+08:00`,
      terminalId: f.terminal.id,
      cashierId: chain.users.storeACashier,
      shiftId: f.till.shiftId,
      lines: Array.from({ length: LINES }, (_, k) => ({
        productId: k % 2 ? f.products.milk : f.products.apple,
        qty: String(1 + (k % 3)),
        unitPrice: k % 2 ? '3.50' : '5.00',
      })),
      tenders: [{ method: (i % 3 ? 'cash' : 'bank_card') as 'cash' | 'bank_card', amount: '40.50' }],
    }));
    const r = await f.till.run((ctx, a) => uploadOfflineSales(ctx, a, { sales }));
    expect(r.accepted).toBe(500);
  }
  console.log(`loaded ${SALES} sales / ${SALES * LINES} lines through the upload path in ${Date.now() - started} ms`);
}, 600_000);

describe('daily close performance', () => {
  it(`closes a day of ${SALES} sales and ${SALES * LINES} lines with a report that adds up (its time is printed; the figure that counts is 'npm run bench')`, async () => {
    await sql`analyze`.execute(database().db);
    const started = performance.now();
    const report = await asUser(database(), chain.users.storeAAdmin, (ctx) => closeDay(ctx, { storeId: chain.storeA.id, day }));
    const ms = performance.now() - started;
    console.log(`daily close of ${SALES} sales / ${SALES * LINES} lines: ${ms.toFixed(0)} ms on ${database().kind}`);
    expect(report.sales.count).toBe(SALES);
    expect(report.sales.amount).toBe((SALES * 40.5).toFixed(2));
  }, 120_000);
});
