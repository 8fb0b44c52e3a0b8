import {
  type BarcodeLookupDto,
  type CreateProductCommand,
  createProductBody,
  DomainError,
  type ProductDto,
  type ProductListQuery,
  parseScaleBarcode,
  productFlagLabels,
  type UpdateProductCommand,
  updateProductBody,
} from '@erp/contracts';
import { type DB, type Kysely, sql, type Transaction } from '@erp/db';
import type { RawBuilder } from 'kysely';
import type { z } from 'zod';
import { recordAudit } from '../audit/audit.service.js';
import { authorize, type Ctx } from '../platform/context.js';
import { type ExportColumn, exportXlsx } from '../platform/excel.js';
import { assertMasterDataWriter, assertVisibleStore, type Db } from './catalog.access.js';
import { likeEscape, normalizeScaleCode, pinyinInitials } from './catalog.rules.js';
import { insertPriceRows, PRICE_EPOCH } from './price-rows.js';
import { loadProduct, productSelect, toProductDto } from './product.repository.js';
import { getScaleBarcodeSettings } from './settings.service.js';

type ProductFields = z.output<typeof updateProductBody>;

async function assertExists(db: Db, table: 'unit' | 'category' | 'brand', ids: (number | null | undefined)[]): Promise<void> {
  const wanted = [...new Set(ids.filter((x): x is number => typeof x === 'number'))];
  if (!wanted.length) return;
  const rows = await db.selectFrom(table).select('id').where('id', 'in', wanted).execute();
  const have = new Set(rows.map((r) => r.id));
  const missing = wanted.find((i) => !have.has(i));
  if (missing !== undefined) throw new DomainError('NOT_FOUND', { entity: table, id: missing });
}

async function assertPartner(db: Db, id: number | null | undefined, kind: 'supplier' | 'manufacturer'): Promise<void> {
  if (id === null || id === undefined) return;
  const row = await db.selectFrom('partner').select('id').where('id', '=', id).where('kind', '=', kind).executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', { entity: kind, id });
}

async function checkReferences(db: Db, f: Partial<ProductFields>, unitIds: number[]): Promise<void> {
  await assertExists(db, 'unit', [f.baseUnitId, ...unitIds]);
  await assertExists(db, 'category', [f.categoryId]);
  await assertExists(db, 'brand', [f.brandId]);
  await assertPartner(db, f.manufacturerId, 'manufacturer');
  await assertPartner(db, f.defaultSupplierId, 'supplier');
}

async function assertScaleCodeFree(db: Db, scaleCode: string | null, productId: number | null): Promise<void> {
  if (scaleCode === null) return;
  let q = db.selectFrom('product').select(['id', 'code']).where('scale_code', '=', scaleCode);
  if (productId !== null) q = q.where('id', '<>', productId);
  const hit = await q.executeTakeFirst();
  if (hit) throw new DomainError('SCALE_CODE_TAKEN', { scaleCode, product: hit.code });
}

interface BarcodeWrite {
  barcode: string;
  kind: 'ean13' | 'ean8' | 'internal';
  unitId: number | null;
  isPrimary: boolean;
}

/** Barcodes as given, with kinds inferred and exactly one primary (the first unless one is marked). */
function normalizeBarcodes(list: z.output<typeof updateProductBody>['barcodes']): BarcodeWrite[] {
  const items = (list ?? []).map((b) => ({
    barcode: b.barcode,
    kind: b.kind ?? (b.barcode.length === 8 ? 'ean8' : 'ean13'),
    unitId: b.unitId ?? null,
    isPrimary: b.isPrimary ?? false,
  })) as BarcodeWrite[];
  const primary = items.findIndex((b) => b.isPrimary);
  items.forEach((b, i) => {
    b.isPrimary = i === (primary === -1 ? 0 : primary);
  });
  return items;
}

/**
 * Makes `barcodes` the product's active barcodes: refuses codes another product holds, reactivates or
 * takes over inactive rows, deactivates the product's codes no longer listed (never deletes: tills learn
 * of removals through the delta sync).
 */
