import { z } from 'zod';
import { costString, id, isPositiveDecimal, pageOf, pageQuery } from '../common.js';
import { entity, labelled } from '../fields.js';
import { bilingual, pattern, rule, text } from '../validation.js';
import { BARCODE_KINDS, checkBarcode, SCALE_VALUE_KINDS, scaleBarcodeSettingsSchema } from './barcodes.js';
import { PRICE_TYPES } from './pricing.js';
import { masterCode, queryBool } from './shared.js';

export { masterCode, queryBool };

// ---- shared field shapes

const name = text().trim().min(1).max(100);
const optText = (max: number) => text().trim().max(max).nullable().optional();

/** A decimal string or number, trimmed, for the refinements below. */
const decimalInput = () => z.union([text(), z.number()]).transform((v) => (typeof v === 'number' ? String(v) : v.trim()));

/** A pack unit's conversion factor to the base unit: positive, up to 6 decimals. */
export const factorString = decimalInput()
  .refine((v) => /^\d{1,12}(\.\d{1,6})?$/.test(v), rule('decimal', { places: 6 }))
  .refine(isPositiveDecimal, rule('positive'));

/** Tax rate in percent (13 = 13 %). */
export const taxRateString = decimalInput().refine((v) => /^\d{1,2}(\.\d{1,2})?$/.test(v), rule('percent', { max: '99.99' }));

const qty3 = decimalInput().refine((v) => /^\d{1,11}(\.\d{1,3})?$/.test(v), rule('decimal', { places: 3 }));

// ---- units, categories, brands

export const unitBody = entity('unit', z.object({ code: masterCode, name: text().trim().min(1).max(20), nameEn: optText(40) }));
export const updateUnitBody = entity('unit', unitBody.partial().extend({ active: z.boolean().optional() }));
export const unitDto = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  active: z.boolean(),
});
export type UnitDto = z.infer<typeof unitDto>;

export const categoryBody = entity(
  'category',
  z.object({
    parentId: id.nullable().default(null),
    code: masterCode,
    name: text().trim().min(1).max(50),
    nameEn: optText(100),
    sort: z.number().int().min(0).max(1_000_000).optional(),
  }),
);
export const updateCategoryBody = entity(
  'category',
  z.object({
    parentId: id.nullable().optional(),
    name: text().trim().min(1).max(50).optional(),
    nameEn: optText(100),
    sort: z.number().int().min(0).max(1_000_000).optional(),
    active: z.boolean().optional(),
  }),
);
export const categoryDto = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  path: z.string(),
  level: z.number(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  sort: z.number(),
  active: z.boolean(),
  productCount: z.number(),
});
export type CategoryDto = z.infer<typeof categoryDto>;

export const brandBody = entity('brand', z.object({ code: masterCode, name: name, nameEn: optText(100) }));
export const updateBrandBody = entity('brand', brandBody.partial().extend({ active: z.boolean().optional() }));
export const brandDto = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  active: z.boolean(),
});
export type BrandDto = z.infer<typeof brandDto>;

/** Lists of small master tables (units, brands, payment methods…): searchable, paginated. */
export const simpleListQuery = pageQuery.extend({ active: queryBool.optional() });

// ---- products

export const barcodeInput = entity(
  'barcode',
  z.object({
    barcode: text().trim().min(1).max(32),
    /** Omitted: inferred from the digits (13 → EAN-13, 8 → EAN-8, check digit verified). */
    kind: z.enum(BARCODE_KINDS).optional(),
    /** A pack unit's own barcode (e.g. the case); omitted = the base unit. */
    unitId: id.nullable().optional(),
    isPrimary: z.boolean().optional(),
  }),
).superRefine((b, ctx) => {
  const r = checkBarcode(b.barcode, b.kind);
  if (!r.ok)
    ctx.addIssue({
      code: 'custom',
      path: ['barcode'],
      message: `${b.barcode}: ${r.en}`,
      params: { zh: `${b.barcode}：${r.zh}` },
    });
});
export type BarcodeInput = z.input<typeof barcodeInput>;

