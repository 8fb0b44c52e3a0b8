import {
  type DocType,
  docStatusLabels,
  docTypes,
  type LedgerDetailQuery,
  type LedgerSource,
  type NearExpiryQuery,
  type ReviewQueueQuery,
  type StockMovementQuery,
} from '@erp/contracts';
import { authorize, type Ctx } from '../platform/context.js';
import { EXPORT_LIMIT, type ExportColumn, exportXlsx } from '../platform/excel.js';
import { type StockStatus, stockStatusLabels } from './inventory.models.js';
import { listReviewQueue } from './review.service.js';
import {
  getLedgerDetail,
  type LedgerQuery,
  listNearExpiry,
  listStockBalances,
  listStockLedger,
  listStockMovements,
  type StockQuery,
} from './stock-query.service.js';
import { getStocktakeSheet, getStocktakeVariance, type StocktakeLineDto } from './stocktake.service.js';

export interface ExportFile {
  filename: string;
  content: Buffer;
}

const QTY = '0.000';
const MONEY = '0.00';
const COST = '0.0000';

function label(ctx: Ctx, zh: string, en: string): string {
  return ctx.locale === 'en' ? en : zh;
}

function statusLabel(ctx: Ctx, s: string | null): string {
  if (!s) return '';
  const l = stockStatusLabels[s as StockStatus];
  return l ? label(ctx, l.zh, l.en) : s;
}

function typeLabel(ctx: Ctx, t: string | null): string {
  if (!t) return '';
  const l = docTypes[t as DocType];
  return l ? label(ctx, l.zh, l.en) : t;
}

/** A ledger row's source as people name it: 报损单 LS-… / 零售销售 S001-…. */
function sourceText(ctx: Ctx, s: LedgerSource): string {
  return [label(ctx, s.label.zh, s.label.en), s.number].filter(Boolean).join(' ');
}

function col<T>(
  ctx: Ctx,
  zh: string,
  en: string,
  value: ExportColumn<T>['value'],
  numFmt?: string,
  width?: number,
): ExportColumn<T> {
  return { header: label(ctx, zh, en), value, ...(numFmt ? { numFmt } : {}), ...(width ? { width } : {}) };
}

function file(name: string, content: Buffer): ExportFile {
  return { filename: `${name}-${new Date().toISOString().slice(0, 10)}.xlsx`, content };
}

const all = { page: 1, pageSize: EXPORT_LIMIT, order: 'asc' as const };

/** 库存查询 as .xlsx, with the same filters and grouping as the screen. */
export async function exportStockBalances(ctx: Ctx, q: StockQuery): Promise<ExportFile> {
  authorize(ctx, 'stock', 'export');
  const { items } = await listStockBalances(ctx, { ...q, ...all });
  type R = (typeof items)[number];
  const columns: ExportColumn<R>[] = [
    col(ctx, '仓库编码', 'Warehouse', (r) => r.warehouseCode),
    col(ctx, '仓库名称', 'Warehouse name', (r) => r.warehouseName, undefined, 16),
    col(ctx, '商品编码', 'Product code', (r) => r.productCode, undefined, 14),
    col(ctx, '商品名称', 'Product name', (r) => r.productName, undefined, 30),
    col(ctx, '规格', 'Spec', (r) => r.productSpec),
    col(ctx, '单位', 'Unit', (r) => r.unitName),
    col(ctx, '批次', 'Batch', (r) => r.batchNo),
    col(ctx, '批号', 'Lot', (r) => r.lotNo),
    col(ctx, '效期', 'Expiry', (r) => r.expiryDate, undefined, 12),
    col(ctx, '货架', 'Shelf', (r) => r.shelfCode),
    col(ctx, '状态', 'Status', (r) => statusLabel(ctx, r.status)),
    col(ctx, '数量', 'Quantity', (r) => r.qty, QTY),
    col(ctx, '移动平均成本', 'Average cost', (r) => r.avgCost, COST),
    col(ctx, '库存金额', 'Value', (r) => r.value, MONEY),
  ];
  return file('stock', await exportXlsx(label(ctx, '库存', 'Stock'), columns, items));
}

