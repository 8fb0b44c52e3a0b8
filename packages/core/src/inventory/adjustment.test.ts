import { dec } from '@erp/contracts';
import {
  asSystem,
  asUser,
  expectLedgerMatchesBalances,
  expectRefusal,
  makeRoleUser,
  stockIn,
  stockQty,
  useTestChain,
} from '@erp/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocument, getDocument, setDocConfig, transition } from '../documents/documents.service.js';
import { createShelf, createWarehouse } from '../org/org.service.js';
import type { Ctx } from '../platform/context.js';
import { listReviewQueue, postReviewedDocuments } from './review.service.js';

const { database, chain } = useTestChain();
let dcKeeperId: number;
let shelfA1: number;
let shelfA2: number;
let coldWarehouse: number;
let coldShelf: number;

beforeAll(async () => {
  dcKeeperId = await makeRoleUser(database(), { login: 'dc_keeper1', roleCode: 'dc_keeper', orgId: chain.dcId });
  const ids = await asSystem(database().db, async (ctx) => {
    const a1 = await createShelf(ctx, { warehouseId: chain.dcWarehouseId, code: 'DC-A1', name: 'A1' });
    const a2 = await createShelf(ctx, { warehouseId: chain.dcWarehouseId, code: 'DC-A2', name: 'A2' });
    const cold = await createWarehouse(ctx, { orgId: chain.dcId, code: 'DC1-COLD', name: '冷链仓', isDefault: false });
    const cs = await createShelf(ctx, { warehouseId: cold.id, code: 'COLD-1', name: '冷柜1' });
    return { a1: a1.id, a2: a2.id, cold: cold.id, cs: cs.id };
  });
  shelfA1 = ids.a1;
  shelfA2 = ids.a2;
  coldWarehouse = ids.cold;
  coldShelf = ids.cs;
  await stockIn(database(), {
    orgId: chain.dcId,
    warehouseId: chain.dcWarehouseId,
    lines: [
      {
        productId: chain.products.batchDrug,
        qty: '30',
        unitPrice: '6.40',
        batchNo: 'OLD1',
        lotNo: 'LOT-A',
        expiryDate: '2027-06-30',
        shelfId: shelfA1,
      },
      { productId: chain.products.milk, qty: '50', unitPrice: '2.20', shelfId: shelfA1 },
      { productId: chain.products.milk, qty: '50', unitPrice: '2.60', shelfId: shelfA2 },
    ],
  });
});

const dcKeeper = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), dcKeeperId, fn);

async function ledgerOf(docId: number) {
  return database()
    .db.selectFrom('stock_ledger')
    .select(['warehouse_id', 'batch_no', 'lot_no', 'shelf_id', 'status', 'qty', 'unit_cost', 'expiry_date'])
    .where('source_type', '=', 'document')
    .where('source_id', '=', docId)
    .orderBy('id')
    .execute();
}

