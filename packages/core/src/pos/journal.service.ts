import { DomainError, type JournalQuery, saleStatusLabels, tenderMethodLabels } from '@erp/contracts';
import { sql } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { lastClosedDay } from '../org/business-day.service.js';
import { calendarDay } from '../platform/clock.js';
import { authorize, type Ctx } from '../platform/context.js';
import { EXPORT_LIMIT, type ExportColumn, exportXlsx } from '../platform/excel.js';
import type { SaleDto } from './sale.models.js';
import { loadSale } from './sale.repository.js';
import { openDay } from './sale.service.js';

// POS-11: the retail journal (零售流水): search sales; record invoice number and time; HQ sees any store, a
// store only its own (org scope); export to Excel.

export interface JournalRow {
  id: number;
  storeId: number;
  storeCode: string;
  storeName: string;
  terminalCode: string;
  cashierId: number;
  cashierName: string;
  receiptNo: string;
  kind: 'sale' | 'return';
  status: 'temporary' | 'formal' | 'held' | 'void';
  businessDay: string;
  soldAt: Date;
  gross: string;
  discount: string;
  rounding: string;
  total: string;
  cogs: string | null;
  tenders: string;
  offline: boolean;
  /** Reached the server after its own day had closed; booked on a later day. */
  late: boolean;
  invoiceNo: string | null;
  invoiceAt: Date | null;
  originalReceiptNo: string | null;
}