async function replaceBarcodes(db: Db, productId: number, barcodes: BarcodeWrite[], packUnitIds: number[]): Promise<void> {
  for (const b of barcodes) {
    if (b.unitId !== null && !packUnitIds.includes(b.unitId)) {
      throw new DomainError('UNIT_NOT_OF_PRODUCT', { unit: b.unitId, product: productId });
    }
  }
  const codes = barcodes.map((b) => b.barcode);
  if (codes.length) {
    const taken = await db
      .selectFrom('product_barcode as pb')
      .innerJoin('product as p', 'p.id', 'pb.product_id')
      .select(['pb.barcode', 'p.code'])
      .where('pb.barcode', 'in', codes)
      .where('pb.active', '=', true)
      .where('pb.product_id', '<>', productId)
      .executeTakeFirst();
    if (taken) throw new DomainError('BARCODE_TAKEN', { barcode: taken.barcode, product: taken.code });
  }
  let deactivate = db
    .updateTable('product_barcode')
    .set({ active: false, is_primary: false })
    .where('product_id', '=', productId)
    .where('active', '=', true);
  if (codes.length) deactivate = deactivate.where('barcode', 'not in', codes);
  await deactivate.execute();
  if (!codes.length) return;
  await db
    .insertInto('product_barcode')
    .values(
      barcodes.map((b) => ({
        barcode: b.barcode,
        product_id: productId,
        unit_id: b.unitId,
        kind: b.kind,
        is_primary: b.isPrimary,
      })),
    )
    .onConflict((oc) =>
      oc.column('barcode').doUpdateSet((eb) => ({
        product_id: eb.ref('excluded.product_id'),
        unit_id: eb.ref('excluded.unit_id'),
        kind: eb.ref('excluded.kind'),
        is_primary: eb.ref('excluded.is_primary'),
        active: true,
      })),
    )
    .execute();
}

async function replaceUnits(db: Db, productId: number, units: { unitId: number; factor: string }[], baseUnitId: number | null) {
  const seen = new Set<number>();
  for (const u of units) {
    if (seen.has(u.unitId) || u.unitId === baseUnitId) {
      throw new DomainError('VALIDATION_FAILED', {}, [
        {
          path: 'units',
          code: 'duplicate',
          message: '包装单位重复或与基本单位相同',
          messageZh: '包装单位重复或与基本单位相同',
          messageEn: 'A pack unit is listed twice or equals the base unit',
        },
      ]);
    }
    seen.add(u.unitId);
  }
  await db.deleteFrom('product_unit').where('product_id', '=', productId).execute();
  if (units.length) {
    await db
      .insertInto('product_unit')
      .values(units.map((u) => ({ product_id: productId, unit_id: u.unitId, factor: u.factor })))
      .execute();
  }
}

function columnsOf(f: Partial<ProductFields>) {
  return {
    ...(f.name !== undefined ? { name: f.name, pinyin: pinyinInitials(f.name) } : {}),
    ...(f.spec !== undefined ? { spec: f.spec } : {}),
    ...(f.baseUnitId !== undefined ? { base_unit_id: f.baseUnitId } : {}),
    ...(f.categoryId !== undefined ? { category_id: f.categoryId } : {}),
    ...(f.brandId !== undefined ? { brand_id: f.brandId } : {}),
    ...(f.manufacturerId !== undefined ? { manufacturer_id: f.manufacturerId } : {}),
    ...(f.defaultSupplierId !== undefined ? { default_supplier_id: f.defaultSupplierId } : {}),
    ...(f.taxRate !== undefined ? { tax_rate: f.taxRate } : {}),
    ...(f.batchTracked !== undefined ? { batch_tracked: f.batchTracked } : {}),
    ...(f.shelfLifeDays !== undefined ? { shelf_life_days: f.shelfLifeDays } : {}),
    ...(f.minRequisitionQty !== undefined ? { min_requisition_qty: f.minRequisitionQty } : {}),
    ...(f.weighed !== undefined ? { weighed: f.weighed } : {}),
    ...(f.scaleCode !== undefined ? { scale_code: normalizeScaleCode(f.scaleCode) } : {}),
    ...(f.bannedFromRequisition !== undefined ? { banned_from_requisition: f.bannedFromRequisition } : {}),
    ...(f.notCarried !== undefined ? { not_carried: f.notCarried } : {}),
    ...(f.discontinued !== undefined ? { discontinued: f.discontinued } : {}),
    ...(f.prescription !== undefined ? { prescription: f.prescription } : {}),
    ...(f.origin !== undefined ? { origin: f.origin } : {}),
    ...(f.remarks !== undefined ? { remarks: f.remarks } : {}),
    ...(f.active !== undefined ? { active: f.active } : {}),
  };
}

/**
 * Creates a product (MD-1). `{ code, name, batchTracked }` is enough; everything else is optional:
 * barcodes (check digits verified), pack units with exact factors, references, flags and first prices.
 */
