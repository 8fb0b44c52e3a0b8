import { dec, type PriceStrategy, PricingError, priceSale, roundPayable, sum } from '@erp/contracts';
import { describe, expect, it } from 'vitest';
import {
  cashKept,
  earliestUnclosedDay,
  expectedCash,
  formatPairingCode,
  isLateSale,
  lineRefund,
  normalizePairingCode,
  offlineBusinessDay,
  parseReceiptNumber,
  pinProblems,
  rawSaleFingerprint,
  receiptNumber,
  refundToTenders,
  saleFieldName,
  saleFingerprint,
  unstorableTextPath,
  visibleText,
} from './pos.rules.js';

const ctx = { storeId: 1, priceType: 'retail' as const, at: '2026-01-01T00:00:00Z' };

describe('till rules', () => {
  it('pairing codes are 8 unambiguous characters and forgiving to type', () => {
    const code = formatPairingCode(new Uint8Array([0, 1, 2, 3, 250, 251, 252, 253]));
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(normalizePairingCode(` ${code.toLowerCase().replace('-', ' - ')} `)).toBe(code.replace('-', ''));
  });

  it('till PINs: 6–12 digits, no repeated digit, no run', () => {
    expect(pinProblems('284613')).toEqual([]);
    expect(pinProblems('12345')).toContain('format');
    expect(pinProblems('111111')).toContain('repeated');
    expect(pinProblems('123456')).toContain('run');
    expect(pinProblems('987654')).toContain('run');
    expect(pinProblems('12a456')).toContain('format');
  });

  it('receipt numbers: the till prefix and 8 digits', () => {
    expect(receiptNumber('S001-01-', 42)).toBe('S001-01-00000042');
    expect(parseReceiptNumber('S001-01-', 'S001-01-00000042')).toBe(42);
    expect(parseReceiptNumber('S001-01-', 'S001-02-00000042')).toBeNull();
    expect(parseReceiptNumber('S001-01-', 'S001-01-0042')).toBeNull();
    expect(parseReceiptNumber('S001-01-', 'S001-01-00000000')).toBeNull();
  });

  it('an offline sale lands on its own day while open, else on the open day; never in the future', () => {
    // nothing closed: the sale's day
    expect(offlineBusinessDay('2026-03-01', null, '2026-03-03')).toBe('2026-03-01');
    // its day is closed: the current open day (today)
    expect(offlineBusinessDay('2026-03-01', '2026-03-02', '2026-03-03')).toBe('2026-03-03');
    // a day after the last closed, still open: its own day
    expect(offlineBusinessDay('2026-03-03', '2026-03-02', '2026-03-04')).toBe('2026-03-03');
    // today is closed already: the day after it
    expect(offlineBusinessDay('2026-03-03', '2026-03-03', '2026-03-03')).toBe('2026-03-04');
    // the till's clock is ahead: today
    expect(offlineBusinessDay('2026-03-09', null, '2026-03-03')).toBe('2026-03-03');
  });

  it('the day a close acts on: the day after the last closed one; with none, the first day with sales', () => {
    expect(earliestUnclosedDay('2026-03-02', '2026-01-01', '2026-03-05')).toBe('2026-03-03');
    expect(earliestUnclosedDay(null, '2026-03-01', '2026-03-05')).toBe('2026-03-01');
    expect(earliestUnclosedDay(null, null, '2026-03-05')).toBe('2026-03-05');
  });

  it('expected cash = float + cash sales − cash refunds − paid-outs + paid-ins', () => {
    expect(expectedCash({ float: '200.00', cashSales: '1234.50', cashRefunds: '34.50', paidOut: '50', paidIn: '10' })).toBe(
      '1360.00',
    );
  });

  it('a line returned in parts refunds exactly its amount', () => {
    const sold = { soldQty: '3', soldAmount: '10.00' };
    const a = lineRefund({ ...sold, returnedQty: '0', returnedAmount: '0', qty: '1' });
    const b = lineRefund({ ...sold, returnedQty: '1', returnedAmount: a, qty: '1' });
    const c = lineRefund({ ...sold, returnedQty: '2', returnedAmount: dec(a).plus(b).toFixed(2), qty: '1' });
    expect([a, b, c]).toEqual(['3.33', '3.33', '3.34']);
    expect(sum([a, b, c]).toFixed(2)).toBe('10.00');
  });

  it('refunds split over the original tenders and never exceed what each took', () => {
    const parts = refundToTenders('10.00', [
      { seq: 1, refundable: '6.67' },
      { seq: 2, refundable: '3.33' },
    ]);
    expect(sum(parts.map((p) => p.amount)).toFixed(2)).toBe('10.00');
    expect(parts).toEqual([
      { seq: 1, amount: '6.67' },
      { seq: 2, amount: '3.33' },
    ]);
    const small = refundToTenders('0.01', [
      { seq: 1, refundable: '0.01' },
      { seq: 2, refundable: '0.01' },
    ]);
    expect(small).toEqual([{ seq: 1, amount: '0.01' }]);
    expect(() => refundToTenders('5', [{ seq: 1, refundable: '4' }])).toThrow(RangeError);
  });
});

