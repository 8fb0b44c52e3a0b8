import type { ErrorDefs, FunctionDefs } from './module.js';

// Contracts of the catalog module (master data: products, prices, partners, imports): Zod schemas shared
// by server and web, its error codes and its grantable functions. Schemas live in ./catalog/*.ts.
export * from './catalog/barcodes.js';
export * from './catalog/imports.js';
export * from './catalog/partners.js';
export * from './catalog/pricing.js';
export * from './catalog/products.js';
export * from './catalog/units.js';

export const catalogErrors = {
  MASTER_DATA_HQ_ONLY: {
    status: 403,
    zh: '基础资料由总部维护：你的数据范围不包含总部',
    en: 'Master data is maintained by headquarters; your data scope does not include it',
  },
  BARCODE_INVALID: { status: 400, zh: '条码 {barcode} 无效：{reason}', en: 'Barcode {barcode} is invalid: {reason}' },
  BARCODE_TAKEN: {
    status: 409,
    zh: '条码 {barcode} 已属于商品 {product}',
    en: 'Barcode {barcode} already belongs to product {product}',
  },
  SCALE_CODE_TAKEN: {
    status: 409,
    zh: '秤码 {scaleCode} 已属于商品 {product}',
    en: 'Scale code {scaleCode} already belongs to product {product}',
  },
  UNIT_NOT_OF_PRODUCT: {
    status: 400,
    zh: '单位 {unit} 不是商品 {product} 的包装单位',
    en: 'Unit {unit} is not a pack unit of product {product}',
  },
  UNIT_CONVERSION_INEXACT: {
    status: 400,
    zh: '数量 {qty} 不能按换算系数 {factor} 精确换算',
    en: 'Quantity {qty} cannot be converted exactly with factor {factor}',
  },
  REQUISITION_NOT_MULTIPLE: {
    status: 400,
    zh: '商品 {product} 的请货数量须为 {multiple} 的整数倍',
    en: 'Requisitions of product {product} must be whole multiples of {multiple}',
  },
  CATEGORY_CYCLE: { status: 400, zh: '类别不能移到它自己或它的下级之下', en: 'A category cannot move under itself or below it' },
  IN_USE: {
    status: 409,
    zh: '{entity} {code} 仍在使用（{count} 处），不能删除；可改为停用',
    en: '{entity} {code} is still used ({count}); it cannot be deleted, deactivate it instead',
  },
  PRICE_ALREADY_EFFECTIVE: {
    status: 409,
    zh: '调价单 {number} 的新价格已于 {at} 生效，不能作废；请另做调价单',
    en: 'The prices of {number} took effect at {at}; it cannot be voided, issue a new price change',
  },
  IMPORT_TOO_LARGE: {
    status: 413,
    zh: '导入文件过大：最多 {max} 行',
    en: 'The import file is too large: at most {max} rows',
  },
} as const satisfies ErrorDefs;

const crud = ['view', 'create', 'edit', 'delete', 'export'] as const;

export const catalogFunctions = {
  category: { zh: '商品类别', en: 'Product categories', module: 'catalog', actions: crud },
  brand: { zh: '品牌', en: 'Brands', module: 'catalog', actions: crud },
  unit: { zh: '计量单位', en: 'Units', module: 'catalog', actions: crud },
  price: { zh: '商品价格', en: 'Prices', module: 'catalog', actions: ['view', 'edit', 'import', 'export'] },
  catalog_settings: { zh: '基础资料设置', en: 'Master-data settings', module: 'catalog', actions: ['view', 'edit'] },
  store_catalog: { zh: '门店基础资料', en: 'Store assortment', module: 'catalog', actions: ['view', 'edit'] },
  supplier: { zh: '供应商', en: 'Suppliers', module: 'partners', actions: [...crud, 'import'] },
  customer: { zh: '批发客户', en: 'Wholesale customers', module: 'partners', actions: [...crud, 'import'] },
  manufacturer: { zh: '生产厂家', en: 'Manufacturers', module: 'partners', actions: crud },
  payment_method: { zh: '付款方式', en: 'Payment methods', module: 'partners', actions: crud },
  reason_code: { zh: '原因代码', en: 'Reason codes', module: 'partners', actions: crud },
  import_job: { zh: '导入记录', en: 'Import history', module: 'catalog', actions: ['view'] },
} as const satisfies FunctionDefs;
