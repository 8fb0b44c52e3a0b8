import { dec } from '@erp/contracts';
import { createDocument, setDocConfig, transition } from '../documents/documents.service.js';
import { createCounter, createShelf } from '../org/org.service.js';
import { addDays, calendarDay } from '../platform/clock.js';
import type { Ctx } from '../platform/context.js';
import type { DemoChain } from '../platform/module.js';
import { createStocktake, enterStocktakeCounts, generateStocktakeAdjustments, postStocktake } from './stocktake.service.js';

/**
 * Demo inventory, all through the module's own services: opening stock at the DC and at the first store
 * (on shelves, some of it close to expiry), a warehouse move to the DC's cold store, an internal adjustment
 * that puts damaged goods on hold, a posted stocktake at the store with one surplus and one shortage whose
 * loss document waits for HQ finance, a hand-made loss also waiting, and a store's inbound document waiting
 * in the review queue.
 */
export async function seedInventoryDemo(ctx: Ctx, chain: DemoChain): Promise<void> {
  const products = await ctx.db.selectFrom('product').select(['id', 'code', 'batch_tracked']).orderBy('id').limit(200).execute();
  if (!products.length) return;
  const today = calendarDay();

  // DC opening stock.
  const opening = await createDocument(ctx, {
    docType: 'other_inbound',
    orgId: chain.dcId,
    warehouseId: chain.dcWarehouseId,
    remarks: '期初库存 / opening stock',
    attrs: { reason: '期初建账' },
    lines: products.map((p, i) => ({
      productId: p.id,
      qty: '500',
      unitPrice: (1 + (i % 40) * 0.75).toFixed(2),
      ...(p.batch_tracked ? { batchNo: `${p.code}-2611`, lotNo: '20261101', expiryDate: '2028-10-31' } : {}),
    })),
  });
  await transition(ctx, opening.id, 'confirm');

  // DC: part of the first products to the cold store (移库), and damaged goods put on hold (库内调整).
  const cold = await ctx.db
    .selectFrom('warehouse')
    .select('id')
    .where('org_id', '=', chain.dcId)
    .where('id', '<>', chain.dcWarehouseId)
    .orderBy('id')
    .executeTakeFirst();
  if (cold) {
    const move = await createDocument(ctx, {
      docType: 'warehouse_move',
      orgId: chain.dcId,
      warehouseId: chain.dcWarehouseId,
      remarks: '乳品转冷链仓 / dairy to the cold store',
      attrs: { toWarehouseId: cold.id, reason: '冷链存放' },
      lines: products
        .filter((p) => !p.batch_tracked)
        .slice(0, 2)
        .map((p) => ({ productId: p.id, qty: '60' })),
    });
    await transition(ctx, move.id, 'confirm');
  }
  const held = products.find((p) => !p.batch_tracked);
  if (held) {
    const hold = await createDocument(ctx, {
      docType: 'internal_adjustment',
      orgId: chain.dcId,
      warehouseId: chain.dcWarehouseId,
      remarks: '外包装破损，转待查 / damaged cartons put on hold',
      lines: [{ productId: held.id, qty: '12', attrs: { to: { stockStatus: 'pending_check' }, reason: '外包装破损' } }],
    });
    await transition(ctx, hold.id, 'confirm');
  }

  const store = chain.stores[0];
  if (!store) return;
  // The store's shelves: a food counter (柜组) with two shelves, and a pharmacy shelf.
  const counter = await createCounter(ctx, { orgId: store.id, code: `${store.code}-C01`, name: '食品柜组' });
  const shelves = [
    await createShelf(ctx, {
      warehouseId: store.warehouseId,
      counterId: counter.id,
      code: `${store.code}-A01`,
      name: '食品 A01',
    }),
    await createShelf(ctx, {
      warehouseId: store.warehouseId,
      counterId: counter.id,
      code: `${store.code}-A02`,
      name: '食品 A02',
    }),
    await createShelf(ctx, { warehouseId: store.warehouseId, code: `${store.code}-Y01`, name: '药品 Y01' }),
  ];
  const storeLines = products.slice(0, 30).map((p, i) => ({
    productId: p.id,
    qty: String(20 + (i % 5) * 10),
    unitPrice: (1.2 + (i % 40) * 0.8).toFixed(2),
    shelfId: p.batch_tracked ? shelves[2]?.id : shelves[i % 2]?.id,
    // Batch-tracked goods at the store expire within weeks: they show in the near-expiry query.
    ...(p.batch_tracked ? { batchNo: `${p.code}-2604`, lotNo: '20260415', expiryDate: addDays(today, 45) } : {}),
  }));
  const storeOpening = await createDocument(ctx, {
    docType: 'other_inbound',
    orgId: store.id,
    warehouseId: store.warehouseId,
    remarks: '门店期初库存 / store opening stock',
    attrs: { reason: '期初建账' },
    lines: storeLines,
  });
  await transition(ctx, storeOpening.id, 'confirm');

  // Monthly stocktake of the food counter: everything as booked except one surplus and one shortage.
  const st = await createStocktake(ctx, {
    orgId: store.id,
    warehouseId: store.warehouseId,
    counterId: counter.id,
    mode: 'static',
    remarks: '月末盘点 / month-end count',
  });
  const sheet = await ctx.db
    .selectFrom('stocktake_line')
    .select(['id', 'book_qty'])
    .where('document_id', '=', st.id)
    .orderBy('line_no')
    .execute();
  await enterStocktakeCounts(ctx, st.id, {
    lines: sheet.map((l, i) => ({
      lineId: l.id,
      countedQty: i === 0 ? dec(l.book_qty).plus(3).toFixed(3) : i === 1 ? dec(l.book_qty).minus(2).toFixed(3) : l.book_qty,
    })),
  });
  await postStocktake(ctx, st.id);
  const generated = await generateStocktakeAdjustments(ctx, st.id);
  // Finance approves the surplus; the shortage (loss) stays waiting for HQ finance.
  for (const d of generated.generatedDocuments.filter((g) => g.docType === 'overage')) {
    await transition(ctx, d.id, 'approve');
    await transition(ctx, d.id, 'confirm');
  }

  // A loss reported by the store: waiting for HQ finance approval.
  const damaged = storeLines.find((l) => !l.batchNo);
  if (damaged) {
    const loss = await createDocument(ctx, {
      docType: 'loss',
      orgId: store.id,
      warehouseId: store.warehouseId,
      remarks: '搬运时摔碎 / broken while shelving',
      attrs: { reason: '破损', costMode: 'auto' },
      lines: [{ productId: damaged.productId, qty: '2', shelfId: damaged.shelfId }],
    });
    await transition(ctx, loss.id, 'submit');
  }

  // The second store posts other inbound documents by hand (通用入库复核): one waits in the queue.
  const second = chain.stores[1];
  if (second) {
    await setDocConfig(ctx, { orgId: second.id, docType: 'other_inbound', needsApproval: false, autoPost: false });
    const gift = await createDocument(ctx, {
      docType: 'other_inbound',
      orgId: second.id,
      warehouseId: second.warehouseId,
      remarks: '供应商赠品入库 / supplier samples received',
      attrs: { reason: '赠品' },
      lines: products.slice(0, 3).map((p) => ({
        productId: p.id,
        qty: '6',
        ...(p.batch_tracked ? { batchNo: `${p.code}-S`, expiryDate: addDays(today, 200) } : {}),
      })),
    });
    await transition(ctx, gift.id, 'confirm');
  }
}
