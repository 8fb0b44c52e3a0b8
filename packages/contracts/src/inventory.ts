import { z } from 'zod';
import { queryBool } from './catalog/shared.js';
import { id, isoDate, pageQuery, qtyString } from './common.js';
import type { DocType } from './doc-types.js';
import { entity } from './fields.js';
import type { Bilingual } from './i18n.js';
import type { ErrorDefs, FunctionDefs } from './module.js';
import { bilingual, text } from './validation.js';

// Contracts of the inventory module: Zod schemas shared by server and web, its error codes and its grantable functions.

export const inventoryErrors = {
  INV_EXCEPTION_NOT_ACKNOWLEDGEABLE: {
    status: 409,
    zh: '库存欠账只能由到货或盘点冲平，不能手工确认',
    en: 'Stock debt clears when stock arrives or a count corrects it; it cannot be acknowledged by hand',
  },
  INV_STOCKTAKE_EMPTY: {
    status: 400,
    zh: '盘点范围内没有需要盘点的商品',
    en: 'There is nothing to count in the chosen stocktake scope',
  },
  INV_STOCKTAKE_NOT_COUNTING: {
    status: 409,
    zh: '盘点单 {number} 当前为“{status}”，只有临时状态才能录入实盘',
    en: 'Stocktake {number} is {status}; counts can only be entered while it is a draft',
  },
  INV_STOCKTAKE_NOT_POSTED: {
    status: 409,
    zh: '盘点单 {number} 尚未过账，不能生成损益单',
    en: 'Stocktake {number} is not posted; loss/overage documents cannot be generated yet',
  },
  INV_STOCKTAKE_GENERATED: {
    status: 409,
    zh: '盘点单 {number} 已生成损益单，不能回退过账',
    en: 'Stocktake {number} has generated its loss/overage documents and cannot be unposted',
  },
  INV_STOCKTAKE_ALREADY_GENERATED: {
    status: 409,
    zh: '盘点单 {number} 已生成过损益单',
    en: 'Stocktake {number} has already generated its loss/overage documents',
  },
  INV_STOCKTAKE_LINES_READONLY: {
    status: 409,
    zh: '盘点单的明细由盘点表生成，请通过实盘录入修改',
    en: 'Stocktake lines come from the count sheet; change them through count entry',
  },
  INV_STOCKTAKE_USE_SHEET: {
    status: 400,
    zh: '盘点单须通过“生成盘点表”创建',
    en: 'Stocktakes are created by generating a count sheet',
  },
  INV_STOCKTAKE_LINE_NOT_FOUND: {
    status: 404,
    zh: '盘点明细 {lineId} 不在盘点单 {number} 中',
    en: 'Count line {lineId} is not on stocktake {number}',
  },
  INV_STOCKTAKE_OUT_OF_SCOPE: {
    status: 400,
    zh: '商品 {product} 的货架/仓库不在本次盘点范围内',
    en: 'The shelf or warehouse of product {product} is outside this stocktake’s scope',
  },
  INV_MANUAL_COST_REQUIRED: {
    status: 400,
    zh: '第 {line} 行为手工成本，须填写大于 0 的单价',
    en: 'Line {line} uses a manual cost and needs a unit price greater than 0',
  },
  INV_ADJUSTMENT_NO_CHANGE: {
    status: 400,
    zh: '第 {line} 行调整前后的批次、批号、货架和状态完全相同',
    en: 'Line {line} changes nothing: batch, lot, shelf and status are the same before and after',
  },
  INV_MOVE_SAME_WAREHOUSE: {
    status: 400,
    zh: '移入仓库不能与移出仓库相同',
    en: 'The target warehouse must differ from the source warehouse',
  },
  INV_SHELF_NOT_IN_WAREHOUSE: {
    status: 400,
    zh: '货架 {shelf} 不属于仓库 {warehouse}',
    en: 'Shelf {shelf} does not belong to warehouse {warehouse}',
  },
  INV_REASON_CODE_INVALID: {
    status: 400,
    zh: '原因代码 {code} 已停用或不适用于{docType}',
    en: 'Reason code {code} is inactive or not meant for {docTypeEn}',
  },
  INV_NOT_IN_REVIEW: {
    status: 409,
    zh: '单据 {number} 不是待复核的出入库单据',
    en: 'Document {number} is not a stock document waiting for review',
  },
} as const satisfies ErrorDefs;

export const inventoryFunctions = {
  stock_review: {
    zh: '通用出入库复核',
    en: 'Inbound/outbound review',
    module: 'inventory',
    actions: ['view', 'post', 'export'],
  },
} as const satisfies FunctionDefs;

