import {
  buildScaleBarcode,
  checkBarcode,
  convertQty,
  DEFAULT_SCALE_SETTINGS,
  eanCheckDigit,
  fromBaseQty,
  isRequisitionMultiple,
  isValidEan8,
  isValidEan13,
  parseScaleBarcode,
  roundUpToMultiple,
  splitIntoPacks,
  toBaseQty,
  withCheckDigit,
} from '@erp/contracts';
import { sql } from '@erp/db';
import { asUser, expectRefusal, useTestChain } from '@erp/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../org/open-store.service.js';
import type { Ctx } from '../platform/context.js';
import { pinyinInitials } from './catalog.rules.js';
import { createCategory, deleteCategory, listCategories, updateCategory } from './category.service.js';
import { createProduct, findProductByBarcode, getProduct, listProducts, updateProduct } from './product.service.js';
import { updateScaleBarcodeSettings } from './settings.service.js';
import { createSimple } from './simple-master.js';
import { getStoreCatalog, setStoreCatalog } from './store-catalog.service.js';
import { brandTable, unitTable } from './units-brands.js';

const { database, chain } = useTestChain();

const admin = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), chain.users.hqAdmin, fn);
const storeSuper = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), chain.users.storeASuper, fn);
const cashier = <T>(fn: (ctx: Ctx) => Promise<T>) => asUser(database(), chain.users.storeACashier, fn);

const page = { page: 1, pageSize: 50, order: 'asc' as const };

describe('barcodes (pure rules)', () => {
  it('computes and verifies EAN-13 and EAN-8 check digits', () => {
    expect(eanCheckDigit('690123456789')).toBe(2);
    expect(isValidEan13('6901234567892')).toBe(true);
    expect(isValidEan13('6901234567893')).toBe(false);
    expect(isValidEan13('4006381333931')).toBe(true);
    expect(isValidEan8('96385074')).toBe(true);
    expect(isValidEan8('96385075')).toBe(false);
    expect(withCheckDigit('400638133393')).toBe('4006381333931');
  });

  it('refuses a wrong check digit and codes that are no EAN unless declared internal', () => {
    expect(checkBarcode('6901234567892')).toEqual({ ok: true, kind: 'ean13' });
    expect(checkBarcode('96385074')).toEqual({ ok: true, kind: 'ean8' });
    const bad = checkBarcode('6901234567893');
    expect(bad.ok).toBe(false);
    expect(bad.ok === false && bad.reason).toBe('check_digit');
    expect(checkBarcode('ABC-123').ok).toBe(false);
    expect(checkBarcode('ABC-123', 'internal')).toEqual({ ok: true, kind: 'internal' });
    expect(checkBarcode('12345', 'ean13').ok).toBe(false);
  });

  it('parses weighed-goods labels under a configurable layout', () => {
    const price = buildScaleBarcode(DEFAULT_SCALE_SETTINGS.layouts[0]!, 42, '12.34');
    expect(price).toMatch(/^2000042012345$|^20000420123\d\d$/);
    expect(parseScaleBarcode(price)).toMatchObject({ itemCode: '00042', valueKind: 'price', value: '12.34' });
    const weight = buildScaleBarcode(DEFAULT_SCALE_SETTINGS.layouts[1]!, 7, '1.235');
    expect(parseScaleBarcode(weight)).toMatchObject({ itemCode: '00007', valueKind: 'weight', value: '1.235' });
    // A misread check digit is refused.
    const broken = `${weight.slice(0, 12)}${(Number(weight[12]) + 1) % 10}`;
    expect(parseScaleBarcode(broken)).toBeNull();
    // Another layout: prefix 22, 6-digit PLU, 4-digit weight in 10 g steps (2 decimals).
    const custom = {
      enabled: true,
      verifyCheckDigit: true,
      layouts: [{ prefix: '22', itemCodeLength: 6, valueLength: 4, valueKind: 'weight' as const, decimals: 2 }],
    };
    const code = buildScaleBarcode(custom.layouts[0]!, 123456, '3.5');
    expect(parseScaleBarcode(code, custom)).toMatchObject({ itemCode: '123456', value: '3.50', valueKind: 'weight' });
    expect(parseScaleBarcode(code)).toBeNull();
    expect(parseScaleBarcode('6901234567892')).toBeNull();
  });
});

