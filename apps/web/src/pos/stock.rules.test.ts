import { dec } from '@erp/contracts';
import { describe, expect, it } from 'vitest';
import type { LocalStock } from './db';
import { committedQty, offlineShortages, onlineShortages, shortageText, stockNeeds } from './stock.rules';

const water = { productId: 1, name: '农夫山泉 550ml' };
const milk = { productId: 2, name: '伊利纯牛奶 250ml' };

describe('no selling below zero, before payment', () => {
  it('adds up the cart per product and lot', () => {
    const needs = stockNeeds([
      { ...water, qty: '1.000' },
      { ...milk, qty: '2.000', lotNo: 'L1' },
      { ...water, qty: '2.000' },
      { ...milk, qty: '1.000' },
    ]);
    expect(needs).toEqual([
      { ...water, qty: '3.000' },
      { ...milk, qty: '2.000', lotNo: 'L1' },
      { ...milk, qty: '1.000' },
    ]);
  });

  it("online: the server's short lines block, with what is available and the expired stock apart", () => {
    const needs = stockNeeds([
      { ...water, qty: '3' },
      { ...milk, qty: '1' },
    ]);
    const short = onlineShortages(needs, {
      negativeAllowed: false,
      sellExpired: false,
      lines: [
        { productId: 1, requested: '3.000', available: '1.000', expired: '2.000', short: true },
        { productId: 2, requested: '1.000', available: '5.000', expired: '0', short: false },
      ],
    });
    expect(short).toEqual([{ productId: 1, name: water.name, requested: '3', available: '1', expired: '2' }]);
    expect(shortageText(short[0]!, 'online', 'zh-CN')).toBe('农夫山泉 550ml：需要 3，可用 1；另有 2 件已过期，不可销售');
    expect(shortageText(short[0]!, 'online', 'en')).toBe(
      '农夫山泉 550ml: 3 wanted, 1 available; 2 more are expired and may not be sold',
    );
  });

  it('offline: the synced copy less what was sold since warns; a product without a row has none', () => {
    const stock = new Map<number, LocalStock>([[1, { productId: 1, available: '5', expired: '0' }]]);
    const needs = stockNeeds([
      { ...water, qty: '2' },
      { ...milk, qty: '1' },
    ]);
    const soldSince = committedQty([{ payload: { lines: [{ productId: 1, qty: '4.000', unitPrice: '2.00' }] } } as never]);
    const short = offlineShortages(needs, stock, soldSince, { negativeAllowed: false });
    expect(short.map((s) => [s.productId, s.available])).toEqual([
      [1, '1'],
      [2, '0'],
    ]);
    expect(shortageText(short[1]!, 'offline', 'zh-CN')).toBe(
      '按上次同步的库存，伊利纯牛奶 250ml 不足（可用 0）— 继续销售将记为负库存，由店长处理',
    );
    // Enough once nothing was sold since the copy.
    expect(offlineShortages(stockNeeds([{ ...water, qty: '5' }]), stock, new Map(), { negativeAllowed: false })).toEqual([]);
  });

  it('offline: no rule when the store allows negative stock or the server does not say', () => {
    const needs = stockNeeds([{ ...water, qty: '9' }]);
    expect(offlineShortages(needs, new Map(), new Map(), { negativeAllowed: true })).toEqual([]);
    expect(offlineShortages(needs, new Map(), new Map(), {})).toEqual([]);
  });

  it('offline: expired stock counts only where the store sells it', () => {
    const stock = new Map<number, LocalStock>([[1, { productId: 1, available: '1', expired: '3' }]]);
    const needs = stockNeeds([{ ...water, qty: '3' }]);
    expect(offlineShortages(needs, stock, new Map(), { negativeAllowed: false, sellExpired: true })).toEqual([]);
    const short = offlineShortages(needs, stock, new Map(), { negativeAllowed: false, sellExpired: false });
    expect(short[0]).toMatchObject({ available: '1', expired: '3' });
    expect(committedQty([]).get(1) ?? dec(0)).toEqual(dec(0));
  });
});
