import { COST_PLACES, type Dec, DomainError, dec, QTY_PLACES } from '@erp/contracts';
import { sql } from '@erp/db';
import type { Ctx } from '../platform/context.js';
import {
  type BalanceKey,
  balanceKeyString,
  compareBalanceKeys,
  type PostedMove,
  STOCK_STATUSES,
  type StockMove,
  type StockSource,
  type StockStatus,
} from './inventory.models.js';
import { applyInbound, applyOutbound, type CostState } from './inventory.rules.js';

interface NormalizedMove extends BalanceKey {
  index: number;
  qty: Dec;
  status: StockStatus;
  unitCost: Dec | null;
  costFromMove: number | undefined;
  expiryDate: string | null;
  sourceLineId: number | null;
}

function invalid(reason: string): DomainError {
  return new DomainError('STOCK_MOVE_INVALID', { reason });
}

function normalize(moves: readonly StockMove[]): NormalizedMove[] {
  return moves.map((m, index) => {
    let qty: Dec;
    try {
      qty = dec(m.qty);
    } catch {
      throw invalid(`qty "${String(m.qty)}"`);
    }
    if (qty.isZero() || !qty.isFinite()) throw invalid(`move ${index}: quantity must be non-zero`);
    if (qty.decimalPlaces() > QTY_PLACES) throw invalid(`move ${index}: at most ${QTY_PLACES} decimal places`);
    const status = m.status ?? 'sellable';
    if (!STOCK_STATUSES.includes(status)) throw invalid(`move ${index}: status ${status}`);
    const unitCost = m.unitCost === undefined || m.unitCost === null ? null : dec(m.unitCost);
    if (unitCost?.isNegative()) throw invalid(`move ${index}: negative cost`);
    if (m.costFromMove !== undefined) {
      const from = moves[m.costFromMove];
      if (!from || m.costFromMove === index || dec(from.qty).isPositive()) {
        throw invalid(`move ${index}: costFromMove must point at an outbound move`);
      }
    }
    return {
      index,
      warehouseId: m.warehouseId,
      productId: m.productId,
      batchNo: m.batchNo ?? '',
      lotNo: m.lotNo ?? '',
      shelfId: m.shelfId ?? 0,
      status,
      qty,
      unitCost: unitCost ? unitCost.toDecimalPlaces(COST_PLACES) : null,
      costFromMove: m.costFromMove,
      expiryDate: m.expiryDate ?? null,
      sourceLineId: m.sourceLineId ?? null,
    };
  });
}

interface CostRow {
  warehouse_id: number;
  product_id: number;
  qty: string;
  avg_cost: string;
  org_id: number;
  active: boolean;
  allow_negative: boolean;
  warehouse_code: string;
}

interface BalanceRow {
  warehouse_id: number;
  product_id: number;
  batch_no: string;
  lot_no: string;
  shelf_id: number;
  status: string;
  qty: string;
}

const pairKey = (w: number, p: number) => `${w}|${p}`;

/**
 * The one way stock changes (INV-1, INV-2). Appends immutable ledger rows and updates balances and
 * moving-average costs in the caller's transaction:
 *   1. lock the (warehouse, product) cost rows in key order and read the warehouses' negative-stock policy;
 *   2. compute each move's unit cost (batch cost, given cost, or moving average) and the new averages;
 *   3. one statement: balance upserts (in key order), cost updates and ledger inserts.
 * A balance that would go below zero where the store forbids it raises INSUFFICIENT_STOCK; the caller's
 * transaction then rolls back, so no half-posted document is ever left behind.
 */
