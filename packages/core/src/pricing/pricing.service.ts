import {
  DomainError,
  dec,
  PRICE_TYPES,
  type PriceListQuery,
  type PriceRowDto,
  type PriceType,
  priceScopeLabels,
  priceTypeLabels,
  type SetPricesCommand,
  setPricesBody,
} from '@erp/contracts';
import { type DB, type Kysely, sql, type Transaction } from '@erp/db';
import { recordAudit } from '../audit/audit.service.js';
import { assertMasterDataWriter, assertVisibleStore, insertPriceRows, iso, isoOrNull } from '../catalog/index.js';
import { authorize, type Ctx } from '../platform/context.js';
import { type ExportColumn, exportXlsx } from '../platform/excel.js';

export type { PriceType } from '@erp/contracts';
export { PRICE_TYPES, priceTypeSchema } from '@erp/contracts';

type Db = Kysely<DB> | Transaction<DB>;

/** numeric(14,4) as the API shows it: at least 2 decimals, no trailing zeros beyond ('3.5000' → '3.50', '3.1250' → '3.125'). */
export function priceString(v: string | number): string {
  const d = dec(v);
  const s = d.toFixed(4).replace(/0{1,2}$/, '');
  return d.decimalPlaces() <= 2 ? d.toFixed(2) : s;
}

/**
 * THE price rule (MD-2), for many products in one statement: for store S, each type T and time t, the
 * store's own row, else its region's, else the base row; within a level the latest effective_from ≤ t
 * whose effective_to is open or after t (a later row wins a tie). Products without a price of a type
 * have no entry for it. Used by the till, sales, documents and screens alike.
 */
export async function resolvePrices(
  db: Db,
  q: { storeId: number; productIds: number[]; priceTypes: PriceType[]; at: Date },
): Promise<Map<number, Partial<Record<PriceType, string>>>> {
  const out = new Map<number, Partial<Record<PriceType, string>>>();
  const ids = [...new Set(q.productIds)];
  if (!ids.length || !q.priceTypes.length) return out;
  const rows = await sql<{ product_id: number; price_type: PriceType; price: string }>`
    select distinct on (p.product_id, p.price_type) p.product_id, p.price_type, p.price::text as price
      from price p
      left join org s on s.id = ${q.storeId}
     where p.product_id = any(${ids}::int[])
       and p.price_type = any(${[...q.priceTypes]}::text[])
       and not p.cancelled
       and p.effective_from <= ${q.at.toISOString()}::timestamptz
       and (p.effective_to is null or p.effective_to > ${q.at.toISOString()}::timestamptz)
       and (p.scope = 'all'
         or (p.scope = 'region' and p.region = s.region)
         or (p.scope = 'store' and p.store_id = ${q.storeId}))
     order by p.product_id, p.price_type,
              case p.scope when 'store' then 0 when 'region' then 1 else 2 end, p.effective_from desc, p.id desc`.execute(db);
  for (const r of rows.rows) {
    const entry = out.get(r.product_id) ?? {};
    entry[r.price_type] = priceString(r.price);
    out.set(r.product_id, entry);
  }
  return out;
}

/** One product, one type: the price of product P for store S, type T, at time t; null when it has none. */
export async function resolvePrice(
  db: Db,
  q: { productId: number; storeId: number; priceType: PriceType; at: Date },
): Promise<string | null> {
  const map = await resolvePrices(db, { storeId: q.storeId, productIds: [q.productId], priceTypes: [q.priceType], at: q.at });
  return map.get(q.productId)?.[q.priceType] ?? null;
}

/** The API's "price of these products at this store" (scope-checked). */
export async function resolvePricesForStore(
  ctx: Ctx,
  q: { storeId: number; productIds: number[]; priceTypes?: PriceType[] | undefined; at?: string | undefined },
) {
  authorize(ctx, 'price', 'view');
  await assertVisibleStore(ctx, q.storeId);
  const at = q.at ? new Date(q.at) : new Date();
  const types = q.priceTypes?.length ? q.priceTypes : [...PRICE_TYPES];
  const map = await resolvePrices(ctx.db, { storeId: q.storeId, productIds: q.productIds, priceTypes: types, at });
  return {
    storeId: q.storeId,
    at: at.toISOString(),
    items: q.productIds.map((productId) => ({ productId, prices: map.get(productId) ?? {} })),
  };
}