// ---- shared enums

export const STOCK_STATUS_VALUES = ['sellable', 'unsellable', 'pending_check'] as const;
export const stockStatusEnum = z.enum(STOCK_STATUS_VALUES);

/** Direction of a stock document in the review queue: 入库 / 出库 / 库内 (both legs in one org). */
export const STOCK_DIRECTIONS = ['in', 'out', 'internal'] as const;
export type StockDirection = (typeof STOCK_DIRECTIONS)[number];

/** Every stock-moving document type and its direction (通用入库复核 / 通用出库复核). */
export const stockDocDirections: Partial<Record<DocType, StockDirection>> = {
  purchase_receipt: 'in',
  purchase_return: 'out',
  self_purchase: 'in',
  loss: 'out',
  overage: 'in',
  internal_adjustment: 'internal',
  warehouse_move: 'internal',
  other_inbound: 'in',
  other_outbound: 'out',
};

// ---- attrs of inventory documents (free-form `attrs` on header and lines, checked by the type handlers)

/** Reason (原因) of a loss/overage/other in-out: a reason-code id from master data, free text, or both. */
export const reasonAttrs = z.object({
  reasonCodeId: id.optional(),
  reason: text().trim().max(200).optional(),
});

export const COST_MODES = ['auto', 'manual'] as const;
export type CostMode = (typeof COST_MODES)[number];

/** Loss/overage header attrs: the default cost mode (成本计算方式) and reason of its lines. */
export const adjustmentHeaderAttrs = reasonAttrs.extend({ costMode: z.enum(COST_MODES).optional() });
export const adjustmentLineAttrs = reasonAttrs.extend({ costMode: z.enum(COST_MODES).optional() });

/** Internal adjustment line attrs: what the stock becomes. Omitted fields stay as they are. */
export const internalAdjustmentLineAttrs = reasonAttrs.extend({
  to: z
    .object({
      batchNo: text().trim().max(50).optional(),
      lotNo: text().trim().max(50).optional(),
      expiryDate: isoDate.nullable().optional(),
      shelfId: id.nullable().optional(),
      stockStatus: stockStatusEnum.optional(),
    })
    .strict(),
});

/** Warehouse move: the header names the target warehouse; a line may name the target shelf. */
export const warehouseMoveHeaderAttrs = reasonAttrs.extend({ toWarehouseId: id });
export const warehouseMoveLineAttrs = reasonAttrs.extend({ toShelfId: id.nullable().optional() });

// ---- stock queries (INV-3)

export const BALANCE_DIMENSIONS = ['batch', 'lot', 'shelf', 'status'] as const;
export type BalanceDimension = (typeof BALANCE_DIMENSIONS)[number];

const dimensionList = text()
  .max(100)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(BALANCE_DIMENSIONS)));

export const stockBalanceQuery = pageQuery.extend({
  orgId: id.optional(),
  warehouseId: id.optional(),
  productId: id.optional(),
  batchNo: text().max(50).optional(),
  lotNo: text().max(50).optional(),
  /** 0 = goods on no shelf. */
  shelfId: z.coerce.number().int().min(0).optional(),
  /** Goods on the shelves of one counter (柜组). */
  counterId: id.optional(),
  /** Products of this category and its sub-categories. */
  categoryId: id.optional(),
  status: stockStatusEnum.optional(),
  includeZero: queryBool.optional(),
  /** Near-zero stock: rows whose quantity is at most this. */
  maxQty: qtyString.optional(),
  negativeOnly: queryBool.optional(),
  expiryBefore: isoDate.optional(),
  /**
   * Dimensions kept apart, comma-separated (batch,lot,shelf,status). Omitted: every dimension (one row per
   * balance); empty: one row per warehouse and product.
   */
  groupBy: dimensionList.optional(),
});
export type StockBalanceQuery = z.infer<typeof stockBalanceQuery>;

export const stockLedgerQuery = pageQuery.extend({
  orgId: id.optional(),
  warehouseId: id.optional(),
  productId: id.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  sourceType: text().max(30).optional(),
  sourceId: id.optional(),
});
export type StockLedgerQuery = z.infer<typeof stockLedgerQuery>;