describe('internal adjustment (INV-6)', () => {
  it('moves stock to another batch, lot, shelf and status at the same cost, in one posting', async () => {
    const d = await dcKeeper((ctx) =>
      createDocument(ctx, {
        docType: 'internal_adjustment',
        orgId: chain.dcId,
        warehouseId: chain.dcWarehouseId,
        lines: [
          {
            productId: chain.products.batchDrug,
            qty: '4',
            batchNo: 'OLD1',
            lotNo: 'LOT-A',
            shelfId: shelfA1,
            attrs: {
              to: { batchNo: 'NEW1', lotNo: 'LOT-B', shelfId: shelfA2, stockStatus: 'pending_check' },
              reason: '外包装破损待查',
            },
          },
        ],
      }),
    );
    const posted = await dcKeeper((ctx) => transition(ctx, d.id, 'confirm'));
    expect(posted.status).toBe('posted');
    expect(await ledgerOf(d.id)).toEqual([
      {
        warehouse_id: chain.dcWarehouseId,
        batch_no: 'OLD1',
        lot_no: 'LOT-A',
        shelf_id: shelfA1,
        status: 'sellable',
        qty: '-4.000',
        unit_cost: '6.4000',
        expiry_date: '2027-06-30',
      },
      {
        warehouse_id: chain.dcWarehouseId,
        batch_no: 'NEW1',
        lot_no: 'LOT-B',
        shelf_id: shelfA2,
        status: 'pending_check',
        qty: '4.000',
        unit_cost: '6.4000',
        expiry_date: '2027-06-30',
      },
    ]);
    // The new batch carries the cost it came with, for every later movement.
    const batch = await database()
      .db.selectFrom('stock_batch')
      .select('unit_cost')
      .where('product_id', '=', chain.products.batchDrug)
      .where('batch_no', '=', 'NEW1')
      .executeTakeFirstOrThrow();
    expect(batch.unit_cost).toBe('6.4000');
    expect(
      await stockQty(database(), {
        warehouseId: chain.dcWarehouseId,
        productId: chain.products.batchDrug,
        status: 'pending_check',
      }),
    ).toBe('4.000');
    expect(await stockQty(database(), { warehouseId: chain.dcWarehouseId, productId: chain.products.batchDrug })).toBe('30.000');
    await expectLedgerMatchesBalances(database());
  });

  it('moves shelf stock at its own balance only; changing nothing or taking what is not there is refused', async () => {
    await expectRefusal(
      dcKeeper((ctx) =>
        createDocument(ctx, {
          docType: 'internal_adjustment',
          orgId: chain.dcId,
          warehouseId: chain.dcWarehouseId,
          lines: [{ productId: chain.products.milk, qty: '1', shelfId: shelfA1, attrs: { to: { shelfId: shelfA1 } } }],
        }),
      ),
      'INV_ADJUSTMENT_NO_CHANGE',
    );
    await expectRefusal(
      dcKeeper((ctx) =>
        createDocument(ctx, {
          docType: 'internal_adjustment',
          orgId: chain.dcId,
          warehouseId: chain.dcWarehouseId,
          lines: [{ productId: chain.products.milk, qty: '1', shelfId: shelfA1, attrs: { to: { shelfId: coldShelf } } }],
        }),
      ),
      'INV_SHELF_NOT_IN_WAREHOUSE',
    );
    await expectRefusal(
      dcKeeper((ctx) =>
        createDocument(ctx, {
          docType: 'internal_adjustment',
          orgId: chain.dcId,
          warehouseId: chain.dcWarehouseId,
          lines: [{ productId: chain.products.milk, qty: '1', attrs: { to: { status: 'unsellable' } } }],
        }),
      ),
      'VALIDATION_FAILED',
    );
    // 50 milk on A1: moving 60 of them to unsellable is refused (flagged on the line when saved), even though
    // the warehouse holds 100.
    const short = await expectRefusal(
      dcKeeper((ctx) =>
        createDocument(ctx, {
          docType: 'internal_adjustment',
          orgId: chain.dcId,
          warehouseId: chain.dcWarehouseId,
          lines: [{ productId: chain.products.milk, qty: '60', shelfId: shelfA1, attrs: { to: { stockStatus: 'unsellable' } } }],
        }),
      ),
      'VALIDATION_FAILED',
    );
    expect(short.fieldIssues?.[0]).toMatchObject({
      path: 'lines.0.qty',
      messageEn: 'More than the stock available (50 available)',
    });
    await expectLedgerMatchesBalances(database());
  });

  it('refuses relabelling missing stock even where the store may sell below zero', async () => {
    const d = await asSystem(database().db, async (ctx) => {
      const doc = await createDocument(ctx, {
        docType: 'internal_adjustment',
        orgId: chain.storeB.id,
        warehouseId: chain.storeB.warehouseId,
        lines: [{ productId: chain.products.apple, qty: '5', attrs: { to: { stockStatus: 'unsellable' } } }],
      });
      return doc;
    });
    await expectRefusal(
      asSystem(database().db, (ctx) => transition(ctx, d.id, 'confirm')),
      'INSUFFICIENT_STOCK',
    );
  });
});

describe('warehouse move (INV-7)', () => {
  it('moves stock between warehouses of one org at the source cost, to a target shelf', async () => {
    const d = await dcKeeper((ctx) =>
      createDocument(ctx, {
        docType: 'warehouse_move',
        orgId: chain.dcId,
        warehouseId: chain.dcWarehouseId,
        attrs: { toWarehouseId: coldWarehouse },
        lines: [{ productId: chain.products.milk, qty: '10', shelfId: shelfA2, attrs: { toShelfId: coldShelf } }],
      }),
    );
    expect((await dcKeeper((ctx) => transition(ctx, d.id, 'confirm'))).status).toBe('posted');
    const rows = await ledgerOf(d.id);
    // Cost of milk in the main warehouse: (50 × 2.20 + 50 × 2.60) / 100 = 2.40.
    expect(rows.map((r) => [r.warehouse_id, r.shelf_id, r.qty, r.unit_cost])).toEqual([
      [chain.dcWarehouseId, shelfA2, '-10.000', '2.4000'],
      [coldWarehouse, coldShelf, '10.000', '2.4000'],
    ]);
    const avg = await database()
      .db.selectFrom('stock_cost')
      .select('avg_cost')
      .where('warehouse_id', '=', coldWarehouse)
      .where('product_id', '=', chain.products.milk)
      .executeTakeFirstOrThrow();
    expect(avg.avg_cost).toBe('2.4000');
    await expectLedgerMatchesBalances(database());
  });

  it('refuses a target in another org, the same warehouse, or a missing target', async () => {
    const make = (attrs: Record<string, unknown>) =>
      dcKeeper((ctx) =>
        createDocument(ctx, {
          docType: 'warehouse_move',
          orgId: chain.dcId,
          warehouseId: chain.dcWarehouseId,
          attrs,
          lines: [{ productId: chain.products.milk, qty: '1' }],
        }),
      );
    await expectRefusal(make({ toWarehouseId: chain.storeA.warehouseId }), 'NOT_FOUND');
    await expectRefusal(make({ toWarehouseId: chain.dcWarehouseId }), 'INV_MOVE_SAME_WAREHOUSE');
    await expectRefusal(make({}), 'VALIDATION_FAILED');
  });
});

