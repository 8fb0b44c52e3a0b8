import type { BarcodeKind, PriceScope, PriceType, ProductDto, ScaleBarcodeSettings } from '@erp/contracts';
import { type DB, type Kysely, sql, type Transaction } from '@erp/db';
import { getScaleBarcodeSettings, iso, isoOrNull, productSelect, toProductDto } from '../catalog/index.js';
import { priceString } from './pricing.service.js';

type Db = Kysely<DB> | Transaction<DB>;

export interface SyncProduct extends ProductDto {
  /** The store may sell it: in its assortment (门店基础资料), active and not flagged not-carried. */
  carried: boolean;
  seq: number;
}
export interface SyncBarcode {
  barcode: string;
  productId: number;
  unitId: number | null;
  kind: BarcodeKind;
  isPrimary: boolean;
  /** false: the code was removed; drop it locally. */
  active: boolean;
  seq: number;
}
export interface SyncPrice {
  id: number;
  productId: number;
  priceType: PriceType;
  scope: PriceScope;
  region: string | null;
  storeId: number | null;
  price: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  cancelled: boolean;
  seq: number;
}

export interface CatalogChanges {
  storeId: number;
  /** The store's region: what `pickPrice` needs to apply region rows. */
  region: string | null;
  /** Pass back as `cursor` next time. */
  cursor: number;
  /** More changes are waiting: call again at once with the new cursor. */
  hasMore: boolean;
  /** The store's assortment changed since `cursor`: drop the local catalog and sync again from 0. */
  resync: boolean;
  scale: ScaleBarcodeSettings;
  products: SyncProduct[];
  barcodes: SyncBarcode[];
  /** Raw price rows that apply to this store (all / its region / itself); resolve with `pickPrice`. */
  prices: SyncPrice[];
}

/**
 * Till delta sync: products, barcodes and price rows changed after `cursor`, oldest first, at most
 * `limit` rows in all. Every write to those tables takes the next number of one sequence under a
 * transaction lock (migration 0002), so a cursor never skips a row committed late. Cheap: each table is
 * read through its change_seq index. Scheduled prices arrive as rows with their effective window, so the
 * till applies a price change at its start time without syncing at that moment.
 */
