import { asSystem, calendarDay, createDocument, createStocktake, postStockMoves, setDocConfig, transition } from '@erp/core';
import { denied, filtered, itemsOf, type ModuleProbes } from './probe.js';

const period = { from: '2000-01-01', to: '2100-12-31' };

/**
 * Scope probes for the inventory module's routes. Setup gives store B stock, a stocktake and an overage
 * waiting in the review queue, all through the module's services.
 */
export const inventoryProbes: ModuleProbes = {
  setup: async (database, chain) =>
    asSystem(database.db, async (ctx) => {
      const receipt = await createDocument(ctx, {
        docType: 'other_inbound',
        orgId: chain.storeB.id,
        warehouseId: chain.storeB.warehouseId,
        lines: [{ productId: chain.products.batchDrug, qty: '4', unitPrice: '5', batchNo: 'SB-B1', expiryDate: '2000-01-31' }],
      });
      await transition(ctx, receipt.id, 'confirm');
      const st = await createStocktake(ctx, { orgId: chain.storeB.id, warehouseId: chain.storeB.warehouseId });
      const line = await ctx.db
        .selectFrom('stocktake_line')
        .select('id')
        .where('document_id', '=', st.id)
        .executeTakeFirstOrThrow();
      await setDocConfig(ctx, { orgId: chain.storeB.id, docType: 'overage', needsApproval: false, autoPost: false });
      const overage = await createDocument(ctx, {
        docType: 'overage',
        orgId: chain.storeB.id,
        warehouseId: chain.storeB.warehouseId,
        lines: [{ productId: chain.products.milk, qty: '1' }],
      });
      await transition(ctx, overage.id, 'confirm');
      // A sale-like posting that has to take the expired lot: an 'expired lot sold' exception of store B.
      const out = await createDocument(ctx, {
        docType: 'other_outbound',
        orgId: chain.storeB.id,
        warehouseId: chain.storeB.warehouseId,
      });
      await postStockMoves(
        ctx,
        { type: 'document', id: out.id, businessDate: out.businessDate },
        [{ warehouseId: chain.storeB.warehouseId, productId: chain.products.batchDrug, qty: '-1' }],
        { shortage: 'debt', saleDay: calendarDay() },
      );
      const exception = await ctx.db
        .selectFrom('stock_exception')
        .select('id')
        .where('org_id', '=', chain.storeB.id)
        .executeTakeFirstOrThrow();
      return { stocktake: st.id, stocktakeLine: line.id, reviewDoc: overage.id, stockException: Number(exception.id) };
    }),
  probes: {
    'GET /api/stocktakes': [
      filtered(
        () => ({}),
        (b, f) => itemsOf(b).some((s) => s.orgId === f.storeB),
      ),
      denied((f) => ({ query: { orgId: f.storeB } })),
    ],
    'POST /api/stocktakes': [denied((f) => ({ body: { orgId: f.storeB, warehouseId: f.storeBWarehouse } }))],
    'GET /api/stocktakes/:id': [denied((f) => ({ params: { id: f.m.stocktake as number } }))],
    'GET /api/stocktakes/:id/lines': [denied((f) => ({ params: { id: f.m.stocktake as number } }))],
    'GET /api/stocktakes/:id/sheet': [denied((f) => ({ params: { id: f.m.stocktake as number } }))],
    'GET /api/stocktakes/:id/sheet/export': [denied((f) => ({ params: { id: f.m.stocktake as number } }))],
    'POST /api/stocktakes/:id/counts': [
      denied((f) => ({
        params: { id: f.m.stocktake as number },
        body: { lines: [{ lineId: f.m.stocktakeLine, countedQty: '1' }] },
      })),
    ],
    'POST /api/stocktakes/:id/post': [denied((f) => ({ params: { id: f.m.stocktake as number } }))],
    'POST /api/stocktakes/:id/unpost': [denied((f) => ({ params: { id: f.m.stocktake as number }, body: {} }))],
    'GET /api/stocktakes/:id/variance': [denied((f) => ({ params: { id: f.m.stocktake as number } }))],
    'GET /api/stocktakes/:id/variance/export': [denied((f) => ({ params: { id: f.m.stocktake as number } }))],
    'POST /api/stocktakes/:id/generate': [denied((f) => ({ params: { id: f.m.stocktake as number } }))],
    'GET /api/stock/exceptions': [
      filtered(
        () => ({}),
        (b, f) => itemsOf(b).some((e) => e.orgId === f.storeB),
      ),
      denied((f) => ({ query: { orgId: f.storeB } })),
    ],
    'POST /api/stock/exceptions/:id/acknowledge': [
      denied((f) => ({ params: { id: f.m.stockException as number }, body: { note: '已下架' } })),
    ],
    'GET /api/inventory/review-queue': [
      filtered(
        () => ({}),
        (b, f) => itemsOf(b).some((d) => d.orgId === f.storeB),
      ),
      denied((f) => ({ query: { orgId: f.storeB } })),
      denied((f) => ({ query: { warehouseId: f.storeBWarehouse } })),
    ],
    'GET /api/inventory/review-queue/export': [denied((f) => ({ query: { orgId: f.storeB } }))],
    'POST /api/inventory/review-queue/post': [denied((f) => ({ body: { ids: [f.m.reviewDoc] } }))],
    'GET /api/inventory/documents/:id/costs': [denied((f) => ({ params: { id: f.m.reviewDoc as number } }))],
    'GET /api/stock/balances/export': [
      denied((f) => ({ query: { orgId: f.storeB } })),
      denied((f) => ({ query: { warehouseId: f.storeBWarehouse } })),
    ],
    'GET /api/stock/ledger/export': [denied((f) => ({ query: { warehouseId: f.storeBWarehouse } }))],
    'GET /api/stock/ledger-detail': [
      filtered(
        () => ({ query: period }),
        (b, f) => itemsOf(b).some((g) => g.warehouseId === f.storeBWarehouse),
      ),
      denied((f) => ({ query: { ...period, warehouseId: f.storeBWarehouse } })),
      denied((f) => ({ query: { ...period, orgId: f.storeB } })),
    ],
    'GET /api/stock/ledger-detail/export': [denied((f) => ({ query: { ...period, orgId: f.storeB } }))],
    'GET /api/stock/near-expiry': [
      filtered(
        () => ({ query: { days: 3650 } }),
        (b, f) => itemsOf(b).some((r) => r.orgId === f.storeB),
      ),
      denied((f) => ({ query: { orgId: f.storeB } })),
    ],
    'GET /api/stock/near-expiry/export': [denied((f) => ({ query: { orgId: f.storeB } }))],
    'GET /api/stock/movements': [
      filtered(
        () => ({ query: { ...period, sourceType: 'all' } }),
        (b, f) => itemsOf(b).some((r) => r.orgId === f.storeB),
      ),
      denied((f) => ({ query: { ...period, warehouseId: f.storeBWarehouse } })),
    ],
    'GET /api/stock/movements/export': [denied((f) => ({ query: { ...period, orgId: f.storeB } }))],
  },
};