/**
 * Direct price maintenance (`price:edit`): appends rows from `effectiveFrom` (default now) — never in the
 * past, so a price already charged is never rewritten. Company-wide and region rows need the master-data
 * scope; a store row needs the store in scope. Routine changes use the price-change document instead.
 */
export async function setPrices(ctx: Ctx, input: SetPricesCommand) {
  authorize(ctx, 'price', 'edit');
  const cmd = setPricesBody.parse(input);
  const now = new Date();
  const from = cmd.effectiveFrom ? new Date(cmd.effectiveFrom) : now;
  const to = cmd.effectiveTo ? new Date(cmd.effectiveTo) : null;
  // A minute of grace for clocks; anything earlier would rewrite history.
  if (from.getTime() < now.getTime() - 60_000) {
    throw new DomainError('VALIDATION_FAILED', {}, [
      {
        path: 'effectiveFrom',
        code: 'past',
        message: '生效时间不能早于现在（历史价格不可更改）',
        messageZh: '生效时间不能早于现在（历史价格不可更改）',
        messageEn: 'Prices cannot take effect in the past (history is never rewritten)',
      },
    ]);
  }
  if (to && to <= from) {
    throw new DomainError('VALIDATION_FAILED', {}, [
      {
        path: 'effectiveTo',
        code: 'order',
        message: '结束时间必须晚于生效时间',
        messageZh: '结束时间必须晚于生效时间',
        messageEn: 'The end must be after the start',
      },
    ]);
  }
  let root: number | undefined;
  if (cmd.prices.some((p) => p.scope !== 'store')) root = await assertMasterDataWriter(ctx);
  for (const storeId of new Set(cmd.prices.filter((p) => p.scope === 'store').map((p) => p.storeId as number))) {
    await assertVisibleStore(ctx, storeId);
  }
  const productIds = [...new Set(cmd.prices.map((p) => p.productId))];
  const found = await ctx.db.selectFrom('product').select('id').where('id', 'in', productIds).execute();
  const missing = productIds.find((id) => !found.some((f) => f.id === id));
  if (missing !== undefined) throw new DomainError('NOT_FOUND', { entity: 'product', id: missing });
  await insertPriceRows(
    ctx.db,
    cmd.prices.map((p) => ({
      productId: p.productId,
      priceType: p.priceType,
      scope: p.scope,
      region: p.scope === 'region' ? (p.region ?? null) : null,
      storeId: p.scope === 'store' ? (p.storeId ?? null) : null,
      price: p.price,
      effectiveFrom: from,
      effectiveTo: to,
      source: 'manual',
      sourceDocumentId: null,
      createdBy: ctx.actor.userId || null,
    })),
  );
  await recordAudit(ctx, {
    action: 'set_prices',
    entity: 'price',
    after: { effectiveFrom: from.toISOString(), effectiveTo: to?.toISOString() ?? null, prices: cmd.prices },
    orgId: root ?? (cmd.prices[0]?.storeId as number),
  });
  return { ok: true as const, count: cmd.prices.length, effectiveFrom: from.toISOString() };
}

// ---- price rows: list and export

async function priceConditions(ctx: Ctx, q: Partial<PriceListQuery>) {
  const c = [sql`(p.store_id is null or p.store_id = any(${[...ctx.scope.ids, -1]}::int[]))`];
  if (q.productId !== undefined) c.push(sql`p.product_id = ${q.productId}`);
  if (q.priceType) c.push(sql`p.price_type = ${q.priceType}`);
  if (q.scope) c.push(sql`p.scope = ${q.scope}`);
  if (q.region) c.push(sql`p.region = ${q.region}`);
  if (q.storeId !== undefined) {
    await assertVisibleStore(ctx, q.storeId);
    c.push(sql`p.store_id = ${q.storeId}`);
  }
  if (q.activeAt) {
    c.push(
      sql`p.effective_from <= ${q.activeAt}::timestamptz and (p.effective_to is null or p.effective_to > ${q.activeAt}::timestamptz)`,
    );
  }
  if (!q.includeCancelled) c.push(sql`not p.cancelled`);
  if (q.q) c.push(sql`(pr.code ilike ${`%${q.q}%`} or pr.name ilike ${`%${q.q}%`})`);
  return sql.join(c, sql` and `);
}

type PriceJoinRow = {
  id: number;
  product_id: number;
  product_code: string;
  product_name: string;
  price_type: PriceType;
  scope: 'all' | 'region' | 'store';
  region: string | null;
  store_id: number | null;
  store_name: string | null;
  price: string;
  effective_from: Date | string;
  effective_to: Date | string | null;
  source: string;
  source_document_id: number | null;
  cancelled: boolean;
  created_at: Date | string;
};