export async function catalogChangesSince(
  db: Db,
  q: { storeId: number; cursor: number; limit?: number },
): Promise<CatalogChanges> {
  const limit = Math.max(1, Math.min(q.limit ?? 5000, 20_000));
  // Read first: everything at or below `top` is committed now (see the lock), so the pages read after it see it all.
  const store = await sql<{
    region: string | null;
    catalog_seq: string | number | null;
    category_ids: number[] | null;
    top: string | number | null;
  }>`
    select o.region, sc.change_seq as catalog_seq, sc.category_ids, greatest(
        (select max(change_seq) from product), (select max(change_seq) from product_barcode),
        (select max(change_seq) from price), (select max(change_seq) from store_catalog)) as top
      from org o left join store_catalog sc on sc.store_id = o.id where o.id = ${q.storeId}`.execute(db);
  const s = store.rows[0];
  const region = s?.region ?? null;
  const scale = await getScaleBarcodeSettings(db);
  if (q.cursor > 0 && s?.catalog_seq != null && Number(s.catalog_seq) > q.cursor) {
    return { storeId: q.storeId, region, cursor: 0, hasMore: true, resync: true, scale, products: [], barcodes: [], prices: [] };
  }
  const categoryIds = s?.category_ids ?? [];
  const carried = categoryIds.length
    ? sql<boolean>`(p.active and not p.not_carried and p.category_id in (
        select d.id from category r join category d on d.path like r.path || '%' where r.id = any(${categoryIds}::int[])))`
    : sql<boolean>`(p.active and not p.not_carried)`;
  const productRows = await productSelect(db)
    .select([carried.as('carried'), 'p.change_seq as seq'])
    .where('p.change_seq', '>', q.cursor)
    .orderBy('p.change_seq')
    .limit(limit)
    .execute();
  const barcodeRows = await sql<{
    barcode: string;
    product_id: number;
    unit_id: number | null;
    kind: BarcodeKind;
    is_primary: boolean;
    active: boolean;
    seq: string | number;
  }>`select barcode, product_id, unit_id, kind, is_primary, active, change_seq as seq from product_barcode
      where change_seq > ${q.cursor} order by change_seq limit ${limit}`.execute(db);
  const priceRows = await sql<{
    id: number;
    product_id: number;
    price_type: PriceType;
    scope: PriceScope;
    region: string | null;
    store_id: number | null;
    price: string;
    effective_from: Date | string;
    effective_to: Date | string | null;
    cancelled: boolean;
    seq: string | number;
  }>`select id, product_id, price_type, scope, region, store_id, price::text as price, effective_from, effective_to, cancelled,
            change_seq as seq
       from price
      where change_seq > ${q.cursor}
        and (scope = 'all' or (scope = 'region' and region = ${region}) or (scope = 'store' and store_id = ${q.storeId}))
      order by change_seq limit ${limit}`.execute(db);

  const all = [
    ...productRows.map((r) => ({ seq: Number(r.seq), kind: 'p' as const, r })),
    ...barcodeRows.rows.map((r) => ({ seq: Number(r.seq), kind: 'b' as const, r })),
    ...priceRows.rows.map((r) => ({ seq: Number(r.seq), kind: 'x' as const, r })),
  ].sort((a, b) => a.seq - b.seq);
  // A table that filled its limit may hold more rows than this page shows.
  const hasMore =
    all.length > limit || [productRows.length, barcodeRows.rows.length, priceRows.rows.length].some((n) => n >= limit);
  const page = all.slice(0, limit);
  const out: CatalogChanges = {
    storeId: q.storeId,
    region,
    cursor: q.cursor,
    hasMore,
    resync: false,
    scale,
    products: [],
    barcodes: [],
    prices: [],
  };
  for (const item of page) {
    if (item.kind === 'p') out.products.push({ ...toProductDto(item.r), carried: item.r.carried === true, seq: item.seq });
    else if (item.kind === 'b') {
      const r = item.r as (typeof barcodeRows.rows)[number];
      out.barcodes.push({
        barcode: r.barcode,
        productId: r.product_id,
        unitId: r.unit_id,
        kind: r.kind,
        isPrimary: r.is_primary,
        active: r.active,
        seq: item.seq,
      });
    } else {
      const r = item.r as (typeof priceRows.rows)[number];
      out.prices.push({
        id: r.id,
        productId: r.product_id,
        priceType: r.price_type,
        scope: r.scope,
        region: r.region,
        storeId: r.store_id,
        price: priceString(r.price),
        effectiveFrom: iso(r.effective_from),
        effectiveTo: isoOrNull(r.effective_to),
        cancelled: r.cancelled,
        seq: item.seq,
      });
    }
  }
  const last = page[page.length - 1];
  if (last) out.cursor = last.seq;
  if (!hasMore) {
    // Caught up: move the cursor past everything visible (other stores' rows, the assortment stamp), so an
    // unchanged catalog answers with nothing and the assortment check above does not fire again.
    out.cursor = Math.max(out.cursor, Number(s?.top ?? 0));
  }
  return out;
}

/** One page of the feed as compact rows, column order as `SYNC_COLUMNS` of @erp/contracts. */
export interface CatalogRows {
  storeId: number;
  region: string | null;
  cursor: number;
  hasMore: boolean;
  resync: boolean;
  /** The store's assortment stamp now (0: none): pass it back as `assortmentSeq` with the next page. */
  assortmentSeq: number;
  scale: ScaleBarcodeSettings;
  products: (string | number | null)[][];
  barcodes: (string | number | null)[][];
  prices: (string | number | null)[][];
}

/**
 * The till's feed (POS-9) as the till stores it: the same rows as `catalogChangesSince`, but lean — only the
 * columns the till keeps (no joins to brand/supplier, no per-product JSON of barcodes and units), rows as
 * arrays, and each page read exactly: the page's last change number is found first from the change_seq
 * indexes (index-only), then each table is read once between the cursor and that number, so no row is read
 * and thrown away (a 100,000-product cold load reads each row once).
 */