describe('units (pure rules)', () => {
  it('converts exactly and refuses conversions that would round', () => {
    expect(toBaseQty('2.5', '24')).toBe('60');
    expect(toBaseQty('0.1', '0.3')).toBe('0.03');
    // 0.1 + 0.2 style float traps do not exist here.
    expect(toBaseQty('3', '0.1')).toBe('0.3');
    expect(fromBaseQty('60', '24')).toBe('2.5');
    expect(() => fromBaseQty('10', '3')).toThrow(RangeError);
    expect(fromBaseQty('1', '8')).toBe('0.125');
    expect(() => fromBaseQty('1', '16')).toThrow(RangeError); // 0.0625 needs 4 places
    expect(convertQty('1', '24', '6')).toBe('4');
    expect(splitIntoPacks('50', '24')).toEqual({ packs: '2', remainder: '2' });
    expect(() => toBaseQty('1', '0')).toThrow(RangeError);
  });

  it('checks requisition multiples', () => {
    expect(isRequisitionMultiple('24', '12')).toBe(true);
    expect(isRequisitionMultiple('18', '12')).toBe(false);
    expect(isRequisitionMultiple('1.5', '0.5')).toBe(true);
    expect(isRequisitionMultiple('7', null)).toBe(true);
    expect(roundUpToMultiple('13', '12')).toBe('24');
  });

  it('computes pinyin initials for till search', () => {
    expect(pinyinInitials('农夫山泉饮用天然水 550ml')).toBe('nfsqyytrs550ml');
    expect(pinyinInitials('长城干红')).toBe('ccgh');
  });
});

