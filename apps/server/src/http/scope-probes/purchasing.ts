import { asSystem, createFirstOperation, createReceipt, createReturn, createSelfPurchase, transition } from '@erp/core';
import { allowSelfPurchase, makeConfirmedPurchaseOrder, makeSupplier } from '@erp/test-kit';
import { denied, filtered, itemsOf, type ModuleProbes } from './probe.js';

/**
 * Scope probes for the purchasing module's routes. Store B (allowed to buy for itself here) gets an order,
 * a posted receipt (acceptance records, payables), a pending return, a posted self-purchase and a
 * first-operation application, all through the services; store A's all-grants user must see none of it.
 */
export const purchasingProbes: ModuleProbes = {
  setup: async (database, chain) =>
    asSystem(database.db, async (ctx) => {
      const supplier = await makeSupplier(ctx, { code: 'PROBE-SUP', name: '探针供应商' });
      await allowSelfPurchase(ctx, chain.storeB.id);
      const po = await makeConfirmedPurchaseOrder(ctx, {
        orgId: chain.storeB.id,
        warehouseId: chain.storeB.warehouseId,
        supplierId: supplier,
        lines: [{ productId: chain.products.apple, qty: '10', unitPrice: '2' }],
      });
      const receipt = await createReceipt(ctx, {
        orgId: chain.storeB.id,
        purchaseOrderId: po.id,
        lines: [{ purchaseOrderLineId: po.lineIds[0] as number, productId: chain.products.apple, qty: '4' }],
      });
      const posted = await transition(ctx, receipt.id, 'confirm');
      const ret = await createReturn(ctx, {
        orgId: chain.storeB.id,
        lines: [{ receiptLineId: posted.lines[0]?.id as number, qty: '1' }],
      });
      const sp = await createSelfPurchase(ctx, {
        orgId: chain.storeB.id,
        warehouseId: chain.storeB.warehouseId,
        supplierId: supplier,
        confirm: true,
        lines: [{ productId: chain.products.apple, qty: '2', unitPrice: '2' }],
      });
      const fo = await createFirstOperation(ctx, {
        orgId: chain.storeB.id,
        kind: 'manufacturer',
        proposal: { code: 'PROBE-MAN', name: '探针厂家' },
      });
      await transition(ctx, fo.id, 'submit');
      return {
        purSupplier: supplier,
        purOrder: po.id,
        purOrderLine: po.lineIds[0] as number,
        purReceipt: posted.id,
        purReceiptLine: posted.lines[0]?.id as number,
        purReturn: ret.id,
        purSelfPurchase: sp.id,
        purSelfPurchaseLine: sp.lines[0]?.id as number,
        purFirstOp: fo.id,
        purStoreA: chain.storeA.id,
      };
    }),
  probes: {
    'GET /api/purchasing/settings/:orgId': [denied((f) => ({ params: { orgId: f.storeB } }))],
    'PUT /api/purchasing/settings/:orgId': [
      denied((f) => ({ params: { orgId: f.storeB }, body: { selfPurchaseAllowed: false } })),
    ],
    'GET /api/purchasing/purchase-prices': [
      denied((f) => ({ query: { orgId: f.storeB, productIds: String(f.products.apple) } })),
    ],
    'GET /api/purchase-orders': [
      filtered(
        () => ({}),
        (b, f) => itemsOf(b).some((o) => o.orgId === f.storeB),
      ),
      denied((f) => ({ query: { orgId: f.storeB } })),
    ],
    'GET /api/purchase-orders/export': [denied((f) => ({ query: { orgId: f.storeB } }))],
    'GET /api/purchase-orders/:id': [denied((f) => ({ params: { id: f.m.purOrder as number } }))],
    'POST /api/purchase-orders': [
      denied((f) => ({
        body: {
          orgId: f.storeB,
          warehouseId: f.storeBWarehouse,
          supplierId: f.m.purSupplier,
          lines: [{ productId: f.products.apple, qty: '1', unitPrice: '1' }],
        },
      })),
    ],
    'PUT /api/purchase-orders/:id': [
      denied((f) => ({ params: { id: f.m.purOrder as number }, body: { version: 1, remarks: '越权' } })),
    ],
    'POST /api/purchase-orders/:id/close': [
      denied((f) => ({ params: { id: f.m.purOrder as number }, body: { reason: '越权结案' } })),
    ],
    'POST /api/purchase-receipts': [
      denied((f) => ({ body: { orgId: f.storeB, purchaseOrderId: f.m.purOrder } })),
      // Store A's own receipt pointing at store B's order.
      denied((f) => ({ body: { orgId: f.m.purStoreA as number, purchaseOrderId: f.m.purOrder } })),
    ],
    'PUT /api/purchase-receipts/:id': [
      denied((f) => ({ params: { id: f.m.purReceipt as number }, body: { version: 1, remarks: '越权' } })),
    ],
    'GET /api/purchase-receipts/:id/returnable': [denied((f) => ({ params: { id: f.m.purReceipt as number } }))],
    'POST /api/purchase-returns': [
      denied((f) => ({ body: { orgId: f.storeB, lines: [{ receiptLineId: f.m.purReceiptLine, qty: '1' }] } })),
      denied((f) => ({ body: { orgId: f.m.purStoreA as number, lines: [{ receiptLineId: f.m.purReceiptLine, qty: '1' }] } })),
    ],
    'PUT /api/purchase-returns/:id': [
      denied((f) => ({ params: { id: f.m.purReturn as number }, body: { version: 1, remarks: '越权' } })),
    ],
    'POST /api/self-purchases': [
      denied((f) => ({
        body: {
          orgId: f.storeB,
          warehouseId: f.storeBWarehouse,
          supplierId: f.m.purSupplier,
          confirm: true,
          lines: [{ productId: f.products.apple, qty: '1', unitPrice: '1' }],
        },
      })),
    ],
    'PUT /api/self-purchases/:id': [
      denied((f) => ({ params: { id: f.m.purSelfPurchase as number }, body: { version: 1, remarks: '越权' } })),
    ],
    'POST /api/self-purchases/:id/void-lines': [
      denied((f) => ({
        params: { id: f.m.purSelfPurchase as number },
        body: { lineIds: [f.m.purSelfPurchaseLine], reason: '越权作废' },
      })),
    ],
    'POST /api/first-operations': [
      denied((f) => ({ body: { orgId: f.storeB, kind: 'manufacturer', proposal: { code: 'HACK-MAN', name: '越权厂家' } } })),
    ],
    'GET /api/first-operations/:id': [denied((f) => ({ params: { id: f.m.purFirstOp as number } }))],
    'POST /api/first-operations/:id/decision': [
      denied((f) => ({ params: { id: f.m.purFirstOp as number }, body: { decision: 'approve' } })),
    ],
    'GET /api/purchasing/details': [
      filtered(
        () => ({}),
        (b, f) => itemsOf(b).some((d) => d.orgId === f.storeB),
      ),
      denied((f) => ({ query: { orgId: f.storeB } })),
    ],
    'GET /api/purchasing/details/export': [denied((f) => ({ query: { orgId: f.storeB } }))],
    'GET /api/purchasing/acceptance-records': [
      filtered(
        () => ({}),
        (b, f) => itemsOf(b).some((a) => a.orgId === f.storeB),
      ),
      denied((f) => ({ query: { orgId: f.storeB } })),
    ],
    'GET /api/purchasing/acceptance-records/export': [denied((f) => ({ query: { orgId: f.storeB } }))],
    'GET /api/purchasing/payables': [
      filtered(
        () => ({}),
        (b, f) => itemsOf(b).some((p) => p.orgId === f.storeB),
      ),
      denied((f) => ({ query: { orgId: f.storeB } })),
    ],
    'GET /api/purchasing/payables/export': [denied((f) => ({ query: { orgId: f.storeB } }))],
  },
};
