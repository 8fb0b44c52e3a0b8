import {
  type BarcodeKind,
  barcodeKindLabels,
  checkBarcode,
  dec,
  type FunctionCode,
  type ImportIssue,
  type ImportKind,
  PRICE_TYPES,
  type PriceScope,
  type PriceType,
  priceScopeLabels,
  priceTypeLabels,
} from '@erp/contracts';
import { sql } from '@erp/db';
import {
  type BulkBarcodeRow,
  type BulkProductRow,
  barcodeOwners,
  basePricesAt,
  bulkUpsertBarcodes,
  bulkUpsertProducts,
  bulkUpsertProductUnits,
  insertPriceRows,
  type NewPriceRow,
  normalizeScaleCode,
  PRICE_EPOCH,
  productIdsByCode,
} from '../catalog/index.js';
import { type BulkPartnerRow, bulkUpsertPartners } from '../partners/index.js';
import { authorize, type Ctx } from '../platform/context.js';
import type { ColumnDef, RowReader } from './imports.rows.js';

export interface KindResult {
  created: number;
  updated: number;
}

/** What an import kind knows: its columns, the grant it needs, how to check rows and how to write good ones. */
export interface KindDef<T> {
  kind: ImportKind;
  fn: FunctionCode;
  columns: ColumnDef[];
  /** Checks every row (with a few batched queries), returning the good rows' items; issues go on the readers. */
  check(ctx: Ctx, rows: RowReader[]): Promise<Map<RowReader, T>>;
  write(ctx: Ctx, items: T[], detail: Record<string, unknown>): Promise<KindResult>;
}

const yes: [string, string] = [
  '填“是”或“否”，空 = 否（已有商品空 = 不变）',
  'yes/no; empty = no (unchanged for existing products)',
];

// ---- lookups shared by kinds (one query each, whole tables of code lists are small)

async function codeNameMap(ctx: Ctx, table: 'unit' | 'brand' | 'category'): Promise<Map<string, number>> {
  const rows = await sql<{ id: number; code: string; name: string }>`select id, code, name from ${sql.table(table)}`.execute(
    ctx.db,
  );
  const out = new Map<string, number>();
  const nameCount = new Map<string, number>();
  for (const r of rows.rows) nameCount.set(r.name, (nameCount.get(r.name) ?? 0) + 1);
  // Names resolve only when unique; codes always.
  for (const r of rows.rows) if (nameCount.get(r.name) === 1) out.set(r.name, r.id);
  for (const r of rows.rows) out.set(r.code, r.id);
  return out;
}

async function partnerMap(ctx: Ctx, kind: 'supplier' | 'manufacturer'): Promise<Map<string, number>> {
  const rows = await sql<{
    id: number;
    code: string;
    name: string;
  }>`select id, code, name from partner where kind = ${kind}`.execute(ctx.db);
  const out = new Map<string, number>();
  for (const r of rows.rows) out.set(r.name, r.id);
  for (const r of rows.rows) out.set(r.code, r.id);
  return out;
}

function lookup(r: RowReader, key: string, map: Map<string, number>, what: [string, string]): number | null {
  const v = r.raw(key);
  if (v === '') return null;
  const id = map.get(v);
  if (id === undefined) return r.bad(key, `${what[0]}“${v}”不存在`, `${what[1]} "${v}" does not exist`);
  return id;
}

const priceColumns: [PriceType, string][] = PRICE_TYPES.map((t) => [t, `${t}Price`]);

// ---- products

interface ProductItem {
  row: BulkProductRow;
  barcodes: { barcode: string; kind: BarcodeKind; primary: boolean }[];
  pack: { unitId: number; factor: string } | null;
  prices: Partial<Record<PriceType, string>>;
}

