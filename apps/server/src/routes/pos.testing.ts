import { givePrices, giveStock, SUPERVISOR_PIN, TEST_PIN } from '@erp/test-kit';
import { expect } from 'vitest';
import type { TestApp } from '../testing.js';

/**
 * Store A ready to sell through the API: retail prices (apple 5.00, milk 3.50), `qty` of each in stock, and
 * the till PINs of its cashier and manager, set through the back-office route as a store manager would.
 */
export async function readyStoreAForTill(app: TestApp, qty: string): Promise<void> {
  const { database, chain, call } = app;
  await givePrices(database, { [chain.products.apple]: '5.00', [chain.products.milk]: '3.50' });
  await giveStock(database, chain.storeA.id, chain.storeA.warehouseId, [
    { productId: chain.products.apple, qty, unitCost: '3.00' },
    { productId: chain.products.milk, qty, unitCost: '2.00' },
  ]);
  for (const [id, pin] of [
    [chain.users.storeACashier, TEST_PIN],
    [chain.users.storeAAdmin, SUPERVISOR_PIN],
  ] as const) {
    const r = await call('admin', { method: 'PUT', url: `/api/pos/cashiers/${id}`, payload: { pin } });
    expect(r.statusCode, r.body).toBe(200);
  }
}

/**
 * A till over HTTP: `request` sends the cashier's till session and the till's own token, which the test
 * puts into `creds` once it has paired the device and signed the cashier in.
 */
export function httpTill(getApp: () => TestApp) {
  const creds = { terminalToken: '', tillToken: '' };
  const request = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers: Record<string, string> = {}) =>
    getApp().app.inject({
      method,
      url,
      ...(payload ? { payload } : {}),
      headers: { authorization: `Bearer ${creds.tillToken}`, 'x-terminal-token': creds.terminalToken, ...headers },
    });
  return { creds, request };
}
