import { journalQuery } from '@erp/contracts';
import { asUser, expectLedgerMatchesBalances, expectRefusal, offlineSale, uploadAtTill, usePosFixture } from '@erp/test-kit';
import { describe, expect, it } from 'vitest';
import { addDays, calendarDay } from '../platform/clock.js';
import { closeDay, dayStatus, getDailyReport } from './daily-close.service.js';
import { journalBusinessDay, searchJournal } from './journal.service.js';
import { currentShift } from './shift.service.js';
import { deferUploadErrors, editUploadError, getUploadError, retryUploadError } from './upload.service.js';

// Issue 9, "the drawer and the day add up": a paid sale still in the upload-error queue counts in the
// hand-over's expected cash and holds up its day's close until it is fixed or a supervisor moves it on;
// a sale that reaches the server after its day closed lands on the next open day, marked late.

const { database, chain, pos: f } = usePosFixture();
const today = calendarDay();
const yesterday = addDays(today, -1);
const at = (day: string, time: string) => `${day}T${time}+08:00`;

const manager = <T>(fn: Parameters<typeof asUser<T>>[2]) => asUser(database(), chain.users.storeAAdmin, fn);
const cashier = <T>(fn: Parameters<typeof asUser<T>>[2]) => asUser(database(), chain.users.storeACashier, fn);

