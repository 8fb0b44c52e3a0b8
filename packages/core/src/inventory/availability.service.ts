import { type DB, sql, type Transaction } from '@erp/db';

// What a warehouse can really sell of a product (INV-1, POS-1): read-only, over the balances the stock
// ledger keeps. The till asks before payment and keeps a copy for offline selling; every stock key (batch,
// lot, shelf) counts, negative ones (stock debt) included, so "available" is what an outbound can take.

export interface ProductAvailability {
  productId: number;
  /** Sellable stock not past its expiry date (no expiry, or expiring on `day` or later). */
  available: string;
  /** Sellable stock past its expiry date (expiring before `day`). */
  expired: string;
}

/**
 * Availability of products in a warehouse on a business day: of the given products (each answered, with
 * zeros when it has no stock), or of every product with a balance in the warehouse.
 */
export async function stockAvailability(
  db: Transaction<DB>,
  q: { warehouseId: number; day: string; productIds?: readonly number[] },
): Promise<ProductAvailability[]> {
  if (q.productIds && q.productIds.length === 0) return [];
  const wanted = q.productIds ? [...new Set(q.productIds)] : null;
  const r = await sql<{ product_id: number; available: string; expired: string }>`
    with b as (
      select b.product_id,
             sum(b.qty) filter (where b.expiry_date is null or b.expiry_date >= ${q.day}::date) as available,
             sum(b.qty) filter (where b.expiry_date < ${q.day}::date) as expired
        from stock_balance b
       where b.warehouse_id = ${q.warehouseId} and b.status = 'sellable'
         ${wanted ? sql`and b.product_id = any(${wanted}::int[])` : sql``}
       group by b.product_id
    )
    ${
      wanted
        ? sql`select p.id as product_id, coalesce(b.available, 0)::numeric(18,3)::text as available,
                     coalesce(b.expired, 0)::numeric(18,3)::text as expired
                from unnest(${wanted}::int[]) as p(id) left join b on b.product_id = p.id order by p.id`
        : sql`select b.product_id, coalesce(b.available, 0)::numeric(18,3)::text as available,
                     coalesce(b.expired, 0)::numeric(18,3)::text as expired
                from b order by b.product_id`
    }`.execute(db);
  return r.rows.map((x) => ({ productId: Number(x.product_id), available: x.available, expired: x.expired }));
}

/**
 * A point in time from which a later `stockChangedSince` misses no change. Every posting stamps the balances
 * it touches with its transaction's start time (now()), and commits later: a posting still running now is
 * stamped no earlier than the oldest open transaction's start. So the mark is that start (or now), read
 * before the stock it goes with, and cut down to the millisecond a JS Date keeps.
 */
export async function stockChangeMark(db: Transaction<DB>): Promise<Date> {
  const r = await sql<{ mark: Date }>`
    select date_trunc('milliseconds',
             least(now(), coalesce((select min(a.xact_start) from pg_stat_activity a
                                     where a.datname = current_database() and a.xact_start is not null), now()))) as mark`.execute(
    db,
  );
  return new Date(r.rows[0]?.mark ?? Date.now());
}

/**
 * Products whose availability in a warehouse may differ from what was read at `since` (a `stockChangeMark`)
 * on business day `sinceDay`: those with a balance or cost row stamped since, and, when the day moved on,
 * those with sellable stock that expired in between.
 */
export async function stockChangedSince(
  db: Transaction<DB>,
  q: { warehouseId: number; since: Date; sinceDay: string; day: string },
): Promise<number[]> {
  const r = await sql<{ product_id: number }>`
    select b.product_id from stock_balance b
     where b.warehouse_id = ${q.warehouseId} and b.updated_at >= ${q.since.toISOString()}::timestamptz
    union
    select c.product_id from stock_cost c
     where c.warehouse_id = ${q.warehouseId} and c.updated_at >= ${q.since.toISOString()}::timestamptz
    union
    select b.product_id from stock_balance b
     where b.warehouse_id = ${q.warehouseId} and b.status = 'sellable' and b.qty <> 0
       and b.expiry_date >= ${q.sinceDay}::date and b.expiry_date < ${q.day}::date
    order by 1`.execute(db);
  return r.rows.map((x) => Number(x.product_id));
}