function toPriceDto(r: PriceJoinRow): PriceRowDto {
  return {
    id: r.id,
    productId: r.product_id,
    productCode: r.product_code,
    productName: r.product_name,
    priceType: r.price_type,
    scope: r.scope,
    region: r.region,
    storeId: r.store_id,
    storeName: r.store_name,
    price: priceString(r.price),
    effectiveFrom: iso(r.effective_from),
    effectiveTo: isoOrNull(r.effective_to),
    source: r.source,
    sourceDocumentId: r.source_document_id,
    cancelled: r.cancelled,
    createdAt: iso(r.created_at),
  };
}

const priceSort = {
  effectiveFrom: 'p.effective_from',
  productCode: 'pr.code',
  price: 'p.price',
  createdAt: 'p.created_at',
} as const;

/** Price rows (history and schedule) of visible scope: other stores' overrides are not shown. */
export async function listPrices(ctx: Ctx, q: PriceListQuery) {
  authorize(ctx, 'price', 'view');
  const where = await priceConditions(ctx, q);
  const count = await sql<{
    n: number;
  }>`select count(*)::int as n from price p join product pr on pr.id = p.product_id where ${where}`.execute(ctx.db);
  const sortCol = priceSort[(q.sort ?? 'effectiveFrom') as keyof typeof priceSort] ?? 'p.effective_from';
  const dir = sql.raw(q.sort ? (q.order === 'desc' ? 'desc' : 'asc') : 'desc');
  const rows = await sql<PriceJoinRow>`
    select p.*, p.price::text as price, pr.code as product_code, pr.name as product_name, o.name as store_name
      from price p join product pr on pr.id = p.product_id left join org o on o.id = p.store_id
     where ${where}
     order by ${sql.ref(sortCol)} ${dir}, p.id desc
     limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`.execute(ctx.db);
  return { items: rows.rows.map(toPriceDto), total: Number(count.rows[0]?.n ?? 0), page: q.page, pageSize: q.pageSize };
}

export async function exportPrices(ctx: Ctx, q: Partial<PriceListQuery>): Promise<Buffer> {
  authorize(ctx, 'price', 'export');
  const where = await priceConditions(ctx, q);
  const rows = await sql<PriceJoinRow>`
    select p.*, p.price::text as price, pr.code as product_code, pr.name as product_name, o.name as store_name
      from price p join product pr on pr.id = p.product_id left join org o on o.id = p.store_id
     where ${where} order by pr.code, p.price_type, p.effective_from limit 500000`.execute(ctx.db);
  const zh = ctx.locale !== 'en';
  const columns: ExportColumn<PriceRowDto>[] = [
    { header: zh ? '商品编码' : 'Product code', value: (r) => r.productCode, width: 14 },
    { header: zh ? '商品名称' : 'Product name', value: (r) => r.productName, width: 30 },
    {
      header: zh ? '价格类型' : 'Price type',
      value: (r) => (zh ? priceTypeLabels[r.priceType].zh : priceTypeLabels[r.priceType].en),
    },
    { header: zh ? '范围' : 'Scope', value: (r) => (zh ? priceScopeLabels[r.scope].zh : priceScopeLabels[r.scope].en) },
    { header: zh ? '区域' : 'Region', value: (r) => r.region },
    { header: zh ? '门店' : 'Store', value: (r) => r.storeName },
    { header: zh ? '价格' : 'Price', value: (r) => r.price, numFmt: '0.00##' },
    {
      header: zh ? '生效时间' : 'Effective from',
      value: (r) => new Date(r.effectiveFrom),
      numFmt: 'yyyy-mm-dd hh:mm',
      width: 18,
    },
    {
      header: zh ? '结束时间' : 'Effective to',
      value: (r) => (r.effectiveTo ? new Date(r.effectiveTo) : null),
      numFmt: 'yyyy-mm-dd hh:mm',
      width: 18,
    },
    { header: zh ? '来源' : 'Source', value: (r) => r.source },
    { header: zh ? '已取消' : 'Cancelled', value: (r) => (r.cancelled ? (zh ? '是' : 'Y') : '') },
  ];
  return exportXlsx(zh ? '商品价格' : 'Prices', columns, rows.rows.map(toPriceDto));
}
