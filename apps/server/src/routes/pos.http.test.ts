import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { calendarDay } from '@erp/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../testing.js';
import { httpTill, readyStoreAForTill } from './pos.testing.js';

/** The till's API end to end over HTTP: pairing, sign-in on the till, shift, sales, payments, upload, close. */
const getApp = useTestApp();

const { creds, request: till } = httpTill(getApp);
let terminalId = 0;
let shiftId = '';
let nextNo = 1;
const receipt = () => `SA-HTTP-${String(nextNo++).padStart(8, '0')}`;

beforeAll(async () => {
  await readyStoreAForTill(getApp(), '50');
});

describe('the till over HTTP', () => {
  it('registers a till, pairs the device once, signs the cashier in on it', async () => {
    const { call, chain } = getApp();
    const created = await call('sa_admin', {
      method: 'POST',
      url: '/api/pos/terminals',
      payload: { storeId: chain.storeA.id, code: 'SA-HTTP', name: '1号收银机' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { pairingCode, id } = created.json();
    terminalId = id;
    const pair = await getApp().app.inject({
      method: 'POST',
      url: '/api/pos/terminal/pair',
      payload: { code: pairingCode, deviceName: 'Chrome on till 1' },
    });
    expect(pair.statusCode, pair.body).toBe(200);
    creds.terminalToken = pair.json().terminalToken;
    expect(pair.json().receiptBlock.firstReceiptNo).toBe('SA-HTTP-00000001');
    const again = await getApp().app.inject({ method: 'POST', url: '/api/pos/terminal/pair', payload: { code: pairingCode } });
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('POS_PAIRING_CODE_INVALID');

    const signIn = await getApp().app.inject({
      method: 'POST',
      url: '/api/pos/till/sign-in',
      payload: { login: 'sa_cashier', pin: '284613' },
      headers: { 'x-terminal-token': creds.terminalToken },
    });
    expect(signIn.statusCode, signIn.body).toBe(200);
    creds.tillToken = signIn.json().token;
    expect(signIn.json()).toMatchObject({ store: { id: chain.storeA.id }, pendingSales: [], openShift: null });
  });

  it('a wrong PIN is counted even though the request fails: five and the cashier is locked', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await getApp().app.inject({
        method: 'POST',
        url: '/api/pos/till/sign-in',
        payload: { login: 'sa_admin', pin: '000003', terminalToken: creds.terminalToken },
      });
      expect(r.statusCode).toBe(401);
      expect(r.json().code).toBe('POS_PIN_INVALID');
    }
    const locked = await getApp().app.inject({
      method: 'POST',
      url: '/api/pos/till/sign-in',
      payload: { login: 'sa_admin', pin: '000003', terminalToken: creds.terminalToken },
    });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().messages['zh-CN']).toContain('已锁定');
    await getApp().database.db.updateTable('pos_cashier').set({ locked_until: null, failed_pins: 0 }).execute();
  });

  it('opens a shift and sells; a replay of the same sale returns it; without the till token nothing works', async () => {
    const { chain } = getApp();
    shiftId = randomUUID();
    const shift = await till('POST', '/api/pos/shifts', { id: shiftId, float: '200' });
    expect(shift.statusCode, shift.body).toBe(200);
    const sale = {
      clientId: randomUUID(),
      receiptNo: receipt(),
      shiftId,
      lines: [
        { productId: chain.products.apple, qty: '2', unitPrice: '5.00', barcode: '2000001' },
        { productId: chain.products.milk, qty: '1' },
      ],
      tenders: [
        { method: 'bank_card', amount: '10', reference: 'T123' },
        { method: 'cash', amount: '5' },
      ],
      expectedTotal: '13.50',
    };
    const r = await till('POST', '/api/pos/sales', sale);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'formal', total: '13.50', change: '1.50', replayed: false });
    const replay = await till('POST', '/api/pos/sales', sale);
    expect(replay.json()).toMatchObject({ id: r.json().id, replayed: true });
    const noToken = await till(
      'POST',
      '/api/pos/sales',
      { ...sale, clientId: randomUUID(), receiptNo: receipt() },
      { 'x-terminal-token': 'x'.repeat(43) },
    );
    expect(noToken.statusCode).toBe(401);
    expect(noToken.json().code).toBe('POS_TERMINAL_TOKEN_INVALID');
    const asBackOffice = await getApp().call('sa_cashier', {
      method: 'POST',
      url: '/api/pos/sales',
      payload: { ...sale, clientId: randomUUID() },
    });
    expect(asBackOffice.statusCode).toBe(403);
    expect(asBackOffice.json().code).toBe('POS_TILL_SESSION_REQUIRED');
    const printed = await till('GET', `/api/pos/sales/${r.json().id}/receipt?width=58`);
    expect(printed.statusCode).toBe(200);
    expect(printed.json().qr).toBe(sale.receiptNo);
  });

  it('mobile payment in two steps over HTTP; a timeout is settled by asking again', async () => {
    const { chain } = getApp();
    const clientId = randomUUID();
    const intentId = randomUUID();
    const slow = await till('POST', '/api/pos/payments', {
      intentId,
      clientSaleId: clientId,
      amount: '5.00',
      authCode: '288888880000000003',
    });
    expect(slow.statusCode, slow.body).toBe(200);
    expect(slow.json().status).toBe('unknown');
    const early = await till('POST', '/api/pos/sales', {
      clientId,
      receiptNo: receipt(),
      shiftId,
      lines: [{ productId: chain.products.apple, qty: '1' }],
      tenders: [{ method: 'mobile', amount: '5', paymentIntentId: intentId }],
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('POS_PAYMENT_NOT_SETTLED');
    await till('POST', `/api/pos/payments/${intentId}/query`);
    const settled = await till('POST', `/api/pos/payments/${intentId}/query`);
    expect(settled.json().status).toBe('succeeded');
    const sale = await till('POST', '/api/pos/sales', {
      clientId,
      receiptNo: receipt(),
      shiftId,
      lines: [{ productId: chain.products.apple, qty: '1' }],
      tenders: [{ method: 'mobile', amount: '5', paymentIntentId: intentId }],
    });
    expect(sale.statusCode, sale.body).toBe(200);
  });

  it('a supervisor authorises a discount at the till; a wrong supervisor PIN fails and is audited', async () => {
    const { chain } = getApp();
    const wrong = await till('POST', '/api/pos/authorizations', { login: 'sa_admin', pin: '111119', purpose: 'discount' });
    expect(wrong.statusCode).toBe(401);
    const failures = await getApp()
      .database.db.selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'pos.authorization_failed')
      .execute();
    expect(failures.length).toBe(1); // committed although the request failed
    const limits = await getApp().call('admin', {
      method: 'PUT',
      url: `/api/pos/cashiers/${chain.users.storeAAdmin}`,
      payload: { maxDiscountRate: '40' },
    });
    expect(limits.statusCode).toBe(200);
    const clientId = randomUUID();
    const auth = await till('POST', '/api/pos/authorizations', {
      login: 'sa_admin',
      pin: '731904',
      purpose: 'discount',
      clientSaleId: clientId,
      maxDiscountRate: '20',
    });
    expect(auth.statusCode, auth.body).toBe(200);
    const sale = await till('POST', '/api/pos/sales', {
      clientId,
      receiptNo: receipt(),
      shiftId,
      lines: [{ productId: chain.products.apple, qty: '2' }],
      saleDiscount: { kind: 'percent', value: '20' },
      authorizationId: auth.json().id,
      tenders: [{ method: 'cash', amount: '8' }],
    });
    expect(sale.statusCode, sale.body).toBe(200);
    expect(sale.json().total).toBe('8.00');
  });

  it('syncs, uploads an outbox twice (each sale once), and cannot reach store B', async () => {
    const { chain } = getApp();
    const s = await till('GET', '/api/pos/sync?limit=1000');
    expect(s.statusCode, s.body).toBe(200);
    expect(s.json().cashiers.some((c: { login: string }) => c.login === 'sa_cashier')).toBe(true);
    const delta = await till('GET', `/api/pos/sync?cursor=${s.json().cursor}`);
    expect(delta.json().products).toEqual([]);
    // A browser accepts gzip: a large page comes compressed and decodes to the same page.
    const zipped = await till('GET', '/api/pos/sync?limit=1000', undefined, { 'accept-encoding': 'gzip, deflate, br' });
    const plain = s.json();
    expect(s.rawPayload.length).toBeGreaterThanOrEqual(1024);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.rawPayload.length).toBeLessThan(s.rawPayload.length);
    const unzipped = JSON.parse(
      (zipped.headers['content-encoding'] ? gunzipSync(zipped.rawPayload) : zipped.rawPayload).toString(),
    );
    expect({ ...unzipped, cursor: '' }).toEqual({ ...plain, cursor: '' });
    const outbox = {
      sales: [1, 2].map(() => ({
        clientId: randomUUID(),
        receiptNo: receipt(),
        soldAt: new Date().toISOString(),
        terminalId,
        cashierId: chain.users.storeACashier,
        shiftId,
        lines: [{ productId: chain.products.milk, qty: '1', unitPrice: '3.50' }],
        tenders: [{ method: 'cash', amount: '3.5' }],
      })),
    };
    const u1 = await till('POST', '/api/pos/uploads', outbox);
    expect(u1.statusCode, u1.body).toBe(200);
    expect(u1.json()).toMatchObject({ accepted: 2, duplicate: 0, queued: 0 });
    const u2 = await till('POST', '/api/pos/uploads', outbox);
    expect(u2.json()).toMatchObject({ accepted: 0, duplicate: 2, queued: 0 });
    const n = await getApp()
      .database.db.selectFrom('pos_sale')
      .select('id')
      .where(
        'client_id',
        'in',
        outbox.sales.map((x) => x.clientId),
      )
      .execute();
    expect(n.length).toBe(2);
    const foreign = await till('POST', '/api/pos/sales/cleanup', { storeId: chain.storeB.id });
    expect([403, 404]).toContain(foreign.statusCode);
  });

  it('hands over, closes the day through the API and exports the journal', async () => {
    const { call, chain } = getApp();
    const handover = await till('POST', '/api/pos/shifts/current/handover', { deposit: '215.00' });
    expect(handover.statusCode, handover.body).toBe(200);
    expect(handover.json().shift.status).toBe('handed_over');
    const status = await call('sa_admin', { method: 'GET', url: `/api/pos/days/status?storeId=${chain.storeA.id}` });
    expect(status.json().closableDay).toBe(calendarDay());
    const closed = await call('sa_admin', {
      method: 'POST',
      url: '/api/pos/days/close',
      payload: { storeId: chain.storeA.id, day: calendarDay() },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().sales.count).toBe(5);
    const ex = await call('sa_admin', { method: 'GET', url: `/api/pos/journal/export?storeId=${chain.storeA.id}` });
    expect(ex.statusCode).toBe(200);
    expect(ex.headers['content-type']).toContain('spreadsheetml');
  });
});
