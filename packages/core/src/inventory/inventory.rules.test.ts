import { dec } from '@erp/contracts';
import { describe, expect, it } from 'vitest';
import {
  applyInbound,
  applyOutbound,
  autoUnitCost,
  bookAtCount,
  daysUntil,
  resolveCostMode,
  sameStockKey,
  splitIntoChunks,
  targetKey,
  varianceOf,
  varianceTotals,
} from './inventory.rules.js';

describe('moving-average cost', () => {
  it('averages inbound cost by quantity, to four places', () => {
    let s = { qty: dec(0), avgCost: dec(0) };
    s = applyInbound(s, '3', '10');
    s = applyInbound(s, '7', '11.33');
    // (30 + 79.31) / 10 = 10.931
    expect(s.avgCost.toFixed(4)).toBe('10.9310');
    s = applyInbound(s, '3', '9.99');
    // (109.31 + 29.97) / 13 = 10.713846… → 10.7138
    expect(s.avgCost.toFixed(4)).toBe('10.7138');
  });

  it('keeps the average on outbound at average cost', () => {
    const s = applyOutbound({ qty: dec(10), avgCost: dec('4.5') }, '4', '4.5');
    expect(s.qty.toFixed()).toBe('6');
    expect(s.avgCost.toFixed(4)).toBe('4.5000');
  });

  it('restarts the average from the inbound cost when stock was zero or negative', () => {
    expect(applyInbound({ qty: dec(-2), avgCost: dec('9') }, '5', '3').avgCost.toFixed(4)).toBe('3.0000');
    expect(applyInbound({ qty: dec(0), avgCost: dec('9') }, '5', '3').avgCost.toFixed(4)).toBe('3.0000');
  });
});

describe('inventory rules (INV-4, INV-5, INV-6)', () => {
  const source = { warehouseId: 1, productId: 2, batchNo: 'B1', lotNo: 'L1', shelfId: 5, status: 'sellable' as const };

  it('a target key replaces only the changed fields; a null shelf means no shelf', () => {
    expect(targetKey(source, { stockStatus: 'unsellable' })).toEqual({ ...source, status: 'unsellable' });
    expect(targetKey(source, { shelfId: null, batchNo: 'B2' })).toEqual({ ...source, shelfId: 0, batchNo: 'B2' });
    expect(targetKey(source, { warehouseId: 9 })).toEqual({ ...source, warehouseId: 9 });
    expect(sameStockKey(source, targetKey(source, {}))).toBe(true);
    expect(sameStockKey(source, targetKey(source, { lotNo: 'L2' }))).toBe(false);
  });

  it('resolves the cost mode line over header over automatic, and the automatic cost batch over average', () => {
    expect(resolveCostMode(undefined, undefined)).toBe('auto');
    expect(resolveCostMode('manual', undefined)).toBe('manual');
    expect(resolveCostMode('manual', 'auto')).toBe('auto');
    expect(autoUnitCost('7.25', '3').toFixed(4)).toBe('7.2500');
    expect(autoUnitCost(null, '3.1').toFixed(4)).toBe('3.1000');
    expect(autoUnitCost(undefined, undefined).toFixed(4)).toBe('0.0000');
  });

  it('the book at count adds the moves since the snapshot; variance is counted minus that book', () => {
    // Snapshot 20, sold 5 and received 4 while counting: book 19; 17 counted → 2 short.
    const book = bookAtCount('20', '-1');
    expect(book.toFixed(3)).toBe('19.000');
    expect(varianceOf('17', book).toFixed(3)).toBe('-2.000');
    expect(varianceOf('7', bookAtCount('10', '-3')).isZero()).toBe(true);
  });

  it('sums surplus and shortage apart, exactly', () => {
    const t = varianceTotals([
      { varianceQty: '2.5', varianceAmount: '7.50' },
      { varianceQty: '-0.1', varianceAmount: '-0.10' },
      { varianceQty: '-0.2', varianceAmount: '-0.20' },
      { varianceQty: '0', varianceAmount: '0' },
    ]);
    expect(t).toEqual({
      surplusQty: '2.500',
      surplusAmount: '7.50',
      shortageQty: '0.300',
      shortageAmount: '0.30',
      surplusLines: 1,
      shortageLines: 2,
    });
  });

  it('counts days to expiry across month ends, negative once expired', () => {
    expect(daysUntil('2026-03-01', '2026-02-27')).toBe(2);
    expect(daysUntil('2026-01-31', '2026-02-02')).toBe(-2);
    expect(splitIntoChunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
