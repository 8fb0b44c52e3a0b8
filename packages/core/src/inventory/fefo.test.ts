import { asSystem, expectLedgerMatchesBalances, stockIn, useTestChain } from '@erp/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocument, transition } from '../documents/documents.service.js';
import { createShelf, createWarehouse } from '../org/org.service.js';

// Issue 9: no stock becomes unusable because of the key it sits under. A document that names no lot, batch
// or shelf takes its quantity across them by FEFO, and each piece keeps its lot and expiry where it goes.

const { database, chain } = useTestChain();
let shelf1: number;
let shelf2: number;
let second: number;

beforeAll(async () => {
  const ids = await asSystem(database().db, async (ctx) => {
    const s1 = await createShelf(ctx, { warehouseId: chain.storeA.warehouseId, code: 'SA-F1', name: 'F1' });
    const s2 = await createShelf(ctx, { warehouseId: chain.storeA.warehouseId, code: 'SA-F2', name: 'F2' });
    const w2 = await createWarehouse(ctx, { orgId: chain.storeA.id, code: 'SA-BACK', name: '后仓', isDefault: false });
    return { s1: s1.id, s2: s2.id, w2: w2.id };
  });
  shelf1 = ids.s1;
  shelf2 = ids.s2;
  second = ids.w2;
  // Milk is not batch-managed; the store still received it under lots, on two shelves.
  await stockIn(database(), {
    orgId: chain.storeA.id,
    warehouseId: chain.storeA.warehouseId,
    lines: [
      { productId: chain.products.milk, qty: '4', unitPrice: '2', lotNo: 'M-LATE', expiryDate: '2027-09-01', shelfId: shelf1 },
      { productId: chain.products.milk, qty: '3', unitPrice: '2', lotNo: 'M-SOON', expiryDate: '2027-02-01', shelfId: shelf2 },
      { productId: chain.products.milk, qty: '2', unitPrice: '2' },
    ],
  });
});

async function post(docType: 'loss' | 'warehouse_move', lines: object[], attrs: Record<string, unknown> = {}) {
  return asSystem(database().db, async (ctx) => {
    const doc = await createDocument(ctx, {
      docType,
      orgId: chain.storeA.id,
      warehouseId: chain.storeA.warehouseId,
      attrs: docType === 'loss' ? { costMode: 'auto', ...attrs } : attrs,
      lines: lines as never,
    });
    for (const action of ['submit', 'approve', 'confirm', 'post'] as const) {
      const d = await transition(ctx, doc.id, action).catch(() => null);
      if (d?.status === 'posted' || d?.status === 'completed') break;
    }
    return doc.id;
  });
}

async function ledger(documentId: number) {
  return (
    await database()
      .db.selectFrom('stock_ledger')
      .select(['warehouse_id', 'lot_no', 'shelf_id', 'status', 'expiry_date', 'qty'])
      .where('source_type', '=', 'document')
      .where('source_id', '=', documentId)
      .orderBy('id')
      .execute()
  ).map((r) => [r.warehouse_id === second ? 'back' : 'front', r.lot_no, r.shelf_id, r.status, r.expiry_date, r.qty]);
}

describe('FEFO across lots and shelves for every outbound (issue 9)', () => {
  it('a loss naming no lot takes the earliest expiry first, across shelves', async () => {
    const id = await post('loss', [{ productId: chain.products.milk, qty: '5' }]);
    expect(await ledger(id)).toEqual([
      ['front', 'M-SOON', shelf2, 'sellable', '2027-02-01', '-3.000'],
      ['front', 'M-LATE', shelf1, 'sellable', '2027-09-01', '-2.000'],
    ]);
  });

  it('a move to another warehouse takes pieces by FEFO and keeps their lot and expiry, without the old shelf', async () => {
    const id = await post('warehouse_move', [{ productId: chain.products.milk, qty: '3' }], { toWarehouseId: second });
    expect(await ledger(id)).toEqual([
      ['front', 'M-LATE', shelf1, 'sellable', '2027-09-01', '-2.000'],
      ['front', '', 0, 'sellable', null, '-1.000'],
      ['back', 'M-LATE', 0, 'sellable', '2027-09-01', '2.000'],
      ['back', '', 0, 'sellable', null, '1.000'],
    ]);
  });

  it('a status change naming no lot relabels the pieces it takes, each keeping its lot', async () => {
    const id = await asSystem(database().db, async (ctx) => {
      const doc = await createDocument(ctx, {
        docType: 'internal_adjustment',
        orgId: chain.storeA.id,
        warehouseId: second,
        lines: [{ productId: chain.products.milk, qty: '3', attrs: { to: { stockStatus: 'unsellable' } } }],
      });
      await transition(ctx, doc.id, 'confirm');
      return doc.id;
    });
    expect(await ledger(id)).toEqual([
      ['back', 'M-LATE', 0, 'sellable', '2027-09-01', '-2.000'],
      ['back', '', 0, 'sellable', null, '-1.000'],
      ['back', 'M-LATE', 0, 'unsellable', '2027-09-01', '2.000'],
      ['back', '', 0, 'unsellable', null, '1.000'],
    ]);
    await expectLedgerMatchesBalances(database());
  });
});
