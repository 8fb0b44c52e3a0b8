import {
  type CreatePurchaseOrderCommand,
  createPurchaseOrderBody,
  type DocStatus,
  DomainError,
  dec,
  docStatusLabels,
  fieldIssuesFromZod,
  type PurchaseOrderListItem,
  type PurchaseOrderListQuery,
  purchaseHeaderAttrs,
  qty,
  type UpdatePurchaseOrderCommand,
  updatePurchaseOrderBody,
} from '@erp/contracts';
import { sql } from '@erp/db';
import type { RawBuilder } from 'kysely';
import { recordAudit } from '../audit/audit.service.js';
import {
  createDocument,
  type DocumentWithLines,
  getDocument,
  registerDocType,
  transition,
  updateDocument,
} from '../documents/index.js';
import { authorize, type Ctx } from '../platform/context.js';
import { EXPORT_LIMIT, type ExportColumn, exportXlsx } from '../platform/excel.js';
import { assertPurchasingOrg, orgFacts } from './purchasing.access.js';

export type { PurchaseOrderListItem } from '@erp/contracts';

import { convertLines, documentLine, validateLines } from './purchasing.lines.js';
import { assertSupplierFor } from './purchasing.master-data.js';
import type { PurchaseOrderLineProgress } from './purchasing.models.js';
import { orderLines } from './purchasing.repository.js';
import { openQty } from './purchasing.rules.js';

function parseHeaderAttrs(doc: DocumentWithLines) {
  const r = purchaseHeaderAttrs.safeParse(doc.attrs ?? {});
  if (!r.success) {
    throw new DomainError(
      'VALIDATION_FAILED',
      {},
      fieldIssuesFromZod(r.error).map((i) => ({ ...i, path: `attrs${i.path ? `.${i.path}` : ''}` })),
    );
  }
  return r.data;
}

/** PUR-1: to an active supplier, for a warehouse of a DC or store, lines of active products in base units. */
async function validatePurchaseOrder(ctx: Ctx, doc: DocumentWithLines): Promise<void> {
  const org = await orgFacts(ctx.db, doc.orgId);
  assertPurchasingOrg(org);
  if (doc.warehouseId === null) throw new DomainError('PUR_WAREHOUSE_REQUIRED');
  await assertSupplierFor(ctx.db, doc.partnerId, org.path);
  parseHeaderAttrs(doc);
  await validateLines(ctx.db, doc, { allowZeroQty: false, requireActiveProduct: true });
}

registerDocType({
  type: 'purchase_order',
  // Orders need approval unless the org's configuration says otherwise (ORG-3).
  defaults: { needsApproval: true, autoPost: false },
  validate: validatePurchaseOrder,
  beforeSubmit: validatePurchaseOrder,
  onVoid: async (ctx, doc) => {
    const received = await ctx.db
      .selectFrom('purchase_order_line_progress')
      .select('po_line_id')
      .where('po_id', '=', doc.id)
      .where('received_qty', '>', '0')
      .executeTakeFirst();
    if (received) throw new DomainError('PUR_PO_HAS_RECEIPTS', { number: doc.number });
  },
});

/** Creates a draft purchase order; quantities may be in pack units, prices default to the purchase price. */
export async function createPurchaseOrder(ctx: Ctx, input: CreatePurchaseOrderCommand): Promise<DocumentWithLines> {
  const cmd = createPurchaseOrderBody.parse(input);
  authorize(ctx, 'doc.purchase_order', 'create');
  ctx.scope.assert(cmd.orgId, 'org', cmd.orgId);
  const lines = await convertLines(ctx.db, cmd.orgId, cmd.lines);
  return createDocument(ctx, {
    docType: 'purchase_order',
    orgId: cmd.orgId,
    warehouseId: cmd.warehouseId,
    partnerId: cmd.supplierId,
    ...(cmd.businessDate ? { businessDate: cmd.businessDate } : {}),
    ...(cmd.remarks ? { remarks: cmd.remarks } : {}),
    attrs: cmd.expectedDate ? { expectedDate: cmd.expectedDate } : {},
    lines: lines.map((c) => documentLine(c, c.entered.remarks ? { remarks: c.entered.remarks } : {})),
  });
}

async function visibleOfType(ctx: Ctx, id: number, docType: string): Promise<DocumentWithLines> {
  const doc = await getDocument(ctx, id);
  if (doc.docType !== docType) throw new DomainError('NOT_FOUND', { entity: docType, id });
  return doc;
}

export async function updatePurchaseOrder(ctx: Ctx, id: number, input: UpdatePurchaseOrderCommand): Promise<DocumentWithLines> {
  const cmd = updatePurchaseOrderBody.parse(input);
  const doc = await visibleOfType(ctx, id, 'purchase_order');
  const lines = cmd.lines ? await convertLines(ctx.db, doc.orgId, cmd.lines) : undefined;
  const attrs = { ...doc.attrs };
  if (cmd.expectedDate !== undefined) {
    if (cmd.expectedDate === null) delete attrs.expectedDate;
    else attrs.expectedDate = cmd.expectedDate;
  }
  return updateDocument(ctx, id, {
    version: cmd.version,
    ...(cmd.warehouseId !== undefined ? { warehouseId: cmd.warehouseId } : {}),
    ...(cmd.supplierId !== undefined ? { partnerId: cmd.supplierId } : {}),
    ...(cmd.remarks !== undefined ? { remarks: cmd.remarks } : {}),
    attrs,
    ...(lines ? { lines: lines.map((c) => documentLine(c, c.entered.remarks ? { remarks: c.entered.remarks } : {})) } : {}),
  });
}

