import type { DemoChain } from '../demo/demo.models.js';
import { createDocument, transition } from '../documents/documents.service.js';
import type { Ctx } from '../platform/context.js';

/** Opening stock at the DC, received through a real inbound document. */
export async function seedInventoryDemo(ctx: Ctx, chain: DemoChain): Promise<void> {
  const products = await ctx.db.selectFrom('product').select(['id', 'code', 'batch_tracked']).orderBy('id').limit(200).execute();
  const lines = products.map((p, i) => ({
    productId: p.id,
    qty: '500',
    unitPrice: (1 + (i % 40) * 0.75).toFixed(2),
    ...(p.batch_tracked ? { batchNo: `${p.code}-2611`, lotNo: '20261101', expiryDate: '2028-10-31' } : {}),
  }));
  if (!lines.length) return;
  const doc = await createDocument(ctx, {
    docType: 'other_inbound',
    orgId: chain.dcId,
    warehouseId: chain.dcWarehouseId,
    remarks: '期初库存 / opening stock',
    lines,
  });
  await transition(ctx, doc.id, 'confirm');
}