export async function postStockMoves(ctx: Ctx, source: StockSource, moves: readonly StockMove[]): Promise<PostedMove[]> {
  if (moves.length === 0) return [];
  const normalized = normalize(moves);
  const pairs = [...new Map(normalized.map((m) => [pairKey(m.warehouseId, m.productId), m])).values()]
    .map((m) => ({ w: m.warehouseId, p: m.productId }))
    .sort((a, b) => a.w - b.w || a.p - b.p);

  const costRows = await sql<CostRow>`
    with c as (
      insert into stock_cost (warehouse_id, product_id, qty, avg_cost)
      select w, p, 0, 0 from unnest(${pairs.map((x) => x.w)}::int[], ${pairs.map((x) => x.p)}::int[]) as t(w, p)
      order by w, p
      on conflict (warehouse_id, product_id) do update set qty = stock_cost.qty
      returning warehouse_id, product_id, qty, avg_cost
    )
    select c.*, w.org_id, w.active, w.code as warehouse_code, coalesce(op.allow_negative_stock, false) as allow_negative
      from c join warehouse w on w.id = c.warehouse_id left join org_params op on op.org_id = w.org_id`.execute(ctx.db);
  const costs = new Map<string, CostState>();
  const warehouses = new Map<number, CostRow>();
  for (const r of costRows.rows) {
    costs.set(pairKey(r.warehouse_id, r.product_id), { qty: dec(r.qty), avgCost: dec(r.avg_cost) });
    warehouses.set(r.warehouse_id, r);
  }
  for (const m of normalized) {
    const wh = warehouses.get(m.warehouseId);
    if (!wh) throw new DomainError('NOT_FOUND', { entity: 'warehouse', id: m.warehouseId });
    if (!wh.active) throw new DomainError('WAREHOUSE_INACTIVE', { warehouse: wh.warehouse_code });
  }

  const batchCosts = await loadBatchCosts(ctx, source, normalized);

  // Outbound moves first: an in-leg may take its cost from an out-leg of the same call.
  const unitCosts = new Map<number, Dec>();
  const ordered = [...normalized].sort((a, b) => Number(a.qty.isPositive()) - Number(b.qty.isPositive()) || a.index - b.index);
  for (const m of ordered) {
    const key = pairKey(m.warehouseId, m.productId);
    const state = costs.get(key) as CostState;
    const batchCost = m.batchNo ? batchCosts.get(`${m.productId}|${m.batchNo}`) : undefined;
    const fromMove = m.costFromMove !== undefined ? unitCosts.get(m.costFromMove) : undefined;
    const unitCost = m.unitCost ?? fromMove ?? batchCost ?? state.avgCost;
    unitCosts.set(m.index, unitCost);
    costs.set(key, m.qty.isPositive() ? applyInbound(state, m.qty, unitCost) : applyOutbound(state, m.qty.negated(), unitCost));
  }

  // A relabel into a batch that does not exist yet creates it at the cost the stock carried (INV-6).
  await createBatchesFromMoves(ctx, source, normalized, batchCosts, unitCosts);

  // Net change per balance row, in lock order.
  const deltas = new Map<string, { key: BalanceKey; qty: Dec; expiry: string | null; orgId: number }>();
  for (const m of normalized) {
    const k = balanceKeyString(m);
    const d = deltas.get(k);
    if (d) {
      d.qty = d.qty.plus(m.qty);
      d.expiry ??= m.expiryDate;
    } else {
      deltas.set(k, { key: m, qty: m.qty, expiry: m.expiryDate, orgId: (warehouses.get(m.warehouseId) as CostRow).org_id });
    }
  }
  const balances = [...deltas.values()].filter((d) => !d.qty.isZero()).sort((a, b) => compareBalanceKeys(a.key, b.key));
  const costUpdates = [...costs.entries()].map(([k, s]) => {
    const [w, p] = k.split('|').map(Number) as [number, number];
    return { w, p, qty: s.qty.toFixed(QTY_PLACES), avg: s.avgCost.toFixed(COST_PLACES) };
  });
  const posted: PostedMove[] = normalized.map((m) => {
    const unitCost = unitCosts.get(m.index) as Dec;
    return {
      warehouseId: m.warehouseId,
      productId: m.productId,
      batchNo: m.batchNo,
      lotNo: m.lotNo,
      shelfId: m.shelfId,
      status: m.status,
      qty: m.qty.toFixed(QTY_PLACES),
      unitCost: unitCost.toFixed(COST_PLACES),
      amount: m.qty.times(unitCost).toDecimalPlaces(COST_PLACES).toFixed(COST_PLACES),
      sourceLineId: m.sourceLineId,
    };
  });
  const orgOf = (w: number) => (warehouses.get(w) as CostRow).org_id;

  const result = await sql<BalanceRow>`
    with b as (
      insert into stock_balance (warehouse_id, product_id, batch_no, lot_no, shelf_id, status, org_id, expiry_date, qty)
      select * from unnest(
        ${balances.map((d) => d.key.warehouseId)}::int[], ${balances.map((d) => d.key.productId)}::int[],
        ${balances.map((d) => d.key.batchNo)}::text[], ${balances.map((d) => d.key.lotNo)}::text[],
        ${balances.map((d) => d.key.shelfId)}::int[], ${balances.map((d) => d.key.status)}::text[],
        ${balances.map((d) => d.orgId)}::int[], ${balances.map((d) => d.expiry)}::date[],
        ${balances.map((d) => d.qty.toFixed(QTY_PLACES))}::numeric[]
      ) as t(w, p, b, l, s, st, o, e, q)
      order by w, p, b, l, s, st
      on conflict (warehouse_id, product_id, batch_no, lot_no, shelf_id, status) do update
        set qty = stock_balance.qty + excluded.qty, updated_at = now(),
            expiry_date = coalesce(stock_balance.expiry_date, excluded.expiry_date)
      returning warehouse_id, product_id, batch_no, lot_no, shelf_id, status, qty
    ),
    c as (
      update stock_cost c set qty = t.q, avg_cost = t.a, updated_at = now()
        from unnest(${costUpdates.map((c) => c.w)}::int[], ${costUpdates.map((c) => c.p)}::int[],
                    ${costUpdates.map((c) => c.qty)}::numeric[], ${costUpdates.map((c) => c.avg)}::numeric[]) as t(w, p, q, a)
       where c.warehouse_id = t.w and c.product_id = t.p
      returning 1
    ),
    l as (
      insert into stock_ledger (org_id, warehouse_id, product_id, batch_no, lot_no, expiry_date, shelf_id, status, qty,
                                unit_cost, amount, source_type, source_id, source_line_id, business_date, created_by)
      select t.o, t.w, t.p, t.b, t.l, t.e, t.s, t.st, t.q, t.c, t.a, ${source.type}, ${source.id}, t.sl,
             ${source.businessDate}::date, ${ctx.actor.userId > 0 ? ctx.actor.userId : null}::int
        from unnest(
          ${posted.map((m) => orgOf(m.warehouseId))}::int[], ${posted.map((m) => m.warehouseId)}::int[],
          ${posted.map((m) => m.productId)}::int[], ${posted.map((m) => m.batchNo)}::text[],
          ${posted.map((m) => m.lotNo)}::text[], ${normalized.map((m) => m.expiryDate)}::date[],
          ${posted.map((m) => m.shelfId)}::int[], ${posted.map((m) => m.status)}::text[],
          ${posted.map((m) => m.qty)}::numeric[], ${posted.map((m) => m.unitCost)}::numeric[],
          ${posted.map((m) => m.amount)}::numeric[], ${posted.map((m) => m.sourceLineId)}::bigint[]
        ) as t(o, w, p, b, l, e, s, st, q, c, a, sl)
      returning 1
    )
    select b.*, (select count(*) from c) as costs, (select count(*) from l) as ledger from b`.execute(ctx.db);

  for (const row of result.rows) {
    const key = balanceKeyString({
      warehouseId: row.warehouse_id,
      productId: row.product_id,
      batchNo: row.batch_no,
      lotNo: row.lot_no,
      shelfId: row.shelf_id,
      status: row.status,
    });
    const delta = deltas.get(key);
    if (!delta?.qty.isNegative()) continue;
    const after = dec(row.qty);
    const wh = warehouses.get(row.warehouse_id) as CostRow;
    if (after.isNegative() && !wh.allow_negative) {
      throw new DomainError('INSUFFICIENT_STOCK', {
        productId: row.product_id,
        product: await productCode(ctx, row.product_id),
        warehouseId: row.warehouse_id,
        warehouse: wh.warehouse_code,
        available: after.minus(delta.qty).toFixed(),
        requested: delta.qty.negated().toFixed(),
        batchNo: row.batch_no || null,
      });
    }
  }
  return posted;
}