describe('products (MD-1)', () => {
  let bottle: number;
  let box: number;
  let drinks: number;
  let water: number;
  let brand: number;

  beforeAll(async () => {
    await admin(async (ctx) => {
      bottle = (await createSimple(ctx, unitTable, { code: 'PING', name: '瓶' })).id;
      box = (await createSimple(ctx, unitTable, { code: 'XIANG', name: '箱' })).id;
      brand = (await createSimple(ctx, brandTable, { code: 'NFSQ', name: '农夫山泉' })).id;
      const food = await createCategory(ctx, { code: '01', name: '食品' });
      drinks = (await createCategory(ctx, { parentId: food.id, code: '0101', name: '饮料' })).id;
      water = (await createCategory(ctx, { parentId: drinks, code: '010101', name: '矿泉水' })).id;
    });
  });

  it('creates a product with two barcodes, a pack unit and references', async () => {
    const p = await admin((ctx) =>
      createProduct(ctx, {
        code: 'W550',
        name: '农夫山泉饮用天然水',
        spec: '550ml',
        baseUnitId: bottle,
        categoryId: water,
        brandId: brand,
        shelfLifeDays: 540,
        minRequisitionQty: '24',
        barcodes: [{ barcode: '6921168509256' }, { barcode: '6921168593576', unitId: box }],
        units: [{ unitId: box, factor: '24' }],
        prices: { retail: '2.00', member: '1.80', purchase: '1.10' },
      }),
    );
    expect(p.pinyin).toBe('nfsqyytrs');
    expect(p.barcodes.map((b) => b.barcode)).toEqual(['6921168509256', '6921168593576']);
    expect(p.barcodes[0]?.isPrimary).toBe(true);
    expect(p.units).toEqual([{ unitId: box, unitName: '箱', factor: '24' }]);
    expect(p.categoryName).toBe('矿泉水');
    expect(p.taxRate).toBe('13');
    const hit = await findProductByBarcode(database().db, '6921168593576');
    expect(hit?.product.id).toBe(p.id);
    expect(hit?.unitId).toBe(box);
    expect(hit?.factor).toBe('24');
  });

  it('keeps the minimal createProduct(ctx, { code, name, batchTracked }) working', async () => {
    const p = await admin((ctx) => createProduct(ctx, { code: 'MIN1', name: '简单商品', batchTracked: true }));
    expect(p).toMatchObject({ code: 'MIN1', batchTracked: true, barcodes: [], units: [] });
  });

  it('refuses a bad check digit, a barcode held by another product and a duplicate code', async () => {
    await expect(
      admin((ctx) => createProduct(ctx, { code: 'BAD1', name: '坏条码', barcodes: [{ barcode: '6921168509257' }] })),
    ).rejects.toMatchObject({ name: 'ZodError' });
    await expectRefusal(
      admin((ctx) => createProduct(ctx, { code: 'BAD2', name: '重复条码', barcodes: [{ barcode: '6921168509256' }] })),
      'BARCODE_TAKEN',
    );
    await expectRefusal(
      admin((ctx) => createProduct(ctx, { code: 'W550', name: 'x' })),
      'DUPLICATE',
    );
    const none = await database().db.selectFrom('product').select('id').where('code', 'in', ['BAD1', 'BAD2']).execute();
    expect(none).toEqual([]);
  });

  it('accepts internal codes flagged as such', async () => {
    const p = await admin((ctx) =>
      createProduct(ctx, { code: 'INT1', name: '散装糖果', barcodes: [{ barcode: 'TG-001', kind: 'internal' }] }),
    );
    expect(p.barcodes[0]).toMatchObject({ barcode: 'TG-001', kind: 'internal' });
    expect((await findProductByBarcode(database().db, 'TG-001'))?.product.code).toBe('INT1');
  });

  it('edits under an optimistic lock and replaces barcodes (removed codes are deactivated, then reusable)', async () => {
    const p = await admin((ctx) => createProduct(ctx, { code: 'E1', name: '可编辑', barcodes: [{ barcode: '6901234567892' }] }));
    const e = await admin((ctx) =>
      updateProduct(ctx, p.id, { version: p.version, name: '已编辑', barcodes: [{ barcode: '96385074' }] }),
    );
    expect(e.name).toBe('已编辑');
    expect(e.version).toBe(p.version + 1);
    expect(e.barcodes.map((b) => b.barcode)).toEqual(['96385074']);
    expect(await findProductByBarcode(database().db, '6901234567892')).toBeNull();
    await expectRefusal(
      admin((ctx) => updateProduct(ctx, p.id, { version: p.version, name: '过期' })),
      'CONFLICT',
    );
    // The removed code can go to another product.
    const q = await admin((ctx) =>
      createProduct(ctx, { code: 'E2', name: '接手条码', barcodes: [{ barcode: '6901234567892' }] }),
    );
    expect((await findProductByBarcode(database().db, '6901234567892'))?.product.id).toBe(q.id);
  });

  it('finds weighed goods by a scale label with the embedded price or weight', async () => {
    const apple = await admin((ctx) =>
      createProduct(ctx, { code: 'F001', name: '红富士苹果（散称）', weighed: true, scaleCode: '00042' }),
    );
    expect(apple.scaleCode).toBe('42');
    const label = buildScaleBarcode(DEFAULT_SCALE_SETTINGS.layouts[1]!, 42, '1.250');
    const hit = await findProductByBarcode(database().db, label);
    expect(hit?.product.id).toBe(apple.id);
    expect(hit?.scale).toEqual({ itemCode: '00042', valueKind: 'weight', value: '1.250' });
    // The company changes its layout: prefix 28 = price, 4-digit PLU, 6-digit price.
    await admin((ctx) =>
      updateScaleBarcodeSettings(ctx, {
        enabled: true,
        verifyCheckDigit: true,
        layouts: [{ prefix: '28', itemCodeLength: 4, valueLength: 6, valueKind: 'price', decimals: 2 }],
      }),
    );
    const label2 = buildScaleBarcode(
      { prefix: '28', itemCodeLength: 4, valueLength: 6, valueKind: 'price', decimals: 2 },
      42,
      '23.80',
    );
    expect((await findProductByBarcode(database().db, label2))?.scale).toEqual({
      itemCode: '0042',
      valueKind: 'price',
      value: '23.80',
    });
    expect(await findProductByBarcode(database().db, label)).toBeNull();
  });

  it('looks barcodes up through the primary-key index', async () => {
    // Enough rows that the planner would not pick a sequential scan anyway; analyzed like the maintenance job does.
    await database()
      .db.transaction()
      .execute(async (trx) => {
        await sql`insert into product (code, name) select 'IDX' || g, '索引测试' || g from generate_series(1, 3000) g`.execute(
          trx,
        );
        await sql`insert into product_barcode (barcode, product_id, kind)
        select 'IX' || p.id, p.id, 'internal' from product p where p.code like 'IDX%'`.execute(trx);
      });
    await sql`analyze product_barcode`.execute(database().db);
    const plan = await sql<{
      'QUERY PLAN': string;
    }>`explain select * from product_barcode where barcode = ${'IX123'} and active`.execute(database().db);
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Scan using product_barcode_pkey/);
  });

  it('lists server-side with filters, search by pinyin and barcode, category subtree, sort and paging', async () => {
    const byPinyin = await admin((ctx) => listProducts(ctx, { ...page, q: 'nfsq' }));
    expect(byPinyin.items.map((p) => p.code)).toEqual(['W550']);
    const byBarcode = await admin((ctx) => listProducts(ctx, { ...page, barcode: '6921168593576' }));
    expect(byBarcode.items.map((p) => p.code)).toEqual(['W550']);
    const subtree = await admin((ctx) => listProducts(ctx, { ...page, categoryId: drinks }));
    expect(subtree.items.map((p) => p.code)).toEqual(['W550']);
    const batch = await admin((ctx) => listProducts(ctx, { ...page, batchTracked: true, code: 'MIN' }));
    expect(batch.items.map((p) => p.code)).toEqual(['MIN1']);
    const paged = await admin((ctx) => listProducts(ctx, { page: 2, pageSize: 10, order: 'desc', sort: 'code', code: 'IDX' }));
    expect(paged.total).toBe(3000);
    expect(paged.items).toHaveLength(10);
    expect(paged.items[0]!.code > paged.items[9]!.code).toBe(true);
  });

  it('limits a store to its assortment (门店基础资料) when one is set', async () => {
    await admin((ctx) => setStoreCatalog(ctx, chain.storeA.id, { categoryIds: [drinks] }));
    const seen = await cashier((ctx) => listProducts(ctx, { ...page, storeId: chain.storeA.id, pageSize: 500 }));
    expect(seen.items.map((p) => p.code)).toEqual(['W550']);
    await expectRefusal(
      cashier((ctx) => listProducts(ctx, { ...page, storeId: chain.storeB.id })),
      'NOT_FOUND',
    );
  });

  it('lets only HQ-scoped users change master data, whatever their grants', async () => {
    await expectRefusal(
      storeSuper((ctx) => createProduct(ctx, { code: 'HACK', name: '越权' })),
      'MASTER_DATA_HQ_ONLY',
    );
    await expectRefusal(
      cashier((ctx) => createProduct(ctx, { code: 'HACK2', name: '越权' })),
      'FORBIDDEN',
    );
    // Reading is for everyone with the grant.
    const p = await cashier((ctx) => getProduct(ctx, chain.products.apple));
    expect(p.code).toBe('P001');
  });

  it('keeps the category tree consistent on moves and refuses cycles and deleting used categories', async () => {
    const tree = await admin((ctx) => listCategories(ctx));
    expect(tree.map((c) => c.code).slice(0, 3)).toEqual(['01', '0101', '010101']);
    const other = await admin((ctx) => createCategory(ctx, { code: '02', name: '日化' }));
    const moved = await admin((ctx) => updateCategory(ctx, drinks, { parentId: other.id }));
    expect(moved.path).toBe(`/${other.id}/${drinks}/`);
    const leaf = (await admin((ctx) => listCategories(ctx))).find((c) => c.id === water)!;
    expect(leaf.path).toBe(`/${other.id}/${drinks}/${water}/`);
    expect(leaf.level).toBe(3);
    await expectRefusal(
      admin((ctx) => updateCategory(ctx, other.id, { parentId: water })),
      'CATEGORY_CYCLE',
    );
    await expectRefusal(
      admin((ctx) => deleteCategory(ctx, water)),
      'IN_USE',
    );
  });

  it('opens a new store with a copy of another store assortment, or with named categories (ORG-2)', async () => {
    const copied = await admin((ctx) =>
      openStore(ctx, {
        parentId: chain.retailCentreId,
        code: 'SC',
        name: '门店C',
        storeMode: 'direct',
        catalog: { copyFromStoreId: chain.storeA.id },
      }),
    );
    expect(copied.catalog?.categoryIds).toEqual([drinks]);
    const named = await admin((ctx) =>
      openStore(ctx, {
        parentId: chain.retailCentreId,
        code: 'SD',
        name: '门店D',
        storeMode: 'franchise',
        catalog: { categoryIds: [water] },
      }),
    );
    expect(await admin((ctx) => getStoreCatalog(ctx, named.store.id))).toEqual({
      storeId: named.store.id,
      categoryIds: [water],
      wholeCatalog: false,
    });
    const plain = await admin((ctx) =>
      openStore(ctx, { parentId: chain.retailCentreId, code: 'SE', name: '门店E', storeMode: 'direct' }),
    );
    expect(plain.catalog).toBeNull();
  });
});