export async function exportStockLedger(ctx: Ctx, q: LedgerQuery): Promise<ExportFile> {
  authorize(ctx, 'stock', 'export');
  const { items } = await listStockLedger(ctx, { ...q, ...all });
  type R = (typeof items)[number];
  const columns: ExportColumn<R>[] = [
    col(ctx, '流水号', 'Entry', (r) => Number(r.id)),
    col(ctx, '业务日期', 'Business date', (r) => r.businessDate, undefined, 12),
    col(ctx, '仓库', 'Warehouse', (r) => r.warehouseCode),
    col(ctx, '商品编码', 'Product code', (r) => r.productCode, undefined, 14),
    col(ctx, '商品名称', 'Product name', (r) => r.productName, undefined, 30),
    col(ctx, '批次', 'Batch', (r) => r.batchNo),
    col(ctx, '批号', 'Lot', (r) => r.lotNo),
    col(ctx, '状态', 'Status', (r) => statusLabel(ctx, r.status)),
    col(ctx, '数量', 'Quantity', (r) => r.qty, QTY),
    col(ctx, '单位成本', 'Unit cost', (r) => r.unitCost, COST),
    col(ctx, '金额', 'Amount', (r) => r.amount, MONEY),
    col(ctx, '来源', 'Source', (r) => sourceText(ctx, r.source), undefined, 30),
  ];
  return file('stock-ledger', await exportXlsx(label(ctx, '库存流水', 'Ledger'), columns, items));
}

/** 保管明细账: per group an opening row, the entries, a closing row. */
export async function exportLedgerDetail(ctx: Ctx, q: LedgerDetailQuery): Promise<ExportFile> {
  authorize(ctx, 'stock', 'export');
  const { items } = await getLedgerDetail(ctx, { ...q, page: 1, pageSize: 5000 });
  interface R {
    wh: string;
    code: string;
    name: string;
    date: string;
    what: string;
    batch: string;
    lot: string;
    inQty: string | null;
    outQty: string | null;
    unitCost: string | null;
    amount: string | null;
    balanceQty: string;
    balanceAmount: string;
  }
  const rows: R[] = [];
  for (const g of items) {
    const base = { wh: g.warehouseCode, code: g.productCode, name: g.productName, batch: '', lot: '' };
    rows.push({
      ...base,
      date: q.from,
      what: label(ctx, '期初', 'Opening'),
      inQty: null,
      outQty: null,
      unitCost: null,
      amount: null,
      balanceQty: g.openingQty,
      balanceAmount: g.openingAmount,
    });
    for (const e of g.entries) {
      rows.push({
        ...base,
        date: e.businessDate,
        what: sourceText(ctx, e.source),
        batch: e.batchNo,
        lot: e.lotNo,
        inQty: e.inQty,
        outQty: e.outQty,
        unitCost: e.unitCost,
        amount: e.amount,
        balanceQty: e.balanceQty,
        balanceAmount: e.balanceAmount,
      });
    }
    rows.push({
      ...base,
      date: q.to,
      what: label(ctx, '期末', 'Closing'),
      inQty: g.inQty,
      outQty: g.outQty,
      unitCost: null,
      amount: null,
      balanceQty: g.closingQty,
      balanceAmount: g.closingAmount,
    });
  }
  const columns: ExportColumn<R>[] = [
    col(ctx, '仓库', 'Warehouse', (r) => r.wh),
    col(ctx, '商品编码', 'Product code', (r) => r.code, undefined, 14),
    col(ctx, '商品名称', 'Product name', (r) => r.name, undefined, 30),
    col(ctx, '日期', 'Date', (r) => r.date, undefined, 12),
    col(ctx, '摘要', 'Entry', (r) => r.what, undefined, 28),
    col(ctx, '批次', 'Batch', (r) => r.batch),
    col(ctx, '批号', 'Lot', (r) => r.lot),
    col(ctx, '入库数量', 'In', (r) => r.inQty, QTY),
    col(ctx, '出库数量', 'Out', (r) => r.outQty, QTY),
    col(ctx, '单位成本', 'Unit cost', (r) => r.unitCost, COST),
    col(ctx, '金额', 'Amount', (r) => r.amount, MONEY),
    col(ctx, '结存数量', 'Balance', (r) => r.balanceQty, QTY),
    col(ctx, '结存金额', 'Balance value', (r) => r.balanceAmount, MONEY),
  ];
  return file('ledger-detail', await exportXlsx(label(ctx, '保管明细账', 'Ledger detail'), columns, rows));
}

