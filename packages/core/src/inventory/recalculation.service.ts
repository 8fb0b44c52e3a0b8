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
  /** Ledger rows whose source (document, till sale) does not exist — the database refuses them; a row
   * planted around its checks is still found. Never fixed automatically: a person decides. */
  orphans: { ledgerId: number; warehouseId: number; productId: number; sourceType: string; sourceId: number }[];
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
  // First a fingerprint per warehouse, one pass over each table and no per-key grouping: for a hash h of
  // the stock key, Σ h(key)·qty over the ledger's rows equals Σ h(key)·qty over the balances exactly when
  // every key's sums agree (but for a 64-bit hash collision cancelling to the unit), and likewise per
  // (warehouse, product) against the moving-average cost rows. Only warehouses whose fingerprints differ
  // go through the key-by-key comparison below, so a clean chain costs less than one GROUP BY of its
  // ledger, and a difference is still reported to the row.
  await sql`select set_config('work_mem', '256MB', true), set_config('jit', 'off', true)`.execute(ctx.db);
  const keyHash = sql.raw(
    `hashtextextended(product_id || '|' || batch_no || '|' || lot_no || '|' || shelf_id || '|' || status, 0)::numeric`,
  );
  const productHash = sql.raw('hashint4extended(product_id, 0)::numeric');
  const prints = await sql<{ warehouse_id: number; balance_rows: number; differs: boolean }>`
    with l as (select warehouse_id, sum(${keyHash} * qty) as k, sum(${productHash} * qty) as p
                 from stock_ledger where warehouse_id = any(${ids}::int[]) group by warehouse_id),
         b as (select warehouse_id, sum(${keyHash} * qty) as k, count(*)::int as n
                 from stock_balance where warehouse_id = any(${ids}::int[]) group by warehouse_id),
         c as (select warehouse_id, sum(${productHash} * qty) as p
                 from stock_cost where warehouse_id = any(${ids}::int[]) group by warehouse_id)
    select warehouse_id, coalesce(b.n, 0) as balance_rows,
           coalesce(l.k, 0) <> coalesce(b.k, 0) or coalesce(l.p, 0) <> coalesce(c.p, 0) as differs
      from l full join b using (warehouse_id) full join c using (warehouse_id)`.execute(ctx.db);
  const suspect = prints.rows.filter((r) => r.differs).map((r) => r.warehouse_id);

  // Key by key, in the warehouses whose fingerprints differ, in one statement and one pass over their
  // ledger: the ledger's sums per balance key meet the kept balances in one full join; that result, rolled
  // up per (warehouse, product), carries the key-level differences along and meets the moving-average cost
  // rows. Every intermediate result is used once, so the planner streams it instead of materialising it
  // (bench: stacking the three tables into one grouping-sets aggregate instead spills, at 5× the time).
  const found = suspect.length
    ? (
        await sql<{
          warehouse_id: number;
          product_id: number;
          diffs: [string, string, number, string, string, string][] | null;
          ledger_qty: string;
          cost_qty: string;
          cost_differs: boolean;
        }>`
    with j as (
      select coalesce(l.warehouse_id, b.warehouse_id) as warehouse_id, coalesce(l.product_id, b.product_id) as product_id,
             coalesce(l.batch_no, b.batch_no) as batch_no, coalesce(l.lot_no, b.lot_no) as lot_no,
             coalesce(l.shelf_id, b.shelf_id) as shelf_id, coalesce(l.status, b.status) as status,
             coalesce(l.qty, 0) as lq, coalesce(b.qty, 0) as bq
        from (select warehouse_id, product_id, batch_no, lot_no, shelf_id, status, sum(qty) as qty
                from stock_ledger where warehouse_id = any(${suspect}::int[])
               group by warehouse_id, product_id, batch_no, lot_no, shelf_id, status) l
        full join (select warehouse_id, product_id, batch_no, lot_no, shelf_id, status, qty
                     from stock_balance where warehouse_id = any(${suspect}::int[])) b
          using (warehouse_id, product_id, batch_no, lot_no, shelf_id, status)
    ), wp as (
      select warehouse_id, product_id, sum(lq) as lq,
             jsonb_agg(jsonb_build_array(batch_no, lot_no, shelf_id, status, lq::text, bq::text)
                       order by batch_no, lot_no, shelf_id, status) filter (where lq <> bq) as diffs
        from j group by warehouse_id, product_id
    )
    select coalesce(wp.warehouse_id, c.warehouse_id) as warehouse_id, coalesce(wp.product_id, c.product_id) as product_id,
           wp.diffs, coalesce(wp.lq, 0)::text as ledger_qty, coalesce(c.qty, 0)::text as cost_qty,
           coalesce(wp.lq, 0) <> coalesce(c.qty, 0) as cost_differs
      from wp full join (select warehouse_id, product_id, qty from stock_cost where warehouse_id = any(${suspect}::int[])) c
        on c.warehouse_id = wp.warehouse_id and c.product_id = wp.product_id
     where wp.diffs is not null or coalesce(wp.lq, 0) <> coalesce(c.qty, 0)
     order by 1, 2`.execute(ctx.db)
      ).rows
    : [];

  const report: RecalculationReport = {
    warehouses: ids.length,
    balanceRows: prints.rows.reduce((n, r) => n + r.balance_rows, 0),
    differences: found.flatMap((r) =>
      (r.diffs ?? []).map(([batchNo, lotNo, shelfId, status, ledgerQty, balanceQty]) => ({
        warehouseId: r.warehouse_id,
        productId: r.product_id,
        batchNo,
        lotNo,
        shelfId,
        status,
        ledgerQty,
        balanceQty,
      })),
    ),
    costDifferences: found
      .filter((r) => r.cost_differs)
      .map((r) => ({ warehouseId: r.warehouse_id, productId: r.product_id, ledgerQty: r.ledger_qty, costQty: r.cost_qty })),
    orphans: await orphanRows(ctx, ids),
    fixed: false,
  };

  if (opts.fix && (report.differences.length || report.costDifferences.length)) {
    await sql`
      insert into stock_balance (warehouse_id, product_id, batch_no, lot_no, shelf_id, status, org_id, qty)
      select warehouse_id, product_id, batch_no, lot_no, shelf_id, status, min(org_id), sum(qty)
        from stock_ledger where warehouse_id = any(${suspect}::int[])
       group by warehouse_id, product_id, batch_no, lot_no, shelf_id, status
      on conflict (warehouse_id, product_id, batch_no, lot_no, shelf_id, status)
        do update set qty = excluded.qty, updated_at = now() where stock_balance.qty <> excluded.qty`.execute(ctx.db);
    await sql`
      update stock_balance b set qty = 0, updated_at = now()
       where b.warehouse_id = any(${suspect}::int[]) and b.qty <> 0 and not exists (
         select 1 from stock_ledger l where l.warehouse_id = b.warehouse_id and l.product_id = b.product_id
            and l.batch_no = b.batch_no and l.lot_no = b.lot_no and l.shelf_id = b.shelf_id and l.status = b.status)`.execute(
      ctx.db,
    );
    await sql`
      update stock_cost c set qty = coalesce(l.qty, 0), updated_at = now()
        from (select c2.warehouse_id, c2.product_id,
                     (select sum(qty) from stock_ledger x where x.warehouse_id = c2.warehouse_id and x.product_id = c2.product_id) as qty
                from stock_cost c2 where c2.warehouse_id = any(${suspect}::int[])) l
       where c.warehouse_id = l.warehouse_id and c.product_id = l.product_id and c.qty <> coalesce(l.qty, 0)`.execute(ctx.db);
    // Postings read balances optimistically and trust them while the pair's cost version is unchanged.
    await sql`update stock_cost set version = version + 1 where warehouse_id = any(${suspect}::int[])`.execute(ctx.db);
    report.fixed = true;
    await recordAudit(ctx, {
      action: 'recalculate_stock',
      entity: 'stock_balance',
      detail: { warehouses: suspect, differences: report.differences.length, costDifferences: report.costDifferences.length },
    });
  }
  return report;
}

