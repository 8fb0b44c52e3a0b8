import {
  type AcceptanceRecordQuery,
  type AcceptanceRecordRow,
  acceptanceConclusionLabels,
  docTypes,
  type PayableRow,
  type PurchaseDetailQuery,
  type PurchaseDetailRow,
  type PurchasePayableQuery,
  type PurchasePriceQuery,
  qty,
} from '@erp/contracts';
import { sql } from '@erp/db';
import type { RawBuilder } from 'kysely';
import { authorize, type Ctx } from '../platform/context.js';
import { EXPORT_LIMIT, type ExportColumn, exportXlsx } from '../platform/excel.js';
import { defaultPurchasePrices } from './purchasing.master-data.js';

export type { AcceptanceRecordRow, PayableRow, PurchaseDetailRow } from '@erp/contracts';

function like(s: string): string {
  return `%${s.replace(/[\\%_]/g, '\\$&')}%`;
}

function orgCondition(ctx: Ctx, column: RawBuilder<unknown>, orgId: number | undefined): RawBuilder<unknown> {
  if (orgId !== undefined) ctx.scope.assert(orgId, 'org', orgId);
  const ids = orgId !== undefined ? [orgId] : [...ctx.scope.ids, -1];
  return sql`${column} = any(${ids}::int[])`;
}

type Col<T> = ExportColumn<T>;
function columns<T>(zh: boolean, defs: [string, string, Col<T>['value'], Partial<Col<T>>?][]): Col<T>[] {
  return defs.map(([z, e, value, extra]) => ({ header: zh ? z : e, value, ...(extra ?? {}) }));
}

// ---- purchase detail (进货明细查询, seed 10058): lines of posted receipts, self-purchases and returns

function detailSql(ctx: Ctx, q: Partial<PurchaseDetailQuery>, limit: number, offset: number) {
  const c: RawBuilder<unknown>[] = [
    sql`d.doc_type = any(${q.docType ? [q.docType] : ['purchase_receipt', 'self_purchase', 'purchase_return']}::text[])`,
    sql`d.status in ('posted', 'completed')`,
    orgCondition(ctx, sql`d.org_id`, q.orgId),
  ];
  if (q.supplierId !== undefined) c.push(sql`d.partner_id = ${q.supplierId}`);
  if (q.productId !== undefined) c.push(sql`l.product_id = ${q.productId}`);
  if (q.lotNo) c.push(sql`l.lot_no = ${q.lotNo}`);
  if (q.from) c.push(sql`d.business_date >= ${q.from}::date`);
  if (q.to) c.push(sql`d.business_date <= ${q.to}::date`);
  if (q.q) c.push(sql`(d.number ilike ${like(q.q)} or p.code ilike ${like(q.q)} or p.name ilike ${like(q.q)})`);
  return sql<Record<string, unknown>>`
    select d.id as document_id, d.number, d.doc_type, d.business_date, d.org_id, o.name as org_name, w.name as warehouse_name,
           d.partner_id, pt.code as supplier_code, pt.name as supplier_name,
           l.id as line_id, l.line_no, l.product_id, p.code as product_code, p.name as product_name,
           l.batch_no, l.lot_no, l.expiry_date,
           (case when d.doc_type = 'purchase_return' then -l.qty else l.qty end)::text as qty,
           l.unit_price::text as unit_price,
           (case when d.doc_type = 'purchase_return' then -l.amount else l.amount end)::text as amount,
           l.status as line_status, count(*) over ()::text as total
      from document d
      join document_line l on l.document_id = d.id
      join org o on o.id = d.org_id
      join product p on p.id = l.product_id
      left join warehouse w on w.id = coalesce(l.warehouse_id, d.warehouse_id)
      left join partner pt on pt.id = d.partner_id
     where ${sql.join(c, sql` and `)}
     order by d.business_date desc, d.id desc, l.line_no
     limit ${limit} offset ${offset}`;
}

