import { expectLedgerMatchesBalances } from '@erp/test-kit';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../testing.js';

const getApp = useTestApp();

const countDocs = async () =>
  Number(
    (
      await getApp()
        .database.db.selectFrom('document')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('documents over HTTP', () => {
  it('replaying a write with the same Idempotency-Key creates nothing new and returns the first response', async () => {
    const { chain, call } = getApp();
    const payload = {
      docType: 'other_inbound',
      orgId: chain.storeA.id,
      warehouseId: chain.storeA.warehouseId,
      lines: [{ productId: chain.products.apple, qty: '2', unitPrice: '1.50' }],
    };
    const before = await countDocs();
    const headers = { 'idempotency-key': 'create-doc-0001' };
    const first = await call('sa_admin', { method: 'POST', url: '/api/documents', payload, headers });
    const second = await call('sa_admin', { method: 'POST', url: '/api/documents', payload, headers });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(await countDocs()).toBe(before + 1);

    // Concurrent replays of one transition post once.
    const id = first.json().id;
    const confirm = () =>
      call('sa_admin', {
        method: 'POST',
        url: `/api/documents/${id}/transitions`,
        payload: { action: 'confirm' },
        headers: { 'idempotency-key': 'confirm-0001' },
      });
    const results = await Promise.all([confirm(), confirm(), confirm()]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const ledger = await getApp().database.db.selectFrom('stock_ledger').select('id').where('source_id', '=', id).execute();
    expect(ledger).toHaveLength(1);

    // The same key with a different request is refused.
    const reused = await call('sa_admin', {
      method: 'POST',
      url: '/api/documents',
      payload: { ...payload, remarks: 'x' },
      headers,
    });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Keys belong to the user: another user's identical key is a new request.
    const other = await call('admin', { method: 'POST', url: '/api/documents', payload, headers });
    expect(other.statusCode).toBe(201);
    expect(other.json().id).not.toBe(first.json().id);
  });

  it('20 concurrent requests for the last unit in a store that forbids negative stock: exactly one succeeds', async () => {
    const { chain, call, database } = getApp();
    const product = chain.products.milk;
    const inbound = await call('admin', {
      method: 'POST',
      url: '/api/documents',
      payload: {
        docType: 'other_inbound',
        orgId: chain.storeA.id,
        warehouseId: chain.storeA.warehouseId,
        lines: [{ productId: product, qty: '1', unitPrice: '2' }],
      },
    });
    await call('admin', {
      method: 'POST',
      url: `/api/documents/${inbound.json().id}/transitions`,
      payload: { action: 'confirm' },
    });
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      const d = await call('admin', {
        method: 'POST',
        url: '/api/documents',
        payload: {
          docType: 'other_outbound',
          orgId: chain.storeA.id,
          warehouseId: chain.storeA.warehouseId,
          lines: [{ productId: product, qty: '1' }],
        },
      });
      ids.push(d.json().id);
    }
    const results = await Promise.all(
      ids.map((id) => call('admin', { method: 'POST', url: `/api/documents/${id}/transitions`, payload: { action: 'confirm' } })),
    );
    const ok = results.filter((r) => r.statusCode === 200);
    const refused = results.filter((r) => r.statusCode === 409);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused) {
      expect(r.json().code).toBe('INSUFFICIENT_STOCK');
      expect(r.json().messages['zh-CN']).toContain('库存不足');
    }
    const bal = await database.db
      .selectFrom('stock_balance')
      .select('qty')
      .where('warehouse_id', '=', chain.storeA.warehouseId)
      .where('product_id', '=', product)
      .execute();
    expect(bal.map((b) => b.qty)).toEqual(['0.000']);
    // Refused documents stay unposted (confirm rolled back with the stock check).
    const statuses = await database.db.selectFrom('document').select('status').where('id', 'in', ids).execute();
    expect(statuses.filter((s) => s.status === 'posted')).toHaveLength(1);
    expect(statuses.filter((s) => s.status === 'draft')).toHaveLength(19);
    await expectLedgerMatchesBalances(database);
  });

  it('answers bad input with field-level problems in both languages and changes nothing', async () => {
    const { chain, call } = getApp();
    const before = await countDocs();
    const r = await call('sa_admin', {
      method: 'POST',
      url: '/api/documents',
      headers: { 'accept-language': 'en-US' },
      payload: { docType: 'other_inbound', orgId: chain.storeA.id, lines: [{ productId: chain.products.apple, qty: '1.23456' }] },
    });
    expect(r.statusCode).toBe(400);
    const p = r.json();
    expect(p).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, detail: 'Some fields are invalid' });
    expect(p.errors[0]).toMatchObject({ path: 'body.lines.0.qty', messageZh: expect.stringContaining('数量') });
    expect(p.errors[0].messageEn).toBe('Quantity must be a number with at most 3 decimals');
    const noWarehouse = await call('sa_admin', {
      method: 'POST',
      url: '/api/documents',
      payload: { docType: 'other_inbound', orgId: chain.storeA.id, lines: [{ productId: chain.products.apple, qty: '1' }] },
    });
    expect(noWarehouse.statusCode).toBe(400);
    expect(noWarehouse.json().errors[0]).toMatchObject({ path: 'lines.0.warehouseId', message: '请选择仓库' });
    expect(await countDocs()).toBe(before);
  });

  it('maps each refusal to its code: void after post, reject without comment', async () => {
    const { chain, call } = getApp();
    const d = await call('sa_admin', {
      method: 'POST',
      url: '/api/documents',
      payload: {
        docType: 'other_inbound',
        orgId: chain.storeA.id,
        warehouseId: chain.storeA.warehouseId,
        lines: [{ productId: chain.products.apple, qty: '1' }],
      },
    });
    const id = d.json().id;
    await call('sa_admin', { method: 'POST', url: `/api/documents/${id}/transitions`, payload: { action: 'confirm' } });
    const v = await call('sa_admin', { method: 'POST', url: `/api/documents/${id}/transitions`, payload: { action: 'void' } });
    expect(v.statusCode).toBe(409);
    expect(v.json().code).toBe('DOC_VOID_POSTED');
    const history = await call('sa_admin', { method: 'GET', url: `/api/documents/${id}/history` });
    expect(
      history
        .json()
        .items.map((e: { action: string }) => e.action)
        .reverse(),
    ).toEqual(['create', 'doc.auto_approve', 'doc.confirm', 'doc.post']);
  });

  it('publishes OpenAPI and browsable docs', async () => {
    const spec = await getApp().app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(spec.statusCode).toBe(200);
    expect(Object.keys(spec.json().paths)).toContain('/api/documents/{id}/transitions');
    const docs = await getApp().app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });
});