export const productsKind: KindDef<ProductItem> = {
  kind: 'products',
  fn: 'product',
  columns: [
    {
      key: 'code',
      zh: '商品编码',
      en: 'Code',
      required: true,
      text: true,
      help: ['唯一；已有编码 = 更新该商品', 'unique; an existing code updates that product'],
      example: '100001',
    },
    { key: 'name', zh: '商品名称', en: 'Name', help: ['新商品必填', 'required for new products'], example: '农夫山泉饮用天然水' },
    { key: 'spec', zh: '规格', en: 'Spec', help: ['', ''], example: '550ml' },
    {
      key: 'barcode',
      zh: '主条码',
      en: 'Barcode',
      text: true,
      help: ['EAN-13/EAN-8，校验位须正确', 'EAN-13/EAN-8 with a valid check digit'],
      example: '6921168509256',
    },
    {
      key: 'moreBarcodes',
      zh: '其他条码',
      en: 'More barcodes',
      text: true,
      help: ['多个用 ; 分隔', 'separate several with ;'],
      example: '6921168593576',
    },
    {
      key: 'internalCode',
      zh: '店内码',
      en: 'Internal code',
      text: true,
      help: ['自编码，不校验校验位', 'own code, no check digit'],
      example: '',
    },
    {
      key: 'baseUnit',
      zh: '基本单位',
      en: 'Base unit',
      help: ['单位名称或编码，须已存在', 'unit name or code; must exist'],
      example: '瓶',
    },
    { key: 'packUnit', zh: '包装单位', en: 'Pack unit', help: ['如“箱”', 'e.g. case'], example: '箱' },
    {
      key: 'packFactor',
      zh: '包装换算',
      en: 'Pack factor',
      help: ['1 包装单位 = N 基本单位', '1 pack unit = N base units'],
      example: '24',
    },
    {
      key: 'category',
      zh: '类别',
      en: 'Category',
      text: true,
      help: ['类别编码（或唯一的名称）', 'category code (or unique name)'],
      example: '010101',
    },
    { key: 'brand', zh: '品牌', en: 'Brand', help: ['品牌编码或名称', 'brand code or name'], example: '农夫山泉' },
    {
      key: 'manufacturer',
      zh: '生产厂家',
      en: 'Manufacturer',
      help: ['厂家编码或名称', 'manufacturer code or name'],
      example: '',
    },
    {
      key: 'supplier',
      zh: '默认供应商',
      en: 'Default supplier',
      help: ['供应商编码或名称', 'supplier code or name'],
      example: '',
    },
    { key: 'taxRate', zh: '税率%', en: 'Tax rate %', help: ['如 13；空 = 13', 'e.g. 13; empty = 13'], example: '13' },
    { key: 'batchTracked', zh: '批次管理', en: 'Batch tracked', help: yes, example: '否' },
    { key: 'shelfLifeDays', zh: '保质期(天)', en: 'Shelf life (days)', help: ['', ''], example: '540' },
    {
      key: 'minRequisitionQty',
      zh: '最小请货数量',
      en: 'Min. requisition',
      help: ['请货须为其整数倍', 'requisitions in whole multiples'],
      example: '24',
    },
    { key: 'weighed', zh: '称重', en: 'Weighed', help: yes, example: '否' },
    { key: 'scaleCode', zh: '秤码', en: 'Scale code', text: true, help: ['称重商品的 PLU', 'PLU of weighed goods'], example: '' },
    { key: 'bannedFromRequisition', zh: '禁请', en: 'Banned from requisition', help: yes, example: '否' },
    { key: 'notCarried', zh: '不经营', en: 'Not carried', help: yes, example: '否' },
    { key: 'discontinued', zh: '停产', en: 'Discontinued', help: yes, example: '否' },
    { key: 'prescription', zh: '处方药', en: 'Prescription', help: yes, example: '否' },
    { key: 'origin', zh: '产地', en: 'Origin', help: ['', ''], example: '浙江杭州' },
    ...priceColumns.map(([t, key]) => ({
      key,
      zh: priceTypeLabels[t].zh,
      en: priceTypeLabels[t].en,
      help: [
        '全部门店的价格；已有商品价格变化时从导入时起生效',
        'price for all stores; for existing products a changed price applies from the import',
      ] as [string, string],
      example: t === 'retail' ? '2.00' : t === 'purchase' ? '1.10' : '',
    })),
  ],
  async check(ctx, rows) {
    const units = await codeNameMap(ctx, 'unit');
    const categories = await codeNameMap(ctx, 'category');
    const brands = await codeNameMap(ctx, 'brand');
    const suppliers = await partnerMap(ctx, 'supplier');
    const manufacturers = await partnerMap(ctx, 'manufacturer');
    const codes = rows.map((r) => r.raw('code')).filter((c) => c !== '');
    const existing = await productIdsByCode(ctx.db, codes);
    const allBarcodes: string[] = [];
    for (const r of rows) {
      for (const key of ['barcode', 'moreBarcodes', 'internalCode']) allBarcodes.push(...splitList(r.raw(key)));
    }
    const owners = await barcodeOwners(ctx.db, allBarcodes);
    const scaleCodes = rows.map((r) => normalizeScaleCode(r.raw('scaleCode'))).filter((c): c is string => c !== null);
    const scaleOwners = new Map(
      (
        await sql<{
          scale_code: string;
          code: string;
        }>`select scale_code, code from product where scale_code = any(${scaleCodes}::text[])`.execute(ctx.db)
      ).rows.map((r) => [r.scale_code, r.code]),
    );
    const seenCodes = new Set<string>();
    const seenBarcodes = new Map<string, number>();
    const seenScale = new Set<string>();
    const out = new Map<RowReader, ProductItem>();
    for (const r of rows) {
      const code = r.code('code', { required: true });
      if (code !== null) {
        if (seenCodes.has(code)) r.bad('code', '文件中编码重复', 'Code repeated in the file');
        seenCodes.add(code);
      }
      const isNew = code !== null && !existing.has(code);
      const name = r.text('name', { max: 100 });
      if (isNew && name === null) r.bad('name', '新商品必须填写名称', 'A new product needs a name');
      const barcodes: ProductItem['barcodes'] = [];
      const addBarcode = (key: string, value: string, declared?: BarcodeKind) => {
        const c = checkBarcode(value, declared);
        if (!c.ok) return r.bad(key, `条码 ${value}：${c.zh}`, `Barcode ${value}: ${c.en}`);
        const owner = owners.get(value);
        if (owner?.active && owner.productCode !== code) {
          return r.bad(
            key,
            `条码 ${value} 已属于商品 ${owner.productCode}`,
            `Barcode ${value} belongs to product ${owner.productCode}`,
          );
        }
        const firstRow = seenBarcodes.get(value);
        if (firstRow !== undefined)
          return r.bad(key, `条码 ${value} 与第 ${firstRow} 行重复`, `Barcode ${value} repeats row ${firstRow}`);
        seenBarcodes.set(value, r.rowNo);
        // Already this product's: nothing to write (and nothing to re-send to the tills).
        if (owner?.active && owner.productCode === code) return null;
        barcodes.push({ barcode: value, kind: c.kind, primary: barcodes.length === 0 && key === 'barcode' });
        return null;
      };
      const main = r.raw('barcode');
      if (main) addBarcode('barcode', main);
      for (const b of splitList(r.raw('moreBarcodes'))) addBarcode('moreBarcodes', b);
      for (const b of splitList(r.raw('internalCode'))) addBarcode('internalCode', b, 'internal');
      const baseUnitId = lookup(r, 'baseUnit', units, ['单位', 'Unit']);
      const packUnitId = lookup(r, 'packUnit', units, ['单位', 'Unit']);
      const factor = r.decimal('packFactor', { places: 6, min: 0 });
      let pack: ProductItem['pack'] = null;
      if (packUnitId !== null || factor !== null) {
        if (packUnitId === null || factor === null || dec(factor).isZero()) {
          r.bad(
            'packFactor',
            '包装单位与换算系数须同时填写，系数大于 0',
            'A pack unit needs a factor greater than 0 (and vice versa)',
          );
        } else if (packUnitId === baseUnitId) {
          r.bad('packUnit', '包装单位不能与基本单位相同', 'The pack unit must differ from the base unit');
        } else pack = { unitId: packUnitId, factor };
      }
      const scaleCode = r.text('scaleCode');
      if (scaleCode !== null) {
        if (!/^\d{1,8}$/.test(scaleCode)) r.bad('scaleCode', '秤码为 1–8 位数字', 'The scale code is 1–8 digits');
        const n = normalizeScaleCode(scaleCode) as string;
        const owner = scaleOwners.get(n);
        if (owner && owner !== code) r.bad('scaleCode', `秤码已属于商品 ${owner}`, `Scale code belongs to product ${owner}`);
        if (seenScale.has(n)) r.bad('scaleCode', '文件中秤码重复', 'Scale code repeated in the file');
        seenScale.add(n);
      }
      const prices: ProductItem['prices'] = {};
      for (const [t, key] of priceColumns) {
        const p = r.decimal(key, { places: 4, min: 0, max: 99_999_999 });
        if (p !== null) prices[t] = p;
      }
      const row: BulkProductRow = {
        code: code ?? '',
        name,
        spec: r.text('spec', { max: 100 }),
        baseUnitId,
        categoryId: lookup(r, 'category', categories, ['类别', 'Category']),
        brandId: lookup(r, 'brand', brands, ['品牌', 'Brand']),
        manufacturerId: lookup(r, 'manufacturer', manufacturers, ['生产厂家', 'Manufacturer']),
        defaultSupplierId: lookup(r, 'supplier', suppliers, ['供应商', 'Supplier']),
        taxRate: r.decimal('taxRate', { places: 2, min: 0, max: 99.99 }),
        batchTracked: r.bool('batchTracked'),
        shelfLifeDays: r.int('shelfLifeDays', { min: 1, max: 36_500 }),
        minRequisitionQty: r.decimal('minRequisitionQty', { places: 3, min: 0 }),
        weighed: r.bool('weighed'),
        scaleCode,
        bannedFromRequisition: r.bool('bannedFromRequisition'),
        notCarried: r.bool('notCarried'),
        discontinued: r.bool('discontinued'),
        prescription: r.bool('prescription'),
        origin: r.text('origin', { max: 100 }),
      };
      if (r.ok) out.set(r, { row, barcodes, pack, prices });
    }
    return out;
  },
  async write(ctx, items, detail) {
    const result = await bulkUpsertProducts(
      ctx,
      items.map((i) => i.row),
      detail,
    );
    const idOf = (code: string) => result.ids.get(code) as number;
    const packs = items
      .filter((i) => i.pack)
      .map((i) => ({ productId: idOf(i.row.code), ...(i.pack as { unitId: number; factor: string }) }));
    if (packs.length) await bulkUpsertProductUnits(ctx, packs, result.existingIds);
    const barcodes: BulkBarcodeRow[] = items.flatMap((i) =>
      i.barcodes.map((b) => ({
        barcode: b.barcode,
        productId: idOf(i.row.code),
        kind: b.kind,
        unitId: null,
        isPrimary: b.primary,
      })),
    );
    if (barcodes.length) await bulkUpsertBarcodes(ctx, barcodes, detail);
    const withPrices = items.filter((i) => Object.keys(i.prices).length);
    if (withPrices.length) {
      authorize(ctx, 'price', 'import');
      const now = new Date();
      const current = await basePricesAt(
        ctx.db,
        withPrices.map((i) => idOf(i.row.code)),
        now,
      );
      const rows: NewPriceRow[] = [];
      for (const i of withPrices) {
        const productId = idOf(i.row.code);
        const have = current.get(productId) ?? {};
        for (const [type, value] of Object.entries(i.prices) as [PriceType, string][]) {
          // A product's first price of a type applies from the start; a changed one from now; an unchanged one adds nothing.
          const old = have[type];
          if (old !== undefined && dec(old).equals(value)) continue;
          rows.push({
            productId,
            priceType: type,
            scope: 'all',
            region: null,
            storeId: null,
            price: value,
            effectiveFrom: old === undefined ? PRICE_EPOCH : now,
            effectiveTo: null,
            source: old === undefined ? 'initial' : 'import',
            sourceDocumentId: null,
            createdBy: ctx.actor.userId || null,
          });
        }
      }
      await insertPriceRows(ctx.db, rows);
    }
    return { created: result.created, updated: result.updated };
  },
};

