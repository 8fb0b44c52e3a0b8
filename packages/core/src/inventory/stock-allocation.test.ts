import { dec } from '@erp/contracts';
import { describe, expect, it } from 'vitest';
import { type BalanceState, pickStock, settleDebts } from './stock-allocation.js';

const at = (iso: string) => Date.parse(iso);
const row = (
  lotNo: string,
  qty: string,
  expiryDate: string | null,
  received = '2026-01-01',
  extra: Partial<BalanceState> = {},
) => ({
  batchNo: '',
  lotNo,
  shelfId: 0,
  status: 'sellable' as const,
  qty: dec(qty),
  expiryDate,
  receivedAt: at(received),
  ...extra,
});
const req = (qty: string, extra: Partial<Parameters<typeof pickStock>[1]> = {}) => ({
  status: 'sellable' as const,
  batchNo: null,
  lotNo: null,
  shelfId: null,
  qty: dec(qty),
  ...extra,
});
const taken = (r: ReturnType<typeof pickStock>) => r.picks.map((p) => [p.state.lotNo, p.qty.toFixed()]);

describe('pickStock (FEFO)', () => {
  it('takes the earliest expiry first, then the oldest arrival, stock without expiry last', () => {
    const b = [
      row('', '5', null, '2025-01-01'),
      row('L2', '3', '2027-03-01', '2026-02-01'),
      row('L1', '2', '2027-01-01', '2026-03-01'),
      row('L3', '4', '2027-03-01', '2026-01-15'),
    ];
    const r = pickStock(b, req('10'));
    expect(taken(r)).toEqual([
      ['L1', '2'],
      ['L3', '4'],
      ['L2', '3'],
      ['', '1'],
    ]);
    expect(r.short.toFixed()).toBe('0');
    expect(b.map((x) => x.qty.toFixed())).toEqual(['4', '0', '0', '0']);
  });

  it('a named lot, batch or shelf is a filter; what it lacks is short, with what was available', () => {
    const b = [
      row('L1', '2', '2027-01-01'),
      row('L2', '9', '2027-02-01'),
      row('L2', '1', '2027-02-01', '2026-01-01', { shelfId: 7 }),
    ];
    const r = pickStock(b, req('5', { lotNo: 'L2', shelfId: 7 }));
    expect(taken(r)).toEqual([['L2', '1']]);
    expect([r.short.toFixed(), r.available.toFixed()]).toEqual(['4', '1']);
  });

  it('a preferred lot (scanned GS1) goes first, the rest by FEFO', () => {
    const b = [row('L1', '2', '2027-01-01'), row('L2', '2', '2027-06-01')];
    expect(taken(pickStock(b, req('3', { preferLotNo: 'L2' })))).toEqual([
      ['L2', '2'],
      ['L1', '1'],
    ]);
  });

  it('for a sale, expired lots come only after every other one and are marked; without the policy they are plain FEFO', () => {
    const policy = { expiredBefore: '2026-12-07', expiredLast: true };
    const expired = () => [row('OLD', '2', '2026-12-01'), row('NEW', '2', '2027-06-01')];
    const sale = pickStock(expired(), req('3'), policy);
    expect(sale.picks.map((p) => [p.state.lotNo, p.qty.toFixed(), p.expired])).toEqual([
      ['NEW', '2', false],
      ['OLD', '1', true],
    ]);
    expect(taken(pickStock(expired(), req('3')))).toEqual([
      ['OLD', '2'],
      ['NEW', '1'],
    ]);
  });

  it('an open request takes at most the net stock of its status: a key below zero (stock debt) counts against it', () => {
    const b = [row('', '-2', null), row('L1', '10', '2027-01-01'), row('L9', '5', null, '2026-01-01', { status: 'unsellable' })];
    const r = pickStock(b, req('10'));
    expect(r.available.toFixed()).toBe('8');
    expect(taken(r)).toEqual([['L1', '8']]);
    expect(r.short.toFixed()).toBe('2');
  });

  it('nothing on hand: all of it short, nothing taken', () => {
    const r = pickStock([row('', '-1', null)], req('1.5'));
    expect([r.picks.length, r.short.toFixed(), r.available.toFixed()]).toEqual([0, '1.5', '0']);
  });
});

describe('settleDebts', () => {
  it('moves arriving stock onto keys below zero of the same status, up to what arrived', () => {
    const debt = row('', '-3', null);
    const other = row('', '-1', null, '2026-01-01', { status: 'unsellable' });
    const into = row('L5', '2', '2027-01-01');
    const list = [debt, other, into];
    const s = settleDebts(list, into, dec(2));
    expect(s.map((x) => [x.to.lotNo, x.qty.toFixed()])).toEqual([['', '2']]);
    expect(list.map((x) => x.qty.toFixed())).toEqual(['-1', '-1', '0']);
  });
});
