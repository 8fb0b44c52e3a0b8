import type { PriceScope, PriceType } from '@erp/contracts';
import { sql } from '@erp/db';
import type { Db } from './catalog.access.js';

/** A new product's first prices apply from here: back-dated documents and demo history find them too. */
export const PRICE_EPOCH = new Date('2000-01-01T00:00:00Z');

export interface NewPriceRow {
  productId: number;
  priceType: PriceType;
  scope: PriceScope;
  region: string | null;
  storeId: number | null;
  price: string;
  effectiveFrom: Date;
  effectiveTo: Date | null;
  source: 'manual' | 'initial' | 'import' | 'price_change';
  sourceDocumentId: number | null;
  createdBy: number | null;
}

/**
 * Appends price rows, a few thousand per statement (unnest arrays: one parameter per column, so the
 * statement size does not grow with the row count). The price table is append-only history.
 */
export async function insertPriceRows(db: Db, rows: readonly NewPriceRow[], chunk = 5000): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    await sql`
      insert into price (product_id, price_type, scope, region, store_id, price, effective_from, effective_to, source,
                         source_document_id, created_by)
      select * from unnest(
        ${part.map((r) => r.productId)}::int[], ${part.map((r) => r.priceType)}::text[], ${part.map((r) => r.scope)}::text[],
        ${part.map((r) => r.region)}::text[], ${part.map((r) => r.storeId)}::int[], ${part.map((r) => r.price)}::numeric[],
        ${part.map((r) => r.effectiveFrom.toISOString())}::timestamptz[],
        ${part.map((r) => r.effectiveTo?.toISOString() ?? null)}::timestamptz[],
        ${part.map((r) => r.source)}::text[], ${part.map((r) => r.sourceDocumentId)}::int[], ${part.map((r) => r.createdBy)}::int[])`.execute(
      db,
    );
  }
}

/** The company-wide ('all' scope) price of each type in effect at `at`, per product. */
export async function basePricesAt(
  db: Db,
  productIds: readonly number[],
  at: Date,
): Promise<Map<number, Record<string, string>>> {
  const out = new Map<number, Record<string, string>>();
  for (let i = 0; i < productIds.length; i += 10_000) {
    const part = productIds.slice(i, i + 10_000);
    const rows = await sql<{ product_id: number; price_type: string; price: string }>`
      select distinct on (product_id, price_type) product_id, price_type, price::text as price from price
       where product_id = any(${part}::int[]) and scope = 'all' and not cancelled
         and effective_from <= ${at.toISOString()}::timestamptz and (effective_to is null or effective_to > ${at.toISOString()}::timestamptz)
       order by product_id, price_type, effective_from desc, id desc`.execute(db);
    for (const r of rows.rows) {
      const e = out.get(r.product_id) ?? {};
      e[r.price_type] = r.price;
      out.set(r.product_id, e);
    }
  }
  return out;
}