export async function catalogRowsSince(
  db: Db,
  q: { storeId: number; cursor: number; limit?: number; assortmentSeq?: number | undefined },
): Promise<CatalogRows> {
  const limit = Math.max(1, Math.min(q.limit ?? 5000, 50_000));
  // Read first: everything at or below `top` is committed now (see catalogChangesSince).
  const store = await sql<{
    region: string | null;
    catalog_seq: string | number | null;
    category_ids: number[] | null;
    top: string | number | null;
  }>`
    select o.region, sc.change_seq as catalog_seq, sc.category_ids, greatest(
        (select max(change_seq) from product), (select max(change_seq) from product_barcode),
        (select max(change_seq) from price), (select max(change_seq) from store_catalog)) as top
      from org o left join store_catalog sc on sc.store_id = o.id where o.id = ${q.storeId}`.execute(db);
  const s = store.rows[0];
  const region = s?.region ?? null;
  const scale = await getScaleBarcodeSettings(db);
  const assortmentSeq = Number(s?.catalog_seq ?? 0);
  const empty = { storeId: q.storeId, region, scale, assortmentSeq, products: [], barcodes: [], prices: [] };
  // The assortment changed after the till's copy was made: start again. The copy's stamp is the one the till
  // saw when its load began (a cold load's later pages have cursors below the stamp, and that is no change);
  // without it, the cursor stands for it.
  if (q.cursor > 0 && assortmentSeq > (q.assortmentSeq ?? q.cursor)) {
    return { ...empty, cursor: 0, hasMore: true, resync: true };
  }
  const mine = sql`(scope = 'all' or (scope = 'region' and region = ${region}) or (scope = 'store' and store_id = ${q.storeId}))`;
  // The page ends at the limit-th change after the cursor over the three tables (one sequence numbers them all).
  const edge = await sql<{ bound: string | number | null; more: boolean }>`
    select max(seq) filter (where n <= ${limit}) as bound, count(*) > ${limit} as more
      from (select seq, row_number() over (order by seq) as n
              from ((select change_seq as seq from product where change_seq > ${q.cursor} order by change_seq limit ${limit + 1})
                    union all
                    (select change_seq from product_barcode where change_seq > ${q.cursor} order by change_seq limit ${limit + 1})
                    union all
                    (select change_seq from price where change_seq > ${q.cursor} and ${mine} order by change_seq limit ${limit + 1})) u
             order by seq limit ${limit + 1}) v`.execute(db);
  const bound = edge.rows[0]?.bound == null ? null : Number(edge.rows[0].bound);
  const hasMore = edge.rows[0]?.more === true;
  if (bound === null) {
    return { ...empty, cursor: Math.max(q.cursor, Number(s?.top ?? 0)), hasMore: false, resync: false };
  }
  const categoryIds = s?.category_ids ?? [];
  const carried = categoryIds.length
    ? sql`(p.active and not p.not_carried and p.category_id in (
        select d.id from category r join category d on d.path like r.path || '%' where r.id = any(${categoryIds}::int[])))`
    : sql`(p.active and not p.not_carried)`;
  // Each table's page comes as one JSON text of row arrays built by the database (a single value, not a
  // row per product): no per-field parsing of 20,000-row pages, no Decimal or Date objects on the way.
  const page = await sql<{ products: string; barcodes: string; prices: string }>`
    select
      (select coalesce(json_agg(json_build_array(p.id, p.code, p.name, p.spec, p.pinyin, u.name, p.category_id,
                                                 p.weighed::int, p.scale_code, coalesce((${carried}) and not p.discontinued, false)::int,
                                                 p.prescription::int, p.batch_tracked::int) order by p.change_seq), '[]')::text
         from product p left join unit u on u.id = p.base_unit_id
        where p.change_seq > ${q.cursor} and p.change_seq <= ${bound}) as products,
      (select coalesce(json_agg(json_build_array(b.barcode, b.product_id, b.unit_id, b.kind, b.is_primary::int,
                                                 b.active::int) order by b.change_seq), '[]')::text
         from product_barcode b
        where b.change_seq > ${q.cursor} and b.change_seq <= ${bound}) as barcodes,
      (select coalesce(json_agg(json_build_array(x.id, x.product_id, x.price_type, x.scope, x.region, x.store_id,
                 -- priceString: 2 places, or up to 4 when the price has more (the column keeps 4)
                 case when scale(trim_scale(x.price)) <= 2 then round(x.price, 2)::text else trim_scale(x.price)::text end,
                 to_char(x.effective_from at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                 to_char(x.effective_to at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                 x.cancelled::int) order by x.change_seq), '[]')::text
         from price x
        where x.change_seq > ${q.cursor} and x.change_seq <= ${bound}
          and (x.scope = 'all' or (x.scope = 'region' and x.region = ${region}) or (x.scope = 'store' and x.store_id = ${q.storeId}))
          and x.price_type in ('retail', 'member')) as prices`.execute(db);
  const texts = page.rows[0] as { products: string; barcodes: string; prices: string };
  return {
    storeId: q.storeId,
    region,
    // Caught up: past everything visible (other stores' rows, the assortment stamp), as catalogChangesSince does.
    cursor: hasMore ? bound : Math.max(bound, Number(s?.top ?? 0)),
    hasMore,
    resync: false,
    assortmentSeq,
    scale,
    products: JSON.parse(texts.products),
    barcodes: JSON.parse(texts.barcodes),
    prices: JSON.parse(texts.prices),
  };
}
