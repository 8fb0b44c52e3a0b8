import {
  type DayStockExceptions,
  type DocType,
  DomainError,
  type Page,
  type StockExceptionDto,
  type StockExceptionKind,
  type StockExceptionQuery,
  stockExceptionQuery,
} from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { authorize, type Ctx, inIds } from '../platform/context.js';

// Stock exceptions (issue 9): the store manager's list of what paid sales took against the rules — stock
// debt (sold below zero where the store forbids it; it clears itself when stock arrives or a count
// corrects it) and expired lots a sale had to take (acknowledged by the manager). Written by
// postStockMoves in the posting's own transaction; read and acknowledged here.

interface Row {
  id: number;
  kind: StockExceptionKind;
  status: 'open' | 'resolved';
  org_id: number;
  org_name: string;
  warehouse_id: number;
  warehouse_code: string;
  product_id: number;
  product_code: string;
  product_name: string;
  lot_no: string;
  expiry_date: string | null;
  qty: string;
  business_date: string;
  source_type: 'document' | 'pos_sale';
  source_id: number;
  source_number: string | null;
  source_doc_type: DocType | null;
  stock_now: string;
  resolution: 'stock_arrived' | 'acknowledged' | null;
  resolved_at: Date | null;
  resolved_number: string | null;
  note: string | null;
  created_at: Date;
  total: number;
}

const sourceNumber = (type: string, idCol: string) =>
  sql.raw(`case ${type} when 'document' then (select d.number from document d where d.id = ${idCol})
                        when 'pos_sale' then (select s.receipt_no from pos_sale s where s.id = ${idCol}) end`);

/** Stock exceptions of visible orgs (one org, a kind, open or resolved), newest first. */
export async function listStockExceptions(ctx: Ctx, input: Partial<StockExceptionQuery>): Promise<Page<StockExceptionDto>> {
  authorize(ctx, 'stock', 'view');
  const q = stockExceptionQuery.parse(input);
  if (q.orgId !== undefined) ctx.scope.assert(q.orgId, 'org', q.orgId);
  const where = [inIds('e.org_id', q.orgId !== undefined ? [q.orgId] : [...ctx.scope.ids])];
  if (q.status) where.push(sql`e.status = ${q.status}`);
  if (q.kind) where.push(sql`e.kind = ${q.kind}`);
  if (q.q) where.push(sql`(p.code ilike ${`%${q.q}%`} or p.name ilike ${`%${q.q}%`})`);
  const rows = await selectExceptions(ctx, where, q.pageSize, (q.page - 1) * q.pageSize);
  return { items: rows.map(toDto), total: Number(rows[0]?.total ?? 0), page: q.page, pageSize: q.pageSize };
}

async function selectExceptions(ctx: Ctx, where: ReturnType<typeof sql>[], limit: number, offset: number): Promise<Row[]> {
  const r = await sql<Row>`
    select e.id, e.kind, e.status, e.org_id, o.name as org_name, e.warehouse_id, w.code as warehouse_code,
           e.product_id, p.code as product_code, p.name as product_name, e.lot_no, e.expiry_date::text, e.qty::text,
           e.business_date::text, e.source_type, e.source_id, ${sourceNumber('e.source_type', 'e.source_id')} as source_number,
           (select d.doc_type from document d where d.id = e.source_document_id) as source_doc_type,
           coalesce((select sum(b.qty) from stock_balance b where b.warehouse_id = e.warehouse_id and b.product_id = e.product_id
                        and b.status = 'sellable'), 0)::text as stock_now,
           e.resolution, e.resolved_at, ${sourceNumber('e.resolved_source_type', 'e.resolved_source_id')} as resolved_number,
           e.note, e.created_at, count(*) over () as total
      from stock_exception e
      join org o on o.id = e.org_id join warehouse w on w.id = e.warehouse_id join product p on p.id = e.product_id
     where ${sql.join(where, sql` and `)}
     order by e.id desc
     limit ${limit} offset ${offset}`.execute(ctx.db);
  return r.rows;
}

function toDto(x: Row): StockExceptionDto {
  return {
    id: Number(x.id),
    kind: x.kind,
    status: x.status,
    orgId: x.org_id,
    orgName: x.org_name,
    warehouseId: x.warehouse_id,
    warehouseCode: x.warehouse_code,
    productId: x.product_id,
    productCode: x.product_code,
    productName: x.product_name,
    lotNo: x.lot_no || null,
    expiryDate: x.expiry_date,
    qty: x.qty,
    businessDate: x.business_date,
    sourceType: x.source_type,
    sourceId: Number(x.source_id),
    sourceNumber: x.source_number,
    sourceDocType: x.source_doc_type,
    stockNow: x.stock_now,
    resolution: x.resolution,
    resolvedAt: x.resolved_at,
    resolvedSourceNumber: x.resolved_number,
    note: x.note,
    createdAt: x.created_at,
  };
}

/** The manager acknowledges an expired lot a sale took (with what was done). Stock debt is never closed by hand. */
export async function acknowledgeStockException(ctx: Ctx, id: number, note: string): Promise<StockExceptionDto> {
  authorize(ctx, 'stock', 'approve');
  const row = await ctx.db.selectFrom('stock_exception').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row || !ctx.scope.has(row.org_id)) throw new DomainError('NOT_FOUND', { entity: 'stock_exception', id });
  if (row.kind === 'stock_debt') throw new DomainError('INV_EXCEPTION_NOT_ACKNOWLEDGEABLE');
  if (row.status === 'open') {
    await ctx.db
      .updateTable('stock_exception')
      .set({
        status: 'resolved',
        resolution: 'acknowledged',
        resolved_at: new Date(),
        resolved_by: ctx.actor.userId > 0 ? ctx.actor.userId : null,
        note,
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(ctx, {
      action: 'stock_exception.acknowledge',
      entity: 'stock_exception',
      entityId: id,
      before: { status: 'open' },
      after: { status: 'resolved', note },
      orgId: row.org_id,
    });
  }
  const [after] = await selectExceptions(ctx, [sql`e.id = ${id}`], 1, 0);
  return toDto(after as Row);
}

/** The stock exceptions a store's business day raised (the daily report): how many, and how many are still open. */
export async function stockExceptionsOfDay(db: Transaction<DB>, orgId: number, day: string): Promise<DayStockExceptions> {
  const r = await sql<{ debts: number; debt_qty: string; expired: number; open: number }>`
    select count(*) filter (where kind = 'stock_debt')::int as debts,
           coalesce(sum(qty) filter (where kind = 'stock_debt'), 0)::text as debt_qty,
           count(*) filter (where kind = 'expired_sold')::int as expired,
           count(*) filter (where status = 'open')::int as open
      from stock_exception where org_id = ${orgId} and business_date = ${day}::date`.execute(db);
  const x = r.rows[0];
  return { stockDebts: x?.debts ?? 0, stockDebtQty: x?.debt_qty ?? '0', expiredSold: x?.expired ?? 0, open: x?.open ?? 0 };
}
