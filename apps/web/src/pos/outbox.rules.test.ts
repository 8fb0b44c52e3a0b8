import { describe, expect, it } from 'vitest';
import type { OutboxSale } from './db';
import {
  applyRecheck,
  applyUploadResult,
  cashOf,
  cashOfAll,
  dueForRecheck,
  earliestDay,
  RECHECK_FIRST_MS,
  RECHECK_MAX_MS,
  recheckDelay,
  withUnsentCash,
} from './outbox.rules';

const now = new Date('2026-03-15T10:00:00Z');
const refusedAnswer = {
  clientId: 'c1',
  result: 'queued' as const,
  errorId: 7,
  error: { code: 'POS_DISCOUNT_BEYOND_LIMIT', messages: { 'zh-CN': '折扣超出权限', en: 'Discount beyond the limit' } },
};

describe('what an upload answer does to a paid sale on the till', () => {
  it('a refusal makes it refused (not pending) with the reason in both languages, checked again later', () => {
    const p = applyUploadResult({ status: 'pending', attempts: 0 }, refusedAnswer, now);
    expect(p.status).toBe('refused');
    expect(p.refusal).toEqual({
      code: 'POS_DISCOUNT_BEYOND_LIMIT',
      messages: refusedAnswer.error.messages,
      errorId: 7,
      at: now.toISOString(),
    });
    expect(p.nextCheckAt).toBe(now.getTime() + RECHECK_FIRST_MS);
    expect(p.checks).toBe(0);
  });

  it('a refused sale asked about again backs off, never faster than a minute, never slower than 15', () => {
    const p = applyUploadResult({ status: 'refused', attempts: 3, checks: 2 }, refusedAnswer, now);
    expect(p.checks).toBe(3);
    expect(p.nextCheckAt).toBe(now.getTime() + 8 * RECHECK_FIRST_MS);
    expect(recheckDelay(0)).toBe(RECHECK_FIRST_MS);
    expect(recheckDelay(30)).toBe(RECHECK_MAX_MS);
  });

  it('booked (accepted or duplicate, i.e. resolved by the store manager) makes it synced and clears the refusal', () => {
    for (const result of ['accepted', 'duplicate'] as const) {
      const p = applyUploadResult(
        { status: 'refused', attempts: 2, checks: 1 },
        { clientId: 'c1', result, saleId: 99, businessDay: '2026-03-16', late: true },
        now,
      );
      expect(p).toMatchObject({ status: 'synced', serverSaleId: 99, refusal: null, nextCheckAt: null, late: true });
    }
    expect(
      applyUploadResult(
        { status: 'pending', attempts: 0 },
        { clientId: 'c', result: 'accepted', saleId: 1, businessDay: 'd' },
        now,
      ).late,
    ).toBe(false);
  });

  it('a re-check finds it booked (synced, leaves the list) or asks again later', () => {
    const sale = { clientId: 'c1', status: 'refused' as const, attempts: 1, checks: 0 };
    expect(applyRecheck(sale, { id: 5, businessDay: '2026-03-15' }, now)).toMatchObject({
      status: 'synced',
      serverSaleId: 5,
      refusal: null,
      nextCheckAt: null,
    });
    const later = applyRecheck(sale, null, now);
    expect(later).toEqual({ checks: 1, nextCheckAt: now.getTime() + 2 * RECHECK_FIRST_MS });
    expect(later.status).toBeUndefined();
    // The journal is searched from the day before the sale (the business day is never earlier).
    expect(earliestDay('2026-03-15T00:30:00+08:00')).toBe('2026-03-13');
  });

  it('only refused sales that are due are asked about, unless the cashier asks', () => {
    const sales = [
      { id: 'a', status: 'refused' as const, nextCheckAt: now.getTime() - 1 },
      { id: 'b', status: 'refused' as const, nextCheckAt: now.getTime() + 1 },
      { id: 'c', status: 'pending' as const, nextCheckAt: null },
    ];
    expect(dueForRecheck(sales, now.getTime(), false).map((s) => s.id)).toEqual(['a']);
    expect(dueForRecheck(sales, now.getTime(), true).map((s) => s.id)).toEqual(['a', 'b']);
  });
});

describe('the hand-over counts the cash of sales still on the till', () => {
  const sale = (tenders: { method: string; amount: string }[], change: string) =>
    ({ receipt: { tenders, change } }) as unknown as Pick<OutboxSale, 'receipt'>;

  it('cash tendered less change; card and mobile are not cash', () => {
    expect(cashOf(sale([{ method: 'cash', amount: '20.00' }], '6.90'))).toBe('13.10');
    expect(
      cashOf(
        sale(
          [
            { method: 'bank_card', amount: '6.00' },
            { method: 'cash', amount: '10.00' },
          ],
          '6.00',
        ),
      ),
    ).toBe('4.00');
    expect(
      cashOfAll([sale([{ method: 'mobile', amount: '8.00' }], '0.00'), sale([{ method: 'cash', amount: '5.00' }], '0.00')]),
    ).toBe('5.00');
  });

  it('expected and over/short include the unsent cash, so the cashier is not shown over by it', () => {
    // The outsider's day: expected 301.40 on the server, 314.50 counted, 13.10 of sales not on the server.
    const f = withUnsentCash({ expectedCash: '301.40', deposit: '314.50', overShort: '13.10' }, '13.10');
    expect(f).toEqual({ expectedCash: '314.50', deposit: '314.50', overShort: '0.00' });
    expect(withUnsentCash({ expectedCash: null, deposit: '1.00', overShort: null }, '2.00').expectedCash).toBeNull();
  });
});