function toDetail(r: Record<string, unknown>): PurchaseDetailRow {
  return {
    documentId: r.document_id as number,
    number: r.number as string,
    docType: r.doc_type as string,
    businessDate: r.business_date as string,
    orgId: r.org_id as number,
    orgName: r.org_name as string,
    warehouseName: (r.warehouse_name as string | null) ?? null,
    supplierId: (r.partner_id as number | null) ?? null,
    supplierCode: (r.supplier_code as string | null) ?? null,
    supplierName: (r.supplier_name as string | null) ?? null,
    lineId: r.line_id as number,
    lineNo: r.line_no as number,
    productId: r.product_id as number,
    productCode: r.product_code as string,
    productName: r.product_name as string,
    batchNo: r.batch_no as string,
    lotNo: r.lot_no as string,
    expiryDate: (r.expiry_date as string | null) ?? null,
    qty: qty(r.qty as string),
    unitPrice: r.unit_price as string,
    amount: r.amount as string,
    lineStatus: r.line_status as string,
  };
}

export async function listPurchaseDetails(ctx: Ctx, q: PurchaseDetailQuery) {
  authorize(ctx, 'purchase_query', 'view');
  const rows = (await detailSql(ctx, q, q.pageSize, (q.page - 1) * q.pageSize).execute(ctx.db)).rows;
  return { items: rows.map(toDetail), total: Number(rows[0]?.total ?? 0), page: q.page, pageSize: q.pageSize };
}

export async function exportPurchaseDetails(ctx: Ctx, q: Partial<PurchaseDetailQuery>): Promise<Buffer> {
  authorize(ctx, 'purchase_query', 'export');
  const rows = (await detailSql(ctx, q, EXPORT_LIMIT, 0).execute(ctx.db)).rows.map(toDetail);
  const zh = ctx.locale !== 'en';
  const type = (t: string) => docTypes[t as keyof typeof docTypes]?.[zh ? 'zh' : 'en'] ?? t;
  return exportXlsx(
    zh ? '进货明细' : 'Purchase details',
    columns<PurchaseDetailRow>(zh, [
      ['日期', 'Date', (r) => r.businessDate, { width: 12 }],
      ['单号', 'Number', (r) => r.number, { width: 24 }],
      ['类型', 'Type', (r) => type(r.docType), { width: 14 }],
      ['机构', 'Org', (r) => r.orgName, { width: 16 }],
      ['仓库', 'Warehouse', (r) => r.warehouseName, { width: 14 }],
      ['供应商', 'Supplier', (r) => r.supplierName, { width: 24 }],
      ['商品编码', 'Product code', (r) => r.productCode, { width: 14 }],
      ['商品名称', 'Product', (r) => r.productName, { width: 24 }],
      ['批次', 'Batch', (r) => r.batchNo, { width: 20 }],
      ['批号', 'Lot', (r) => r.lotNo, { width: 14 }],
      ['有效期', 'Expiry', (r) => r.expiryDate, { width: 12 }],
      ['数量', 'Qty', (r) => r.qty, { numFmt: '0.000' }],
      ['单价', 'Unit price', (r) => r.unitPrice, { numFmt: '0.0000' }],
      ['金额', 'Amount', (r) => r.amount, { numFmt: '0.00' }],
      ['行状态', 'Line status', (r) => (r.lineStatus === 'void' ? (zh ? '作废' : 'Void') : '')],
    ]),
    rows,
  );
}

// ---- acceptance records (药品验收记录, GSP-1, seed 10046)

function acceptanceSql(ctx: Ctx, q: Partial<AcceptanceRecordQuery>, limit: number, offset: number) {
  const c: RawBuilder<unknown>[] = [orgCondition(ctx, sql`a.org_id`, q.orgId)];
  if (q.supplierId !== undefined) c.push(sql`a.partner_id = ${q.supplierId}`);
  if (q.productId !== undefined) c.push(sql`a.product_id = ${q.productId}`);
  if (q.lotNo) c.push(sql`a.lot_no = ${q.lotNo}`);
  if (q.conclusion) c.push(sql`a.conclusion = ${q.conclusion}`);
  if (q.from) c.push(sql`a.business_date >= ${q.from}::date`);
  if (q.to) c.push(sql`a.business_date <= ${q.to}::date`);
  if (q.q)
    c.push(sql`(d.number ilike ${like(q.q)} or p.code ilike ${like(q.q)} or p.name ilike ${like(q.q)} or a.lot_no = ${q.q})`);
  return sql<Record<string, unknown>>`
    select a.*, o.name as org_name, w.name as warehouse_name, d.number, pt.name as supplier_name,
           p.code as product_code, p.name as product_name, count(*) over ()::text as total
      from purchase_acceptance a
      join document d on d.id = a.document_id
      join org o on o.id = a.org_id
      join warehouse w on w.id = a.warehouse_id
      join product p on p.id = a.product_id
      left join partner pt on pt.id = a.partner_id
     where ${sql.join(c, sql` and `)}
     order by a.inspected_at desc, a.id desc
     limit ${limit} offset ${offset}`;
}

