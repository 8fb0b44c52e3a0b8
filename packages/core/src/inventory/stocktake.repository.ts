import { type DB, type Selectable, sql, type Transaction } from '@erp/db';

export type StocktakeRow = Selectable<DB['stocktake']>;

/**
 * Takes the row locks a posting takes first (the (warehouse, product) cost rows, in key order), so no
 * posting of these goods is in flight while a snapshot or count mark is read. The caller then reads in a
 * NEW statement, whose snapshot includes every posting that committed before the locks were granted.
 */
export async function lockCostRowsOfWarehouses(trx: Transaction<DB>, warehouseIds: readonly number[]): Promise<void> {
  await sql`select 1 from stock_cost where warehouse_id = any(${warehouseIds}::int[])
             order by warehouse_id, product_id for update`.execute(trx);
}

export async function lockCostRowsOfPairs(
  trx: Transaction<DB>,
  pairs: readonly { warehouseId: number; productId: number }[],
): Promise<void> {
  if (!pairs.length) return;
  await sql`select 1 from stock_cost
             where (warehouse_id, product_id) in (select * from unnest(${pairs.map((p) => p.warehouseId)}::int[],
                                                                      ${pairs.map((p) => p.productId)}::int[]))
             order by warehouse_id, product_id for update`.execute(trx);
}

export async function lockCostRowsOfStocktake(trx: Transaction<DB>, documentId: number): Promise<void> {
  await sql`select 1 from stock_cost c
             where (c.warehouse_id, c.product_id) in (select distinct warehouse_id, product_id from stocktake_line
                                                       where document_id = ${documentId})
             order by c.warehouse_id, c.product_id for update`.execute(trx);
}

/** The ledger's high-water mark: every entry with a larger id was written after this read. */
export async function ledgerMark(trx: Transaction<DB>): Promise<number> {
  const r = await sql<{ mark: number }>`select coalesce(max(id), 0)::bigint as mark from stock_ledger`.execute(trx);
  return Number(r.rows[0]?.mark ?? 0);
}

export interface SnapshotScope {
  documentId: number;
  orgId: number;
  warehouseId: number | null;
  warehouseIds: number[];
  mode: 'static' | 'dynamic';
  since: string | null;
  counterId: number | null;
  shelfId: number | null;
  /** null: every shelf (and no shelf); else only these shelves. */
  shelfIds: number[] | null;
  entryMode: 'sheet' | 'blind';
  uncountedAs: 'zero' | 'book';
}

/**
 * One statement: reads the ledger mark, writes the stocktake row and copies the book quantity of every key
 * in scope into count lines, ordered the way the sheet is walked (warehouse, shelf, product, batch, lot).
 * Static: every key with stock now. Dynamic: every key with a ledger entry on or after `since`.
 */
export async function insertSnapshot(trx: Transaction<DB>, s: SnapshotScope): Promise<{ lines: number; mark: number }> {
  const shelfFilter = s.shelfIds === null ? sql`true` : sql`k.shelf_id = any(${s.shelfIds}::int[])`;
  const keys =
    s.mode === 'static'
      ? sql`select b.warehouse_id, b.product_id, b.batch_no, b.lot_no, b.expiry_date, b.shelf_id, b.status, b.qty
              from stock_balance b
             where b.warehouse_id = any(${s.warehouseIds}::int[]) and b.qty <> 0`
      : sql`select k.warehouse_id, k.product_id, k.batch_no, k.lot_no, b.expiry_date, k.shelf_id, k.status,
                   coalesce(b.qty, 0) as qty
              from (select distinct warehouse_id, product_id, batch_no, lot_no, shelf_id, status from stock_ledger
                     where warehouse_id = any(${s.warehouseIds}::int[]) and business_date >= ${s.since}::date) k
              left join stock_balance b using (warehouse_id, product_id, batch_no, lot_no, shelf_id, status)`;
  const r = await sql<{ lines: number; mark: number }>`
    with m as (select coalesce(max(id), 0) as mark from stock_ledger),
    st as (
      insert into stocktake (document_id, org_id, warehouse_id, mode, since, counter_id, shelf_id, entry_mode,
                             uncounted_as, snapshot_ledger_id)
      select ${s.documentId}::int, ${s.orgId}::int, ${s.warehouseId}::int, ${s.mode}::text, ${s.since}::date,
             ${s.counterId}::int, ${s.shelfId}::int, ${s.entryMode}::text, ${s.uncountedAs}::text, m.mark from m
      returning document_id, snapshot_ledger_id
    ),
    k as (${keys}),
    ins as (
      insert into stocktake_line (document_id, line_no, origin, warehouse_id, product_id, batch_no, lot_no, expiry_date,
                                  shelf_id, status, book_qty)
      select ${s.documentId}::int,
             row_number() over (order by w.code, sh.code nulls last, p.code, k.batch_no, k.lot_no, k.status),
             'sheet', k.warehouse_id, k.product_id, k.batch_no, k.lot_no, k.expiry_date, k.shelf_id, k.status, k.qty
        from k join warehouse w on w.id = k.warehouse_id join product p on p.id = k.product_id
        left join shelf sh on sh.id = k.shelf_id
       where ${shelfFilter}
      returning 1
    )
    select (select count(*) from ins)::int as lines, (select snapshot_ledger_id from st) as mark`.execute(trx);
  const row = r.rows[0] as { lines: number; mark: number };
  return { lines: Number(row.lines), mark: Number(row.mark) };
}