async function productCode(ctx: Ctx, productId: number): Promise<string> {
  const p = await ctx.db.selectFrom('product').select('code').where('id', '=', productId).executeTakeFirst();
  return p?.code ?? String(productId);
}

/** Costs of the batches the moves name; inbound moves with a cost create their batch if it is new. */
async function loadBatchCosts(ctx: Ctx, source: StockSource, moves: NormalizedMove[]): Promise<Map<string, Dec>> {
  const batchMoves = moves.filter((m) => m.batchNo !== '');
  const out = new Map<string, Dec>();
  if (batchMoves.length === 0) return out;
  const newBatches = [
    ...new Map(
      batchMoves.filter((m) => m.qty.isPositive() && m.unitCost !== null).map((m) => [`${m.productId}|${m.batchNo}`, m]),
    ).values(),
  ];
  if (newBatches.length) {
    await sql`
      insert into stock_batch (product_id, batch_no, lot_no, expiry_date, unit_cost, source_type, source_id)
      select p, b, l, e, c, ${source.type}, ${source.id}
        from unnest(${newBatches.map((m) => m.productId)}::int[], ${newBatches.map((m) => m.batchNo)}::text[],
                    ${newBatches.map((m) => m.lotNo)}::text[], ${newBatches.map((m) => m.expiryDate)}::date[],
                    ${newBatches.map((m) => (m.unitCost as Dec).toFixed(COST_PLACES))}::numeric[]) as t(p, b, l, e, c)
      on conflict (product_id, batch_no) do nothing`.execute(ctx.db);
  }
  const rows = await sql<{ product_id: number; batch_no: string; unit_cost: string }>`
    select product_id, batch_no, unit_cost from stock_batch
     where (product_id, batch_no) in (select * from unnest(${batchMoves.map((m) => m.productId)}::int[],
                                                           ${batchMoves.map((m) => m.batchNo)}::text[]))`.execute(ctx.db);
  for (const r of rows.rows) out.set(`${r.product_id}|${r.batch_no}`, dec(r.unit_cost));
  return out;
}