function toAcceptance(r: Record<string, unknown>): AcceptanceRecordRow {
  return {
    id: r.id as number,
    orgId: r.org_id as number,
    orgName: r.org_name as string,
    warehouseName: r.warehouse_name as string,
    documentId: r.document_id as number,
    number: r.number as string,
    docType: r.doc_type as string,
    supplierName: (r.supplier_name as string | null) ?? null,
    productId: r.product_id as number,
    productCode: r.product_code as string,
    productName: r.product_name as string,
    batchNo: r.batch_no as string,
    lotNo: r.lot_no as string,
    expiryDate: (r.expiry_date as string | null) ?? null,
    receivedQty: qty(r.received_qty as string),
    acceptedQty: qty(r.accepted_qty as string),
    rejectedQty: qty(r.rejected_qty as string),
    conclusion: r.conclusion as AcceptanceRecordRow['conclusion'],
    rejectReason: (r.reject_reason as string | null) ?? null,
    inspector: r.inspector as string,
    inspectedAt: r.inspected_at as Date,
    businessDate: r.business_date as string,
    voided: r.voided_at !== null,
  };
}

export async function listAcceptanceRecords(ctx: Ctx, q: AcceptanceRecordQuery) {
  authorize(ctx, 'acceptance_record', 'view');
  const rows = (await acceptanceSql(ctx, q, q.pageSize, (q.page - 1) * q.pageSize).execute(ctx.db)).rows;
  return { items: rows.map(toAcceptance), total: Number(rows[0]?.total ?? 0), page: q.page, pageSize: q.pageSize };
}

export async function exportAcceptanceRecords(ctx: Ctx, q: Partial<AcceptanceRecordQuery>): Promise<Buffer> {
  authorize(ctx, 'acceptance_record', 'export');
  const rows = (await acceptanceSql(ctx, q, EXPORT_LIMIT, 0).execute(ctx.db)).rows.map(toAcceptance);
  const zh = ctx.locale !== 'en';
  return exportXlsx(
    zh ? '验收记录' : 'Acceptance records',
    columns<AcceptanceRecordRow>(zh, [
      ['验收日期', 'Date', (r) => r.businessDate, { width: 12 }],
      ['验收时间', 'Inspected at', (r) => r.inspectedAt, { width: 20, numFmt: 'yyyy-mm-dd hh:mm' }],
      ['单号', 'Number', (r) => r.number, { width: 24 }],
      ['机构', 'Org', (r) => r.orgName, { width: 16 }],
      ['仓库', 'Warehouse', (r) => r.warehouseName, { width: 14 }],
      ['供应商', 'Supplier', (r) => r.supplierName, { width: 24 }],
      ['商品编码', 'Product code', (r) => r.productCode, { width: 14 }],
      ['商品名称', 'Product', (r) => r.productName, { width: 24 }],
      ['批号', 'Lot', (r) => r.lotNo, { width: 14 }],
      ['批次', 'Batch', (r) => r.batchNo, { width: 20 }],
      ['有效期', 'Expiry', (r) => r.expiryDate, { width: 12 }],
      ['到货数量', 'Received', (r) => r.receivedQty, { numFmt: '0.000' }],
      ['合格数量', 'Accepted', (r) => r.acceptedQty, { numFmt: '0.000' }],
      ['拒收数量', 'Rejected', (r) => r.rejectedQty, { numFmt: '0.000' }],
      ['验收结论', 'Conclusion', (r) => acceptanceConclusionLabels[r.conclusion][zh ? 'zh' : 'en']],
      ['拒收原因', 'Reject reason', (r) => r.rejectReason, { width: 20 }],
      ['验收员', 'Inspector', (r) => r.inspector],
      ['已作废', 'Void', (r) => (r.voided ? (zh ? '是' : 'Y') : '')],
    ]),
    rows,
  );
}

// ---- what receipts and returns owe suppliers (for FIN-3)

