import { DomainError } from '@erp/contracts';
import { sql } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { authorize, type Ctx } from '../platform/context.js';

export interface StockDifference {
  warehouseId: number;
  productId: number;
  batchNo: string;
  lotNo: string;
  shelfId: number;
  status: string;
  ledgerQty: string;
  balanceQty: string;
}

export interface RecalculationReport {
  warehouses: number;
  balanceRows: number;
  differences: StockDifference[];
  costDifferences: { warehouseId: number; productId: number; ledgerQty: string; costQty: string }[];
  fixed: boolean;
}

/**
 * 重算库存: rebuilds balances from the ledger and reports every row where the kept balance differs
 * (INV-1). With `fix`, differing balances are rewritten from the ledger and the fix is audited. The
 * ledger itself is never touched: it is the truth.
 */
export async function recalculateStock(
  ctx: Ctx,
  opts: { warehouseIds?: number[]; fix?: boolean } = {},
): Promise<RecalculationReport> {
  authorize(ctx, 'stock', 'generate');
  const visible = await ctx.db
    .selectFrom('warehouse')
    .select('id')
    .where('org_id', 'in', [...ctx.scope.ids, -1])
    .$if(!!opts.warehouseIds?.length, (q) => q.where('id', 'in', opts.warehouseIds as number[]))
    .execute();
  const ids = visible.map((w) => w.id);
  for (const requested of opts.warehouseIds ?? []) {
    if (!ids.includes(requested)) throw new DomainError('NOT_FOUND', { entity: 'warehouse', id: requested });
  }
  if (opts.fix) {
    // Serialise with postings: take the same cost-row locks a posting takes, in the same order.
    await sql`select 1 from stock_cost where warehouse_id = any(${ids}::int[]) order by warehouse_id, product_id for update`.execute(
      ctx.db,
    );
  }
  const diff = await sql<{
    warehouse_id: number;
    product_id: number;
    batch_no: string;
    lot_no: string;
    shelf_id: number;
    status: string;
    ledger_qty: string;
    balance_qty: string;
  }>`
    with l as (
      select warehouse_id, product_id, batch_no, lot_no, shelf_id, status, sum(qty) as qty
        from stock_ledger where warehouse_id = any(${ids}::int[])
       group by warehouse_id, product_id, batch_no, lot_no, shelf_id, status
    ), b as (
      select warehouse_id, product_id, batch_no, lot_no, shelf_id, status, qty
        from stock_balance where warehouse_id = any(${ids}::int[])
    )
    select coalesce(l.warehouse_id, b.warehouse_id) as warehouse_id, coalesce(l.product_id, b.product_id) as product_id,
           coalesce(l.batch_no, b.batch_no) as batch_no, coalesce(l.lot_no, b.lot_no) as lot_no,
           coalesce(l.shelf_id, b.shelf_id) as shelf_id, coalesce(l.status, b.status) as status,
           coalesce(l.qty, 0) as ledger_qty, coalesce(b.qty, 0) as balance_qty
      from l full join b using (warehouse_id, product_id, batch_no, lot_no, shelf_id, status)
     where coalesce(l.qty, 0) <> coalesce(b.qty, 0)
     order by 1, 2, 3, 4, 5, 6`.execute(ctx.db);
  const costDiff = await sql<{ warehouse_id: number; product_id: number; ledger_qty: string; cost_qty: string }>`
    with l as (
      select warehouse_id, product_id, sum(qty) as qty from stock_ledger
       where warehouse_id = any(${ids}::int[]) group by warehouse_id, product_id
    )
    select coalesce(l.warehouse_id, c.warehouse_id) as warehouse_id, coalesce(l.product_id, c.product_id) as product_id,
           coalesce(l.qty, 0) as ledger_qty, coalesce(c.qty, 0) as cost_qty
      from l full join (select * from stock_cost where warehouse_id = any(${ids}::int[])) c using (warehouse_id, product_id)
     where coalesce(l.qty, 0) <> coalesce(c.qty, 0)`.execute(ctx.db);
  const count = await sql<{
    n: number;
  }>`select count(*)::int as n from stock_balance where warehouse_id = any(${ids}::int[])`.execute(ctx.db);

  const report: RecalculationReport = {
    warehouses: ids.length,
    balanceRows: count.rows[0]?.n ?? 0,
    differences: diff.rows.map((r) => ({
      warehouseId: r.warehouse_id,
      productId: r.product_id,
      batchNo: r.batch_no,
      lotNo: r.lot_no,
      shelfId: r.shelf_id,
      status: r.status,
      ledgerQty: r.ledger_qty,
      balanceQty: r.balance_qty,
    })),
    costDifferences: costDiff.rows.map((r) => ({
      warehouseId: r.warehouse_id,
      productId: r.product_id,
      ledgerQty: r.ledger_qty,
      costQty: r.cost_qty,
    })),
    fixed: false,
  };

  if (opts.fix && (report.differences.length || report.costDifferences.length)) {
    await sql`
      insert into stock_balance (warehouse_id, product_id, batch_no, lot_no, shelf_id, status, org_id, qty)
      select warehouse_id, product_id, batch_no, lot_no, shelf_id, status, min(org_id), sum(qty)
        from stock_ledger where warehouse_id = any(${ids}::int[])
       group by warehouse_id, product_id, batch_no, lot_no, shelf_id, status
      on conflict (warehouse_id, product_id, batch_no, lot_no, shelf_id, status)
        do update set qty = excluded.qty, updated_at = now() where stock_balance.qty <> excluded.qty`.execute(ctx.db);
    await sql`
      update stock_balance b set qty = 0, updated_at = now()
       where b.warehouse_id = any(${ids}::int[]) and b.qty <> 0 and not exists (
         select 1 from stock_ledger l where l.warehouse_id = b.warehouse_id and l.product_id = b.product_id
            and l.batch_no = b.batch_no and l.lot_no = b.lot_no and l.shelf_id = b.shelf_id and l.status = b.status)`.execute(
      ctx.db,
    );
    await sql`
      update stock_cost c set qty = coalesce(l.qty, 0), updated_at = now()
        from (select c2.warehouse_id, c2.product_id,
                     (select sum(qty) from stock_ledger x where x.warehouse_id = c2.warehouse_id and x.product_id = c2.product_id) as qty
                from stock_cost c2 where c2.warehouse_id = any(${ids}::int[])) l
       where c.warehouse_id = l.warehouse_id and c.product_id = l.product_id and c.qty <> coalesce(l.qty, 0)`.execute(ctx.db);
    report.fixed = true;
    await recordAudit(ctx, {
      action: 'recalculate_stock',
      entity: 'stock_balance',
      detail: { warehouses: ids, differences: report.differences.length, costDifferences: report.costDifferences.length },
    });
  }
  return report;
}