describe('the price pipeline (shared by till and server)', () => {
  const lines = [
    { key: 1, productId: 1, qty: '3', basePrice: '3.33' },
    { key: 2, productId: 2, qty: '1', basePrice: '7.01' },
    { key: 3, productId: 3, qty: '0.455', basePrice: '12.80' },
  ];

  it('allocates a whole-sale discount to the lines exactly: they sum to the total to the cent', () => {
    const r = priceSale({ lines, saleDiscount: { kind: 'amount', value: '1.00' } }, ctx);
    expect(r.gross).toBe('22.82'); // 9.99 + 7.01 + 5.82
    expect(r.saleDiscount).toBe('1.00');
    expect(r.total).toBe('21.82');
    expect(sum(r.lines.map((l) => l.amount)).toFixed(2)).toBe(r.total);
    expect(sum(r.lines.map((l) => l.saleDiscount)).toFixed(2)).toBe('1.00');
    const pct = priceSale({ lines, saleDiscount: { kind: 'percent', value: '7' } }, ctx);
    expect(pct.saleDiscount).toBe('1.60'); // 7 % of 22.82 = 1.5974
    expect(sum(pct.lines.map((l) => l.amount)).toFixed(2)).toBe(pct.total);
  });

  it('line discounts: percent, amount and price override', () => {
    const r = priceSale(
      {
        lines: [
          { ...lines[0]!, discount: { kind: 'percent', value: '10' } },
          { ...lines[1]!, discount: { kind: 'amount', value: '1.01' } },
          { ...lines[2]!, discount: { kind: 'price', value: '10.00' } },
        ],
      },
      ctx,
    );
    expect(r.lines.map((l) => l.lineDiscount)).toEqual(['1.00', '1.01', '1.27']); // 9.99×10 %; 1.01; 5.82 − 4.55
    expect(r.lines.map((l) => l.amount)).toEqual(['8.99', '6.00', '4.55']);
    expect(r.total).toBe('19.54');
    expect(Number(r.maxLineManualRate)).toBeCloseTo(1.27 / 5.82, 3);
  });

  it('rounding (抹零) to 0.1 or 1 yuan, down or half-up, allocated to lines', () => {
    expect(roundPayable('21.87', { unit: '0.1', mode: 'down' })).toBe('21.80');
    expect(roundPayable('21.87', { unit: '1', mode: 'down' })).toBe('21.00');
    expect(roundPayable('21.50', { unit: '1', mode: 'half_up' })).toBe('22.00');
    expect(roundPayable('21.45', { unit: '0.1', mode: 'half_up' })).toBe('21.50');
    const r = priceSale({ lines, rounding: { unit: '1', mode: 'down' } }, ctx);
    expect(r.total).toBe('22.00');
    expect(r.rounding).toBe('-0.82');
    expect(sum(r.lines.map((l) => l.amount)).toFixed(2)).toBe('22.00');
    expect(r.manualRate).toBe('0.0000'); // rounding is not a cashier's discount
  });

  it('strategies plug in before manual discounts (promotions, member prices)', () => {
    const tenPercentOnProduct2: PriceStrategy = {
      code: 'promo',
      apply: (ls) => ({
        lines: ls.filter((l) => l.productId === 2).map((l) => ({ key: l.key, amount: dec(l.net).times('0.1').toFixed(2) })),
      }),
    };
    const fiveOff: PriceStrategy = { code: 'coupon', apply: () => ({ sale: [{ amount: '5.00' }] }) };
    const r = priceSale({ lines, saleDiscount: { kind: 'percent', value: '10' } }, ctx, [tenPercentOnProduct2, fiveOff]);
    expect(r.strategyDiscount).toBe('5.70');
    expect(r.lines[1]?.adjustments[0]).toEqual({ source: 'strategy:promo', amount: '0.70' });
    // The manual 10 % applies to what the strategies left: 22.82 − 5.70 = 17.12 → 1.71
    expect(r.saleDiscount).toBe('1.71');
    expect(r.manualRate).toBe('0.0999');
    expect(sum(r.lines.map((l) => l.amount)).toFixed(2)).toBe(r.total);
  });

  it('refuses impossible discounts', () => {
    expect(() => priceSale({ lines: [{ ...lines[0]!, discount: { kind: 'percent', value: '120' } }] }, ctx)).toThrow(
      PricingError,
    );
    expect(() => priceSale({ lines: [{ ...lines[0]!, discount: { kind: 'amount', value: '10.00' } }] }, ctx)).toThrow(
      PricingError,
    );
    expect(() => priceSale({ lines, saleDiscount: { kind: 'amount', value: '30' } }, ctx)).toThrow(PricingError);
  });
});