function journalSql(ctx: Ctx, q: Partial<JournalQuery>) {
  if (q.storeId !== undefined) ctx.scope.assert(q.storeId, 'org', q.storeId);
  const stores = q.storeId !== undefined ? [q.storeId] : [...ctx.scope.ids, -1];
  const conds = [sql`s.store_id = any(${stores}::int[])`];
  if (q.from) conds.push(sql`s.business_day >= ${q.from}::date`);
  if (q.to) conds.push(sql`s.business_day <= ${q.to}::date`);
  if (q.cashierId) conds.push(sql`s.cashier_id = ${q.cashierId}`);
  if (q.terminalId) conds.push(sql`s.terminal_id = ${q.terminalId}`);
  if (q.receiptNo) conds.push(sql`s.receipt_no like ${`%${q.receiptNo.replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`);
  if (q.productId)
    conds.push(sql`exists (select 1 from pos_sale_line l where l.sale_id = s.id and l.product_id = ${q.productId})`);
  if (q.status) conds.push(sql`s.status = ${q.status}`);
  else conds.push(sql`s.status in ('formal', 'temporary', 'held')`);
  if (q.kind) conds.push(sql`s.kind = ${q.kind}`);
  if (q.late !== undefined) conds.push(sql`s.late = ${q.late}`);
  return sql.join(conds, sql` and `);
}

interface RawJournal {
  id: number;
  store_id: number;
  store_code: string;
  store_name: string;
  terminal_code: string;
  cashier_id: number;
  cashier_name: string;
  receipt_no: string;
  kind: 'sale' | 'return';
  status: JournalRow['status'];
  business_day: string;
  sold_at: Date;
  gross: string;
  discount: string;
  rounding: string;
  total: string;
  cogs: string | null;
  tenders: string | null;
  offline: boolean;
  late: boolean;
  invoice_no: string | null;
  invoice_at: Date | null;
  original_receipt_no: string | null;
}

async function journalRows(ctx: Ctx, q: Partial<JournalQuery>, limit: number, offset: number): Promise<JournalRow[]> {
  const order = q.sort === 'total' ? sql`s.total` : q.sort === 'receiptNo' ? sql`s.receipt_no` : sql`s.sold_at`;
  const dir = q.order === 'asc' ? sql`asc` : sql`desc`;
  const r = await sql<RawJournal>`
    select s.id, s.store_id, o.code as store_code, o.name as store_name, t.code as terminal_code, s.cashier_id,
           u.name as cashier_name, s.receipt_no, s.kind, s.status, s.business_day::text as business_day, s.sold_at, s.gross,
           (s.strategy_discount + s.line_discount + s.sale_discount) as discount, s.rounding, s.total, s.cogs,
           (select string_agg(tn.method || ':' || tn.amount, ',' order by tn.seq) from pos_sale_tender tn where tn.sale_id = s.id) as tenders,
           s.offline, s.late, s.invoice_no, s.invoice_at, os.receipt_no as original_receipt_no
      from pos_sale s
      join org o on o.id = s.store_id
      join pos_terminal t on t.id = s.terminal_id
      join app_user u on u.id = s.cashier_id
      left join pos_sale os on os.id = s.original_sale_id
     where ${journalSql(ctx, q)}
     order by ${order} ${dir}, s.id ${dir}
     limit ${limit} offset ${offset}`.execute(ctx.db);
  return r.rows.map((x) => ({
    id: Number(x.id),
    storeId: x.store_id,
    storeCode: x.store_code,
    storeName: x.store_name,
    terminalCode: x.terminal_code,
    cashierId: x.cashier_id,
    cashierName: x.cashier_name,
    receiptNo: x.receipt_no,
    kind: x.kind,
    status: x.status,
    businessDay: x.business_day,
    soldAt: x.sold_at,
    gross: x.gross,
    discount: String(x.discount),
    rounding: x.rounding,
    total: x.total,
    cogs: x.cogs,
    tenders: x.tenders ?? '',
    offline: x.offline,
    late: x.late,
    invoiceNo: x.invoice_no,
    invoiceAt: x.invoice_at,
    originalReceiptNo: x.original_receipt_no,
  }));
}

/**
 * The day the journal opens at (POS-11): a store's open business day (today, or tomorrow once today is
 * closed); across stores, today on the chain's clock.
 */
export async function journalBusinessDay(ctx: Ctx, storeId?: number): Promise<{ storeId: number | null; day: string }> {
  authorize(ctx, 'pos.sale', 'view');
  if (storeId === undefined) return { storeId: null, day: calendarDay() };
  ctx.scope.assert(storeId, 'org', storeId);
  return { storeId, day: openDay(await lastClosedDay(ctx.db, storeId)) };
}

/** Searches the journal: by store, period, cashier, till, receipt number, product, status, kind. */
export async function searchJournal(ctx: Ctx, q: JournalQuery) {
  authorize(ctx, 'pos.sale', 'view');
  const count = await sql<{ n: number }>`select count(*)::int as n from pos_sale s where ${journalSql(ctx, q)}`.execute(ctx.db);
  const items = await journalRows(ctx, q, q.pageSize, (q.page - 1) * q.pageSize);
  return { items, total: count.rows[0]?.n ?? 0, page: q.page, pageSize: q.pageSize };
}

export async function getSale(ctx: Ctx, id: number): Promise<SaleDto> {
  authorize(ctx, 'pos.sale', 'view');
  const sale = await loadSale(ctx.db, { ids: [id] });
  if (!sale || !ctx.scope.has(sale.storeId)) throw new DomainError('NOT_FOUND', { entity: 'sale', id });
  return sale;
}

/** Records the invoice (发票) issued for a sale: number and time. */
export async function setSaleInvoice(ctx: Ctx, id: number, cmd: { invoiceNo: string; invoiceAt?: string | undefined }) {
  authorize(ctx, 'pos.sale', 'edit');
  const before = await ctx.db
    .selectFrom('pos_sale')
    .select(['id', 'store_id', 'status', 'receipt_no', 'invoice_no', 'invoice_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!before || !ctx.scope.has(before.store_id)) throw new DomainError('NOT_FOUND', { entity: 'sale', id });
  if (before.status !== 'formal') {
    throw new DomainError('POS_SALE_STATE', {
      receiptNo: before.receipt_no,
      status: saleStatusLabels[before.status].en,
      action: 'invoice',
    });
  }
  const invoiceAt = cmd.invoiceAt ? new Date(cmd.invoiceAt) : new Date();
  await ctx.db.updateTable('pos_sale').set({ invoice_no: cmd.invoiceNo, invoice_at: invoiceAt }).where('id', '=', id).execute();
  await recordAudit(ctx, {
    action: 'pos.invoice',
    entity: 'pos_sale',
    entityId: id,
    before: { invoiceNo: before.invoice_no, invoiceAt: before.invoice_at },
    after: { invoiceNo: cmd.invoiceNo, invoiceAt },
    orgId: before.store_id,
  });
  return getSale(ctx, id);
}

/** The journal as .xlsx (up to 100,000 rows), headers in the user's language. */
export async function exportJournal(ctx: Ctx, q: Partial<JournalQuery>): Promise<Buffer> {
  authorize(ctx, 'pos.sale', 'export');
  const rows = await journalRows(ctx, q, EXPORT_LIMIT, 0);
  const zh = ctx.locale !== 'en';
  const t = (a: string, b: string) => (zh ? a : b);
  const method = (m: string) => {
    const l = tenderMethodLabels[m as keyof typeof tenderMethodLabels];
    return l ? (zh ? l.zh : l.en) : m;
  };
  const columns: ExportColumn<JournalRow>[] = [
    { header: t('门店', 'Store'), value: (r) => `${r.storeCode} ${r.storeName}`, width: 18 },
    { header: t('营业日', 'Business day'), value: (r) => r.businessDay, width: 12 },
    { header: t('小票号', 'Receipt no.'), value: (r) => r.receiptNo, width: 22 },
    { header: t('类型', 'Kind'), value: (r) => (r.kind === 'sale' ? t('销售', 'Sale') : t('退货', 'Return')) },
    { header: t('状态', 'Status'), value: (r) => (zh ? saleStatusLabels[r.status].zh : saleStatusLabels[r.status].en) },
    { header: t('收银机', 'Till'), value: (r) => r.terminalCode },
    { header: t('收银员', 'Cashier'), value: (r) => r.cashierName },
    { header: t('时间', 'Time'), value: (r) => r.soldAt, width: 20, numFmt: 'yyyy-mm-dd hh:mm:ss' },
    { header: t('原价金额', 'Gross'), value: (r) => r.gross, numFmt: '0.00' },
    { header: t('优惠', 'Discount'), value: (r) => r.discount, numFmt: '0.00' },
    { header: t('抹零', 'Rounding'), value: (r) => r.rounding, numFmt: '0.00' },
    { header: t('实收', 'Total'), value: (r) => r.total, numFmt: '0.00' },
    { header: t('销售成本', 'COGS'), value: (r) => r.cogs, numFmt: '0.00' },
    {
      header: t('付款方式', 'Tenders'),
      value: (r) =>
        r.tenders
          .split(',')
          .filter(Boolean)
          .map((x) => {
            const [m, a] = x.split(':');
            return `${method(m ?? '')} ${a}`;
          })
          .join('; '),
      width: 28,
    },
    { header: t('原小票', 'Original receipt'), value: (r) => r.originalReceiptNo, width: 22 },
    { header: t('脱机', 'Offline'), value: (r) => (r.offline ? t('是', 'yes') : '') },
    { header: t('日结后上传', 'Late'), value: (r) => (r.late ? t('是', 'yes') : '') },
    { header: t('发票号', 'Invoice no.'), value: (r) => r.invoiceNo, width: 16 },
    { header: t('开票时间', 'Invoiced at'), value: (r) => r.invoiceAt, width: 20, numFmt: 'yyyy-mm-dd hh:mm' },
  ];
  return exportXlsx(t('零售流水', 'Retail journal'), columns, rows);
}