export async function exportNearExpiry(ctx: Ctx, q: NearExpiryQuery): Promise<ExportFile> {
  authorize(ctx, 'stock', 'export');
  const { items } = await listNearExpiry(ctx, { ...q, ...all });
  type R = (typeof items)[number];
  const columns: ExportColumn<R>[] = [
    col(ctx, '仓库', 'Warehouse', (r) => r.warehouseCode),
    col(ctx, '商品编码', 'Product code', (r) => r.productCode, undefined, 14),
    col(ctx, '商品名称', 'Product name', (r) => r.productName, undefined, 30),
    col(ctx, '批次', 'Batch', (r) => r.batchNo),
    col(ctx, '批号', 'Lot', (r) => r.lotNo),
    col(ctx, '货架', 'Shelf', (r) => r.shelfCode),
    col(ctx, '状态', 'Status', (r) => statusLabel(ctx, r.status)),
    col(ctx, '有效期至', 'Expiry', (r) => r.expiryDate, undefined, 12),
    col(ctx, '剩余天数', 'Days left', (r) => r.daysLeft),
    col(ctx, '数量', 'Quantity', (r) => r.qty, QTY),
    col(ctx, '金额', 'Value', (r) => r.value, MONEY),
  ];
  return file('near-expiry', await exportXlsx(label(ctx, '近效期库存', 'Near expiry'), columns, items));
}

export async function exportStockMovements(ctx: Ctx, q: StockMovementQuery): Promise<ExportFile> {
  authorize(ctx, 'stock', 'export');
  const { items } = await listStockMovements(ctx, { ...q, ...all });
  type R = (typeof items)[number];
  const columns: ExportColumn<R>[] = [
    col(ctx, '业务日期', 'Business date', (r) => r.businessDate, undefined, 12),
    col(ctx, '单据类型', 'Document type', (r) => label(ctx, r.source.label.zh, r.source.label.en), undefined, 14),
    col(ctx, '单号', 'Number', (r) => r.source.number, undefined, 24),
    col(ctx, '行号', 'Line', (r) => r.lineNo),
    col(ctx, '方向', 'Direction', (r) => (r.direction === 'in' ? label(ctx, '入库', 'In') : label(ctx, '出库', 'Out'))),
    col(ctx, '仓库', 'Warehouse', (r) => r.warehouseCode),
    col(ctx, '商品编码', 'Product code', (r) => r.productCode, undefined, 14),
    col(ctx, '商品名称', 'Product name', (r) => r.productName, undefined, 30),
    col(ctx, '批次', 'Batch', (r) => r.batchNo),
    col(ctx, '批号', 'Lot', (r) => r.lotNo),
    col(ctx, '状态', 'Status', (r) => statusLabel(ctx, r.status)),
    col(ctx, '数量', 'Quantity', (r) => r.qty, QTY),
    col(ctx, '单位成本', 'Unit cost', (r) => r.unitCost, COST),
    col(ctx, '金额', 'Amount', (r) => r.amount, MONEY),
    col(ctx, '原因', 'Reason', (r) => r.reason, undefined, 20),
  ];
  return file('stock-movements', await exportXlsx(label(ctx, '出入库明细', 'Movements'), columns, items));
}

