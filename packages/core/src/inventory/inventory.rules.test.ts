import { dec } from '@erp/contracts';
import { describe, expect, it } from 'vitest';
import { applyInbound, applyOutbound } from './inventory.rules.js';

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
