import {
  type BalanceDimension,
  type DocType,
  DomainError,
  dec,
  docTypes,
  type LedgerDetailGroup,
  type LedgerDetailQuery,
  type LedgerSource,
  ledgerSourceLabels,
  type NearExpiryQuery,
  type Page,
  type PageQuery,
  type StockMovementQuery,
  stockDocDirections,
} from '@erp/contracts';
import { sql } from '@erp/db';
import { calendarDay } from '../platform/clock.js';
import { authorize, type Ctx, inIds } from '../platform/context.js';
import { daysUntil } from './inventory.rules.js';

export type { LedgerDetailEntry, LedgerDetailGroup, LedgerSource } from '@erp/contracts';

export interface StockQuery extends PageQuery {
  orgId?: number;
  warehouseId?: number;
  productId?: number;
  batchNo?: string;
  lotNo?: string;
  shelfId?: number;
  counterId?: number;
  /** Products of this category and its sub-categories. */
  categoryId?: number;
  status?: string;
  includeZero?: boolean;
  maxQty?: string;
  negativeOnly?: boolean;
  expiryBefore?: string;
  groupBy?: BalanceDimension[];
}

/** Warehouses of visible orgs (optionally one org or one warehouse); another org's is NOT_FOUND. */
export async function scopedWarehouseIds(ctx: Ctx, q: { orgId?: number; warehouseId?: number }): Promise<number[]> {
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

export interface StockBalanceRow {
  warehouseId: number;
  warehouseCode: string;
  warehouseName: string;
  orgId: number;
  productId: number;
  productCode: string;
  productName: string;
  /** 规格 and base unit (from master data). */
  productSpec: string;
  unitName: string | null;
  batchNo: string | null;
  lotNo: string | null;
  /** Earliest expiry of the row's stock. */
  expiryDate: string | null;
  shelfId: number | null;
  shelfCode: string | null;
  status: string | null;
  qty: string;
  avgCost: string;
  /** Stock value: each balance at its batch cost when known, else the moving average. */
  value: string;
}

/**
 * Stock by warehouse and product, and by batch / lot / shelf / status as asked (INV-3), for visible orgs
 * only. Filters: product, batch, lot, shelf, counter (柜组), status, near-zero (qty ≤ maxQty), negative,
 * expiring before a date.
 */
export async function listStockBalances(ctx: Ctx, q: StockQuery): Promise<Page<StockBalanceRow>> {
  authorize(ctx, 'stock', 'view');
  const warehouseIds = await scopedWarehouseIds(ctx, q);
  const dims = new Set<BalanceDimension>(q.groupBy ?? ['batch', 'lot', 'shelf', 'status']);
  const where = [inIds('b.warehouse_id', warehouseIds)];
  if (!q.includeZero) where.push(sql`b.qty <> 0`);
  if (q.productId !== undefined) where.push(sql`b.product_id = ${q.productId}::int`);
  if (q.batchNo) where.push(sql`b.batch_no = ${q.batchNo}::text`);
  if (q.lotNo) where.push(sql`b.lot_no = ${q.lotNo}::text`);
  if (q.shelfId !== undefined) where.push(sql`b.shelf_id = ${q.shelfId}::int`);
  if (q.counterId !== undefined) {
    where.push(sql`b.shelf_id in (select id from shelf where counter_id = ${q.counterId}::int)`);
  }
  if (q.categoryId !== undefined) {
    where.push(sql`p.category_id in (select c.id from category c, category root
                                       where root.id = ${q.categoryId}::int and c.path like root.path || '%')`);
  }
  if (q.status) where.push(sql`b.status = ${q.status}::text`);
  if (q.expiryBefore) where.push(sql`b.expiry_date < ${q.expiryBefore}::date`);
  if (q.q) where.push(sql`(p.code ilike ${`%${q.q}%`} or p.name ilike ${`%${q.q}%`})`);
  // The page is found first on the balance rows with only what filters and orders them (warehouse and
  // product codes), counted in the same pass; names, units, costs and values are then looked up for its
  // rows alone. At the balance grain (every dimension asked for, the default) each balance row is its own
  // group, so nothing is aggregated.
  const full = dims.size === 4;
  const sums = [sql`true`];
  if (q.maxQty !== undefined) sums.push(sql`${sql.raw(full ? 'b.qty' : 'sum(b.qty)')} <= ${q.maxQty}::numeric`);
  if (q.negativeOnly) sums.push(sql`${sql.raw(full ? 'b.qty' : 'sum(b.qty)')} < 0`);
  const col = (d: BalanceDimension, expr: string, type: string) => sql.raw(dims.has(d) ? expr : `null::${type}`);
  const keys = sql`b.warehouse_id, b.product_id, ${col('batch', 'b.batch_no', 'text')} as batch_no,
           ${col('lot', 'b.lot_no', 'text')} as lot_no, ${col('shelf', 'b.shelf_id', 'int')} as shelf_id,
           ${col('status', 'b.status', 'text')} as status, w.code as warehouse_code, p.code as product_code`;
  const from = sql`from stock_balance b join warehouse w on w.id = b.warehouse_id join product p on p.id = b.product_id`;
  const page = full
    ? sql`select ${keys}, b.expiry_date, b.qty, count(*) over () as total ${from}
           where ${sql.join([...where, ...sums], sql` and `)}`
    : sql`select ${keys}, min(b.expiry_date) as expiry_date, sum(b.qty) as qty, count(*) over () as total ${from}
           where ${sql.join(where, sql` and `)}
           group by 1, 2, 3, 4, 5, 6, 7, 8 having ${sql.join(sums, sql` and `)}`;
  const rows = await sql<{
    total: number;
    warehouse_id: number;
    warehouse_code: string;
    warehouse_name: string;
    org_id: number;
    product_id: number;
    product_code: string;
    product_name: string;
    product_spec: string;
    unit_name: string | null;
    batch_no: string | null;
    lot_no: string | null;
    shelf_id: number | null;
    shelf_code: string | null;
    status: string | null;
    expiry_date: string | null;
    qty: string;
    avg_cost: string;
    value: string;
  }>`
    with page as (
      ${page}
      order by warehouse_code, product_code, batch_no nulls first, lot_no nulls first, shelf_id nulls first, status
      limit ${q.pageSize}::int offset ${(q.page - 1) * q.pageSize}::int
    )
    select g.total::int as total, g.warehouse_id, g.warehouse_code, w.name as warehouse_name, w.org_id, g.product_id,
           g.product_code, p.name as product_name, p.spec as product_spec, u.name as unit_name, g.batch_no, g.lot_no,
           g.shelf_id, sh.code as shelf_code, g.status, g.expiry_date, g.qty, coalesce(c.avg_cost, 0) as avg_cost,
           coalesce(v.value, 0) as value
      from page g
      join warehouse w on w.id = g.warehouse_id
      join product p on p.id = g.product_id
      left join unit u on u.id = p.base_unit_id
      left join shelf sh on sh.id = g.shelf_id
      left join stock_cost c on c.warehouse_id = g.warehouse_id and c.product_id = g.product_id
      cross join lateral (
        select round(sum(b.qty * coalesce(sb.unit_cost, c.avg_cost, 0)), 2) as value
          from stock_balance b
          left join stock_batch sb on b.batch_no <> '' and sb.product_id = b.product_id and sb.batch_no = b.batch_no
         where b.warehouse_id = g.warehouse_id and b.product_id = g.product_id
           and (g.batch_no is null or b.batch_no = g.batch_no) and (g.lot_no is null or b.lot_no = g.lot_no)
           and (g.shelf_id is null or b.shelf_id = g.shelf_id) and (g.status is null or b.status = g.status)
           and ${sql.join(where, sql` and `)}
      ) v
     order by g.warehouse_code, g.product_code, g.batch_no nulls first, g.lot_no nulls first, g.shelf_id nulls first, g.status`.execute(
    ctx.db,
  );
  const total =
    rows.rows[0]?.total ??
    (q.page > 1
      ? Number((await sql<{ n: number }>`select count(*)::int as n from (${page}) t`.execute(ctx.db)).rows[0]?.n ?? 0)
      : 0);
  return {
    items: rows.rows.map((r) => ({
      warehouseId: r.warehouse_id,
      warehouseCode: r.warehouse_code,
      warehouseName: r.warehouse_name,
      orgId: r.org_id,
      productId: r.product_id,
      productCode: r.product_code,
      productName: r.product_name,
      productSpec: r.product_spec,
      unitName: r.unit_name,
      batchNo: r.batch_no,
      lotNo: r.lot_no,
      expiryDate: r.expiry_date,
      shelfId: r.shelf_id || null,
      shelfCode: r.shelf_code,
      status: r.status,
      qty: dec(r.qty).toFixed(3),
      avgCost: dec(r.avg_cost).toFixed(4),
      value: dec(r.value).toFixed(2),
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
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

/** Ledger entries of visible warehouses, newest first. */
export async function listStockLedger(ctx: Ctx, q: LedgerQuery) {
  authorize(ctx, 'stock', 'view');
  const warehouseIds = await scopedWarehouseIds(ctx, q);
  let query = ctx.db
    .selectFrom('stock_ledger as l')
    .innerJoin('product as p', 'p.id', 'l.product_id')
    .innerJoin('warehouse as w', 'w.id', 'l.warehouse_id')
    .where(inIds('l.warehouse_id', warehouseIds));
  if (q.productId !== undefined) query = query.where('l.product_id', '=', q.productId);
  if (q.from) query = query.where('l.business_date', '>=', q.from);
  if (q.to) query = query.where('l.business_date', '<=', q.to);
  if (q.sourceType) query = query.where('l.source_type', '=', q.sourceType);
  if (q.sourceId !== undefined) query = query.where('l.source_id', '=', q.sourceId);
  if (q.q) query = query.where((eb) => eb.or([eb('p.code', 'ilike', `%${q.q}%`), eb('p.name', 'ilike', `%${q.q}%`)]));
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const items = await query
    .select([
      'l.id',
      'l.business_date as businessDate',
      'l.warehouse_id as warehouseId',
      'w.code as warehouseCode',
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
  const sourceOf = await ledgerSources(ctx, items);
  return {
    items: items.map((r) => ({ ...r, source: sourceOf(r) })),
    total: Number(total),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/**
 * Names the sources of ledger rows (INV-3) in one statement: a document by its number and type, a till sale
 * or return by its receipt number, store and business day. Every ledger listing goes through it, so no screen
 * or export shows an internal id or a type code. The lookup returns a row's source by its type and id.
 */
export async function ledgerSources(
  ctx: Ctx,
  rows: readonly { sourceType: string; sourceId: number | string }[],
): Promise<(row: { sourceType: string; sourceId: number | string }) => LedgerSource> {
  const key = (type: string, id: number | string) => `${type}|${Number(id)}`;
  const refs = [...new Map(rows.map((r) => [key(r.sourceType, r.sourceId), r])).values()];
  const found = new Map<string, LedgerSource>();
  if (refs.length) {
    const named = await sql<{
      type: string;
      id: string;
      document_id: number | null;
      number: string | null;
      doc_type: string | null;
      receipt_no: string | null;
      sale_kind: 'sale' | 'return' | null;
      store_id: number | null;
      business_day: string | null;
    }>`
      select r.type, r.id, d.id as document_id, d.number, d.doc_type, s.receipt_no, s.kind as sale_kind, s.store_id,
             s.business_day
        from unnest(${refs.map((r) => r.sourceType)}::text[], ${refs.map((r) => String(r.sourceId))}::bigint[]) as r(type, id)
        left join document d on r.type = 'document' and d.id = r.id
        left join pos_sale s on r.type = 'pos_sale' and s.id = r.id`.execute(ctx.db);
    for (const n of named.rows) found.set(key(n.type, n.id), toLedgerSource(n));
  }
  return (r) => found.get(key(r.sourceType, r.sourceId)) ?? toLedgerSource({});
}

function toLedgerSource(n: {
  document_id?: number | null;
  number?: string | null;
  doc_type?: string | null;
  receipt_no?: string | null;
  sale_kind?: 'sale' | 'return' | null;
  store_id?: number | null;
  business_day?: string | null;
}): LedgerSource {
  const none = { documentId: null, docType: null, storeId: null, businessDay: null };
  if (n.document_id != null && n.doc_type) {
    const docType = n.doc_type as DocType;
    const type = docTypes[docType];
    return {
      ...none,
      kind: 'document',
      number: n.number ?? null,
      label: type ? { zh: type.zh, en: type.en } : ledgerSourceLabels.other,
      documentId: n.document_id,
      docType,
    };
  }
  if (n.receipt_no) {
    return {
      ...none,
      kind: 'pos_sale',
      number: n.receipt_no,
      label: ledgerSourceLabels[n.sale_kind === 'return' ? 'return' : 'sale'],
      storeId: n.store_id ?? null,
      businessDay: n.business_day ?? null,
    };
  }
  return { ...none, kind: 'other', number: null, label: ledgerSourceLabels.other };
}

/**
 * 保管明细账 (INV-3): for a period, per warehouse and product, the opening balance (every entry before the
 * period, by business date), the period's entries in order with a running balance, and the closing balance.
 * Pages over warehouse+product groups; three statements per page whatever its size.
 */
export async function getLedgerDetail(
  ctx: Ctx,
  q: LedgerDetailQuery,
): Promise<Page<LedgerDetailGroup> & { from: string; to: string }> {
  authorize(ctx, 'stock', 'view');
  if (q.from > q.to) {
    throw new DomainError('VALIDATION_FAILED', {}, [
      {
        path: 'from',
        code: 'invalid',
        message: '起始日期不能晚于结束日期',
        messageZh: '起始日期不能晚于结束日期',
        messageEn: 'from must not be after to',
      },
    ]);
  }
  const warehouseIds = await scopedWarehouseIds(ctx, q);
  const productFilter = q.productId !== undefined ? sql`and l.product_id = ${q.productId}::int` : sql``;
  const textFilter = q.q
    ? sql`and exists (select 1 from product p where p.id = l.product_id and (p.code ilike ${`%${q.q}%`} or p.name ilike ${`%${q.q}%`}))`
    : sql``;
  const groups = sql`
    select l.warehouse_id, l.product_id,
           coalesce(sum(l.qty) filter (where l.business_date < ${q.from}::date), 0) as open_q,
           coalesce(sum(l.amount) filter (where l.business_date < ${q.from}::date), 0) as open_a,
           coalesce(sum(l.qty) filter (where l.business_date >= ${q.from}::date and l.qty > 0), 0) as in_q,
           coalesce(sum(l.amount) filter (where l.business_date >= ${q.from}::date and l.qty > 0), 0) as in_a,
           coalesce(-sum(l.qty) filter (where l.business_date >= ${q.from}::date and l.qty < 0), 0) as out_q,
           coalesce(-sum(l.amount) filter (where l.business_date >= ${q.from}::date and l.qty < 0), 0) as out_a,
           count(*) filter (where l.business_date >= ${q.from}::date) as n
      from stock_ledger l
     where ${inIds('l.warehouse_id', warehouseIds)} and l.business_date <= ${q.to}::date
           ${productFilter} ${textFilter}
     group by l.warehouse_id, l.product_id
    having count(*) filter (where l.business_date >= ${q.from}::date) > 0
        or coalesce(sum(l.qty) filter (where l.business_date < ${q.from}::date), 0) <> 0`;
  const total = await sql<{ n: number }>`select count(*)::int as n from (${groups}) g`.execute(ctx.db);
  const page = await sql<{
    warehouse_id: number;
    product_id: number;
    warehouse_code: string;
    warehouse_name: string;
    product_code: string;
    product_name: string;
    open_q: string;
    open_a: string;
    in_q: string;
    in_a: string;
    out_q: string;
    out_a: string;
  }>`
    select g.*, w.code as warehouse_code, w.name as warehouse_name, p.code as product_code, p.name as product_name
      from (${groups}) g join warehouse w on w.id = g.warehouse_id join product p on p.id = g.product_id
     order by w.code, p.code
     limit ${q.pageSize}::int offset ${(q.page - 1) * q.pageSize}::int`.execute(ctx.db);
  const keys = page.rows;
  const entries = keys.length
    ? await sql<{
        id: number;
        warehouse_id: number;
        product_id: number;
        business_date: string;
        source_type: string;
        source_id: number;
        number: string | null;
        doc_type: string | null;
        batch_no: string;
        lot_no: string;
        shelf_id: number;
        status: string;
        qty: string;
        unit_cost: string;
        amount: string;
        run_q: string;
        run_a: string;
      }>`
        select l.id, l.warehouse_id, l.product_id, l.business_date, l.source_type, l.source_id, d.number, d.doc_type,
               l.batch_no, l.lot_no, l.shelf_id, l.status, l.qty, l.unit_cost, l.amount,
               sum(l.qty) over w as run_q, sum(l.amount) over w as run_a
          from stock_ledger l
          left join document d on l.source_type = 'document' and d.id = l.source_id
         where (l.warehouse_id, l.product_id) in (select * from unnest(${keys.map((k) => k.warehouse_id)}::int[],
                                                                      ${keys.map((k) => k.product_id)}::int[]))
           and l.business_date between ${q.from}::date and ${q.to}::date
        window w as (partition by l.warehouse_id, l.product_id order by l.business_date, l.id)
         order by l.warehouse_id, l.product_id, l.business_date, l.id`.execute(ctx.db)
    : { rows: [] };
  const sourceOf = await ledgerSources(
    ctx,
    entries.rows.map((e) => ({ sourceType: e.source_type, sourceId: e.source_id })),
  );
  const items = keys.map((k) => {
    const open = { q: dec(k.open_q), a: dec(k.open_a) };
    const mine = entries.rows.filter((e) => e.warehouse_id === k.warehouse_id && e.product_id === k.product_id);
    const closeQ = open.q.plus(k.in_q).minus(k.out_q);
    const closeA = open.a.plus(k.in_a).minus(k.out_a);
    return {
      warehouseId: k.warehouse_id,
      warehouseCode: k.warehouse_code,
      warehouseName: k.warehouse_name,
      productId: k.product_id,
      productCode: k.product_code,
      productName: k.product_name,
      openingQty: open.q.toFixed(3),
      openingAmount: open.a.toFixed(2),
      inQty: dec(k.in_q).toFixed(3),
      inAmount: dec(k.in_a).toFixed(2),
      outQty: dec(k.out_q).toFixed(3),
      outAmount: dec(k.out_a).toFixed(2),
      closingQty: closeQ.toFixed(3),
      closingAmount: closeA.toFixed(2),
      entries: mine.map((e) => {
        const q0 = dec(e.qty);
        return {
          id: Number(e.id),
          businessDate: e.business_date,
          sourceType: e.source_type,
          sourceId: Number(e.source_id),
          documentNumber: e.number,
          docType: e.doc_type,
          source: sourceOf({ sourceType: e.source_type, sourceId: e.source_id }),
          batchNo: e.batch_no,
          lotNo: e.lot_no,
          shelfId: e.shelf_id || null,
          status: e.status,
          inQty: q0.isPositive() ? q0.toFixed(3) : '0.000',
          outQty: q0.isNegative() ? q0.negated().toFixed(3) : '0.000',
          unitCost: dec(e.unit_cost).toFixed(4),
          amount: dec(e.amount).toFixed(2),
          balanceQty: open.q.plus(e.run_q).toFixed(3),
          balanceAmount: open.a.plus(e.run_a).toFixed(2),
        };
      }),
    };
  });
  return { items, total: Number(total.rows[0]?.n ?? 0), page: q.page, pageSize: q.pageSize, from: q.from, to: q.to };
}

export interface NearExpiryRow {
  warehouseId: number;
  warehouseCode: string;
  warehouseName: string;
  orgId: number;
  productId: number;
  productCode: string;
  productName: string;
  batchNo: string;
  lotNo: string;
  shelfId: number | null;
  shelfCode: string | null;
  status: string;
  expiryDate: string;
  /** Negative: expired that many days ago. */
  daysLeft: number;
  qty: string;
  value: string;
}

/** 近效期库存 (INV-3): stock on hand whose expiry falls within `days` of today (expired stock too, unless told). */
export async function listNearExpiry(ctx: Ctx, q: NearExpiryQuery): Promise<Page<NearExpiryRow> & { today: string }> {
  authorize(ctx, 'stock', 'view');
  const warehouseIds = await scopedWarehouseIds(ctx, q);
  const today = calendarDay();
  let query = ctx.db
    .selectFrom('stock_balance as b')
    .innerJoin('warehouse as w', 'w.id', 'b.warehouse_id')
    .innerJoin('product as p', 'p.id', 'b.product_id')
    .leftJoin('shelf as sh', 'sh.id', 'b.shelf_id')
    .leftJoin('stock_cost as c', (j) =>
      j.onRef('c.warehouse_id', '=', 'b.warehouse_id').onRef('c.product_id', '=', 'b.product_id'),
    )
    .leftJoin('stock_batch as sb', (j) => j.onRef('sb.product_id', '=', 'b.product_id').onRef('sb.batch_no', '=', 'b.batch_no'))
    .where(inIds('b.warehouse_id', warehouseIds))
    .where('b.qty', '>', '0')
    .where('b.expiry_date', 'is not', null)
    .where(sql<boolean>`b.expiry_date <= ${today}::date + ${q.days}::int`);
  if (!q.includeExpired) query = query.where(sql<boolean>`b.expiry_date >= ${today}::date`);
  if (q.productId !== undefined) query = query.where('b.product_id', '=', q.productId);
  if (q.q) query = query.where((eb) => eb.or([eb('p.code', 'ilike', `%${q.q}%`), eb('p.name', 'ilike', `%${q.q}%`)]));
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .select([
      'b.warehouse_id',
      'w.code as warehouse_code',
      'w.name as warehouse_name',
      'w.org_id',
      'b.product_id',
      'p.code as product_code',
      'p.name as product_name',
      'b.batch_no',
      'b.lot_no',
      'b.shelf_id',
      'sh.code as shelf_code',
      'b.status',
      'b.expiry_date',
      'b.qty',
      sql<string>`round(b.qty * coalesce(sb.unit_cost, c.avg_cost, 0), 2)`.as('value'),
    ])
    .orderBy('b.expiry_date')
    .orderBy('w.code')
    .orderBy('p.code')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    items: rows.map((r) => ({
      warehouseId: r.warehouse_id,
      warehouseCode: r.warehouse_code,
      warehouseName: r.warehouse_name,
      orgId: r.org_id,
      productId: r.product_id,
      productCode: r.product_code,
      productName: r.product_name,
      batchNo: r.batch_no,
      lotNo: r.lot_no,
      shelfId: r.shelf_id || null,
      shelfCode: r.shelf_code,
      status: r.status,
      expiryDate: r.expiry_date as string,
      daysLeft: daysUntil(r.expiry_date as string, today),
      qty: dec(r.qty).toFixed(3),
      value: dec(r.value).toFixed(2),
    })),
    total: Number(total),
    page: q.page,
    pageSize: q.pageSize,
    today,
  };
}

export interface StockMovementRow {
  ledgerId: number;
  businessDate: string;
  direction: 'in' | 'out';
  sourceType: string;
  sourceId: number;
  documentId: number | null;
  documentNumber: string | null;
  docType: string | null;
  /** The document or till receipt the row came from, named and labelled. */
  source: LedgerSource;
  orgId: number;
  warehouseId: number;
  warehouseCode: string;
  productId: number;
  productCode: string;
  productName: string;
  batchNo: string;
  lotNo: string;
  expiryDate: string | null;
  shelfId: number | null;
  status: string;
  qty: string;
  unitCost: string;
  amount: string;
  lineNo: number | null;
  reason: string | null;
  /** A reason code of master data (原因代码), when the line or document names one. */
  reasonCodeId: number | null;
  remarks: string | null;
}

/**
 * 出入库单明细 (INV-3): what posted documents (or sales, …) moved in a period, one row per ledger entry,
 * with the document's number and type and the line's reason. Filters: type, direction, warehouse, product.
 */
export async function listStockMovements(ctx: Ctx, q: StockMovementQuery): Promise<Page<StockMovementRow>> {
  authorize(ctx, 'stock', 'view');
  const warehouseIds = await scopedWarehouseIds(ctx, q);
  let query = ctx.db
    .selectFrom('stock_ledger as l')
    .innerJoin('warehouse as w', 'w.id', 'l.warehouse_id')
    .innerJoin('product as p', 'p.id', 'l.product_id')
    .leftJoin('document as d', (j) => j.onRef('d.id', '=', 'l.source_id').on('l.source_type', '=', 'document'))
    .leftJoin('document_line as dl', (j) => j.onRef('dl.id', '=', 'l.source_line_id').on('l.source_type', '=', 'document'))
    .where(inIds('l.warehouse_id', warehouseIds))
    .where('l.business_date', '>=', q.from)
    .where('l.business_date', '<=', q.to);
  if (q.sourceType !== 'all') query = query.where('l.source_type', '=', q.sourceType);
  if (q.docType) query = query.where('d.doc_type', '=', q.docType);
  if (q.direction === 'in') query = query.where('l.qty', '>', '0');
  if (q.direction === 'out') query = query.where('l.qty', '<', '0');
  if (q.productId !== undefined) query = query.where('l.product_id', '=', q.productId);
  if (q.q) {
    const like = `%${q.q}%`;
    // A document number or a till receipt number finds its rows, as a product does.
    const receipt = sql<boolean>`exists (select 1 from pos_sale s where l.source_type = 'pos_sale' and s.id = l.source_id
                                                                  and s.receipt_no ilike ${like})`;
    query = query.where((eb) =>
      eb.or([eb('p.code', 'ilike', like), eb('p.name', 'ilike', like), eb('d.number', 'ilike', like), receipt]),
    );
  }
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .select([
      'l.id',
      'l.business_date',
      'l.source_type',
      'l.source_id',
      'd.id as document_id',
      'd.number',
      'd.doc_type',
      'l.org_id',
      'l.warehouse_id',
      'w.code as warehouse_code',
      'l.product_id',
      'p.code as product_code',
      'p.name as product_name',
      'l.batch_no',
      'l.lot_no',
      'l.expiry_date',
      'l.shelf_id',
      'l.status',
      'l.qty',
      'l.unit_cost',
      'l.amount',
      'dl.line_no',
      'dl.remarks',
      sql<string | null>`coalesce(dl.attrs->>'reason', d.attrs->>'reason')`.as('reason'),
      sql<string | null>`coalesce(dl.attrs->>'reasonCodeId', d.attrs->>'reasonCodeId')`.as('reason_code_id'),
    ])
    .orderBy('l.business_date')
    .orderBy('l.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  const sourceOf = await ledgerSources(
    ctx,
    rows.map((r) => ({ sourceType: r.source_type, sourceId: r.source_id })),
  );
  return {
    items: rows.map((r) => ({
      ledgerId: Number(r.id),
      businessDate: r.business_date,
      direction: dec(r.qty).isNegative() ? 'out' : 'in',
      sourceType: r.source_type,
      sourceId: Number(r.source_id),
      documentId: r.document_id,
      documentNumber: r.number,
      docType: r.doc_type,
      source: sourceOf({ sourceType: r.source_type, sourceId: r.source_id }),
      orgId: r.org_id,
      warehouseId: r.warehouse_id,
      warehouseCode: r.warehouse_code,
      productId: r.product_id,
      productCode: r.product_code,
      productName: r.product_name,
      batchNo: r.batch_no,
      lotNo: r.lot_no,
      expiryDate: r.expiry_date,
      shelfId: r.shelf_id || null,
      status: r.status,
      qty: dec(r.qty).abs().toFixed(3),
      unitCost: dec(r.unit_cost).toFixed(4),
      amount: dec(r.amount).abs().toFixed(2),
      lineNo: r.line_no,
      reason: r.reason,
      reasonCodeId: r.reason_code_id === null ? null : Number(r.reason_code_id),
      remarks: r.remarks,
    })),
    total: Number(total),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Direction of a stock document type in the review queue, or undefined for types that move no stock. */
export function stockDirectionOf(docType: string) {
  return stockDocDirections[docType as keyof typeof stockDocDirections];
}
