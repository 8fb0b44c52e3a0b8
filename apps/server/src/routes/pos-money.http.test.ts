import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../testing.js';
import { httpTill, readyStoreAForTill } from './pos.testing.js';

/**
 * The store's money path over HTTP (issue 9): the checkout and the payments honour Idempotency-Key like every
 * write, a sale client id means one sale, and one bad sale in an upload batch never blocks the others.
 */
const getApp = useTestApp();

const { creds, request: till } = httpTill(getApp);
let terminalId = 0;
let shiftId = '';
let prefix = '';
let nextNo = 1;
const receipt = () => `${prefix}${String(nextNo++).padStart(8, '0')}`;

const key = () => `key-${randomUUID()}`;
const countRows = async (table: 'pos_sale' | 'idempotency_record', column: 'client_id' | 'key', value: string) =>
  (
    await getApp()
      .database.db.selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(column as never, '=', value as never)
      .executeTakeFirstOrThrow()
  ).n;

beforeAll(async () => {
  await readyStoreAForTill(getApp(), '500');
  const { chain, call } = getApp();
  const created = await call('sa_admin', {
    method: 'POST',
    url: '/api/pos/terminals',
    payload: { storeId: chain.storeA.id, code: 'SA-MONEY', name: '3号收银机' },
  });
  expect(created.statusCode, created.body).toBe(201);
  terminalId = created.json().id;
  prefix = created.json().receiptPrefix;
  const pair = await getApp().app.inject({
    method: 'POST',
    url: '/api/pos/terminal/pair',
    payload: { code: created.json().pairingCode },
  });
  creds.terminalToken = pair.json().terminalToken;
  const signIn = await getApp().app.inject({
    method: 'POST',
    url: '/api/pos/till/sign-in',
    payload: { login: 'sa_cashier', pin: '284613' },
    headers: { 'x-terminal-token': creds.terminalToken },
  });
  expect(signIn.statusCode, signIn.body).toBe(200);
  creds.tillToken = signIn.json().token;
  shiftId = randomUUID();
  const shift = await till('POST', '/api/pos/shifts', { id: shiftId, float: '200' });
  expect(shift.statusCode, shift.body).toBe(200);
});