export async function createProduct(ctx: Ctx, input: CreateProductCommand): Promise<ProductDto> {
  authorize(ctx, 'product', 'create');
  const root = await assertMasterDataWriter(ctx);
  const cmd = createProductBody.parse(input);
  const dup = await ctx.db.selectFrom('product').select('id').where('code', '=', cmd.code).executeTakeFirst();
  if (dup) throw new DomainError('DUPLICATE', { field: 'code', value: cmd.code });
  await checkReferences(
    ctx.db,
    cmd,
    cmd.units.map((u) => u.unitId),
  );
  const scaleCode = normalizeScaleCode(cmd.scaleCode);
  await assertScaleCodeFree(ctx.db, scaleCode, null);
  const row = await ctx.db
    .insertInto('product')
    .values({ code: cmd.code, name: cmd.name, pinyin: pinyinInitials(cmd.name), ...columnsOf(cmd) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await replaceUnits(ctx.db, row.id, cmd.units, cmd.baseUnitId ?? null);
  await replaceBarcodes(
    ctx.db,
    row.id,
    normalizeBarcodes(cmd.barcodes),
    cmd.units.map((u) => u.unitId),
  );
  const prices = Object.entries(cmd.prices ?? {}).filter(([, v]) => v !== undefined) as [string, string][];
  if (prices.length) {
    authorize(ctx, 'price', 'edit');
    await insertPriceRows(
      ctx.db,
      prices.map(([type, price]) => ({
        productId: row.id,
        priceType: type as 'retail',
        scope: 'all',
        region: null,
        storeId: null,
        price,
        effectiveFrom: PRICE_EPOCH,
        effectiveTo: null,
        source: 'initial',
        sourceDocumentId: null,
        createdBy: ctx.actor.userId || null,
      })),
    );
  }
  const dto = (await loadProduct(ctx.db, row.id)) as ProductDto;
  await recordAudit(ctx, {
    action: 'create',
    entity: 'product',
    entityId: row.id,
    after: { ...dto, ...(prices.length ? { prices: Object.fromEntries(prices) } : {}) },
    orgId: root,
  });
  return dto;
}

/** Edits a product under an optimistic lock; `barcodes`/`units`, when given, replace the product's sets. */
export async function updateProduct(ctx: Ctx, id: number, input: UpdateProductCommand): Promise<ProductDto> {
  authorize(ctx, 'product', 'edit');
  const root = await assertMasterDataWriter(ctx);
  const cmd = updateProductBody.parse(input);
  const locked = await ctx.db.selectFrom('product').select(['id', 'version']).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!locked) throw new DomainError('NOT_FOUND', { entity: 'product', id });
  if (locked.version !== cmd.version) throw new DomainError('CONFLICT');
  const before = (await loadProduct(ctx.db, id)) as ProductDto;
  await checkReferences(
    ctx.db,
    cmd,
    (cmd.units ?? []).map((u) => u.unitId),
  );
  if (cmd.scaleCode !== undefined) await assertScaleCodeFree(ctx.db, normalizeScaleCode(cmd.scaleCode), id);
  await ctx.db
    .updateTable('product')
    .set({ ...columnsOf(cmd), version: before.version + 1, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
  const baseUnitId = cmd.baseUnitId !== undefined ? cmd.baseUnitId : before.baseUnitId;
  if (cmd.units) await replaceUnits(ctx.db, id, cmd.units, baseUnitId);
  const packUnitIds = cmd.units ? cmd.units.map((u) => u.unitId) : before.units.map((u) => u.unitId);
  if (cmd.barcodes) await replaceBarcodes(ctx.db, id, normalizeBarcodes(cmd.barcodes), packUnitIds);
  else if (cmd.units) {
    // Barcodes of a removed pack unit would scan as an unknown unit: refuse rather than guess.
    const orphan = before.barcodes.find((b) => b.unitId !== null && !packUnitIds.includes(b.unitId));
    if (orphan) throw new DomainError('UNIT_NOT_OF_PRODUCT', { unit: orphan.unitId ?? '-', product: before.code });
  }
  const after = (await loadProduct(ctx.db, id)) as ProductDto;
  await recordAudit(ctx, { action: 'update', entity: 'product', entityId: id, before, after, orgId: root });
  return after;
}

export async function getProduct(ctx: Ctx, id: number): Promise<ProductDto> {
  authorize(ctx, 'product', 'view');
  const dto = await loadProduct(ctx.db, id);
  if (!dto) throw new DomainError('NOT_FOUND', { entity: 'product', id });
  return dto;
}

// ---- lists

/** The conditions of a product list query, as SQL over alias `p` (shared by count, page and export). */
async function productConditions(ctx: Ctx, q: Partial<ProductListQuery>): Promise<RawBuilder<boolean>> {
  const c: RawBuilder<unknown>[] = [sql`true`];
  const like = (s: string) => `%${likeEscape(s)}%`;
  if (q.q) {
    const term = q.q.trim();
    c.push(sql`(p.code ilike ${like(term)} or p.name ilike ${like(term)} or p.pinyin ilike ${like(term.toLowerCase())}
      or exists (select 1 from product_barcode x where x.product_id = p.id and x.barcode = ${term} and x.active))`);
  }
  if (q.code) c.push(sql`p.code ilike ${like(q.code)}`);
  if (q.name) c.push(sql`p.name ilike ${like(q.name)}`);
  if (q.pinyin) c.push(sql`p.pinyin like ${`${likeEscape(q.pinyin.toLowerCase())}%`}`);
  if (q.barcode) {
    const scale = parseScaleBarcode(q.barcode, await getScaleBarcodeSettings(ctx.db));
    c.push(sql`(exists (select 1 from product_barcode x where x.product_id = p.id and x.barcode = ${q.barcode} and x.active)
      or p.scale_code = ${scale ? normalizeScaleCode(scale.itemCode) : null})`);
  }
  if (q.categoryId !== undefined) {
    c.push(sql`p.category_id in (select d.id from category d, category r
      where r.id = ${q.categoryId} and d.path like r.path || '%')`);
  }
  if (q.brandId !== undefined) c.push(sql`p.brand_id = ${q.brandId}`);
  if (q.manufacturerId !== undefined) c.push(sql`p.manufacturer_id = ${q.manufacturerId}`);
  if (q.supplierId !== undefined) c.push(sql`p.default_supplier_id = ${q.supplierId}`);
  if (q.storeId !== undefined) {
    await assertVisibleStore(ctx, q.storeId);
    c.push(sql`(not exists (select 1 from store_catalog sc where sc.store_id = ${q.storeId} and cardinality(sc.category_ids) > 0)
      or p.category_id in (select d.id from store_catalog sc, category r, category d
        where sc.store_id = ${q.storeId} and r.id = any(sc.category_ids) and d.path like r.path || '%'))`);
  }
  const flags = {
    batchTracked: 'batch_tracked',
    weighed: 'weighed',
    bannedFromRequisition: 'banned_from_requisition',
    notCarried: 'not_carried',
    discontinued: 'discontinued',
    prescription: 'prescription',
    active: 'active',
  } as const;
  for (const [key, column] of Object.entries(flags)) {
    const v = q[key as keyof typeof flags];
    if (v !== undefined) c.push(sql`${sql.ref(`p.${column}`)} = ${v}`);
  }
  return sql<boolean>`${sql.join(c, sql` and `)}`;
}

const sortColumns = {
  code: 'p.code',
  name: 'p.name',
  pinyin: 'p.pinyin',
  createdAt: 'p.created_at',
  updatedAt: 'p.updated_at',
  category: 'c.name',
  brand: 'b.name',
} as const;

export async function listProducts(ctx: Ctx, q: ProductListQuery) {
  authorize(ctx, 'product', 'view');
  const where = await productConditions(ctx, q);
  const { total } = await ctx.db
    .selectFrom('product as p')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where(where)
    .executeTakeFirstOrThrow();
  const sortCol = sortColumns[(q.sort ?? 'code') as keyof typeof sortColumns] ?? 'p.code';
  const rows = await productSelect(ctx.db)
    .where(where)
    .orderBy(sql.ref(sortCol), (ob) => (q.order === 'desc' ? ob.desc() : ob.asc()).nullsLast())
    .orderBy('p.id', q.order)
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { items: rows.map(toProductDto), total: Number(total), page: q.page, pageSize: q.pageSize };
}

const EXPORT_LIMIT = 200_000;

/** The product list as .xlsx, same filters as the screen, headers in the user's language. */
export async function exportProducts(ctx: Ctx, q: Partial<ProductListQuery>): Promise<Buffer> {
  authorize(ctx, 'product', 'export');
  const where = await productConditions(ctx, q);
  const rows = (await productSelect(ctx.db).where(where).orderBy('p.code').limit(EXPORT_LIMIT).execute()).map(toProductDto);
  const zh = ctx.locale !== 'en';
  const yes = (b: boolean) => (b ? (zh ? '是' : 'Y') : '');
  const col = (h: [string, string], value: ExportColumn<ProductDto>['value'], extra: Partial<ExportColumn<ProductDto>> = {}) => ({
    header: zh ? h[0] : h[1],
    value,
    ...extra,
  });
  const columns: ExportColumn<ProductDto>[] = [
    col(['商品编码', 'Code'], (p) => p.code, { width: 14 }),
    col(['商品名称', 'Name'], (p) => p.name, { width: 30 }),
    col(['规格', 'Spec'], (p) => p.spec),
    col(['助记码', 'Pinyin'], (p) => p.pinyin),
    col(['主条码', 'Main barcode'], (p) => p.barcodes[0]?.barcode ?? '', { width: 16 }),
    col(['全部条码', 'All barcodes'], (p) => p.barcodes.map((b) => b.barcode).join(';'), { width: 30 }),
    col(['基本单位', 'Base unit'], (p) => p.baseUnitName),
    col(['包装单位', 'Pack units'], (p) => p.units.map((u) => `${u.unitName}=${u.factor}`).join(';')),
    col(['类别', 'Category'], (p) => p.categoryName),
    col(['品牌', 'Brand'], (p) => p.brandName),
    col(['生产厂家', 'Manufacturer'], (p) => p.manufacturerName, { width: 20 }),
    col(['默认供应商', 'Default supplier'], (p) => p.defaultSupplierName, { width: 20 }),
    col(['税率%', 'Tax %'], (p) => p.taxRate, { numFmt: '0.00' }),
    col(['批次管理', 'Batch tracked'], (p) => yes(p.batchTracked)),
    col(['保质期(天)', 'Shelf life (days)'], (p) => p.shelfLifeDays),
    col(['最小请货数量', 'Min. requisition'], (p) => p.minRequisitionQty, { numFmt: '0.###' }),
    col(['称重', 'Weighed'], (p) => yes(p.weighed)),
    col(['秤码', 'Scale code'], (p) => p.scaleCode),
    col([productFlagLabels.bannedFromRequisition.zh, productFlagLabels.bannedFromRequisition.en], (p) =>
      yes(p.bannedFromRequisition),
    ),
    col([productFlagLabels.notCarried.zh, productFlagLabels.notCarried.en], (p) => yes(p.notCarried)),
    col([productFlagLabels.discontinued.zh, productFlagLabels.discontinued.en], (p) => yes(p.discontinued)),
    col([productFlagLabels.prescription.zh, productFlagLabels.prescription.en], (p) => yes(p.prescription)),
    col(['产地', 'Origin'], (p) => p.origin),
    col(['启用', 'Active'], (p) => yes(p.active)),
  ];
  return exportXlsx(zh ? '商品' : 'Products', columns, rows);
}

// ---- lookup by barcode (the till and the scanners)

function isCtx(x: Ctx | Db): x is Ctx {
  return typeof x === 'object' && x !== null && 'actor' in x && 'scope' in x;
}

/**
 * The product a scanned code names. An exact barcode is one primary-key lookup (product_barcode's
 * primary key index; see the plan test in catalog.test.ts) joined to the product in the same statement.
 * A code that is no barcode but reads as a weighed-goods label (prefix 2x under the company's layout)
 * resolves by the product's scale code, with the embedded price or weight. Null when nothing matches.
 */
export async function findProductByBarcode(
  source: Ctx | Kysely<DB> | Transaction<DB>,
  raw: string,
): Promise<BarcodeLookupDto | null> {
  const db = isCtx(source) ? source.db : source;
  if (isCtx(source)) authorize(source, 'product', 'view');
  const code = raw.trim();
  if (!code) return null;
  const hit = await productSelect(db)
    .innerJoin('product_barcode as hit', 'hit.product_id', 'p.id')
    .select(['hit.barcode as hit_barcode', 'hit.unit_id as hit_unit_id'])
    .where('hit.barcode', '=', code)
    .where('hit.active', '=', true)
    .executeTakeFirst();
  if (hit) {
    const product = toProductDto(hit);
    const unitId = hit.hit_unit_id;
    const factor = unitId === null ? '1' : (product.units.find((u) => u.unitId === unitId)?.factor ?? '1');
    return { product, barcode: hit.hit_barcode, unitId, factor, scale: null };
  }
  if (!code.startsWith('2')) return null;
  const scale = parseScaleBarcode(code, await getScaleBarcodeSettings(db));
  if (!scale) return null;
  const row = await productSelect(db).where('p.scale_code', '=', normalizeScaleCode(scale.itemCode)).executeTakeFirst();
  if (!row) return null;
  return {
    product: toProductDto(row),
    barcode: code,
    unitId: null,
    factor: '1',
    scale: { itemCode: scale.itemCode, valueKind: scale.valueKind, value: scale.value },
  };
}