export interface PurchaseOrderDetail extends DocumentWithLines {
  progress: PurchaseOrderLineProgress[];
  orderedQty: string;
  receivedQty: string;
  openQty: string;
  closedShort: { reason: string; closedAt: Date } | null;
}

/** A purchase order with ordered / received / open per line (PUR-1). */
export async function getPurchaseOrder(ctx: Ctx, id: number): Promise<PurchaseOrderDetail> {
  const doc = await visibleOfType(ctx, id, 'purchase_order');
  const rows = await orderLines(ctx.db, [id]);
  const progress: PurchaseOrderLineProgress[] = rows.map((r) => ({
    lineId: r.id,
    lineNo: r.line_no,
    productId: r.product_id,
    productCode: r.product_code,
    productName: r.product_name,
    orderedQty: qty(r.qty),
    receivedQty: qty(r.received_qty),
    openQty: r.status === 'active' ? openQty(r.qty, r.received_qty) : qty(0),
    unitPrice: r.unit_price,
    amount: r.amount,
    status: r.status,
    attrs: (r.attrs ?? {}) as Record<string, unknown>,
  }));
  const active = progress.filter((p) => p.status === 'active');
  const total = (f: (p: PurchaseOrderLineProgress) => string) => qty(active.reduce((s, p) => s.plus(f(p)), dec(0)));
  const closure = await ctx.db
    .selectFrom('purchase_order_closure')
    .select(['reason', 'closed_at'])
    .where('po_id', '=', id)
    .executeTakeFirst();
  return {
    ...doc,
    progress,
    orderedQty: total((p) => p.orderedQty),
    receivedQty: total((p) => p.receivedQty),
    openQty: total((p) => p.openQty),
    closedShort: closure ? { reason: closure.reason, closedAt: closure.closed_at } : null,
  };
}

/**
 * Closes a confirmed order short (手工结案): nothing more will be received against it; what is still open
 * stays on record as not delivered.
 */
export async function closePurchaseOrder(ctx: Ctx, id: number, reason: string): Promise<PurchaseOrderDetail> {
  authorize(ctx, 'doc.purchase_order', 'complete');
  const before = await getPurchaseOrder(ctx, id);
  if (before.status !== 'confirmed') {
    throw new DomainError('PUR_PO_NOT_CLOSABLE', { number: before.number, status: docStatusLabels[before.status].en });
  }
  await transition(ctx, id, 'complete');
  await ctx.db
    .insertInto('purchase_order_closure')
    .values({ po_id: id, reason: reason.trim(), closed_by: ctx.actor.userId > 0 ? ctx.actor.userId : null })
    .execute();
  await recordAudit(ctx, {
    action: 'purchase_order.close_short',
    entity: 'document',
    entityId: id,
    before: { status: before.status, openQty: before.openQty },
    after: { status: 'completed' },
    detail: { number: before.number, reason: reason.trim() },
    orgId: before.orgId,
  });
  return getPurchaseOrder(ctx, id);
}

interface ListRow {
  id: number;
  number: string;
  status: string;
  business_date: string;
  org_id: number;
  org_code: string;
  org_name: string;
  warehouse_id: number | null;
  warehouse_name: string | null;
  partner_id: number | null;
  supplier_code: string | null;
  supplier_name: string | null;
  attrs: unknown;
  total_amount: string;
  ordered_qty: string;
  received_qty: string;
  open_qty: string;
  closed_short: boolean;
  created_at: Date;
  total: string;
}

