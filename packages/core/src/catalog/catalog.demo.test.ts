import { isValidEan13 } from '@erp/contracts';
import { asSystem, buildTestChain, type TestChain, useTestDatabase } from '@erp/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolvePrices } from '../pricing/index.js';
import { demoProductName, seedCatalogDemo } from './catalog.demo.js';
import { demoTree } from './catalog.demo-data.js';

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

  it('names every product without a doubled brand and sells it in a unit that fits it', async () => {
    const rows = await database()
      .db.selectFrom('product as p')
      .innerJoin('category as c', 'c.id', 'p.category_id')
      .leftJoin('brand as b', 'b.id', 'p.brand_id')
      .leftJoin('unit as u', 'u.id', 'p.base_unit_id')
      .select(['p.name', 'p.spec', 'p.weighed', 'c.code as category', 'b.name as brand', 'u.name as unit'])
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(800);
    const doubled = rows.filter((r) => r.brand && r.name.split(r.brand).length > 2);
    expect(doubled.map((r) => r.name)).toEqual([]);
    // A product that comes in variants names none of them itself ("去屑洗发露（柔顺）", "原味夹心饼干（巧克力味）").
    const clashing = demoTree.flatMap((b) =>
      b.children.flatMap((c) =>
        c.leaves.flatMap((l) => l.items.filter(([, stem]) => l.variants?.some((v) => stem.includes(v))).map(([, stem]) => stem)),
      ),
    );
    expect(clashing).toEqual([]);
    // Specs say what is in the unit, never the unit itself ("330ml罐" is a 罐 of 330ml).
    expect(rows.filter((r) => /^[^×]+(罐|瓶装)$/.test(r.spec ?? '')).map((r) => r.spec)).toEqual([]);
    const unitsOf = (prefix: string) => new Set(rows.filter((r) => r.category.startsWith(prefix)).map((r) => r.unit));
    expect([...unitsOf('0101')].sort()).toEqual(['提', '桶', '瓶', '盒', '罐'].sort());
    expect([...unitsOf('010304')].sort()).toEqual(['包', '提', '桶'].sort());
    expect([...unitsOf('010502')].sort()).toEqual(['瓶', '罐'].sort());
    expect(new Set(rows.filter((r) => r.weighed).map((r) => r.unit))).toEqual(new Set(['千克']));
    // Multipacks (250ml×16盒) are sold as one 提, not as one 盒.
    expect(rows.filter((r) => /×\d+(盒|瓶|罐)$/.test(r.spec ?? '') && r.unit !== '提').map((r) => r.spec)).toEqual([]);
    expect(rows.some((r) => r.name === '可口可乐')).toBe(true);
  });

  it('composes a name from brand, product and variant, never repeating the brand', () => {
    expect(demoProductName('康师傅', '方便面', '红烧牛肉')).toBe('康师傅方便面（红烧牛肉）');
    expect(demoProductName('片仔癀', '片仔癀')).toBe('片仔癀');
    expect(demoProductName('', '海南香蕉')).toBe('海南香蕉');
  });
});
