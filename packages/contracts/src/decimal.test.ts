import { describe, expect, it } from 'vitest';
import { allocate, dec, money, sum } from './decimal.js';

describe('allocate (largest remainder)', () => {
  it('splits a discount over lines so the parts sum exactly to the total', () => {
    const parts = allocate('10.00', ['3', '3', '3']);
    expect(parts).toEqual(['3.34', '3.33', '3.33']);
    expect(sum(parts).toFixed(2)).toBe('10.00');
  });

  it('is proportional to the weights', () => {
    expect(allocate('5.00', ['19.90', '9.95', '0.15'])).toEqual(['3.32', '1.66', '0.02']);
  });

  it('handles negative totals and zero weights', () => {
    expect(allocate('-1.00', ['1', '1', '1'])).toEqual(['-0.34', '-0.33', '-0.33']);
    expect(allocate('0.03', ['0', '0'])).toEqual(['0.02', '0.01']);
  });

  it('always sums exactly, over many random cases', () => {
    let seed = 7;
    const r = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 2000; i++) {
      const total = dec(Math.floor(r() * 1_000_000))
        .dividedBy(100)
        .toFixed(2);
      const weights = Array.from({ length: 1 + Math.floor(r() * 12) }, () =>
        dec(Math.floor(r() * 100_000))
          .dividedBy(100)
          .toFixed(2),
      );
      expect(sum(allocate(total, weights)).toFixed(2)).toBe(total);
    }
  });

  it('rounds money half up, never through floats', () => {
    expect(money('2.675')).toBe('2.68');
    expect(money(dec('0.1').plus('0.2'))).toBe('0.30');
  });
});