describe('keys mean one thing', () => {
  it('the checkout honours Idempotency-Key: a replay answers the first response; another body under the key is refused', async () => {
    const { chain } = getApp();
    const sale = {
      clientId: randomUUID(),
      receiptNo: receipt(),
      shiftId,
      lines: [{ productId: chain.products.apple, qty: '2', unitPrice: '5.00' }],
      tenders: [{ method: 'cash', amount: '20' }],
      expectedTotal: '10.00',
    };
    const k = key();
    const first = await till('POST', '/api/pos/sales', sale, { 'idempotency-key': k });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ replayed: false, total: '10.00', change: '10.00' });
    // The fast path kept the answer with the sale, in its one write.
    const record = await getApp()
      .database.db.selectFrom('idempotency_record')
      .selectAll()
      .where('key', '=', k)
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({ status_code: 200, response: expect.objectContaining({ id: first.json().id }) });

    const replay = await till('POST', '/api/pos/sales', sale, { 'idempotency-key': k });
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());

    const otherBody = await till('POST', '/api/pos/sales', { ...sale, remarks: '改了' }, { 'idempotency-key': k });
    expect(otherBody.statusCode).toBe(422);
    expect(otherBody.json().code).toBe('IDEMPOTENCY_KEY_REUSED');

    // Under a new key: the same sale answers the stored sale; another sale under its client id is refused.
    const again = await till('POST', '/api/pos/sales', sale, { 'idempotency-key': key() });
    expect(again.json()).toMatchObject({ id: first.json().id, replayed: true });
    const reused = await till(
      'POST',
      '/api/pos/sales',
      { ...sale, lines: [{ productId: chain.products.milk, qty: '1' }], tenders: [{ method: 'cash', amount: '5' }] },
      { 'idempotency-key': key() },
    );
    expect(reused.statusCode).toBe(409);
    expect(reused.json()).toMatchObject({ code: 'POS_CLIENT_ID_REUSED' });
    expect(reused.json().messages['zh-CN']).toContain(sale.receiptNo);
    expect(await countRows('pos_sale', 'client_id', sale.clientId)).toBe(1);
  });

  it('the full path (a held sale) claims the key and stores its answer the same way', async () => {
    const { chain } = getApp();
    const held = {
      clientId: randomUUID(),
      receiptNo: receipt(),
      status: 'held',
      lines: [{ productId: chain.products.milk, qty: '1' }],
    };
    const k = key();
    const first = await till('POST', '/api/pos/sales', held, { 'idempotency-key': k });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().status).toBe('held');
    const replay = await till('POST', '/api/pos/sales', held, { 'idempotency-key': k });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    expect(await countRows('idempotency_record', 'key', k)).toBe(1);
  });

  it('a mobile payment honours Idempotency-Key: the replay answers the first outcome and charges nothing again', async () => {
    const body = { intentId: randomUUID(), clientSaleId: randomUUID(), amount: '5.00', authCode: '134567890123456789' };
    const k = key();
    const first = await till('POST', '/api/pos/payments', body, { 'idempotency-key': k });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().status).toBe('succeeded');
    const replay = await till('POST', '/api/pos/payments', body, { 'idempotency-key': k });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    const intent = await getApp()
      .database.db.selectFrom('pos_payment_intent')
      .select(['attempts', 'status'])
      .where('id', '=', body.intentId)
      .executeTakeFirstOrThrow();
    expect(intent).toEqual({ attempts: 1, status: 'succeeded' });
    const other = await till('POST', '/api/pos/payments', { ...body, amount: '6.00' }, { 'idempotency-key': k });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('one bad sale never blocks the others', () => {
  it('a batch of 50 offline sales, one with a NUL in a tender reference: 49 booked, 1 queued with its reason, booked once fixed', async () => {
    const { chain, call } = getApp();
    const sales = Array.from({ length: 50 }, (_, i) => ({
      clientId: randomUUID(),
      receiptNo: receipt(),
      soldAt: new Date(Date.now() - 60_000 * (50 - i)).toISOString(),
      terminalId,
      cashierId: chain.users.storeACashier,
      shiftId,
      lines: [{ productId: chain.products.milk, qty: '1', unitPrice: '3.50' }],
      tenders: [{ method: 'bank_card', amount: '3.50', reference: i === 17 ? 'POS\u000012' : `POS-${i}` }],
      expectedTotal: '3.50',
    }));
    const k = key();
    const r = await till('POST', '/api/pos/uploads', { sales }, { 'idempotency-key': k });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ accepted: 49, duplicate: 0, queued: 1 });
    const bad = r.json().results[17];
    expect(bad).toMatchObject({
      clientId: sales[17]?.clientId,
      result: 'queued',
      error: { code: 'POS_UPLOAD_INVALID', params: { field: 'tenders.0.reference' } },
    });
    expect(bad.error.messages['zh-CN']).toContain('第 1 笔付款的参考号');
    expect(bad.error.messages.en).toContain('tender 1 reference');
    // The answer was stored for the key (no NUL reaches jsonb): a retry of the batch gets it back.
    const replay = await till('POST', '/api/pos/uploads', { sales }, { 'idempotency-key': k });
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(r.json());

    // A supervisor sees the character, fixes the text through the API and retries: booked.
    const shown = await call('sa_admin', { method: 'GET', url: `/api/pos/upload-errors/${bad.errorId}` });
    expect(shown.statusCode).toBe(200);
    expect(shown.json().payload.tenders[0].reference).toBe('POS\ufffd12');
    const edit = await call('sa_admin', {
      method: 'PUT',
      url: `/api/pos/upload-errors/${bad.errorId}`,
      payload: { tenders: [{ method: 'bank_card', amount: '3.50', reference: 'POS-17' }] },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const retry = await call('sa_admin', { method: 'POST', url: `/api/pos/upload-errors/${bad.errorId}/retry` });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toMatchObject({ result: { result: 'accepted' }, error: { status: 'resolved' } });
    const tender = await getApp()
      .database.db.selectFrom('pos_sale_tender as t')
      .innerJoin('pos_sale as s', 's.id', 't.sale_id')
      .select('t.reference')
      .where('s.client_id', '=', sales[17]?.clientId as string)
      .executeTakeFirstOrThrow();
    expect(tender.reference).toBe('POS-17');

    // The till sends the whole outbox again (a new key): every sale is there exactly once.
    const again = await till('POST', '/api/pos/uploads', { sales }, { 'idempotency-key': key() });
    expect(again.json()).toMatchObject({ accepted: 0, duplicate: 50, queued: 0 });
  });
});

describe('stock for the till', () => {
  it('the stock check is a read: it answers without keeping an idempotency record', async () => {
    const { chain } = getApp();
    const k = key();
    const r = await till(
      'POST',
      '/api/pos/till/stock-check',
      { lines: [{ productId: chain.products.apple, qty: '1' }] },
      { 'idempotency-key': k },
    );
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ negativeAllowed: false, sellExpired: false, lines: [{ short: false }] });
    expect(await countRows('idempotency_record', 'key', k)).toBe(0);
  });
});