export const productUnitInput = z.object({ unitId: id, factor: factorString });

const scaleCode = text()
  .trim()
  .check(pattern(/^\d{1,8}$/, 'digits', { min: 1, max: 8 }));

/** Fields every product has beyond its code; all optional on create so `{ code, name }` is a product. */
const productFields = {
  name,
  spec: text().trim().max(100).optional(),
  baseUnitId: id.nullable().optional(),
  categoryId: id.nullable().optional(),
  brandId: id.nullable().optional(),
  manufacturerId: id.nullable().optional(),
  defaultSupplierId: id.nullable().optional(),
  taxRate: taxRateString.optional(),
  batchTracked: z.boolean().optional(),
  /** Shelf life in days (保质期); needed to derive expiry dates of batch-tracked goods. */
  shelfLifeDays: z.number().int().min(1).max(36_500).nullable().optional(),
  /** Minimum requisition multiple in base units (最小请货数量). */
  minRequisitionQty: qty3.nullable().optional(),
  /** Sold by weight; labels from the scale carry `scaleCode`. */
  weighed: z.boolean().optional(),
  scaleCode: scaleCode.nullable().optional(),
  bannedFromRequisition: z.boolean().optional(),
  notCarried: z.boolean().optional(),
  discontinued: z.boolean().optional(),
  prescription: z.boolean().optional(),
  origin: optText(100),
  remarks: optText(500),
};

export const PRODUCT_FLAGS = ['bannedFromRequisition', 'notCarried', 'discontinued', 'prescription'] as const;
export const productFlagLabels = {
  bannedFromRequisition: { zh: '禁请', en: 'Banned from requisition' },
  notCarried: { zh: '不经营', en: 'Not carried' },
  discontinued: { zh: '停产/淘汰', en: 'Discontinued' },
  prescription: { zh: '处方药', en: 'Prescription drug' },
} as const;

function barcodesUnique(list: { barcode: string }[] | undefined, ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  for (const [i, b] of (list ?? []).entries()) {
    if (seen.has(b.barcode)) {
      ctx.addIssue({
        code: 'custom',
        path: ['barcodes', i, 'barcode'],
        message: `Barcode ${b.barcode} is listed twice`,
        params: { zh: `条码 ${b.barcode} 重复` },
      });
    }
    seen.add(b.barcode);
  }
}

export const createProductBody = entity(
  'product',
  z.object({
    code: masterCode,
    ...productFields,
    barcodes: z.array(barcodeInput).max(50).default([]),
    units: z.array(productUnitInput).max(10).default([]),
    /** First prices for all stores, in effect from the start (so back-dated documents find them too). */
    prices: z.partialRecord(z.enum(PRICE_TYPES), costString).optional(),
  }),
).superRefine((p, ctx) => barcodesUnique(p.barcodes, ctx));
export type CreateProductCommand = z.input<typeof createProductBody>;

export const updateProductBody = entity(
  'product',
  z.object({
    /** Optimistic lock: the version the editor loaded. */
    version: z.number().int().positive(),
    ...productFields,
    name: name.optional(),
    active: z.boolean().optional(),
    /** When given, replaces the product's barcodes. */
    barcodes: z.array(barcodeInput).max(50).optional(),
    /** When given, replaces the product's pack units. */
    units: z.array(productUnitInput).max(10).optional(),
  }),
).superRefine((p, ctx) => barcodesUnique(p.barcodes, ctx));
export type UpdateProductCommand = z.input<typeof updateProductBody>;

export const productSortKeys = ['code', 'name', 'pinyin', 'createdAt', 'updatedAt', 'category', 'brand'] as const;

