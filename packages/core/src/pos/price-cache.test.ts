import {
  asSystem,
  checkoutAtTill,
  expectLedgerMatchesBalances,
  expectRefusal,
  givePrices,
  saleCommand,
  usePosFixture,
} from '@erp/test-kit';
import { describe, expect, it } from 'vitest';
import { setPrices } from '../pricing/index.js';

const { database, chain, pos: f } = usePosFixture();

const sale = (productId: number, unitPrice?: string) =>
  saleCommand(f.till, [{ productId, qty: '1', ...(unitPrice ? { unitPrice } : {}) }], {
    tenders: [{ method: 'cash', amount: '100' }],
  });

describe("the checkout's price cache never outlives a price", () => {
  it('a price changed after the cache was filled: the old price is refused, the new one charged', async () => {
    const { apple, milk } = f.products;
    // Both products' prices are now cached for this till.
    expect((await checkoutAtTill(f.till, sale(apple, '5.00'))).total).toBe('5.00');
    expect((await checkoutAtTill(f.till, sale(milk, '3.50'))).total).toBe('3.50');
    // HQ changes both prices (another process: this one's cache is not told).
    await givePrices(database(), { [apple]: '6.00', [milk]: '4.00' });
    // The till has not synced yet and sends the old price: refused, as without a cache.
    const stale = await expectRefusal(checkoutAtTill(f.till, sale(apple, '5.00')), 'POS_PRICE_CHANGED');
    expect(stale.params).toMatchObject({ price: '6.00', tillPrice: '5.00' });
    // The synced till's new price is accepted (the cache still held the old one for milk), and a sale the
    // server prices is charged the new price.
    expect((await checkoutAtTill(f.till, sale(milk, '4.00'))).total).toBe('4.00');
    expect((await checkoutAtTill(f.till, sale(apple))).total).toBe('6.00');
    expect((await checkoutAtTill(f.till, sale(milk))).total).toBe('4.00');
    await expectLedgerMatchesBalances(database());
  });

  it('a store price and a scheduled price apply at their start, read from the cache', async () => {
    const { apple } = f.products;
    await asSystem(database().db, (ctx) =>
      setPrices(ctx, {
        effectiveFrom: new Date(Date.now() + 2_000).toISOString(),
        prices: [{ productId: apple, priceType: 'retail', price: '5.50', scope: 'store', storeId: chain.storeA.id }],
      }),
    );
    expect((await checkoutAtTill(f.till, sale(apple))).total).toBe('6.00'); // cached now, the store price not yet on
    await new Promise((r) => setTimeout(r, 2_200));
    expect((await checkoutAtTill(f.till, sale(apple))).total).toBe('5.50'); // no write in between: the cache applies it
    await expectLedgerMatchesBalances(database());
  });
});
