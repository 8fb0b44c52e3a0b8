import { type PriceRowLike, pickPrice } from '@erp/contracts';
import { type DB, sql, type Transaction } from '@erp/db';
import { priceString } from '../pricing/index.js';
import { type BasePriceSource, basePriceSource, masterDataPrices, type PriceTypeName } from './pricing.pipeline.js';

/**
 * The checkout's base prices without a query per sale. A store's price rows (every row that can apply to it:
 * company-wide, its region, its own; retail and member; with their effective windows) are kept in memory per
 * product and resolved at the sale's moment with `pickPrice` — the rule the till runs offline, which the
 * pricing tests hold equal to the master-data price function. Every price write takes the next number of
 * the catalog's change sequence, so the cache is good exactly while the price table's highest change number
 * is the one it was read at: the sale's write checks that number (see `WriteGuard.priceSeq`) and writes
 * nothing if a price changed since; the checkout then restarts on the full path, which reads prices afresh,
 * and the store's cached rows are dropped.
 */
interface StorePrices {
  region: string | null;
  /** max(price.change_seq) when the rows were read. */
  seq: number;
  rows: Map<number, PriceRowLike[]>;
}

const MAX_ROWS = 200_000;
const stores = new Map<string, StorePrices>();
let cachedRows = 0;

/**
 * Kept per till (its token hash: random, so unique even when one process serves several databases, as the
 * benchmarks and tests do), not per store id, which repeats between databases.
 */
export function forgetTillPrices(cacheKey: string): void {
  const hit = stores.get(cacheKey);
  if (!hit) return;
  for (const r of hit.rows.values()) cachedRows -= r.length;
  stores.delete(cacheKey);
}

interface PriceRow {
  id: number;
  product_id: number;
  price_type: 'retail' | 'member';
  scope: 'all' | 'region' | 'store';
  region: string | null;
  store_id: number | null;
  price: string;
  effective_from: Date | string;
  effective_to: Date | string | null;
  cancelled: boolean;
}

/**
 * Base prices for a sale, from the cache when it holds every product, else read (one query, the same round
 * trip the price function takes) and cached. Answers the prices and the change number they are good for;
 * null when the base-price source is not the master-data one (an integration prices elsewhere: no cache).
 */
export async function cachedBasePrices(
  db: Transaction<DB>,
  key: string,
  q: { storeId: number; productIds: number[]; priceTypes: PriceTypeName[]; at: Date },
): Promise<{ prices: Map<number, Partial<Record<PriceTypeName, string>>>; seq: number } | null> {
  const source: BasePriceSource = basePriceSource();
  if (source !== masterDataPrices) return null;
  let entry = stores.get(key);
  const missing = entry ? q.productIds.filter((id) => !entry?.rows.has(id)) : q.productIds;
  if (missing.length) {
    const r = await sql<PriceRow & { seq: string | number | null; store_region: string | null }>`
      with s as (select region from org where id = ${q.storeId})
      select p.id, p.product_id, p.price_type, p.scope, p.region, p.store_id, p.price::text as price, p.effective_from,
             p.effective_to, p.cancelled, s.region as store_region, (select max(change_seq) from price) as seq
        from s left join price p
          on p.product_id = any(${missing}::int[]) and p.price_type in ('retail', 'member')
         and (p.scope = 'all' or (p.scope = 'region' and p.region = s.region) or (p.scope = 'store' and p.store_id = ${q.storeId}))
       order by p.id`.execute(db);
    const first = r.rows[0];
    const seq = Number(first?.seq ?? 0);
    if (!entry || entry.seq !== seq) {
      // Rows read at another change number cannot be trusted beside these: start the store again.
      forgetTillPrices(key);
      entry = { region: first?.store_region ?? null, seq, rows: new Map() };
      stores.set(key, entry);
    }
    if (cachedRows > MAX_ROWS) {
      stores.clear();
      cachedRows = 0;
      stores.set(key, entry);
    }
    for (const id of missing) entry.rows.set(id, []);
    for (const row of r.rows) {
      if (row.id === null || row.id === undefined) continue;
      entry.rows.get(row.product_id)?.push({
        priceType: row.price_type,
        scope: row.scope,
        region: row.region,
        storeId: row.store_id,
        price: priceString(row.price),
        effectiveFrom: row.effective_from,
        effectiveTo: row.effective_to,
        cancelled: row.cancelled,
      });
      cachedRows++;
    }
  }
  const e = entry as StorePrices;
  const prices = new Map<number, Partial<Record<PriceTypeName, string>>>();
  for (const id of q.productIds) {
    const rows = e.rows.get(id) ?? [];
    const out: Partial<Record<PriceTypeName, string>> = {};
    for (const t of q.priceTypes) {
      const p = pickPrice(rows, { priceType: t, storeId: q.storeId, region: e.region, at: q.at });
      if (p !== null) out[t] = p;
    }
    if (Object.keys(out).length) prices.set(id, out);
  }
  return { prices, seq: e.seq };
}