/** Inbound legs that take their cost from an out-leg (costFromMove) and name a batch that has no row yet. */
async function createBatchesFromMoves(
  ctx: Ctx,
  source: StockSource,
  moves: NormalizedMove[],
  known: Map<string, Dec>,
  unitCosts: Map<number, Dec>,
): Promise<void> {
  const fresh = [
    ...new Map(
      moves
        .filter((m) => m.costFromMove !== undefined && m.batchNo !== '' && m.qty.isPositive())
        .filter((m) => !known.has(`${m.productId}|${m.batchNo}`))
        .map((m) => [`${m.productId}|${m.batchNo}`, m]),
    ).values(),
  ];
  if (!fresh.length) return;
  await sql`
    insert into stock_batch (product_id, batch_no, lot_no, expiry_date, unit_cost, source_type, source_id)
    select p, b, l, e, c, ${source.type}, ${source.id}
      from unnest(${fresh.map((m) => m.productId)}::int[], ${fresh.map((m) => m.batchNo)}::text[],
                  ${fresh.map((m) => m.lotNo)}::text[], ${fresh.map((m) => m.expiryDate)}::date[],
                  ${fresh.map((m) => (unitCosts.get(m.index) as Dec).toFixed(COST_PLACES))}::numeric[]) as t(p, b, l, e, c)
    on conflict (product_id, batch_no) do nothing`.execute(ctx.db);
}