/** 保管明细账: one group per warehouse and product with opening, entries with running balance, closing. */
export const ledgerDetailQuery = pageQuery.extend({
  from: isoDate,
  to: isoDate,
  orgId: id.optional(),
  warehouseId: id.optional(),
  productId: id.optional(),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type LedgerDetailQuery = z.infer<typeof ledgerDetailQuery>;

/** 近效期: stock whose expiry date falls within `days` from today (expired stock included unless told). */
export const nearExpiryQuery = pageQuery.extend({
  days: z.coerce.number().int().min(0).max(3650).default(90),
  includeExpired: queryBool.default(true),
  orgId: id.optional(),
  warehouseId: id.optional(),
  productId: id.optional(),
});
export type NearExpiryQuery = z.infer<typeof nearExpiryQuery>;

/** 出入库单明细: ledger lines of posted documents in a period. */
export const stockMovementQuery = pageQuery.extend({
  from: isoDate,
  to: isoDate,
  orgId: id.optional(),
  warehouseId: id.optional(),
  productId: id.optional(),
  docType: text().max(40).optional(),
  direction: z.enum(['in', 'out']).optional(),
  /** 'document' (default), 'sale', … or 'all'. */
  sourceType: text().max(30).default('document'),
});
export type StockMovementQuery = z.infer<typeof stockMovementQuery>;

// ---- stocktake (INV-5)

export const STOCKTAKE_MODES = ['static', 'dynamic'] as const;
export type StocktakeMode = (typeof STOCKTAKE_MODES)[number];
/** 实盘录入方式: from the printed sheet (book shown) or manual/blind (book hidden until posting). */
export const STOCKTAKE_ENTRY_MODES = ['sheet', 'blind'] as const;
export type StocktakeEntryMode = (typeof STOCKTAKE_ENTRY_MODES)[number];
/** What an uncounted sheet line means at posting: counted as zero (default) or as equal to the book. */
export const UNCOUNTED_POLICIES = ['zero', 'book'] as const;

export const createStocktakeBody = entity(
  'stocktake',
  z.object({
    orgId: id,
    /** Omitted: every warehouse of the org. */
    warehouseId: id.optional(),
    mode: z.enum(STOCKTAKE_MODES).default('static'),
    /** Dynamic sheets: items whose stock moved on or after this business date. */
    since: isoDate.optional(),
    /** Count one counter (柜组: its shelves) … */
    counterId: id.optional(),
    /** … or one shelf. */
    shelfId: id.optional(),
    entryMode: z.enum(STOCKTAKE_ENTRY_MODES).default('sheet'),
    uncountedAs: z.enum(UNCOUNTED_POLICIES).default('zero'),
    businessDate: isoDate.optional(),
    remarks: text().max(1000).optional(),
  }),
)
  .refine(
    (b) => b.mode !== 'dynamic' || b.since !== undefined,
    bilingual('动态盘点须指定起始日期', 'A dynamic stocktake needs a start date', ['since']),
  )
  .refine(
    (b) => b.counterId === undefined || b.shelfId === undefined,
    bilingual('柜组和货架只能选一个', 'Choose a counter or a shelf, not both', ['shelfId']),
  );
export type CreateStocktakeCommand = z.input<typeof createStocktakeBody>;

export const stocktakeCountBody = z
  .object({
    /** Counts of sheet lines. `null` clears a count. */
    lines: z
      .array(z.object({ lineId: id, countedQty: qtyString.nullable() }))
      .max(20000)
      .default([]),
    /** Blind/manual lines: goods found that are not on the sheet (a line with the same key is updated). */
    extra: z
      .array(
        z.object({
          productId: id,
          warehouseId: id.optional(),
          batchNo: text().trim().max(50).optional(),
          lotNo: text().trim().max(50).optional(),
          expiryDate: isoDate.nullable().optional(),
          shelfId: id.nullable().optional(),
          stockStatus: stockStatusEnum.optional(),
          countedQty: qtyString,
        }),
      )
      .max(20000)
      .default([]),
  })
  .refine((b) => b.lines.length + b.extra.length > 0, bilingual('请至少录入一行实盘数', 'Enter at least one count', ['lines']));
export type StocktakeCountCommand = z.input<typeof stocktakeCountBody>;

export const stocktakeListQuery = pageQuery.extend({
  orgId: id.optional(),
  status: text().max(30).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export type StocktakeListQuery = z.infer<typeof stocktakeListQuery>;

export const STOCKTAKE_LINE_STATES = ['all', 'counted', 'uncounted', 'variance', 'surplus', 'shortage'] as const;
export const stocktakeLinesQuery = pageQuery.extend({
  state: z.enum(STOCKTAKE_LINE_STATES).default('all'),
  /** 0 = goods on no shelf. */
  shelfId: z.coerce.number().int().min(0).optional(),
  pageSize: z.coerce.number().int().min(1).max(2000).default(100),
});
export type StocktakeLinesQuery = z.infer<typeof stocktakeLinesQuery>;

// ---- generic inbound/outbound review (通用入库/出库复核)

export const reviewQueueQuery = pageQuery.extend({
  direction: z.enum(STOCK_DIRECTIONS).optional(),
  docType: text().max(40).optional(),
  orgId: id.optional(),
  warehouseId: id.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export type ReviewQueueQuery = z.infer<typeof reviewQueueQuery>;

export const reviewPostBody = z.object({ ids: z.array(id).min(1).max(200) });
export type ReviewPostCommand = z.infer<typeof reviewPostBody>;

// ---- response shapes (the server's; the web reads them as Wire<T>)

export interface VarianceTotals {
  surplusQty: string;
  surplusAmount: string;
  shortageQty: string;
  shortageAmount: string;
  surplusLines: number;
  shortageLines: number;
}

export interface StocktakeDto {
  id: number;
  number: string;
  status: string;
  orgId: number;
  businessDate: string;
  warehouseId: number | null;
  mode: 'static' | 'dynamic';
  since: string | null;
  counterId: number | null;
  shelfId: number | null;
  entryMode: 'sheet' | 'blind';
  uncountedAs: 'zero' | 'book';
  snapshotLedgerId: number;
  snapshotAt: Date;
  remarks: string | null;
  lines: number;
  countedLines: number;
  /** Surplus and shortage apart; null until posted. */
  totals: VarianceTotals | null;
  generatedAt: Date | null;
  generatedDocuments: { id: number; number: string; docType: string; status: string }[];
  version: number;
}

export interface StocktakeLineDto {
  id: number;
  lineNo: number;
  origin: 'sheet' | 'blind';
  warehouseId: number;
  warehouseCode: string;
  productId: number;
  productCode: string;
  productName: string;
  /** 规格 and base unit, for the printed sheet. */
  productSpec: string;
  unitName: string | null;
  batchNo: string;
  lotNo: string;
  expiryDate: string | null;
  shelfId: number | null;
  shelfCode: string | null;
  shelfName: string | null;
  status: string;
  /** Book at the snapshot; hidden (null) on a blind count until it is posted. */
  bookQty: string | null;
  countedQty: string | null;
  countedAt: Date | null;
  movedQty: string | null;
  bookAtCount: string | null;
  varianceQty: string | null;
  unitCost: string | null;
  varianceAmount: string | null;
}

export interface StocktakeSheet {
  stocktake: StocktakeDto;
  org: { id: number; code: string; name: string };
  warehouses: { id: number; code: string; name: string }[];
  counter: { id: number; code: string; name: string } | null;
  shelf: { id: number; code: string; name: string } | null;
  /** Whether book quantities are printed (a blind count hides them until posted). */
  showsBook: boolean;
  lines: StocktakeLineDto[];
}

/**
 * What a ledger row came from, as people name it (INV-3): a document by its number, a till sale or return by
 * its receipt number, each with a label in both languages — never an internal id or a type code.
 */
export interface LedgerSource {
  kind: 'document' | 'pos_sale' | 'other';
  /** The document's number or the receipt number; null for another source. */
  number: string | null;
  /** What it is: the document type (报损单 / Loss), 零售销售 / Retail sale, 零售退货 / Retail return. */
  label: Bilingual;
  /** kind 'document': the document to open. */
  documentId: number | null;
  docType: DocType | null;
  /** kind 'pos_sale': the store and business day the retail journal is filtered on. */
  storeId: number | null;
  businessDay: string | null;
}

/** Labels of ledger sources that are not documents (a document is named by its type, `docTypes`). */
export const ledgerSourceLabels = {
  sale: { zh: '零售销售', en: 'Retail sale' },
  return: { zh: '零售退货', en: 'Retail return' },
  other: { zh: '其他来源', en: 'Other source' },
} as const satisfies Record<string, Bilingual>;

export interface LedgerDetailEntry {
  id: number;
  businessDate: string;
  sourceType: string;
  sourceId: number;
  documentNumber: string | null;
  docType: string | null;
  source: LedgerSource;
  batchNo: string;
  lotNo: string;
  shelfId: number | null;
  status: string;
  inQty: string;
  outQty: string;
  unitCost: string;
  amount: string;
  /** Running balance after this entry. */
  balanceQty: string;
  balanceAmount: string;
}

export interface LedgerDetailGroup {
  warehouseId: number;
  warehouseCode: string;
  warehouseName: string;
  productId: number;
  productCode: string;
  productName: string;
  openingQty: string;
  openingAmount: string;
  inQty: string;
  inAmount: string;
  outQty: string;
  outAmount: string;
  closingQty: string;
  closingAmount: string;
  entries: LedgerDetailEntry[];
}