describe('the drawer and the day add up (POS-7, POS-8)', () => {
  it('counts, blocks, moves on and lands late: a queued paid sale through hand-over, close and retry', async () => {
    const apple = (qty: string) => [{ productId: f.products.apple, qty, unitPrice: '5.00' }];
    const a = offlineSale(f.till, apple('1'), {
      soldAt: at(yesterday, '10:00:00'),
      tenders: [{ method: 'cash', amount: '10' }],
      expectedTotal: '5.00',
    });
    // The customer paid 20 for 10.00 and got 10 back; a NUL in the remarks makes the sale unbookable as sent.
    const b = offlineSale(f.till, apple('2'), {
      soldAt: at(yesterday, '11:00:00'),
      tenders: [{ method: 'cash', amount: '20' }],
      expectedTotal: '10.00',
      remarks: 'VIP\u0000客户',
    });
    const first = await uploadAtTill(f.till, [a, b]);
    expect(first.results.map((r) => r.result)).toEqual(['accepted', 'queued']);
    const queued = first.results[1];
    if (queued?.result !== 'queued') throw new Error('not queued');
    expect(queued.error.code).toBe('POS_UPLOAD_INVALID');
    expect(queued.error.messages['zh-CN']).toContain('备注');
    expect(queued.error.messages.en).toContain('remarks');

    // The hand-over expects the queued sale's cash too (net of change): 200 float + 5 + 10.
    const shift = await f.till.run((ctx, auth) => currentShift(ctx, auth));
    expect(shift.totals).toMatchObject({ cashSales: '5.00', queuedCash: '10.00', queuedSales: 1, expectedCash: '215.00' });

    // The close of the sale's day lists it and refuses, naming how many and what to do.
    const status = await manager((ctx) => dayStatus(ctx, chain.storeA.id));
    expect(status).toMatchObject({ closableDay: yesterday, closeBlockedBy: 1 });
    expect(status.uploadErrors).toEqual([
      expect.objectContaining({ id: queued.errorId, saleDay: yesterday, deferredTo: null, blocksClose: true, cashNet: '10.00' }),
    ]);
    const blocked = await expectRefusal(
      manager((ctx) => closeDay(ctx, { storeId: chain.storeA.id, day: yesterday })),
      'POS_CLOSE_UPLOAD_ERRORS_OPEN',
    );
    expect(blocked.params).toMatchObject({ count: 1, day: yesterday });

    // Moving it on is a supervisor's explicit, audited act with a reason; a cashier may not.
    await expectRefusal(
      cashier((ctx) => deferUploadErrors(ctx, { storeId: chain.storeA.id, day: yesterday, reason: '等总部核对' })),
      'FORBIDDEN',
    );
    const moved = await manager((ctx) =>
      deferUploadErrors(ctx, { storeId: chain.storeA.id, day: yesterday, reason: '等总部核对后补传' }),
    );
    expect(moved).toMatchObject({ toDay: today, moved: [{ id: queued.errorId }] });
    const audit = await database()
      .db.selectFrom('audit_log')
      .select(['detail', 'after'])
      .where('action', '=', 'pos.upload_errors_deferred')
      .executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({ reason: '等总部核对后补传' });
    expect(audit.after).toMatchObject({ from: yesterday, to: today, errorIds: [queued.errorId] });
    const report = await manager((ctx) => closeDay(ctx, { storeId: chain.storeA.id, day: yesterday }));
    expect(report.sales.count).toBe(1);

    // A sale made yesterday reaching the server now lands today, marked late — never on the closed day.
    const c = offlineSale(f.till, apple('1'), {
      soldAt: at(yesterday, '15:00:00'),
      tenders: [{ method: 'cash', amount: '5' }],
      expectedTotal: '5.00',
    });
    const lateUpload = await uploadAtTill(f.till, [c]);
    expect(lateUpload.results[0]).toMatchObject({ result: 'accepted', businessDay: today, late: true });

    // The supervisor sees the text made visible, corrects it and retries: it lands today, late.
    const err = await manager((ctx) => getUploadError(ctx, queued.errorId));
    expect(err.payload.remarks).toBe('VIP\ufffd客户');
    const stored = await database()
      .db.selectFrom('pos_upload_error')
      .select('payload')
      .where('id', '=', queued.errorId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(stored.payload).remarks).toBe('VIP\u0000客户'); // kept exactly as the till sent it
    await manager((ctx) => editUploadError(ctx, queued.errorId, { remarks: 'VIP客户' }));
    const retried = await manager((ctx) => retryUploadError(ctx, queued.errorId));
    expect(retried.result).toMatchObject({ result: 'accepted', businessDay: today, late: true });
    expect(retried.error.status).toBe('resolved');
    const bookedB = retried.result.result === 'accepted' ? retried.result.saleId : 0;

    // The till, not knowing, uploads its original again: the same sale, not a second one.
    const again = await uploadAtTill(f.till, [b]);
    expect(again.results[0]).toMatchObject({ result: 'duplicate', saleId: bookedB, late: true });

    // Now booked, it counts as a cash sale of the shift instead of a queued one.
    const after = await f.till.run((ctx, auth) => currentShift(ctx, auth));
    expect(after.totals).toMatchObject({ cashSales: '20.00', queuedCash: '0.00', queuedSales: 0, expectedCash: '220.00' });

    // Visible in the retail journal and the daily report.
    const late = await manager((ctx) => searchJournal(ctx, journalQuery.parse({ storeId: chain.storeA.id, late: 'true' })));
    expect(late.items.map((r) => r.receiptNo).sort()).toEqual([b.receiptNo, c.receiptNo].sort());
    expect(late.items.every((r) => r.late && r.businessDay === today)).toBe(true);
    const todays = await manager((ctx) => getDailyReport(ctx, chain.storeA.id, today));
    expect(todays.report.lateSales).toBe(2);
    await expectLedgerMatchesBalances(database());
  });

  it('the retail journal opens at the store’s open business day: tomorrow once today is closed', async () => {
    expect(await manager((ctx) => journalBusinessDay(ctx, chain.storeA.id))).toEqual({ storeId: chain.storeA.id, day: today });
    await manager((ctx) => closeDay(ctx, { storeId: chain.storeA.id, day: today }));
    expect(await manager((ctx) => journalBusinessDay(ctx, chain.storeA.id))).toEqual({
      storeId: chain.storeA.id,
      day: addDays(today, 1),
    });
    expect(await manager((ctx) => journalBusinessDay(ctx))).toEqual({ storeId: null, day: today });
  });

  it('the retail journal is newest first unless asked otherwise', async () => {
    const rows = await manager((ctx) => searchJournal(ctx, journalQuery.parse({ storeId: chain.storeA.id })));
    const times = rows.items.map((r) => new Date(r.soldAt).getTime());
    expect(times.length).toBeGreaterThan(2);
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });
});
