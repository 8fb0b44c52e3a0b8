import { dec } from '@erp/contracts';
import { asSystem, setPrices } from '@erp/core';
import { makeProduct, makePurchasingUsers, makeSupplier } from '@erp/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../testing.js';

const getApp = useTestApp();

beforeAll(async () => {
  const { database, chain } = getApp();
  await makePurchasingUsers(database, chain);
});

// The purchasing screens show the purchase price a new line takes when none is typed (GET purchase-prices).
describe('default purchase prices for the purchasing screens', () => {
  it('answers the price a new line takes: a store price before the company price; none → null', async () => {
    const { database, chain, call } = getApp();
    const { priced, unpriced } = await asSystem(database.db, async (ctx) => {
      const priced = await makeProduct(ctx, { prices: { purchase: '2.1000', retail: '3.50' } });
      const unpriced = await makeProduct(ctx);
      await setPrices(ctx, {
        prices: [{ productId: priced.id, priceType: 'purchase', scope: 'store', storeId: chain.storeA.id, price: '1.9500' }],
      });
      return { priced: priced.id, unpriced: unpriced.id };
    });
    const ask = (login: string, orgId: number) =>
      call(login, { method: 'GET', url: `/api/purchasing/purchase-prices?orgId=${orgId}&productIds=${priced},${unpriced}` });

    const dc = await ask('pur_dc_keeper', chain.dcId);
    expect(dc.statusCode).toBe(200);
    const four = (items: { productId: number; price: string | null }[]) =>
      items.map((i) => ({ productId: i.productId, price: i.price === null ? null : dec(i.price).toFixed(4) }));
    expect(four(dc.json().items)).toEqual([
      { productId: priced, price: '2.1000' },
      { productId: unpriced, price: null },
    ]);
    // Store A has its own purchase price; the same order line at the order's price matches what is shown.
    const store = await ask('pur_sa_keeper', chain.storeA.id);
    expect(four(store.json().items)[0]).toEqual({ productId: priced, price: '1.9500' });
    const order = await call('admin', {
      method: 'POST',
      url: '/api/purchase-orders',
      payload: {
        orgId: chain.storeA.id,
        warehouseId: chain.storeA.warehouseId,
        supplierId: await asSystem(database.db, (ctx) => makeSupplier(ctx, { code: 'PRICE-SUP', name: '进价测试供应商' })),
        lines: [{ productId: priced, qty: '2' }],
      },
    });
    expect(order.statusCode).toBe(201);
    expect(dec(order.json().lines[0].unitPrice).toFixed(4)).toBe('1.9500');
  });

  it('refuses an org outside scope and a malformed product list', async () => {
    const { chain, call } = getApp();
    const other = await call('pur_sa_keeper', {
      method: 'GET',
      url: `/api/purchasing/purchase-prices?orgId=${chain.dcId}&productIds=1`,
    });
    expect(other.statusCode).toBe(404);
    const bad = await call('pur_dc_keeper', {
      method: 'GET',
      url: `/api/purchasing/purchase-prices?orgId=${chain.dcId}&productIds=1;2`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toContain('productIds');
  });
});