/** Field-level labels: exports narrow this query with .omit(), which keeps field schemas but not an object's entity. */
export const productListQuery = pageQuery.extend({
  code: labelled('product.code', text().trim().max(32)).optional(),
  name: labelled('product.name', text().trim().max(100)).optional(),
  pinyin: text().trim().max(64).optional(),
  /** Exact barcode (or scale label) match. */
  barcode: text().trim().max(32).optional(),
  /** The category and everything below it. */
  categoryId: id.optional(),
  brandId: id.optional(),
  manufacturerId: id.optional(),
  supplierId: id.optional(),
  /** Only what this store may see (its 门店基础资料). */
  storeId: id.optional(),
  batchTracked: queryBool.optional(),
  weighed: queryBool.optional(),
  bannedFromRequisition: queryBool.optional(),
  notCarried: queryBool.optional(),
  discontinued: queryBool.optional(),
  prescription: queryBool.optional(),
  active: queryBool.optional(),
});
export type ProductListQuery = z.infer<typeof productListQuery>;

export const productBarcodeDto = z.object({
  barcode: z.string(),
  kind: z.enum(BARCODE_KINDS),
  unitId: z.number().nullable(),
  isPrimary: z.boolean(),
});
export const productUnitDto = z.object({ unitId: z.number(), unitName: z.string(), factor: z.string() });

export const productDto = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  spec: z.string(),
  pinyin: z.string(),
  baseUnitId: z.number().nullable(),
  baseUnitName: z.string().nullable(),
  categoryId: z.number().nullable(),
  categoryName: z.string().nullable(),
  brandId: z.number().nullable(),
  brandName: z.string().nullable(),
  manufacturerId: z.number().nullable(),
  manufacturerName: z.string().nullable(),
  defaultSupplierId: z.number().nullable(),
  defaultSupplierName: z.string().nullable(),
  taxRate: z.string(),
  batchTracked: z.boolean(),
  shelfLifeDays: z.number().nullable(),
  minRequisitionQty: z.string().nullable(),
  weighed: z.boolean(),
  scaleCode: z.string().nullable(),
  bannedFromRequisition: z.boolean(),
  notCarried: z.boolean(),
  discontinued: z.boolean(),
  prescription: z.boolean(),
  origin: z.string().nullable(),
  remarks: z.string().nullable(),
  active: z.boolean(),
  barcodes: z.array(productBarcodeDto),
  units: z.array(productUnitDto),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProductDto = z.infer<typeof productDto>;
export const productPage = pageOf(productDto);

/** What a scan finds (the till and the scanners): the product, the unit scanned and, for a scale label, its value. */
export const barcodeLookupDto = z.object({
  product: productDto,
  barcode: z.string(),
  /** Pack unit scanned (null = base unit) and how many base units it holds. */
  unitId: z.number().nullable(),
  factor: z.string(),
  scale: z.object({ itemCode: z.string(), valueKind: z.enum(SCALE_VALUE_KINDS), value: z.string() }).nullable(),
});
export type BarcodeLookupDto = z.infer<typeof barcodeLookupDto>;

// ---- settings and the store's assortment

export const scaleBarcodeSettingsBody = scaleBarcodeSettingsSchema;

/** 门店基础资料 (ORG-2): the categories a store may see; an empty list means the whole catalog. */
export const storeCatalogBody = z.object({ categoryIds: z.array(id).max(2000) });
export const storeCatalogDto = z.object({ storeId: z.number(), categoryIds: z.array(z.number()), wholeCatalog: z.boolean() });
export type StoreCatalogDto = z.infer<typeof storeCatalogDto>;

/** What `openStore` may say about the new store's master data: copy another store's, or name categories. */
export const openStoreCatalogOption = z
  .object({ copyFromStoreId: id.optional(), categoryIds: z.array(id).max(2000).optional() })
  .refine(
    (o) => !(o.copyFromStoreId !== undefined && o.categoryIds !== undefined),
    bilingual('复制门店与指定类别只能二选一', 'Either copy a store or name categories, not both'),
  );
export type OpenStoreCatalogOption = z.infer<typeof openStoreCatalogOption>;
