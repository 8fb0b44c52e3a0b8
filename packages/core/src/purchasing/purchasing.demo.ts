import { cost, dec } from '@erp/contracts';
import { transition } from '../documents/index.js';
import { createPartner } from '../partners/index.js';
import { addDays, calendarDay } from '../platform/clock.js';
import type { Ctx } from '../platform/context.js';
import type { DemoChain } from '../platform/module.js';
import { createFirstOperation } from './first-operation.service.js';
import { createPurchaseOrder, getPurchaseOrder } from './purchase-order.service.js';
import { companyId } from './purchasing.access.js';
import { defaultPurchasePrices } from './purchasing.master-data.js';
import { updatePurchasingSettings } from './purchasing.settings.js';
import { createReceipt } from './receipt.service.js';
import { createReturn } from './return.service.js';
import { createSelfPurchase } from './self-purchase.service.js';

const DEMO_SUPPLIERS = [
  { code: 'GYS-DEMO-01', name: '杭州鲜源食品贸易有限公司', contact: '周经理', phone: '0571-88123456', paymentTermsDays: 30 },
  {
    code: 'GYS-DEMO-02',
    name: '浙江康泰医药有限公司',
    contact: '吴经理',
    phone: '0571-86234567',
    licenseNo: '浙AA5710001',
    paymentTermsDays: 45,
  },
  { code: 'GYS-DEMO-03', name: '上海日化用品批发中心', contact: '郑经理', phone: '021-63345678', paymentTermsDays: 30 },
];

/** The demo's suppliers: those master data already has, else a few of our own. */
async function demoSuppliers(ctx: Ctx): Promise<number[]> {
  const existing = await ctx.db
    .selectFrom('partner')
    .select('id')
    .where('kind', '=', 'supplier')
    .where('active', '=', true)
    .where('org_id', '=', await companyId(ctx.db))
    .orderBy('code')
    .limit(3)
    .execute();
  if (existing.length >= 2) return existing.map((r) => r.id);
  const out: number[] = [];
  for (const s of DEMO_SUPPLIERS) out.push((await createPartner(ctx, 'supplier', s)).id);
  return out;
}

/**
 * Demo purchasing at the DC over the past week, through the real services: a fully received order (it
 * completed itself), a partly received one, an open one for batch-tracked goods, one waiting for approval,
 * and a return to the supplier; the franchise store buys for itself and has applied for a new product.
 */
export async function seedPurchasingDemo(ctx: Ctx, chain: DemoChain): Promise<void> {
  const products = await ctx.db
    .selectFrom('product')
    .select(['id', 'code', 'batch_tracked'])
    .where('active', '=', true)
    .orderBy('code')
    .limit(40)
    .execute();
  const plain = products.filter((p) => !p.batch_tracked);
  const tracked = products.filter((p) => p.batch_tracked);
  if (plain.length < 3) return;
  const [s1, s2, s3] = await demoSuppliers(ctx);
  const master = await defaultPurchasePrices(
    ctx.db,
    chain.dcId,
    products.map((p) => p.id),
  );
  const price = (id: number, i: number) => master.get(id) ?? cost(dec(1.2).plus(dec(i).times(0.85)));
  const today = calendarDay();
  const day = (n: number) => addDays(today, -n);
  const dc = { orgId: chain.dcId, warehouseId: chain.dcWarehouseId };
  const confirmOrder = async (id: number) => {
    const submitted = await transition(ctx, id, 'submit');
    if (submitted.status === 'pending_approval') await transition(ctx, id, 'approve', { comment: '同意采购' });
    await transition(ctx, id, 'confirm');
  };

  // 1. Ordered six days ago, received in full the next day: the order completed itself.
  const po1 = await createPurchaseOrder(ctx, {
    ...dc,
    supplierId: s1 as number,
    businessDate: day(6),
    expectedDate: day(5),
    remarks: '周补货 / weekly replenishment',
    lines: plain.slice(0, 4).map((p, i) => ({ productId: p.id, qty: String(120 + i * 40), unitPrice: price(p.id, i) })),
  });
  await confirmOrder(po1.id);
  const r1 = await createReceipt(ctx, { orgId: chain.dcId, purchaseOrderId: po1.id, businessDate: day(5), inspector: '陈保管' });
  const received1 = await transition(ctx, r1.id, 'confirm');

  // 2. Partly received: half of each line arrived, the rest is still open.
  const po2 = await createPurchaseOrder(ctx, {
    ...dc,
    supplierId: (s3 ?? s1) as number,
    businessDate: day(3),
    expectedDate: day(1),
    lines: plain.slice(2, 5).map((p, i) => ({ productId: p.id, qty: String(200 + i * 50), unitPrice: price(p.id, i + 2) })),
  });
  await confirmOrder(po2.id);
  const open2 = await getPurchaseOrder(ctx, po2.id);
  const r2 = await createReceipt(ctx, {
    orgId: chain.dcId,
    purchaseOrderId: po2.id,
    businessDate: day(2),
    inspector: '陈保管',
    lines: open2.progress.map((l) => ({
      purchaseOrderLineId: l.lineId,
      productId: l.productId,
      qty: dec(l.orderedQty).dividedBy(2).toFixed(0),
    })),
  });
  await transition(ctx, r2.id, 'confirm');

  // 3. Batch-tracked goods ordered, not yet delivered.
  const drugs = tracked.length ? tracked.slice(0, 2) : plain.slice(5, 7);
  if (drugs.length) {
    const po3 = await createPurchaseOrder(ctx, {
      ...dc,
      supplierId: s2 as number,
      businessDate: day(1),
      expectedDate: addDays(today, 2),
      lines: drugs.map((p, i) => ({ productId: p.id, qty: String(60 + i * 30), unitPrice: price(p.id, i + 6) })),
    });
    await confirmOrder(po3.id);
  }

  // 4. Waiting for approval.
  const po4 = await createPurchaseOrder(ctx, {
    ...dc,
    supplierId: s1 as number,
    lines: plain.slice(0, 2).map((p, i) => ({ productId: p.id, qty: '80', unitPrice: price(p.id, i) })),
  });
  await transition(ctx, po4.id, 'submit');

  // 5. Part of the first delivery goes back: damaged in the warehouse's check after receiving.
  const back = received1.lines[0];
  if (back) {
    const ret = await createReturn(ctx, {
      orgId: chain.dcId,
      businessDate: day(1),
      reason: '包装破损 / damaged packaging',
      lines: [{ receiptLineId: back.id, qty: '6' }],
    });
    await transition(ctx, ret.id, 'confirm');
  }

  // 6. The franchise store may buy for itself (HQ's grant): a self-purchase and a pending application.
  const franchise = chain.stores.find((s) => s.franchise);
  if (franchise) {
    await updatePurchasingSettings(ctx, franchise.id, { selfPurchaseAllowed: true });
    await createSelfPurchase(ctx, {
      orgId: franchise.id,
      warehouseId: franchise.warehouseId,
      supplierId: s1 as number,
      inspector: `${franchise.name}店长`,
      confirm: true,
      lines: plain.slice(0, 2).map((p, i) => ({ productId: p.id, qty: '24', unitPrice: price(p.id, i) })),
    });
    const fo = await createFirstOperation(ctx, {
      orgId: franchise.id,
      kind: 'product',
      reason: '周边小区居民常问 / customers keep asking for it',
      proposal: {
        code: 'FO-DEMO-001',
        name: '本地土鸡蛋 10枚装',
        spec: '10枚/盒',
        prices: { purchase: '12.80', retail: '16.80' },
      },
    });
    await transition(ctx, fo.id, 'submit');
  }
}
