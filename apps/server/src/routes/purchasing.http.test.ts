import { asSystem } from '@erp/core';
import { expectLedgerMatchesBalances, makePurchasingUsers, makeSupplier } from '@erp/test-kit';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../testing.js';

const getApp = useTestApp();
let supplier: number;

beforeAll(async () => {
  const { database, chain } = getApp();
  await makePurchasingUsers(database, chain);
  supplier = await asSystem(database.db, (ctx) => makeSupplier(ctx, { code: 'HTTP-SUP', name: '接口测试供应商' }));
});

describe('purchasing over HTTP', () => {
  it('buyer orders, HQ approves, the DC keeper receives and returns; errors are bilingual problem+json', async () => {
    const { chain, call } = getApp();
    const created = await call('pur_buyer', {
      method: 'POST',
      url: '/api/purchase-orders',
      payload: {
        orgId: chain.dcId,
        warehouseId: chain.dcWarehouseId,
        supplierId: supplier,
        lines: [
          { productId: chain.products.apple, qty: '30', unitPrice: '2.40' },
          { productId: chain.products.milk, qty: '12', unitPrice: '1.90' },
        ],
      },
    });
    expect(created.statusCode).toBe(201);
    const po = created.json();
    const act = (login: string, id: number, action: string, comment?: string) =>
      call(login, {
        method: 'POST',
        url: `/api/documents/${id}/transitions`,
        payload: { action, ...(comment ? { comment } : {}) },
      });
    expect((await act('pur_buyer', po.id, 'submit')).json().status).toBe('pending_approval');
    expect((await act('admin', po.id, 'approve')).statusCode).toBe(200);
    expect((await act('pur_buyer', po.id, 'confirm')).json().status).toBe('confirmed');

    // The keeper opens a receipt from the order (open lines prefilled) and tries to take 31 apples.
    const draft = await call('pur_dc_keeper', {
      method: 'POST',
      url: '/api/purchase-receipts',
      payload: { orgId: chain.dcId, purchaseOrderId: po.id },
      headers: { 'idempotency-key': 'receipt-create-0001' },
    });
    expect(draft.statusCode).toBe(201);
    const receipt = draft.json();
    expect(receipt.lines.map((l: { qty: string }) => l.qty)).toEqual(['30.000', '12.000']);
    const replay = await call('pur_dc_keeper', {
      method: 'POST',
      url: '/api/purchase-receipts',
      payload: { orgId: chain.dcId, purchaseOrderId: po.id },
      headers: { 'idempotency-key': 'receipt-create-0001' },
    });
    expect(replay.json().id).toBe(receipt.id);

    const over = await call('pur_dc_keeper', {
      method: 'PUT',
      url: `/api/purchase-receipts/${receipt.id}`,
      payload: {
        version: receipt.version,
        lines: [{ purchaseOrderLineId: po.lines[0].id, productId: chain.products.apple, qty: '31' }],
      },
    });
    expect(over.statusCode).toBe(409);
    expect(over.headers['content-type']).toContain('application/problem+json');
    const problem = over.json();
    expect(problem.code).toBe('PUR_OVER_RECEIPT');
    expect(problem.messages['zh-CN']).toContain('商品 P001 红富士苹果 超收');
    expect(problem.messages['zh-CN']).toContain('本次收货 31，最多可收 30');
    expect(problem.messages.en).toContain('Over-receipt of P001');

    const posted = await act('pur_dc_keeper', receipt.id, 'confirm');
    expect(posted.json().status).toBe('posted');
    const order = (await call('pur_buyer', { method: 'GET', url: `/api/purchase-orders/${po.id}` })).json();
    expect(order.status).toBe('completed');
    expect(order.openQty).toBe('0.000');

    // Five apples go back.
    const ret = await call('pur_dc_keeper', {
      method: 'POST',
      url: '/api/purchase-returns',
      payload: { orgId: chain.dcId, reason: '质量问题', lines: [{ receiptLineId: receipt.lines[0].id, qty: '5' }] },
    });
    expect(ret.statusCode).toBe(201);
    expect((await act('pur_dc_keeper', ret.json().id, 'confirm')).json().status).toBe('posted');
    const returnable = (
      await call('pur_dc_keeper', { method: 'GET', url: `/api/purchase-receipts/${receipt.id}/returnable` })
    ).json();
    expect(returnable[0].returnableQty).toBe('25.000');

    const acc = (
      await call('pur_dc_keeper', { method: 'GET', url: `/api/purchasing/acceptance-records?orgId=${chain.dcId}` })
    ).json();
    expect(acc.items.filter((a: { documentId: number }) => a.documentId === receipt.id)).toHaveLength(2);
    const file = await call('pur_dc_keeper', { method: 'GET', url: `/api/purchasing/details/export?orgId=${chain.dcId}` });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]?.rowCount).toBe(1 + 3);
    await expectLedgerMatchesBalances(getApp().database);
  });

  it('validation errors name the field in both languages; a store cannot grant itself the self-purchase right', async () => {
    const { chain, call } = getApp();
    const bad = await call('pur_buyer', {
      method: 'POST',
      url: '/api/purchase-orders',
      payload: {
        orgId: chain.dcId,
        warehouseId: chain.dcWarehouseId,
        supplierId: supplier,
        lines: [{ productId: chain.products.apple, qty: '0' }],
      },
    });
    expect(bad.statusCode).toBe(400);
    const issue = bad.json().errors[0];
    expect(issue.path).toBe('body.lines.0.qty');
    expect(issue.messageZh).toBe('数量必须大于 0');
    expect(issue.messageEn).toBe('Quantity must be greater than 0');
    const self = await call('sa_admin', {
      method: 'PUT',
      url: `/api/purchasing/settings/${chain.storeA.id}`,
      payload: { selfPurchaseAllowed: true },
    });
    expect(self.statusCode).toBe(403);
    const settings = (await call('sa_admin', { method: 'GET', url: `/api/purchasing/settings/${chain.storeA.id}` })).json();
    expect(settings.effective).toEqual({
      requirePurchaseOrder: false,
      overReceiptTolerancePct: '0.00',
      selfPurchaseAllowed: false,
    });
  });
});