describe('the money path rules (issue 9)', () => {
  const sale = {
    clientId: '5f0c1a3e-8d1b-4a51-9c53-0d8c1c1e2f10',
    receiptNo: 'S001-01-00000042',
    soldAt: '2026-03-01T10:00:00+08:00',
    lines: [{ productId: 7, qty: '2', unitPrice: '5.00' }],
    tenders: [{ method: 'cash', amount: '20' }],
    expectedTotal: '10.00',
  };

  it('a sale body has one fingerprint however its numbers and times are written; any change makes another', () => {
    const fp = saleFingerprint(sale);
    expect(
      saleFingerprint({
        ...sale,
        status: 'formal',
        soldAt: '2026-03-01T02:00:00.000Z',
        lines: [{ productId: 7, qty: '2.000', unitPrice: '5' }],
        tenders: [{ method: 'cash', amount: '20.00' }],
        expectedTotal: '10',
      }),
    ).toBe(fp);
    expect(saleFingerprint({ ...sale, lines: [{ productId: 7, qty: '3', unitPrice: '5.00' }] })).not.toBe(fp);
    expect(saleFingerprint({ ...sale, remarks: 'x' })).not.toBe(fp);
    expect(saleFingerprint({ ...sale, tenders: [{ method: 'cash', amount: '20', reference: 'R1' }] })).not.toBe(fp);
    // The raw fingerprint (a body that does not validate): exact content, key order and envelope aside.
    const raw = { b: 1, a: 'x\u0000', terminalId: 3 };
    expect(rawSaleFingerprint(raw)).toBe(rawSaleFingerprint({ a: 'x\u0000', b: 1, cashierId: 9 }));
    expect(rawSaleFingerprint(raw)).not.toBe(rawSaleFingerprint({ a: 'x', b: 1 }));
  });

  it('finds and shows the characters a database cannot keep, and names the field', () => {
    expect(unstorableTextPath({ lines: [{ barcode: 'ok' }], tenders: [{ reference: 'a\u0000b' }] })).toEqual([
      'tenders',
      0,
      'reference',
    ]);
    expect(unstorableTextPath({ remarks: 'lone \ud800 surrogate' })).toEqual(['remarks']);
    expect(unstorableTextPath({ remarks: '收银 😀 ok' })).toBeNull();
    expect(visibleText({ remarks: 'a\u0000b', n: 1, x: ['\udc00'] })).toEqual({ remarks: 'a\ufffdb', n: 1, x: ['\ufffd'] });
    expect(saleFieldName(['tenders', 0, 'reference'])).toEqual({ zh: '第 1 笔付款的参考号', en: 'tender 1 reference' });
    expect(saleFieldName(['lines', 2, 'barcode'])).toEqual({ zh: '第 3 行的条码', en: 'line 3 barcode' });
    expect(saleFieldName(['remarks'])).toEqual({ zh: '备注', en: 'remarks' });
  });

  it('cash a sale leaves in the drawer: cash tenders less change, change out of cash only', () => {
    expect(cashKept([{ method: 'cash', amount: '20' }], '13.50')).toBe('13.50');
    expect(
      cashKept(
        [
          { method: 'bank_card', amount: '10' },
          { method: 'cash', amount: '10' },
        ],
        '15.00',
      ),
    ).toBe('5.00');
    expect(cashKept([{ method: 'bank_card', amount: '15' }], '15.00')).toBe('0.00');
    expect(cashKept([{ method: 'cash', amount: '20' }], null)).toBe('20.00');
    expect(expectedCash({ float: '200', cashSales: '5', queuedCash: '10', cashRefunds: '0', paidOut: '0', paidIn: '0' })).toBe(
      '215.00',
    );
  });

  it('a sale is late when its own day has closed', () => {
    expect(isLateSale('2026-03-01', '2026-03-01')).toBe(true);
    expect(isLateSale('2026-03-02', '2026-03-01')).toBe(false);
    expect(isLateSale('2026-03-01', null)).toBe(false);
  });
});