/**
 * Ledger rows of the warehouses whose source does not exist: for every source foreign key the database
 * declares on the ledger (one column per kind of source, migration 0006), the rows whose key finds nothing;
 * and rows of a kind of source that has no key at all.
 */
async function orphanRows(ctx: Ctx, warehouseIds: number[]): Promise<RecalculationReport['orphans']> {
  const keys = await sql<{ col: string; ref_table: string; ref_col: string }>`
    select a.attname as col, c.confrelid::regclass::text as ref_table, r.attname as ref_col
      from pg_constraint c
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      join pg_attribute r on r.attrelid = c.confrelid and r.attnum = c.confkey[1]
     where c.conrelid = 'stock_ledger'::regclass and c.contype = 'f' and a.attname like 'source\\_%'`.execute(ctx.db);
  const missing = keys.rows.map(
    (k) =>
      sql`(l.${sql.ref(k.col)} is not null and not exists (select 1 from ${sql.table(k.ref_table)} s where s.${sql.ref(k.ref_col)} = l.${sql.ref(k.col)}))`,
  );
  const unkeyed = keys.rows.length
    ? sql`(${sql.join(
        keys.rows.map((k) => sql`l.${sql.ref(k.col)} is null`),
        sql` and `,
      )})`
    : sql`true`;
  const r = await sql<{ id: number; warehouse_id: number; product_id: number; source_type: string; source_id: number }>`
    select l.id, l.warehouse_id, l.product_id, l.source_type, l.source_id from stock_ledger l
     where l.warehouse_id = any(${warehouseIds}::int[]) and (${sql.join([...missing, unkeyed], sql` or `)})
     order by l.id limit 1000`.execute(ctx.db);
  return r.rows.map((x) => ({
    ledgerId: Number(x.id),
    warehouseId: x.warehouse_id,
    productId: x.product_id,
    sourceType: x.source_type,
    sourceId: Number(x.source_id),
  }));
}
