import { seedDemo } from '@erp/core';
import { expectLedgerMatchesBalances, useTestDatabase } from '@erp/test-kit';
import { describe, expect, it } from 'vitest';
import { addDays, calendarDay } from '../platform/clock.js';
import { DEMO_TILL_PIN, demoTills } from './pos.demo.js';

const database = useTestDatabase();

describe('pos demo data', () => {
  it('gives every store a till to pair, a week of sales and six closed days with their reports', async () => {
    expect(await seedDemo(database())).toBe(true);
    const db = database().db;
    const tills = await db.selectFrom('pos_terminal').select(['code', 'status']).orderBy('code').execute();
    expect(tills.map((t) => t.code)).toEqual(['S001-01', 'S001-02', 'S002-01', 'S003-01']);
    const errors = await db.selectFrom('pos_upload_error').select(['error_code', 'receipt_no']).execute();
    expect(errors).toEqual([]);
    const days = await db.selectFrom('business_day').select(['org_id', 'day']).execute();
    expect(days.length).toBe(18);
    expect(days.map((d) => d.day)).toContain(addDays(calendarDay(), -1));
    const reports = await db.selectFrom('pos_daily_report').select(['report']).execute();
    expect(reports.length).toBe(18);
    expect(reports.every((r) => (r.report as { sales: { count: number } }).sales.count > 0)).toBe(true);
    const today = await db.selectFrom('pos_sale').select('id').where('business_day', '=', calendarDay()).execute();
    expect(today.length).toBe(15);
    // What the start output and README give a new user to sign in at the till.
    expect(await demoTills(db)).toEqual(
      ['S001', 'S002', 'S003'].map((code) => ({
        terminal: `${code}-01`,
        store: expect.stringContaining(code),
        pairingCode: `DEMO-${code}`,
        cashier: `${code.toLowerCase()}_cash`,
        supervisor: `${code.toLowerCase()}_mgr`,
        pin: DEMO_TILL_PIN,
      })),
    );
    await db.updateTable('pos_terminal').set({ status: 'active' }).where('code', '=', 'S002-01').execute();
    expect((await demoTills(db)).find((t) => t.terminal === 'S002-01')?.pairingCode).toBeNull();
    await expectLedgerMatchesBalances(database());
  }, 300_000);
});