/** Sets counts of sheet lines; returns each changed line's count before and after. */
export async function updateCounts(
  trx: Transaction<DB>,
  documentId: number,
  counts: readonly { lineId: number; countedQty: string | null }[],
  mark: number,
  userId: number | null,
): Promise<{ id: number; before: string | null; after: string | null }[]> {
  if (!counts.length) return [];
  const r = await sql<{ id: number; before: string | null; after: string | null }>`
    with t as (
      select * from unnest(${counts.map((c) => c.lineId)}::int[], ${counts.map((c) => c.countedQty)}::numeric[]) as t(id, q)
    ),
    old as (
      select s.id, s.counted_qty from stocktake_line s join t on t.id = s.id
       where s.document_id = ${documentId} for update of s
    )
    update stocktake_line s
       set counted_qty = t.q,
           count_ledger_id = case when t.q is null then null else ${mark}::bigint end,
           counted_by = case when t.q is null then null else ${userId}::int end,
           counted_at = case when t.q is null then null else now() end
      from t, old
     where s.id = t.id and old.id = t.id
    returning s.id, old.counted_qty as before, s.counted_qty as after`.execute(trx);
  return r.rows;
}

export interface ExtraCount {
  warehouseId: number;
  productId: number;
  batchNo: string;
  lotNo: string;
  expiryDate: string | null;
  shelfId: number;
  status: string;
  countedQty: string;
}

/**
 * Counts of keys entered by hand (blind). A key already on the stocktake gets the count; a new key becomes
 * a 'blind' line whose book at the snapshot is reconstructed exactly: the balance now minus the ledger
 * moves of that key after the snapshot (the cost rows are locked, so "now" is stable).
 */
export async function upsertExtraCounts(
  trx: Transaction<DB>,
  documentId: number,
  snapshotLedgerId: number,
  extras: readonly ExtraCount[],
  mark: number,
  userId: number | null,
): Promise<{ id: number; inserted: boolean; before: string | null; after: string }[]> {
  if (!extras.length) return [];
  const r = await sql<{ id: number; inserted: boolean; before: string | null; after: string }>`
    with t as (
      select * from unnest(${extras.map((e) => e.warehouseId)}::int[], ${extras.map((e) => e.productId)}::int[],
                           ${extras.map((e) => e.batchNo)}::text[], ${extras.map((e) => e.lotNo)}::text[],
                           ${extras.map((e) => e.expiryDate)}::date[], ${extras.map((e) => e.shelfId)}::int[],
                           ${extras.map((e) => e.status)}::text[], ${extras.map((e) => e.countedQty)}::numeric[])
             with ordinality as t(w, p, b, l, e, s, st, q, ord)
    ),
    old as (
      select x.id, x.warehouse_id, x.product_id, x.batch_no, x.lot_no, x.shelf_id, x.status, x.counted_qty
        from stocktake_line x
        join t on (t.w, t.p, t.b, t.l, t.s, t.st) = (x.warehouse_id, x.product_id, x.batch_no, x.lot_no, x.shelf_id, x.status)
       where x.document_id = ${documentId}
    ),
    n as (select coalesce(max(line_no), 0) as n from stocktake_line where document_id = ${documentId}),
    up as (
      insert into stocktake_line (document_id, line_no, origin, warehouse_id, product_id, batch_no, lot_no, expiry_date,
                                  shelf_id, status, book_qty, counted_qty, count_ledger_id, counted_by, counted_at)
      select ${documentId}::int, n.n + t.ord, 'blind', t.w, t.p, t.b, t.l, coalesce(t.e, bal.expiry_date), t.s, t.st,
             coalesce(bal.qty, 0) - coalesce((
               select sum(g.qty) from stock_ledger g
                where g.warehouse_id = t.w and g.product_id = t.p and g.batch_no = t.b and g.lot_no = t.l
                  and g.shelf_id = t.s and g.status = t.st and g.id > ${snapshotLedgerId}::bigint), 0),
             t.q, ${mark}::bigint, ${userId}::int, now()
        from t cross join n
        left join stock_balance bal
          on (bal.warehouse_id, bal.product_id, bal.batch_no, bal.lot_no, bal.shelf_id, bal.status) = (t.w, t.p, t.b, t.l, t.s, t.st)
      on conflict (document_id, warehouse_id, product_id, batch_no, lot_no, shelf_id, status) do update
        set counted_qty = excluded.counted_qty, count_ledger_id = excluded.count_ledger_id,
            counted_by = excluded.counted_by, counted_at = excluded.counted_at
      returning id, warehouse_id, product_id, batch_no, lot_no, shelf_id, status, counted_qty
    )
    select up.id, old.id is null as inserted, old.counted_qty as before, up.counted_qty as after
      from up left join old
        on (old.warehouse_id, old.product_id, old.batch_no, old.lot_no, old.shelf_id, old.status)
         = (up.warehouse_id, up.product_id, up.batch_no, up.lot_no, up.shelf_id, up.status)`.execute(trx);
  return r.rows;
}