function payableSql(ctx: Ctx, q: Partial<PurchasePayableQuery>, limit: number, offset: number) {
  const c: RawBuilder<unknown>[] = [orgCondition(ctx, sql`y.org_id`, q.orgId)];
  if (q.supplierId !== undefined) c.push(sql`y.partner_id = ${q.supplierId}`);
  if (q.from) c.push(sql`y.business_date >= ${q.from}::date`);
  if (q.to) c.push(sql`y.business_date <= ${q.to}::date`);
  if (q.q) c.push(sql`(d.number ilike ${like(q.q)} or pt.name ilike ${like(q.q)})`);
  return sql<Record<string, unknown>>`
    select min(y.id) as id, y.org_id, o.name as org_name, y.partner_id, pt.code as supplier_code, pt.name as supplier_name,
           y.document_id, d.number, y.doc_type, sum(y.amount)::text as amount, y.business_date,
           count(*) over ()::text as total
      from purchase_payable y
      join document d on d.id = y.document_id
      join org o on o.id = y.org_id
      left join partner pt on pt.id = y.partner_id
     where ${sql.join(c, sql` and `)}
     group by y.org_id, o.name, y.partner_id, pt.code, pt.name, y.document_id, d.number, y.doc_type, y.business_date
     order by y.business_date desc, min(y.id) desc
     limit ${limit} offset ${offset}`;
}

function toPayable(r: Record<string, unknown>): PayableRow {
  return {
    id: r.id as number,
    orgId: r.org_id as number,
    orgName: r.org_name as string,
    supplierId: r.partner_id as number,
    supplierCode: (r.supplier_code as string | null) ?? null,
    supplierName: (r.supplier_name as string | null) ?? null,
    documentId: r.document_id as number,
    number: r.number as string,
    docType: r.doc_type as string,
    amount: r.amount as string,
    businessDate: r.business_date as string,
  };
}

/** Per document and day: what receipts/self-purchases owe and returns/voids credit (signed). */
export async function listPurchasePayables(ctx: Ctx, q: PurchasePayableQuery) {
  authorize(ctx, 'purchase_payable', 'view');
  const rows = (await payableSql(ctx, q, q.pageSize, (q.page - 1) * q.pageSize).execute(ctx.db)).rows;
  return { items: rows.map(toPayable), total: Number(rows[0]?.total ?? 0), page: q.page, pageSize: q.pageSize };
}

export async function exportPurchasePayables(ctx: Ctx, q: Partial<PurchasePayableQuery>): Promise<Buffer> {
  authorize(ctx, 'purchase_payable', 'export');
  const rows = (await payableSql(ctx, q, EXPORT_LIMIT, 0).execute(ctx.db)).rows.map(toPayable);
  const zh = ctx.locale !== 'en';
  const type = (t: string) => docTypes[t as keyof typeof docTypes]?.[zh ? 'zh' : 'en'] ?? t;
  return exportXlsx(
    zh ? '采购应付' : 'Purchase payables',
    columns<PayableRow>(zh, [
      ['日期', 'Date', (r) => r.businessDate, { width: 12 }],
      ['单号', 'Number', (r) => r.number, { width: 24 }],
      ['类型', 'Type', (r) => type(r.docType), { width: 14 }],
      ['机构', 'Org', (r) => r.orgName, { width: 16 }],
      ['供应商编码', 'Supplier code', (r) => r.supplierCode],
      ['供应商', 'Supplier', (r) => r.supplierName, { width: 24 }],
      ['金额', 'Amount', (r) => r.amount, { numFmt: '0.00' }],
    ]),
    rows,
  );
}

// ---- default purchase prices (for the line grids of orders, receipts and self-purchases)

/**
 * The purchase price (进价) a line of a purchasing document at `orgId` takes when none is entered, per base
 * unit: the org's own price, else its region's, else the company's; null when master data has none.
 */
export async function listDefaultPurchasePrices(ctx: Ctx, q: PurchasePriceQuery) {
  authorize(ctx, 'price', 'view');
  ctx.scope.assert(q.orgId, 'org', q.orgId);
  const prices = await defaultPurchasePrices(ctx.db, q.orgId, q.productIds);
  return { orgId: q.orgId, items: q.productIds.map((productId) => ({ productId, price: prices.get(productId) ?? null })) };
}