function splitList(v: string): string[] {
  return v
    .split(/[;；,，\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

// ---- barcodes

interface BarcodeItem extends BulkBarcodeRow {}

export const barcodesKind: KindDef<BarcodeItem> = {
  kind: 'barcodes',
  fn: 'product',
  columns: [
    {
      key: 'productCode',
      zh: '商品编码',
      en: 'Product code',
      required: true,
      text: true,
      help: ['须已存在', 'must exist'],
      example: '100001',
    },
    { key: 'barcode', zh: '条码', en: 'Barcode', required: true, text: true, help: ['', ''], example: '6921168509256' },
    {
      key: 'kind',
      zh: '条码类型',
      en: 'Kind',
      help: ['EAN-13 / EAN-8 / 店内码；空 = 按位数判断', 'ean13 / ean8 / internal; empty = by length'],
      example: '',
    },
    {
      key: 'unit',
      zh: '单位',
      en: 'Unit',
      help: ['包装条码填包装单位；空 = 基本单位', 'pack unit of a pack barcode; empty = base unit'],
      example: '',
    },
    { key: 'primary', zh: '主条码', en: 'Primary', help: yes, example: '否' },
  ],
  async check(ctx, rows) {
    const products = await productIdsByCode(
      ctx.db,
      rows.map((r) => r.raw('productCode')),
    );
    const owners = await barcodeOwners(
      ctx.db,
      rows.map((r) => r.raw('barcode')),
    );
    const units = await codeNameMap(ctx, 'unit');
    const packUnits = new Set(
      (
        await sql<{
          product_id: number;
          unit_id: number;
        }>`select product_id, unit_id from product_unit where product_id = any(${[...products.values()]}::int[])`.execute(ctx.db)
      ).rows.map((r) => `${r.product_id}:${r.unit_id}`),
    );
    const seen = new Map<string, number>();
    const out = new Map<RowReader, BarcodeItem>();
    for (const r of rows) {
      const code = r.code('productCode', { required: true });
      const productId = code === null ? undefined : products.get(code);
      if (code !== null && productId === undefined)
        r.bad('productCode', `商品“${code}”不存在`, `Product "${code}" does not exist`);
      const kind = r.choice('kind', barcodeKindLabels);
      const barcode = r.text('barcode', { required: true, max: 32 });
      let checked: BarcodeKind | null = null;
      if (barcode !== null) {
        const c = checkBarcode(barcode, kind ?? undefined);
        if (!c.ok) r.bad('barcode', c.zh, c.en);
        else checked = c.kind;
        const owner = owners.get(barcode);
        if (owner?.active && owner.productId !== productId) {
          r.bad('barcode', `条码已属于商品 ${owner.productCode}`, `Barcode belongs to product ${owner.productCode}`);
        }
        const first = seen.get(barcode);
        if (first !== undefined) r.bad('barcode', `与第 ${first} 行重复`, `Repeats row ${first}`);
        seen.set(barcode, r.rowNo);
      }
      const unitId = lookup(r, 'unit', units, ['单位', 'Unit']);
      if (unitId !== null && productId !== undefined && !packUnits.has(`${productId}:${unitId}`)) {
        r.bad('unit', '不是该商品的包装单位', 'Not a pack unit of this product');
      }
      const primary = r.bool('primary') ?? false;
      if (r.ok && productId !== undefined && barcode !== null && checked !== null) {
        out.set(r, { barcode, productId, kind: checked, unitId, isPrimary: primary });
      }
    }
    return out;
  },
  async write(ctx, items, detail) {
    const owners = await barcodeOwners(
      ctx.db,
      items.map((i) => i.barcode),
    );
    await bulkUpsertBarcodes(ctx, items, detail);
    const updated = items.filter((i) => owners.has(i.barcode)).length;
    return { created: items.length - updated, updated };
  },
};

// ---- prices

export const pricesKind: KindDef<NewPriceRow> = {
  kind: 'prices',
  fn: 'price',
  columns: [
    {
      key: 'productCode',
      zh: '商品编码',
      en: 'Product code',
      required: true,
      text: true,
      help: ['须已存在', 'must exist'],
      example: '100001',
    },
    {
      key: 'priceType',
      zh: '价格类型',
      en: 'Price type',
      required: true,
      help: ['零售价/会员价/批发价/配送价/进价', 'retail/member/wholesale/distribution/purchase'],
      example: '零售价',
    },
    { key: 'price', zh: '价格', en: 'Price', required: true, help: ['最多 4 位小数', 'at most 4 decimals'], example: '2.50' },
    {
      key: 'scope',
      zh: '范围',
      en: 'Scope',
      help: ['全部门店/区域/门店；空 = 全部门店', 'all/region/store; empty = all'],
      example: '全部门店',
    },
    { key: 'region', zh: '区域', en: 'Region', help: ['范围为区域时必填', 'required for a region price'], example: '' },
    {
      key: 'storeCode',
      zh: '门店编码',
      en: 'Store code',
      text: true,
      help: ['范围为门店时必填', 'required for a store price'],
      example: '',
    },
    {
      key: 'effectiveFrom',
      zh: '生效时间',
      en: 'Effective from',
      help: ['空 = 立即；不能早于现在', 'empty = now; not in the past'],
      example: '2026-12-01 00:00',
    },
    { key: 'effectiveTo', zh: '结束时间', en: 'Effective to', help: ['空 = 长期', 'empty = open-ended'], example: '' },
  ],
  async check(ctx, rows) {
    const products = await productIdsByCode(
      ctx.db,
      rows.map((r) => r.raw('productCode')),
    );
    const stores = new Map(
      (await ctx.db.selectFrom('org').select(['id', 'code']).where('kind', '=', 'store').execute())
        .filter((s) => ctx.scope.has(s.id))
        .map((s) => [s.code, s.id]),
    );
    const now = new Date();
    const out = new Map<RowReader, NewPriceRow>();
    for (const r of rows) {
      const code = r.code('productCode', { required: true });
      const productId = code === null ? undefined : products.get(code);
      if (code !== null && productId === undefined)
        r.bad('productCode', `商品“${code}”不存在`, `Product "${code}" does not exist`);
      const priceType = r.choice('priceType', priceTypeLabels, { required: true });
      const price = r.decimal('price', { places: 4, min: 0, max: 99_999_999, required: true });
      const scope: PriceScope = r.choice('scope', priceScopeLabels) ?? 'all';
      const region = r.text('region', { max: 50 });
      const storeCode = r.text('storeCode');
      let storeId: number | null = null;
      if (scope === 'region' && region === null) r.bad('region', '区域价格须填写区域', 'A region price needs a region');
      if (scope === 'store') {
        if (storeCode === null) r.bad('storeCode', '门店价格须填写门店编码', 'A store price needs a store code');
        else {
          storeId = stores.get(storeCode) ?? null;
          if (storeId === null)
            r.bad(
              'storeCode',
              `门店“${storeCode}”不存在或无权查看`,
              `Store "${storeCode}" does not exist or is not visible to you`,
            );
        }
      }
      const from = r.dateTime('effectiveFrom') ?? now;
      if (from.getTime() < now.getTime() - 60_000)
        r.bad('effectiveFrom', '不能早于现在（历史价格不可更改）', 'Cannot be in the past (history is never rewritten)');
      const to = r.dateTime('effectiveTo');
      if (to && to <= from) r.bad('effectiveTo', '须晚于生效时间', 'Must be after the start');
      if (r.ok && productId !== undefined && priceType !== null && price !== null) {
        out.set(r, {
          productId,
          priceType,
          scope,
          region: scope === 'region' ? region : null,
          storeId: scope === 'store' ? storeId : null,
          price,
          effectiveFrom: from,
          effectiveTo: to,
          source: 'import',
          sourceDocumentId: null,
          createdBy: ctx.actor.userId || null,
        });
      }
    }
    return out;
  },
  async write(ctx, items) {
    await insertPriceRows(ctx.db, items);
    return { created: items.length, updated: 0 };
  },
};

// ---- suppliers and customers

const partnerColumns = (kind: 'supplier' | 'customer'): ColumnDef[] => [
  {
    key: 'code',
    zh: kind === 'supplier' ? '供应商编码' : '客户编码',
    en: 'Code',
    required: true,
    text: true,
    help: ['已有编码 = 更新', 'an existing code updates'],
    example: kind === 'supplier' ? 'S0001' : 'C0001',
  },
  {
    key: 'name',
    zh: '名称',
    en: 'Name',
    help: ['新增时必填', 'required when new'],
    example: kind === 'supplier' ? '杭州娃哈哈集团有限公司' : '西湖区机关食堂',
  },
  { key: 'shortName', zh: '简称', en: 'Short name', help: ['', ''], example: '' },
  { key: 'contact', zh: '联系人', en: 'Contact', help: ['', ''], example: '张经理' },
  { key: 'phone', zh: '电话', en: 'Phone', text: true, help: ['', ''], example: '0571-86000000' },
  { key: 'email', zh: '邮箱', en: 'Email', help: ['', ''], example: '' },
  { key: 'address', zh: '地址', en: 'Address', help: ['', ''], example: '' },
  { key: 'taxNo', zh: '税号', en: 'Tax no.', text: true, help: ['', ''], example: '' },
  { key: 'bankName', zh: '开户行', en: 'Bank', help: ['', ''], example: '' },
  { key: 'bankAccount', zh: '银行账号', en: 'Bank account', text: true, help: ['', ''], example: '' },
  { key: 'licenseNo', zh: '许可证号', en: 'Licence no.', text: true, help: ['', ''], example: '' },
  ...(kind === 'supplier'
    ? [{ key: 'paymentTermsDays', zh: '账期(天)', en: 'Credit days', help: ['', ''] as [string, string], example: '30' }]
    : [
        {
          key: 'creditLimit',
          zh: '信用额度',
          en: 'Credit limit',
          help: ['空 = 无信用', 'empty = no credit'] as [string, string],
          example: '50000',
        },
        {
          key: 'priceType',
          zh: '价格类型',
          en: 'Price type',
          help: ['空 = 批发价', 'empty = wholesale'] as [string, string],
          example: '批发价',
        },
      ]),
  { key: 'remarks', zh: '备注', en: 'Remarks', help: ['', ''], example: '' },
];

function partnerKind(kind: 'supplier' | 'customer'): KindDef<BulkPartnerRow> {
  return {
    kind: kind === 'supplier' ? 'suppliers' : 'customers',
    fn: kind,
    columns: partnerColumns(kind),
    async check(ctx, rows) {
      const existing = new Set(
        (
          await sql<{
            code: string;
          }>`select code from partner where kind = ${kind} and code = any(${rows.map((r) => r.raw('code'))}::text[])`.execute(
            ctx.db,
          )
        ).rows.map((r) => r.code),
      );
      const seen = new Set<string>();
      const out = new Map<RowReader, BulkPartnerRow>();
      for (const r of rows) {
        const code = r.code('code', { required: true });
        if (code !== null) {
          if (seen.has(code)) r.bad('code', '文件中编码重复', 'Code repeated in the file');
          seen.add(code);
        }
        const name = r.text('name', { max: 100 });
        if (code !== null && !existing.has(code) && name === null)
          r.bad('name', '新增时必须填写名称', 'A new record needs a name');
        const email = r.text('email', { max: 100 });
        if (email !== null && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
          r.bad('email', '邮箱格式不正确', 'Invalid email address');
        const item: BulkPartnerRow = {
          code: code ?? '',
          ...(name !== null ? { name } : {}),
          shortName: r.text('shortName', { max: 50 }),
          contact: r.text('contact', { max: 50 }),
          phone: r.text('phone', { max: 50 }),
          email,
          address: r.text('address', { max: 200 }),
          taxNo: r.text('taxNo', { max: 50 }),
          bankName: r.text('bankName', { max: 100 }),
          bankAccount: r.text('bankAccount', { max: 50 }),
          licenseNo: r.text('licenseNo', { max: 100 }),
          remarks: r.text('remarks', { max: 500 }),
          ...(kind === 'supplier'
            ? { paymentTermsDays: r.int('paymentTermsDays', { min: 0, max: 3650 }) }
            : {
                creditLimit: r.decimal('creditLimit', { places: 2, min: 0, max: 9_999_999_999 }),
                priceType: r.choice('priceType', priceTypeLabels) ?? (existing.has(code ?? '') ? null : 'wholesale'),
              }),
        };
        if (r.ok) out.set(r, item);
      }
      return out;
    },
    write: (ctx, items, detail) => bulkUpsertPartners(ctx, kind, items, detail),
  };
}

export const kinds: Record<ImportKind, KindDef<unknown>> = {
  products: productsKind as KindDef<unknown>,
  barcodes: barcodesKind as KindDef<unknown>,
  prices: pricesKind as KindDef<unknown>,
  suppliers: partnerKind('supplier') as KindDef<unknown>,
  customers: partnerKind('customer') as KindDef<unknown>,
};

export type { ImportIssue };