/**
 * 盘点表过账: for every line, book at count = book at snapshot + net ledger moves of its key between the
 * snapshot and the line's count mark (uncounted lines: the posting's mark); variance = counted − that book,
 * valued at the batch cost when the batch is known, else the moving average. One statement.
 */
export async function computeVariance(
  trx: Transaction<DB>,
  documentId: number,
  snapshotLedgerId: number,
  postMark: number,
  uncountedAs: 'zero' | 'book',
): Promise<void> {
  await sql`
    update stocktake_line sl
       set moved_qty = x.moved,
           book_at_count = x.book,
           variance_qty = x.counted - x.book,
           unit_cost = x.cost,
           variance_amount = round((x.counted - x.book) * x.cost, 2)
      from (
        select y.id, y.moved, y.book, y.cost,
               coalesce(y.counted_qty, case when ${uncountedAs}::text = 'book' then y.book else 0 end) as counted
          from (
            select s.id, s.counted_qty, coalesce(m.moved, 0) as moved, s.book_qty + coalesce(m.moved, 0) as book,
                   coalesce(b.unit_cost, c.avg_cost, 0) as cost
              from stocktake_line s
              -- Moves after the snapshot are few next to the sheet: read them once (an id range of the
              -- ledger) and hash-join them to the lines by key, each line up to its own count mark.
              left join (
                select s2.id, sum(l.qty) as moved
                  from stocktake_line s2
                  join stock_ledger l
                    on l.warehouse_id = s2.warehouse_id and l.product_id = s2.product_id and l.batch_no = s2.batch_no
                   and l.lot_no = s2.lot_no and l.shelf_id = s2.shelf_id and l.status = s2.status
                   and l.id <= coalesce(s2.count_ledger_id, ${postMark}::bigint)
                 where s2.document_id = ${documentId} and l.id > ${snapshotLedgerId}::bigint
                 group by s2.id
              ) m on m.id = s.id
              left join stock_batch b on s.batch_no <> '' and b.product_id = s.product_id and b.batch_no = s.batch_no
              left join stock_cost c on c.warehouse_id = s.warehouse_id and c.product_id = s.product_id
             where s.document_id = ${documentId}
          ) y
      ) x
     where sl.id = x.id`.execute(trx);
  await sql`
    update stocktake st
       set surplus_qty = t.sq, surplus_amount = t.sa, shortage_qty = t.hq, shortage_amount = t.ha
      from (select coalesce(sum(variance_qty) filter (where variance_qty > 0), 0) as sq,
                   coalesce(sum(variance_amount) filter (where variance_qty > 0), 0) as sa,
                   coalesce(-sum(variance_qty) filter (where variance_qty < 0), 0) as hq,
                   coalesce(-sum(variance_amount) filter (where variance_qty < 0), 0) as ha
              from stocktake_line where document_id = ${documentId}) t
     where st.document_id = ${documentId}`.execute(trx);
}

export async function clearVariance(trx: Transaction<DB>, documentId: number): Promise<void> {
  await trx
    .updateTable('stocktake_line')
    .set({ moved_qty: null, book_at_count: null, variance_qty: null, unit_cost: null, variance_amount: null })
    .where('document_id', '=', documentId)
    .execute();
  await trx
    .updateTable('stocktake')
    .set({ surplus_qty: null, surplus_amount: null, shortage_qty: null, shortage_amount: null })
    .where('document_id', '=', documentId)
    .execute();
}

export async function findStocktake(
  trx: Transaction<DB>,
  documentId: number,
  opts: { forUpdate?: boolean } = {},
): Promise<StocktakeRow | undefined> {
  let q = trx.selectFrom('stocktake').selectAll().where('document_id', '=', documentId);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}