export async function exportReviewQueue(ctx: Ctx, q: Partial<ReviewQueueQuery>): Promise<ExportFile> {
  authorize(ctx, 'stock_review', 'export');
  const { items } = await listReviewQueue(ctx, { ...q, page: 1, pageSize: 500 });
  type R = (typeof items)[number];
  const columns: ExportColumn<R>[] = [
    col(ctx, '单号', 'Number', (r) => r.number, undefined, 24),
    col(ctx, '单据类型', 'Type', (r) => typeLabel(ctx, r.docType), undefined, 14),
    col(ctx, '方向', 'Direction', (r) =>
      r.direction === 'in'
        ? label(ctx, '入库', 'In')
        : r.direction === 'out'
          ? label(ctx, '出库', 'Out')
          : label(ctx, '库内', 'Internal'),
    ),
    col(ctx, '机构', 'Org', (r) => r.orgName, undefined, 16),
    col(ctx, '仓库', 'Warehouse', (r) => r.warehouseCode),
    col(ctx, '业务日期', 'Business date', (r) => r.businessDate, undefined, 12),
    col(ctx, '行数', 'Lines', (r) => r.lines),
    col(ctx, '数量', 'Quantity', (r) => r.totalQty, QTY),
    col(ctx, '金额', 'Amount', (r) => r.totalAmount, MONEY),
  ];
  return file('stock-review', await exportXlsx(label(ctx, '出入库复核', 'Review queue'), columns, items));
}

function sheetColumns(ctx: Ctx, showsBook: boolean, withVariance: boolean): ExportColumn<StocktakeLineDto>[] {
  return [
    col(ctx, '序号', 'No.', (r) => r.lineNo),
    col(ctx, '仓库', 'Warehouse', (r) => r.warehouseCode),
    col(ctx, '货架', 'Shelf', (r) => r.shelfCode),
    col(ctx, '商品编码', 'Product code', (r) => r.productCode, undefined, 14),
    col(ctx, '商品名称', 'Product name', (r) => r.productName, undefined, 30),
    col(ctx, '规格', 'Spec', (r) => r.productSpec),
    col(ctx, '单位', 'Unit', (r) => r.unitName),
    col(ctx, '批次', 'Batch', (r) => r.batchNo),
    col(ctx, '批号', 'Lot', (r) => r.lotNo),
    col(ctx, '效期', 'Expiry', (r) => r.expiryDate, undefined, 12),
    col(ctx, '状态', 'Status', (r) => statusLabel(ctx, r.status)),
    ...(showsBook ? [col<StocktakeLineDto>(ctx, '账面数量', 'Book', (r) => r.bookQty, QTY)] : []),
    col(ctx, '实盘数量', 'Counted', (r) => r.countedQty, QTY),
    ...(withVariance
      ? [
          col<StocktakeLineDto>(ctx, '盘点时账面', 'Book at count', (r) => r.bookAtCount, QTY),
          col<StocktakeLineDto>(ctx, '差异数量', 'Variance', (r) => r.varianceQty, QTY),
          col<StocktakeLineDto>(ctx, '单位成本', 'Unit cost', (r) => r.unitCost, COST),
          col<StocktakeLineDto>(ctx, '差异金额', 'Variance value', (r) => r.varianceAmount, MONEY),
        ]
      : []),
  ];
}

/** The count sheet (盘点表) as .xlsx, in walking order; a blind count leaves out the book. */
export async function exportStocktakeSheet(ctx: Ctx, id: number): Promise<ExportFile> {
  authorize(ctx, 'doc.stocktake', 'export');
  const sheet = await getStocktakeSheet(ctx, id);
  const posted = sheet.stocktake.totals !== null;
  return file(
    `stocktake-${sheet.stocktake.number}`,
    await exportXlsx(sheet.stocktake.number, sheetColumns(ctx, sheet.showsBook, posted), sheet.lines),
  );
}

/** Surplus lines, then shortage lines, of a posted stocktake. */
export async function exportStocktakeVariance(ctx: Ctx, id: number): Promise<ExportFile> {
  authorize(ctx, 'doc.stocktake', 'export');
  const v = await getStocktakeVariance(ctx, id);
  const kind = (r: StocktakeLineDto) =>
    r.varianceQty?.startsWith('-') ? label(ctx, '盘亏', 'Shortage') : label(ctx, '盘盈', 'Surplus');
  const columns = [col<StocktakeLineDto>(ctx, '类别', 'Kind', kind), ...sheetColumns(ctx, true, true)];
  const status = docStatusLabels[v.stocktake.status as keyof typeof docStatusLabels];
  return file(
    `stocktake-variance-${v.stocktake.number}`,
    await exportXlsx(`${v.stocktake.number} ${status ? label(ctx, status.zh, status.en) : ''}`, columns, [
      ...v.surplus,
      ...v.shortage,
    ]),
  );
}