describe('generic inbound/outbound review (DOC)', () => {
  it('queues confirmed documents of types whose auto-post is off and posts them singly or in a batch', async () => {
    await asSystem(database().db, async (ctx) => {
      await setDocConfig(ctx, { orgId: chain.dcId, docType: 'other_outbound', needsApproval: false, autoPost: false });
      await setDocConfig(ctx, { orgId: chain.dcId, docType: 'other_inbound', needsApproval: false, autoPost: false });
    });
    const make = (docType: string, qty: string) =>
      dcKeeper(async (ctx) => {
        const doc = await createDocument(ctx, {
          docType,
          orgId: chain.dcId,
          warehouseId: chain.dcWarehouseId,
          attrs: { reason: '样品' },
          lines: [{ productId: chain.products.milk, qty, shelfId: shelfA1 }],
        });
        return transition(ctx, doc.id, 'confirm');
      });
    const out1 = await make('other_outbound', '2');
    const out2 = await make('other_outbound', '3');
    const in1 = await make('other_inbound', '1');
    expect([out1.status, out2.status, in1.status]).toEqual(['confirmed', 'confirmed', 'confirmed']);

    const outbound = await dcKeeper((ctx) => listReviewQueue(ctx, { direction: 'out' }));
    expect(outbound.items.map((i) => i.id)).toEqual([out1.id, out2.id]);
    expect(outbound.items[0]).toMatchObject({ direction: 'out', docType: 'other_outbound', lines: 1, orgId: chain.dcId });
    const inbound = await dcKeeper((ctx) => listReviewQueue(ctx, { direction: 'in' }));
    expect(inbound.items.map((i) => i.id)).toEqual([in1.id]);
    // Store A's admin sees none of the DC's queue.
    const storeView = await asUser(database(), chain.users.storeAAdmin, (ctx) => listReviewQueue(ctx, {}));
    expect(storeView.items).toEqual([]);

    const before = await stockQty(database(), { warehouseId: chain.dcWarehouseId, productId: chain.products.milk });
    const res = await dcKeeper((ctx) => postReviewedDocuments(ctx, [out1.id, out2.id]));
    expect(res.posted.map((p) => p.id)).toEqual([out1.id, out2.id]);
    expect(await stockQty(database(), { warehouseId: chain.dcWarehouseId, productId: chain.products.milk })).toBe(
      dec(before).minus(5).toFixed(3),
    );
    await dcKeeper((ctx) => postReviewedDocuments(ctx, [in1.id]));
    expect((await dcKeeper((ctx) => listReviewQueue(ctx, {}))).items).toEqual([]);
    await expectLedgerMatchesBalances(database());
  });

  it('a batch is all or nothing, and the refusal names the document', async () => {
    const make = (qty: string) =>
      dcKeeper(async (ctx) => {
        const doc = await createDocument(ctx, {
          docType: 'other_outbound',
          orgId: chain.dcId,
          warehouseId: chain.dcWarehouseId,
          lines: [{ productId: chain.products.milk, qty, shelfId: shelfA1 }],
        });
        return transition(ctx, doc.id, 'confirm');
      });
    // Each fits the stock when saved; together they do not.
    const onShelf = await stockQty(database(), {
      warehouseId: chain.dcWarehouseId,
      productId: chain.products.milk,
      shelfId: shelfA1,
      status: 'sellable',
    });
    const ok = await make('1');
    const tooMuch = await make(onShelf);
    const e = await expectRefusal(
      dcKeeper((ctx) => postReviewedDocuments(ctx, [ok.id, tooMuch.id])),
      'INSUFFICIENT_STOCK',
    );
    expect(e.params.documentNumber).toBe(tooMuch.number);
    expect((await dcKeeper((ctx) => getDocument(ctx, ok.id))).status).toBe('confirmed');
    // A posted document, or one that moves no stock, is not in review.
    await dcKeeper((ctx) => postReviewedDocuments(ctx, [ok.id]));
    await expectRefusal(
      dcKeeper((ctx) => postReviewedDocuments(ctx, [ok.id])),
      'INV_NOT_IN_REVIEW',
    );
    await expectRefusal(
      asUser(database(), chain.users.storeACashier, (ctx) => listReviewQueue(ctx, {})),
      'FORBIDDEN',
    );
    await expectLedgerMatchesBalances(database());
  });
});
