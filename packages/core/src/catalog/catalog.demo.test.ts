import { isValidEan13 } from '@erp/contracts';
import { asSystem, buildTestChain, type TestChain, useTestDatabase } from '@erp/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolvePrices } from '../pricing/index.js';
import { seedCatalogDemo } from './catalog.demo.js';

const database = useTestDatabase();
let chain: TestChain;

beforeAll(async () => {
  chain = await buildTestChain(database());
  await asSystem(database().db, (ctx) =>
    seedCatalogDemo(ctx, {
      companyId: chain.companyId,
      hqId: chain.hqId,
      dcId: chain.dcId,
      dcWarehouseId: chain.dcWarehouseId,
      retailCentreId: chain.retailCentreId,
      stores: [
        { id: chain.storeA.id, code: 'S001', name: '门店A', warehouseId: chain.storeA.warehouseId, franchise: false },
        { id: chain.storeB.id, code: 'S003', name: '门店B', warehouseId: chain.storeB.warehouseId, franchise: true },
      ],
    }),
  );
});

describe('demo catalog', () => {
  it('builds 800+ products in a 3-level tree with valid EAN-13 barcodes, quickly', async () => {
    const db = database().db;
    const products = await db.selectFrom('product').selectAll().where('code', 'not in', ['P001', 'P002', 'P003']).execute();
    expect(products.length).toBeGreaterThanOrEqual(800);
    const levels = await db.selectFrom('category').select(['level']).execute();
    expect(Math.max(...levels.map((l) => l.level))).toBe(3);
    const barcodes = await db.selectFrom('product_barcode').select(['barcode', 'kind']).execute();
    expect(barcodes.length).toBeGreaterThan(700);
    expect(barcodes.every((b) => isValidEan13(b.barcode))).toBe(true);
    expect(new Set(barcodes.map((b) => b.barcode)).size).toBe(barcodes.length);
    expect(products.filter((p) => p.weighed && p.scale_code).length).toBeGreaterThan(30);
    expect(products.filter((p) => p.prescription).length).toBeGreaterThan(5);
    expect(products.filter((p) => p.batch_tracked && p.shelf_life_days).length).toBeGreaterThan(50);
    // The first 200 ids (what the inventory demo stocks) hold every kind of goods.
    const first = products.sort((a, b) => a.id - b.id).slice(0, 200);
    expect(new Set(first.map((p) => p.code[0])).size).toBe(4);
  });

  it('prices every product for every type, with store overrides and a scheduled price change', async () => {
    const db = database().db;
    const ids = (await db.selectFrom('product').select('id').orderBy('id').limit(40).execute()).map((r) => r.id);
    const now = new Date();
    const a = await resolvePrices(db, {
      storeId: chain.storeA.id,
      productIds: ids,
      priceTypes: ['retail', 'member', 'purchase', 'distribution'],
      at: now,
    });
    const b = await resolvePrices(db, { storeId: chain.storeB.id, productIds: ids, priceTypes: ['retail'], at: now });
    const demoIds = ids.filter((id) => ![chain.products.apple, chain.products.milk, chain.products.batchDrug].includes(id));
    for (const id of demoIds) expect(Object.keys(a.get(id) ?? {})).toHaveLength(4);
    expect(demoIds.some((id) => a.get(id)?.retail !== b.get(id)?.retail)).toBe(true);
    const docs = await db.selectFrom('document').select(['status']).where('doc_type', '=', 'price_change').execute();
    expect(docs.map((d) => d.status).sort()).toEqual(['confirmed', 'pending_approval']);
  });
});