function orderListSql(ctx: Ctx, q: Partial<PurchaseOrderListQuery>, limit: number, offset: number): RawBuilder<ListRow> {
  const orgIds = q.orgId !== undefined ? [q.orgId] : [...ctx.scope.ids, -1];
  const c: RawBuilder<unknown>[] = [sql`d.doc_type = 'purchase_order'`, sql`d.org_id = any(${orgIds}::int[])`];
  if (q.supplierId !== undefined) c.push(sql`d.partner_id = ${q.supplierId}`);
  if (q.status) c.push(sql`d.status = ${q.status}`);
  if (q.from) c.push(sql`d.business_date >= ${q.from}::date`);
  if (q.to) c.push(sql`d.business_date <= ${q.to}::date`);
  if (q.q) c.push(sql`d.number ilike ${`%${q.q.replace(/[\\%_]/g, '\\$&')}%`}`);
  if (q.openOnly) c.push(sql`d.status = 'confirmed'`);
  const having = q.openOnly
    ? sql`having sum(greatest(l.qty - coalesce(g.received_qty, 0), 0)) filter (where l.status = 'active') > 0`
    : sql``;
  return sql<ListRow>`
    select d.id, d.number, d.status, d.business_date, d.org_id, o.code as org_code, o.name as org_name,
           d.warehouse_id, w.name as warehouse_name, d.partner_id, pt.code as supplier_code, pt.name as supplier_name,
           d.attrs, d.total_amount::text as total_amount, d.created_at,
           coalesce(sum(l.qty) filter (where l.status = 'active'), 0)::text as ordered_qty,
           coalesce(sum(g.received_qty) filter (where l.status = 'active'), 0)::text as received_qty,
           coalesce(sum(greatest(l.qty - coalesce(g.received_qty, 0), 0)) filter (where l.status = 'active'), 0)::text as open_qty,
           bool_or(c.po_id is not null) as closed_short,
           count(*) over ()::text as total
      from document d
      join org o on o.id = d.org_id
      left join warehouse w on w.id = d.warehouse_id
      left join partner pt on pt.id = d.partner_id
      left join document_line l on l.document_id = d.id
      left join purchase_order_line_progress g on g.po_line_id = l.id
      left join purchase_order_closure c on c.po_id = d.id
     where ${sql.join(c, sql` and `)}
     group by d.id, o.code, o.name, w.name, pt.code, pt.name
     ${having}
     order by d.business_date desc, d.id desc
     limit ${limit} offset ${offset}`;
}

function toListItem(r: ListRow): PurchaseOrderListItem {
  const attrs = (typeof r.attrs === 'string' ? JSON.parse(r.attrs) : (r.attrs ?? {})) as Record<string, unknown>;
  return {
    id: r.id,
    number: r.number,
    status: r.status as DocStatus,
    businessDate: r.business_date,
    orgId: r.org_id,
    orgCode: r.org_code,
    orgName: r.org_name,
    warehouseId: r.warehouse_id,
    warehouseName: r.warehouse_name,
    supplierId: r.partner_id,
    supplierCode: r.supplier_code,
    supplierName: r.supplier_name,
    expectedDate: typeof attrs.expectedDate === 'string' ? attrs.expectedDate : null,
    totalAmount: r.total_amount,
    orderedQty: qty(r.ordered_qty),
    receivedQty: qty(r.received_qty),
    openQty: qty(r.open_qty),
    closedShort: r.closed_short,
    createdAt: r.created_at,
  };
}

/** Purchase orders of visible orgs with ordered / received / open quantities; one statement per page. */
export async function listPurchaseOrders(ctx: Ctx, q: PurchaseOrderListQuery) {
  authorize(ctx, 'doc.purchase_order', 'view');
  if (q.orgId !== undefined) ctx.scope.assert(q.orgId, 'org', q.orgId);
  const rows = (await orderListSql(ctx, q, q.pageSize, (q.page - 1) * q.pageSize).execute(ctx.db)).rows;
  return { items: rows.map(toListItem), total: Number(rows[0]?.total ?? 0), page: q.page, pageSize: q.pageSize };
}

export async function exportPurchaseOrders(ctx: Ctx, q: Partial<PurchaseOrderListQuery>): Promise<Buffer> {
  authorize(ctx, 'doc.purchase_order', 'export');
  if (q.orgId !== undefined) ctx.scope.assert(q.orgId, 'org', q.orgId);
  const rows = (await orderListSql(ctx, q, EXPORT_LIMIT, 0).execute(ctx.db)).rows.map(toListItem);
  const zh = ctx.locale !== 'en';
  const col = (
    h: [string, string],
    value: ExportColumn<PurchaseOrderListItem>['value'],
    extra: Partial<ExportColumn<PurchaseOrderListItem>> = {},
  ) => ({
    header: zh ? h[0] : h[1],
    value,
    ...extra,
  });
  const status = (s: string) => docStatusLabels[s as keyof typeof docStatusLabels]?.[zh ? 'zh' : 'en'] ?? s;
  return exportXlsx(
    zh ? '采购订单' : 'Purchase orders',
    [
      col(['单号', 'Number'], (r) => r.number, { width: 24 }),
      col(['日期', 'Date'], (r) => r.businessDate, { width: 12 }),
      col(['状态', 'Status'], (r) => status(r.status) + (r.closedShort ? (zh ? '（结案）' : ' (closed short)') : '')),
      col(['机构', 'Org'], (r) => r.orgName, { width: 16 }),
      col(['仓库', 'Warehouse'], (r) => r.warehouseName, { width: 14 }),
      col(['供应商编码', 'Supplier code'], (r) => r.supplierCode),
      col(['供应商', 'Supplier'], (r) => r.supplierName, { width: 24 }),
      col(['预计到货', 'Expected'], (r) => r.expectedDate, { width: 12 }),
      col(['订货数量', 'Ordered'], (r) => r.orderedQty, { numFmt: '0.000' }),
      col(['已收数量', 'Received'], (r) => r.receivedQty, { numFmt: '0.000' }),
      col(['未收数量', 'Open'], (r) => r.openQty, { numFmt: '0.000' }),
      col(['金额', 'Amount'], (r) => r.totalAmount, { numFmt: '0.00' }),
    ],
    rows,
  );
}
