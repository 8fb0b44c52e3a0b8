import { DomainError, type PageQuery } from '@erp/contracts';
import { authorize, type Ctx } from '../platform/context.js';

export interface StockQuery extends PageQuery {
  orgId?: number;
  warehouseId?: number;
  productId?: number;
  batchNo?: string;
  lotNo?: string;
  shelfId?: number;
  status?: string;
  includeZero?: boolean;
}

async function scopedWarehouseIds(ctx: Ctx, q: { orgId?: number; warehouseId?: number }): Promise<number[]> {
  if (q.orgId !== undefined) ctx.scope.assert(q.orgId, 'org', q.orgId);
  let query = ctx.db
    .selectFrom('warehouse')
    .select(['id', 'org_id'])
    .where('org_id', 'in', q.orgId !== undefined ? [q.orgId] : [...ctx.scope.ids, -1]);
  if (q.warehouseId !== undefined) query = query.where('id', '=', q.warehouseId);
  const rows = await query.execute();
  if (q.warehouseId !== undefined && rows.length === 0)
    throw new DomainError('NOT_FOUND', { entity: 'warehouse', id: q.warehouseId });
  return rows.map((r) => r.id);
}

/** Stock by warehouse, product, batch, lot, shelf and status (INV-3), for visible orgs only. */
export async function listStockBalances(ctx: Ctx, q: StockQuery) {
  authorize(ctx, 'stock', 'view');
  const warehouseIds = await scopedWarehouseIds(ctx, q);
  let query = ctx.db
    .selectFrom('stock_balance as b')
    .innerJoin('product as p', 'p.id', 'b.product_id')
    .innerJoin('warehouse as w', 'w.id', 'b.warehouse_id')
    .leftJoin('stock_cost as c', (j) =>
      j.onRef('c.warehouse_id', '=', 'b.warehouse_id').onRef('c.product_id', '=', 'b.product_id'),
    )
    .where('b.warehouse_id', 'in', [...warehouseIds, -1]);
  if (!q.includeZero) query = query.where('b.qty', '<>', '0');
  if (q.productId !== undefined) query = query.where('b.product_id', '=', q.productId);
  if (q.batchNo) query = query.where('b.batch_no', '=', q.batchNo);
  if (q.lotNo) query = query.where('b.lot_no', '=', q.lotNo);
  if (q.shelfId !== undefined) query = query.where('b.shelf_id', '=', q.shelfId);
  if (q.status) query = query.where('b.status', '=', q.status);
  if (q.q) query = query.where((eb) => eb.or([eb('p.code', 'ilike', `%${q.q}%`), eb('p.name', 'ilike', `%${q.q}%`)]));
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const items = await query
    .select([
      'b.warehouse_id as warehouseId',
      'w.code as warehouseCode',
      'w.name as warehouseName',
      'b.org_id as orgId',
      'b.product_id as productId',
      'p.code as productCode',
      'p.name as productName',
      'b.batch_no as batchNo',
      'b.lot_no as lotNo',
      'b.expiry_date as expiryDate',
      'b.shelf_id as shelfId',
      'b.status',
      'b.qty',
      'c.avg_cost as avgCost',
    ])
    .orderBy('w.code')
    .orderBy('p.code')
    .orderBy('b.batch_no')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { items, total: Number(total), page: q.page, pageSize: q.pageSize };
}

export interface LedgerQuery extends PageQuery {
  orgId?: number;
  warehouseId?: number;
  productId?: number;
  from?: string;
  to?: string;
  sourceType?: string;
  sourceId?: number;
}

/** Ledger entries (保管明细账) of visible warehouses. */
export async function listStockLedger(ctx: Ctx, q: LedgerQuery) {
  authorize(ctx, 'stock', 'view');
  const warehouseIds = await scopedWarehouseIds(ctx, q);
  let query = ctx.db
    .selectFrom('stock_ledger as l')
    .innerJoin('product as p', 'p.id', 'l.product_id')
    .where('l.warehouse_id', 'in', [...warehouseIds, -1]);
  if (q.productId !== undefined) query = query.where('l.product_id', '=', q.productId);
  if (q.from) query = query.where('l.business_date', '>=', q.from);
  if (q.to) query = query.where('l.business_date', '<=', q.to);
  if (q.sourceType) query = query.where('l.source_type', '=', q.sourceType);
  if (q.sourceId !== undefined) query = query.where('l.source_id', '=', q.sourceId);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const items = await query
    .select([
      'l.id',
      'l.business_date as businessDate',
      'l.warehouse_id as warehouseId',
      'l.product_id as productId',
      'p.code as productCode',
      'p.name as productName',
      'l.batch_no as batchNo',
      'l.lot_no as lotNo',
      'l.expiry_date as expiryDate',
      'l.shelf_id as shelfId',
      'l.status',
      'l.qty',
      'l.unit_cost as unitCost',
      'l.amount',
      'l.source_type as sourceType',
      'l.source_id as sourceId',
      'l.source_line_id as sourceLineId',
      'l.created_at as createdAt',
    ])
    .orderBy('l.id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { items, total: Number(total), page: q.page, pageSize: q.pageSize };
}
