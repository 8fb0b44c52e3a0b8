import { expectLedgerMatchesBalances, makeRoleUser, sellStock, stockIn } from '@erp/test-kit';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../testing.js';

const getApp = useTestApp();

beforeAll(async () => {
  const { database, chain } = getApp();
  await makeRoleUser(database, { login: 'fin_http', roleCode: 'finance', orgId: chain.companyId, homeOrgId: chain.hqId });
  await makeRoleUser(database, { login: 'keeper_http', roleCode: 'store_keeper', orgId: chain.storeA.id });
  await stockIn(database, {
    orgId: chain.storeA.id,
    warehouseId: chain.storeA.warehouseId,
    lines: [
      { productId: chain.products.apple, qty: '30', unitPrice: '3.00' },
      { productId: chain.products.milk, qty: '12', unitPrice: '2.50' },
    ],
  });
});

async function xlsxRows(body: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.worksheets[0]?.eachRow((r) => {
    rows.push((r.values as unknown[]).slice(1));
  });
  return rows;
}

describe('inventory over HTTP', () => {
  it('stocktake: sheet → counts (with a sale in between) → post → variance → generate; unpost refused after', async () => {
    const { call, chain, database } = getApp();
    const created = await call('keeper_http', {
      method: 'POST',
      url: '/api/stocktakes',
      payload: { orgId: chain.storeA.id, warehouseId: chain.storeA.warehouseId, mode: 'static' },
    });
    expect(created.statusCode).toBe(201);
    const st = created.json();
    expect(st.lines).toBe(2);

    const sheet = await call('keeper_http', { method: 'GET', url: `/api/stocktakes/${st.id}/sheet` });
    expect(sheet.statusCode).toBe(200);
    const lines = sheet.json().lines as { id: number; productCode: string; productName: string; bookQty: string }[];
    expect(lines.map((l) => [l.productCode, l.bookQty])).toEqual([
      ['P001', '30.000'],
      ['P002', '12.000'],
    ]);
    const print = await call('keeper_http', { method: 'GET', url: `/api/stocktakes/${st.id}/sheet/export` });
    expect(print.headers['content-type']).toContain('spreadsheetml');
    expect(print.headers['content-disposition']).toContain('attachment');
    expect((await xlsxRows(print.rawPayload))[1]?.slice(3, 5)).toEqual(['P001', '红富士苹果']);

    await sellStock(database, { warehouseId: chain.storeA.warehouseId, productId: chain.products.apple, qty: '5' });
    const [apple, milk] = lines as unknown as [{ id: number }, { id: number }];
    const counts = await call('keeper_http', {
      method: 'POST',
      url: `/api/stocktakes/${st.id}/counts`,
      payload: {
        lines: [
          { lineId: apple.id, countedQty: '26' },
          { lineId: milk.id, countedQty: 10 },
        ],
      },
    });
    expect(counts.statusCode).toBe(200);
    expect(counts.json().updated).toBe(2);
    const bad = await call('keeper_http', {
      method: 'POST',
      url: `/api/stocktakes/${st.id}/counts`,
      payload: { lines: [{ lineId: apple.id, countedQty: '1.2345' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');

    const posted = await call('keeper_http', { method: 'POST', url: `/api/stocktakes/${st.id}/post` });
    expect(posted.statusCode).toBe(200);
    // Apple: book at count 30 − 5 = 25, counted 26 → +1; milk 12 → 10: −2.
    expect(posted.json().totals).toMatchObject({
      surplusQty: '1.000',
      surplusAmount: '3.00',
      shortageQty: '2.000',
      shortageAmount: '5.00',
    });
    const variance = await call('keeper_http', { method: 'GET', url: `/api/stocktakes/${st.id}/variance` });
    expect(variance.json().surplus).toHaveLength(1);
    expect(variance.json().shortage).toHaveLength(1);
    const vx = await call('keeper_http', { method: 'GET', url: `/api/stocktakes/${st.id}/variance/export` });
    expect((await xlsxRows(vx.rawPayload)).length).toBe(3);

    const gen = await call('keeper_http', { method: 'POST', url: `/api/stocktakes/${st.id}/generate` });
    expect(gen.statusCode).toBe(200);
    expect(gen.json().generatedDocuments).toHaveLength(2);
    const unpost = await call('keeper_http', { method: 'POST', url: `/api/stocktakes/${st.id}/unpost`, payload: {} });
    expect(unpost.statusCode).toBe(409);
    expect(unpost.json().code).toBe('INV_STOCKTAKE_GENERATED');
    expect(unpost.json().messages['zh-CN']).toContain('已生成损益单');
    await expectLedgerMatchesBalances(database);
  });

  it('loss: finance must comment to reject, approves, the keeper posts; void refused after posting', async () => {
    const { call, chain } = getApp();
    const created = await call('keeper_http', {
      method: 'POST',
      url: '/api/documents',
      payload: {
        docType: 'loss',
        orgId: chain.storeA.id,
        warehouseId: chain.storeA.warehouseId,
        attrs: { reason: '过期' },
        lines: [{ productId: chain.products.milk, qty: '1' }],
      },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const act = (login: string, action: string, comment?: string) =>
      call(login, {
        method: 'POST',
        url: `/api/documents/${id}/transitions`,
        payload: { action, ...(comment ? { comment } : {}) },
      });
    expect((await act('keeper_http', 'submit')).json().status).toBe('pending_approval');
    const noComment = await act('fin_http', 'reject');
    expect(noComment.statusCode).toBe(400);
    expect(noComment.json().code).toBe('DOC_REJECT_COMMENT_REQUIRED');
    const costs = await call('fin_http', { method: 'GET', url: `/api/inventory/documents/${id}/costs` });
    expect(costs.json()).toMatchObject({ posted: false, total: '-2.50' });
    expect((await act('fin_http', 'approve')).json().status).toBe('approved');
    expect((await act('keeper_http', 'confirm')).json().status).toBe('posted');
    const voided = await act('keeper_http', 'void');
    expect(voided.statusCode).toBe(409);
    expect(voided.json().code).toBe('DOC_VOID_POSTED');
  });

  it('review queue: lists and posts with an idempotency key; a replay posts nothing twice', async () => {
    const { call, chain, database } = getApp();
    await call('admin', {
      method: 'PUT',
      url: '/api/doc-config',
      payload: { orgId: chain.storeA.id, docType: 'other_outbound', needsApproval: false, autoPost: false },
    });
    const created = await call('keeper_http', {
      method: 'POST',
      url: '/api/documents',
      payload: {
        docType: 'other_outbound',
        orgId: chain.storeA.id,
        warehouseId: chain.storeA.warehouseId,
        lines: [{ productId: chain.products.apple, qty: '2', attrs: { reason: '试吃' } }],
      },
    });
    const id = created.json().id;
    await call('keeper_http', { method: 'POST', url: `/api/documents/${id}/transitions`, payload: { action: 'confirm' } });
    const queue = await call('keeper_http', { method: 'GET', url: '/api/inventory/review-queue?direction=out' });
    expect(queue.json().items.map((i: { id: number }) => i.id)).toEqual([id]);
    const post = () =>
      call('keeper_http', {
        method: 'POST',
        url: '/api/inventory/review-queue/post',
        payload: { ids: [id] },
        headers: { 'idempotency-key': 'review-post-0001' },
      });
    const [a, b] = [await post(), await post()];
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(b.headers['idempotent-replayed']).toBe('true');
    const ledger = await database.db
      .selectFrom('stock_ledger')
      .select('id')
      .where('source_id', '=', id)
      .where('source_type', '=', 'document')
      .execute();
    expect(ledger).toHaveLength(1);
    const moves = await call('keeper_http', {
      method: 'GET',
      url: `/api/stock/movements?from=2000-01-01&to=2100-01-01&docType=other_outbound`,
    });
    expect(moves.json().items.find((m: { reason: string | null }) => m.reason === '试吃')).toMatchObject({
      direction: 'out',
      qty: '2.000',
    });
  });

  it('stock queries take their filters from the query string and export them', async () => {
    const { call, chain } = getApp();
    const grouped = await call('keeper_http', { method: 'GET', url: `/api/stock/balances?orgId=${chain.storeA.id}&groupBy=` });
    expect(grouped.statusCode).toBe(200);
    expect(grouped.json().items.every((r: { batchNo: string | null }) => r.batchNo === null)).toBe(true);
    const bad = await call('keeper_http', { method: 'GET', url: '/api/stock/balances?groupBy=colour' });
    expect(bad.statusCode).toBe(400);
    const zero = await call('keeper_http', { method: 'GET', url: '/api/stock/balances?includeZero=false&negativeOnly=true' });
    expect(zero.json().items).toEqual([]);
    const detail = await call('keeper_http', {
      method: 'GET',
      url: `/api/stock/ledger-detail?from=2000-01-01&to=2100-01-01&productId=${chain.products.apple}`,
    });
    expect(detail.json().items[0].entries.length).toBeGreaterThan(1);
    for (const url of [
      '/api/stock/balances/export',
      '/api/stock/ledger/export',
      '/api/stock/ledger-detail/export?from=2000-01-01&to=2100-01-01',
      '/api/stock/near-expiry/export?days=30',
      '/api/stock/movements/export?from=2000-01-01&to=2100-01-01',
      '/api/inventory/review-queue/export',
    ]) {
      const res = await call('keeper_http', { method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toContain('spreadsheetml');
    }
    const cashier = await call('sa_cashier', { method: 'GET', url: '/api/stock/balances/export' });
    expect(cashier.statusCode).toBe(403);
    const spec = await call('admin', { method: 'GET', url: '/api/openapi.json' });
    expect(spec.statusCode).toBe(200);
    expect(Object.keys(spec.json().paths)).toContain('/api/stocktakes/{id}/counts');
  });
});
