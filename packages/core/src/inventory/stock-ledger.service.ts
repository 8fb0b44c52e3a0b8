import { COST_PLACES, type Dec, DomainError, dec, QTY_PLACES } from '@erp/contracts';
import { sql } from '@erp/db';
import type { Ctx } from '../platform/context.js';
import { balanceUpsert } from '../platform/ledger.js';
import {
  type BalanceKey,
  balanceKeyString,
  compareBalanceKeys,
  type PostedMove,
  type PostedPiece,
  type PostOptions,
  STOCK_STATUSES,
  type StockMove,
  type StockSource,
  type StockStatus,
} from './inventory.models.js';
import { applyInbound, applyOutbound, type CostState } from './inventory.rules.js';
import { type BalanceState, pickStock, settleDebts } from './stock-allocation.js';

interface NormalizedMove {
  index: number;
  warehouseId: number;
  productId: number;
  /** null: the allocator chooses (outbound moves that do not name the field). */
  batchNo: string | null;
  lotNo: string | null;
  shelfId: number | null;
  status: StockStatus;
  qty: Dec;
  unitCost: Dec | null;
  costFromMove: number | undefined;
  expiryDate: string | null;
  expiryGiven: boolean;
  preferLotNo: string | null;
  sourceLineId: number | null;
}

/** A quantity under one exact key: what one ledger row records. */
interface Piece extends BalanceKey {
  moveIndex: number;
  qty: Dec;
  expiryDate: string | null;
  role: 'move' | 'debt' | 'settle';
  /** A sale that had to take an expired lot. */
  expired: boolean;
  /** Settlement legs and mirrored in-legs take the cost of this piece. */
  costOf?: Piece;
  unitCost?: Dec;
}

function invalid(reason: string): DomainError {
  return new DomainError('STOCK_MOVE_INVALID', { reason });
}

function normalize(moves: readonly StockMove[], exact: boolean): NormalizedMove[] {
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
      if (!from || m.costFromMove === index || dec(from.qty).isPositive() || qty.isNegative()) {
        throw invalid(`move ${index}: costFromMove must point from an inbound move at an outbound one`);
      }
    }
    // An outbound that leaves a field empty lets the allocator choose it; inbound stock lands where it says.
    const free = !exact && qty.isNegative();
    return {
      index,
      warehouseId: m.warehouseId,
      productId: m.productId,
      batchNo: m.batchNo ? m.batchNo : free ? null : '',
      lotNo: m.lotNo ? m.lotNo : free ? null : '',
      shelfId: m.shelfId !== undefined && m.shelfId !== null ? m.shelfId : free ? null : 0,
      status,
      qty,
      unitCost: unitCost ? unitCost.toDecimalPlaces(COST_PLACES) : null,
      costFromMove: m.costFromMove,
      expiryDate: m.expiryDate ?? null,
      expiryGiven: m.expiryDate !== undefined,
      preferLotNo: m.preferLotNo || null,
      sourceLineId: m.sourceLineId ?? null,
    };
  });
}

interface PairRow {
  warehouse_id: number;
  product_id: number;
  qty: string;
  avg_cost: string;
  org_id: number;
  active: boolean;
  allow_negative: boolean;
  warehouse_code: string;
  fresh: boolean;
  /** [batch, lot, shelf, status, qty, expiry, received at (epoch ms)] of every non-zero balance of the pair. */
  balances: [string, string, number, StockStatus, string, string | null, number][] | null;
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

/** Stock balances as the ledger kit sees them: one row per stock key, the quantity summed from the ledger. */
export const STOCK_BALANCES = {
  entries: 'stock_ledger',
  balances: 'stock_balance',
  keys: ['warehouse_id', 'product_id', 'batch_no', 'lot_no', 'shelf_id', 'status'],
  keyTypes: { batch_no: 'text', lot_no: 'text', status: 'text' },
  values: ['qty'],
} as const;
const BALANCES_OF_PAIR = sql`(select json_agg(json_build_array(b.batch_no, b.lot_no, b.shelf_id, b.status, b.qty::text,
        b.expiry_date::text, (extract(epoch from b.received_at) * 1000)::bigint))
   from stock_balance b where b.warehouse_id = c.warehouse_id and b.product_id = c.product_id and b.qty <> 0)`;

/**
 * Locks the (warehouse, product) cost rows in key order and reads, in the same statement, the pairs'
 * balances and the warehouses' negative-stock policy. The balances come from the statement's snapshot,
 * which predates the lock when the statement had to wait for another posting of the same pair; the cost
 * row's version (bumped by every posting) tells: where the version under the lock is not the one in the
 * snapshot, those pairs' balances are read again, now under the lock. Without contention: one round trip.
 */
async function lockPairs(ctx: Ctx, pairs: { w: number; p: number }[]): Promise<PairRow[]> {
  const ws = pairs.map((x) => x.w);
  const ps = pairs.map((x) => x.p);
  const r = await sql<PairRow>`
    with c as (
      insert into stock_cost (warehouse_id, product_id, qty, avg_cost)
      select w, p, 0, 0 from unnest(${ws}::int[], ${ps}::int[]) as t(w, p)
      order by w, p
      on conflict (warehouse_id, product_id) do update set qty = stock_cost.qty
      returning warehouse_id, product_id, qty, avg_cost, version
    ),
    s as (
      select s.warehouse_id, s.product_id, s.version from stock_cost s
       where (s.warehouse_id, s.product_id) in (select * from unnest(${ws}::int[], ${ps}::int[]))
    )
    select c.warehouse_id, c.product_id, c.qty, c.avg_cost, w.org_id, w.active, w.code as warehouse_code,
           coalesce(op.allow_negative_stock, false) as allow_negative,
           coalesce(s.version, 0) = c.version as fresh,
           ${BALANCES_OF_PAIR} as balances
      from c join warehouse w on w.id = c.warehouse_id left join org_params op on op.org_id = w.org_id
      left join s on s.warehouse_id = c.warehouse_id and s.product_id = c.product_id`.execute(ctx.db);
  const stale = r.rows.filter((x) => !x.fresh);
  if (stale.length) {
    const again = await sql<{ warehouse_id: number; product_id: number; balances: PairRow['balances'] }>`
      select c.warehouse_id, c.product_id, ${BALANCES_OF_PAIR} as balances
        from unnest(${stale.map((x) => x.warehouse_id)}::int[], ${stale.map((x) => x.product_id)}::int[])
             as c(warehouse_id, product_id)`.execute(ctx.db);
    for (const row of again.rows) {
      const target = stale.find((x) => x.warehouse_id === row.warehouse_id && x.product_id === row.product_id);
      if (target) target.balances = row.balances;
    }
  }
  return r.rows;
}

/**
 * The one way stock changes (INV-1, INV-2). Appends immutable ledger rows and updates balances and
 * moving-average costs in the caller's transaction:
 *   1. lock the (warehouse, product) cost rows in key order, reading the pairs' balances (lockPairs);
 *   2. allocate: an outbound that does not name its exact key takes its quantity across batches, lots and
 *      shelves by FEFO (`pickStock`); goods arriving settle keys below zero (`settleDebts`);
 *   3. cost each piece (given cost, the out-leg's, the batch's, or the moving average) and the new averages;
 *   4. one statement: balance upserts (in key order), cost updates, ledger rows, stock exceptions.
 * What cannot be taken from stock is refused (INSUFFICIENT_STOCK; the caller's transaction rolls back) —
 * unless the store allows negative stock, or the caller books a fact (`shortage: 'debt'`, a paid sale):
 * then the rest goes below zero and, where the store forbids that, becomes a stock-debt exception.
 */
export async function postStockMoves(
  ctx: Ctx,
  source: StockSource,
  moves: readonly StockMove[],
  opts: PostOptions = {},
): Promise<PostedMove[]> {
  if (moves.length === 0) return [];
  const normalized = normalize(moves, opts.exact === true);
  const pairs = [...new Map(normalized.map((m) => [pairKey(m.warehouseId, m.productId), m])).values()]
    .map((m) => ({ w: m.warehouseId, p: m.productId }))
    .sort((a, b) => a.w - b.w || a.p - b.p);

  const rows = await lockPairs(ctx, pairs);
  const posting: Posting = {
    source,
    opts,
    shortage: opts.shortage ?? 'refuse',
    moves: normalized,
    costs: new Map(),
    warehouses: new Map(),
    balances: new Map(),
    hadDebt: new Set(),
    pieces: [],
  };
  for (const r of rows) {
    const k = pairKey(r.warehouse_id, r.product_id);
    posting.costs.set(k, { qty: dec(r.qty), avgCost: dec(r.avg_cost) });
    posting.warehouses.set(r.warehouse_id, r);
    const states = (r.balances ?? []).map(([batchNo, lotNo, shelfId, status, qty, expiryDate, receivedAt]) => ({
      batchNo,
      lotNo,
      shelfId,
      status,
      qty: dec(qty),
      expiryDate,
      receivedAt: Number(receivedAt),
    }));
    posting.balances.set(k, states);
    if (states.some((b) => b.status === 'sellable' && b.qty.isNegative())) posting.hadDebt.add(k);
  }
  for (const m of normalized) {
    const wh = posting.warehouses.get(m.warehouseId);
    if (!wh) throw new DomainError('NOT_FOUND', { entity: 'warehouse', id: m.warehouseId });
    if (!wh.active) throw new DomainError('WAREHOUSE_INACTIVE', { warehouse: wh.warehouse_code });
  }
  try {
    allocate(posting);
  } catch (e) {
    if (!(e instanceof Shortage)) throw e;
    throw new DomainError('INSUFFICIENT_STOCK', {
      productId: e.move.productId,
      product: await productCode(ctx, e.move.productId),
      warehouseId: e.move.warehouseId,
      warehouse: e.warehouseCode,
      available: e.available.toFixed(),
      requested: e.move.qty.negated().toFixed(),
      batchNo: e.move.batchNo || e.move.lotNo || null,
    });
  }
  const batchCosts = await loadBatchCosts(ctx, posting);
  costPieces(posting, batchCosts);
  await createBatchesFromMirrors(ctx, posting, batchCosts);
  await writePosting(ctx, posting);
  return summarize(posting);
}

interface Posting {
  source: StockSource;
  opts: PostOptions;
  shortage: NonNullable<PostOptions['shortage']>;
  moves: NormalizedMove[];
  costs: Map<string, CostState>;
  warehouses: Map<number, PairRow>;
  /** Per pair, the balances as the allocation leaves them. */
  balances: Map<string, BalanceState[]>;
  /** Pairs that had a sellable key below zero before this posting (open stock debt may resolve). */
  hadDebt: Set<string>;
  pieces: Piece[];
}

class Shortage extends Error {
  constructor(
    readonly move: NormalizedMove,
    readonly available: Dec,
    readonly warehouseCode: string,
  ) {
    super('insufficient stock');
  }
}

function pieceOf(m: NormalizedMove, state: BalanceState, qty: Dec, role: Piece['role'], expired = false): Piece {
  return {
    moveIndex: m.index,
    warehouseId: m.warehouseId,
    productId: m.productId,
    batchNo: state.batchNo,
    lotNo: state.lotNo,
    shelfId: state.shelfId,
    status: state.status,
    qty,
    expiryDate: state.expiryDate,
    role,
    expired,
  };
}

type ExactKey = Omit<BalanceState, 'qty' | 'receivedAt'>;

/** The balance state of an exact key, created (at zero) if the pair has none yet. */
function stateFor(list: BalanceState[], key: ExactKey): BalanceState {
  let s = list.find(
    (b) => b.batchNo === key.batchNo && b.lotNo === key.lotNo && b.shelfId === key.shelfId && b.status === key.status,
  );
  if (!s) {
    s = { ...key, qty: dec(0), receivedAt: Date.now() };
    list.push(s);
  }
  s.expiryDate ??= key.expiryDate;
  return s;
}

const namedKey = (m: NormalizedMove, expiryDate: string | null): ExactKey => ({
  batchNo: m.batchNo ?? '',
  lotNo: m.lotNo ?? '',
  shelfId: m.shelfId ?? 0,
  status: m.status,
  expiryDate,
});

function allocate(posting: Posting): void {
  const { moves, opts, pieces } = posting;
  const outPieces = new Map<number, Piece[]>();
  const policy = { expiredBefore: opts.saleDay ?? null, expiredLast: !!opts.saleDay && !opts.sellExpired };
  // Outbound first, in the order given, each seeing what the previous ones took.
  for (const m of moves.filter((x) => x.qty.isNegative())) {
    const list = posting.balances.get(pairKey(m.warehouseId, m.productId)) as BalanceState[];
    const mine: Piece[] = [];
    const want = m.qty.negated();
    if (opts.exact) {
      const state = stateFor(list, namedKey(m, m.expiryDate));
      state.qty = state.qty.minus(want);
      mine.push(pieceOf(m, state, m.qty, 'move'));
    } else {
      const r = pickStock(
        list,
        { status: m.status, batchNo: m.batchNo, lotNo: m.lotNo, shelfId: m.shelfId, qty: want, preferLotNo: m.preferLotNo },
        policy,
      );
      for (const p of r.picks) mine.push(pieceOf(m, p.state, p.qty.negated(), 'move', p.expired && policy.expiredLast));
      if (r.short.greaterThan(0)) mine.push(shortPiece(posting, m, stateFor(list, namedKey(m, null)), r.short, r.available));
    }
    outPieces.set(m.index, mine);
    pieces.push(...mine);
  }
  // Then inbound: a mirrored in-leg (costFromMove) follows its out-leg piece by piece, keeping each piece's
  // batch, lot, shelf and expiry unless the in-leg changes them; other in-legs land under their own key.
  for (const m of moves.filter((x) => x.qty.isPositive())) {
    const list = posting.balances.get(pairKey(m.warehouseId, m.productId)) as BalanceState[];
    const from = m.costFromMove !== undefined ? moves[m.costFromMove] : undefined;
    const legs: { key: ExactKey; qty: Dec; costOf?: Piece }[] = from
      ? (outPieces.get(from.index) ?? []).map((out) => ({
          key: {
            batchNo: m.batchNo === (from.batchNo ?? '') ? out.batchNo : (m.batchNo ?? ''),
            lotNo: m.lotNo === (from.lotNo ?? '') ? out.lotNo : (m.lotNo ?? ''),
            // A shelf belongs to its warehouse: a move to another warehouse never keeps the source's.
            shelfId: m.warehouseId === from.warehouseId && m.shelfId === (from.shelfId ?? 0) ? out.shelfId : (m.shelfId ?? 0),
            status: m.status,
            expiryDate: m.expiryGiven ? m.expiryDate : out.expiryDate,
          },
          qty: out.qty.negated(),
          costOf: out,
        }))
      : [{ key: namedKey(m, m.expiryDate), qty: m.qty }];
    for (const leg of legs) {
      const state = stateFor(list, leg.key);
      state.qty = state.qty.plus(leg.qty);
      const piece: Piece = { ...pieceOf(m, state, leg.qty, 'move'), expiryDate: leg.key.expiryDate };
      if (leg.costOf) piece.costOf = leg.costOf;
      pieces.push(piece);
      if (opts.exact) continue;
      for (const s of settleDebts(list, state, leg.qty)) {
        pieces.push({ ...pieceOf(m, state, s.qty.negated(), 'settle'), costOf: piece });
        pieces.push({ ...pieceOf(m, s.to, s.qty, 'settle'), costOf: piece });
      }
    }
  }
}

/** What an outbound could not take from stock: refused, or taken below zero (allowed, or a booked fact). */
function shortPiece(posting: Posting, m: NormalizedMove, debtKey: BalanceState, short: Dec, available: Dec): Piece {
  const wh = posting.warehouses.get(m.warehouseId) as PairRow;
  const { shortage } = posting;
  if (shortage === 'never' || (shortage === 'refuse' && !wh.allow_negative)) throw new Shortage(m, available, wh.warehouse_code);
  debtKey.qty = debtKey.qty.minus(short);
  return pieceOf(m, debtKey, short.negated(), shortage === 'debt' && !wh.allow_negative ? 'debt' : 'move');
}

/**
 * Unit cost of every piece: the move's given cost, the out-leg piece's (mirrors, settlements), the batch's,
 * or the moving average; then the new averages. Outbound pieces first, so an in-leg can take its out-leg's
 * cost; settlement legs move stock between keys at the arriving cost and leave the average alone.
 */
function costPieces(posting: Posting, batchCosts: Map<string, Dec>): void {
  // Stable sort: pieces keep their order within a rank.
  const order = [...posting.pieces].sort((a, b) => rankForCost(a) - rankForCost(b));
  for (const p of order) {
    const m = posting.moves[p.moveIndex] as NormalizedMove;
    const key = pairKey(p.warehouseId, p.productId);
    const state = posting.costs.get(key) as CostState;
    if (p.role === 'settle') {
      p.unitCost = p.costOf?.unitCost ?? state.avgCost;
      continue;
    }
    const batchCost = p.batchNo ? batchCosts.get(`${p.productId}|${p.batchNo}`) : undefined;
    const unitCost = m.unitCost ?? p.costOf?.unitCost ?? batchCost ?? state.avgCost;
    p.unitCost = unitCost;
    posting.costs.set(
      key,
      p.qty.isPositive() ? applyInbound(state, p.qty, unitCost) : applyOutbound(state, p.qty.negated(), unitCost),
    );
  }
}

const rankForCost = (p: Piece) => (p.role === 'settle' ? 2 : p.qty.isNegative() ? 0 : 1);

/** Costs of the batches the pieces name; inbound moves with a cost create their batch if it is new. */
async function loadBatchCosts(ctx: Ctx, posting: Posting): Promise<Map<string, Dec>> {
  const named = posting.pieces.filter((p) => p.batchNo !== '');
  const out = new Map<string, Dec>();
  if (named.length === 0) return out;
  const fresh = [
    ...new Map(
      named
        .filter((p) => p.role === 'move' && p.qty.isPositive() && posting.moves[p.moveIndex]?.unitCost)
        .map((p) => [`${p.productId}|${p.batchNo}`, p]),
    ).values(),
  ];
  if (fresh.length) {
    await sql`
      insert into stock_batch (product_id, batch_no, lot_no, expiry_date, unit_cost, source_type, source_id)
      select p, b, l, e, c, ${posting.source.type}, ${posting.source.id}
        from unnest(${fresh.map((p) => p.productId)}::int[], ${fresh.map((p) => p.batchNo)}::text[],
                    ${fresh.map((p) => p.lotNo)}::text[], ${fresh.map((p) => p.expiryDate)}::date[],
                    ${fresh.map((p) => (posting.moves[p.moveIndex] as NormalizedMove).unitCost?.toFixed(COST_PLACES))}::numeric[]) as t(p, b, l, e, c)
      on conflict (product_id, batch_no) do nothing`.execute(ctx.db);
  }
  const rows = await sql<{ product_id: number; batch_no: string; unit_cost: string }>`
    select product_id, batch_no, unit_cost from stock_batch
     where (product_id, batch_no) in (select * from unnest(${named.map((p) => p.productId)}::int[],
                                                           ${named.map((p) => p.batchNo)}::text[]))`.execute(ctx.db);
  for (const r of rows.rows) out.set(`${r.product_id}|${r.batch_no}`, dec(r.unit_cost));
  return out;
}

/** Mirrored in-legs (a relabel) that name a batch with no row yet create it at the cost the stock carried (INV-6). */
async function createBatchesFromMirrors(ctx: Ctx, posting: Posting, known: Map<string, Dec>): Promise<void> {
  const fresh = [
    ...new Map(
      posting.pieces
        .filter((p) => p.costOf && p.role === 'move' && p.batchNo !== '' && !known.has(`${p.productId}|${p.batchNo}`))
        .map((p) => [`${p.productId}|${p.batchNo}`, p]),
    ).values(),
  ];
  if (!fresh.length) return;
  await sql`
    insert into stock_batch (product_id, batch_no, lot_no, expiry_date, unit_cost, source_type, source_id)
    select p, b, l, e, c, ${posting.source.type}, ${posting.source.id}
      from unnest(${fresh.map((p) => p.productId)}::int[], ${fresh.map((p) => p.batchNo)}::text[],
                  ${fresh.map((p) => p.lotNo)}::text[], ${fresh.map((p) => p.expiryDate)}::date[],
                  ${fresh.map((p) => (p.unitCost as Dec).toFixed(COST_PLACES))}::numeric[]) as t(p, b, l, e, c)
    on conflict (product_id, batch_no) do nothing`.execute(ctx.db);
}

/** Balances, costs, ledger rows and stock exceptions in one statement; then the no-negative check. */
async function writePosting(ctx: Ctx, posting: Posting): Promise<void> {
  const { pieces, source, warehouses } = posting;
  const orgOf = (w: number) => (warehouses.get(w) as PairRow).org_id;
  const deltas = new Map<string, { key: BalanceKey; qty: Dec; expiry: string | null; pieces: Piece[] }>();
  for (const p of pieces) {
    const k = balanceKeyString(p);
    const d = deltas.get(k);
    if (d) {
      d.qty = d.qty.plus(p.qty);
      d.expiry ??= p.expiryDate;
      d.pieces.push(p);
    } else deltas.set(k, { key: p, qty: p.qty, expiry: p.expiryDate, pieces: [p] });
  }
  const balances = [...deltas.values()].filter((d) => !d.qty.isZero()).sort((a, b) => compareBalanceKeys(a.key, b.key));
  const costUpdates = [...posting.costs.entries()].map(([k, s]) => {
    const [w, p] = k.split('|').map(Number) as [number, number];
    return { w, p, qty: s.qty.toFixed(QTY_PLACES), avg: s.avgCost.toFixed(COST_PLACES) };
  });
  const amount = (p: Piece) =>
    p.qty
      .times(p.unitCost as Dec)
      .toDecimalPlaces(COST_PLACES)
      .toFixed(COST_PLACES);
  const exceptions = exceptionsOf(posting);
  const resolved = [...posting.hadDebt].filter((k) =>
    (posting.balances.get(k) ?? []).every((b) => b.status !== 'sellable' || !b.qty.isNegative()),
  );
  const userId = ctx.actor.userId > 0 ? ctx.actor.userId : null;
  const exceptionCte = exceptions.length
    ? sql`,
    x as (
      insert into stock_exception (kind, org_id, warehouse_id, product_id, batch_no, lot_no, expiry_date, qty,
                                   source_type, source_id, source_line_id, business_date)
      select t.k, t.o, t.w, t.p, t.b, t.l, t.e, t.q, ${source.type}, ${source.id}, t.sl, ${source.businessDate}::date
        from unnest(${exceptions.map((x) => x.kind)}::text[], ${exceptions.map((x) => orgOf(x.piece.warehouseId))}::int[],
                    ${exceptions.map((x) => x.piece.warehouseId)}::int[], ${exceptions.map((x) => x.piece.productId)}::int[],
                    ${exceptions.map((x) => x.piece.batchNo)}::text[], ${exceptions.map((x) => x.piece.lotNo)}::text[],
                    ${exceptions.map((x) => x.piece.expiryDate)}::date[],
                    ${exceptions.map((x) => x.piece.qty.negated().toFixed(QTY_PLACES))}::numeric[],
                    ${exceptions.map((x) => posting.moves[x.piece.moveIndex]?.sourceLineId ?? null)}::bigint[])
             as t(k, o, w, p, b, l, e, q, sl)
      returning 1
    )`
    : sql``;
  const resolveCte = resolved.length
    ? sql`,
    r as (
      update stock_exception e set status = 'resolved', resolution = 'stock_arrived', resolved_at = now(),
             resolved_by = ${userId}::int, resolved_source_type = ${source.type}, resolved_source_id = ${source.id}
        from unnest(${resolved.map((k) => Number(k.split('|')[0]))}::int[], ${resolved.map((k) => Number(k.split('|')[1]))}::int[]) as t(w, p)
       where e.warehouse_id = t.w and e.product_id = t.p and e.kind = 'stock_debt' and e.status = 'open'
      returning 1
    )`
    : sql``;

  const result = await sql<BalanceRow>`
    with b as (${balanceUpsert(
      STOCK_BALANCES,
      balances.map((d) => ({
        key: {
          warehouse_id: d.key.warehouseId,
          product_id: d.key.productId,
          batch_no: d.key.batchNo,
          lot_no: d.key.lotNo,
          shelf_id: d.key.shelfId,
          status: d.key.status,
        },
        values: { qty: d.qty.toFixed(QTY_PLACES) },
      })),
      {
        columns: ['org_id', 'expiry_date'],
        types: ['int', 'date'],
        rows: balances.map((d) => [orgOf(d.key.warehouseId), d.expiry]),
        onConflict: sql`expiry_date = coalesce(stock_balance.expiry_date, excluded.expiry_date),
            received_at = case when stock_balance.qty <= 0 and excluded.qty > 0 then now() else stock_balance.received_at end`,
      },
    )}),
    c as (
      update stock_cost c set qty = t.q, avg_cost = t.a, version = c.version + 1, updated_at = now()
        from unnest(${costUpdates.map((c) => c.w)}::int[], ${costUpdates.map((c) => c.p)}::int[],
                    ${costUpdates.map((c) => c.qty)}::numeric[], ${costUpdates.map((c) => c.avg)}::numeric[]) as t(w, p, q, a)
       where c.warehouse_id = t.w and c.product_id = t.p
      returning 1
    ),
    l as (
      insert into stock_ledger (org_id, warehouse_id, product_id, batch_no, lot_no, expiry_date, shelf_id, status, qty,
                                unit_cost, amount, source_type, source_id, source_line_id, business_date, created_by)
      select t.o, t.w, t.p, t.b, t.l, t.e, t.s, t.st, t.q, t.c, t.a, ${source.type}, ${source.id}, t.sl,
             ${source.businessDate}::date, ${userId}::int
        from unnest(
          ${pieces.map((p) => orgOf(p.warehouseId))}::int[], ${pieces.map((p) => p.warehouseId)}::int[],
          ${pieces.map((p) => p.productId)}::int[], ${pieces.map((p) => p.batchNo)}::text[],
          ${pieces.map((p) => p.lotNo)}::text[], ${pieces.map((p) => p.expiryDate)}::date[],
          ${pieces.map((p) => p.shelfId)}::int[], ${pieces.map((p) => p.status)}::text[],
          ${pieces.map((p) => p.qty.toFixed(QTY_PLACES))}::numeric[],
          ${pieces.map((p) => (p.unitCost as Dec).toFixed(COST_PLACES))}::numeric[],
          ${pieces.map(amount)}::numeric[], ${pieces.map((p) => posting.moves[p.moveIndex]?.sourceLineId ?? null)}::bigint[]
        ) as t(o, w, p, b, l, e, s, st, q, c, a, sl)
      returning 1
    )${exceptionCte}${resolveCte}
    select b.*, (select count(*) from c) as costs, (select count(*) from l) as ledger from b`.execute(ctx.db);

  // A key taken below zero that the allocation did not mean to (an exact-key posting, or balances changed
  // under us): refused like any shortage, unless the store allows negative stock or the posting books a fact.
  for (const row of result.rows) {
    const delta = deltas.get(
      balanceKeyString({
        ...row,
        warehouseId: row.warehouse_id,
        productId: row.product_id,
        batchNo: row.batch_no,
        lotNo: row.lot_no,
        shelfId: row.shelf_id,
      }),
    );
    if (!delta?.qty.isNegative() || !dec(row.qty).isNegative()) continue;
    if (delta.pieces.some((p) => p.role === 'debt')) continue;
    const wh = warehouses.get(row.warehouse_id) as PairRow;
    if (posting.shortage !== 'never' && (wh.allow_negative || posting.shortage === 'debt')) continue;
    throw new DomainError('INSUFFICIENT_STOCK', {
      productId: row.product_id,
      product: await productCode(ctx, row.product_id),
      warehouseId: row.warehouse_id,
      warehouse: wh.warehouse_code,
      available: dec(row.qty).minus(delta.qty).toFixed(),
      requested: delta.qty.negated().toFixed(),
      batchNo: row.batch_no || row.lot_no || null,
    });
  }
}

/** Stock debt (where the store forbids negative stock) and expired lots a sale had to take. */
function exceptionsOf(posting: Posting): { kind: 'stock_debt' | 'expired_sold'; piece: Piece }[] {
  const out: { kind: 'stock_debt' | 'expired_sold'; piece: Piece }[] = [];
  for (const p of posting.pieces) {
    if (p.role === 'debt') out.push({ kind: 'stock_debt', piece: p });
    else if (p.expired) out.push({ kind: 'expired_sold', piece: p });
  }
  return out;
}

/** One result per move, in the order given: its pieces (one per key) and their total at their costs. */
function summarize(posting: Posting): PostedMove[] {
  const byMove = new Map<number, Piece[]>();
  for (const p of posting.pieces) {
    if (p.role === 'settle') continue;
    const list = byMove.get(p.moveIndex);
    if (list) list.push(p);
    else byMove.set(p.moveIndex, [p]);
  }
  return posting.moves.map((m) => {
    const mine = byMove.get(m.index) ?? [];
    const pieces: PostedPiece[] = mine.map((p) => ({
      batchNo: p.batchNo,
      lotNo: p.lotNo,
      shelfId: p.shelfId,
      status: p.status as StockStatus,
      expiryDate: p.expiryDate,
      qty: p.qty.toFixed(QTY_PLACES),
      unitCost: (p.unitCost as Dec).toFixed(COST_PLACES),
      amount: p.qty
        .times(p.unitCost as Dec)
        .toDecimalPlaces(COST_PLACES)
        .toFixed(COST_PLACES),
      debt: p.role === 'debt',
    }));
    const amount = pieces.reduce((s, p) => s.plus(p.amount), dec(0));
    const first = mine[0] as Piece;
    return {
      warehouseId: m.warehouseId,
      productId: m.productId,
      batchNo: first.batchNo,
      lotNo: first.lotNo,
      shelfId: first.shelfId,
      status: m.status,
      qty: m.qty.toFixed(QTY_PLACES),
      unitCost: amount.dividedBy(m.qty).toDecimalPlaces(COST_PLACES).toFixed(COST_PLACES),
      amount: amount.toFixed(COST_PLACES),
      sourceLineId: m.sourceLineId,
      pieces,
    };
  });
}

async function productCode(ctx: Ctx, productId: number): Promise<string> {
  const p = await ctx.db.selectFrom('product').select('code').where('id', '=', productId).executeTakeFirst();
  return p?.code ?? String(productId);
}

/** What the ledger holds for some sources, per source line and stock key (net quantity and amount). */
export interface LedgerPiece {
  sourceId: number;
  sourceLineId: number | null;
  batchNo: string;
  lotNo: string;
  shelfId: number;
  status: StockStatus;
  expiryDate: string | null;
  qty: string;
  amount: string;
}

/** The ledger's pieces of some sources (e.g. where a sale's lines were taken from, for its return). */
export async function ledgerPiecesOf(
  ctx: Ctx,
  sourceType: StockSource['type'],
  sourceIds: readonly number[],
): Promise<LedgerPiece[]> {
  if (!sourceIds.length) return [];
  const r = await sql<{
    source_id: number;
    source_line_id: number | null;
    batch_no: string;
    lot_no: string;
    shelf_id: number;
    status: StockStatus;
    expiry_date: string | null;
    qty: string;
    amount: string;
    first_id: number;
  }>`
    select source_id, source_line_id, batch_no, lot_no, shelf_id, status, max(expiry_date)::text as expiry_date,
           sum(qty)::text as qty, sum(amount)::text as amount, min(id) as first_id
      from stock_ledger
     where source_type = ${sourceType} and source_id = any(${[...sourceIds]}::bigint[])
     group by source_id, source_line_id, batch_no, lot_no, shelf_id, status
     order by first_id`.execute(ctx.db);
  return r.rows.map((x) => ({
    sourceId: Number(x.source_id),
    sourceLineId: x.source_line_id === null ? null : Number(x.source_line_id),
    batchNo: x.batch_no,
    lotNo: x.lot_no,
    shelfId: x.shelf_id,
    status: x.status,
    expiryDate: x.expiry_date,
    qty: x.qty,
    amount: x.amount,
  }));
}

/** One outbound line to check before it is saved: what it asks for, under the same filters a posting uses. */
export interface AvailabilityAsk {
  warehouseId: number;
  productId: number;
  qty: string;
  batchNo?: string | null | undefined;
  lotNo?: string | null | undefined;
  shelfId?: number | null | undefined;
  status?: StockStatus | undefined;
}

/**
 * What each ask could really take now — the same allocation a posting runs, without locks, the asks of
 * one document adding up — and whether its store may go below zero. A document flags a line beyond it
 * when it is saved, instead of the approver meeting INSUFFICIENT_STOCK at confirm.
 */
export async function availableFor(
  ctx: Ctx,
  asks: readonly AvailabilityAsk[],
): Promise<{ available: string; short: string; negativeAllowed: boolean }[]> {
  if (!asks.length) return [];
  const ws = asks.map((a) => a.warehouseId);
  const ps = asks.map((a) => a.productId);
  const r = await sql<{ warehouse_id: number; product_id: number; allow_negative: boolean; balances: PairRow['balances'] }>`
    select c.warehouse_id, c.product_id, coalesce(op.allow_negative_stock, false) as allow_negative, ${BALANCES_OF_PAIR} as balances
      from (select distinct * from unnest(${ws}::int[], ${ps}::int[]) as t(warehouse_id, product_id)) c
      join warehouse w on w.id = c.warehouse_id left join org_params op on op.org_id = w.org_id`.execute(ctx.db);
  const pairs = new Map(
    r.rows.map((x) => [
      pairKey(x.warehouse_id, x.product_id),
      {
        allow: x.allow_negative,
        states: (x.balances ?? []).map(([batchNo, lotNo, shelfId, status, qty, expiryDate, receivedAt]) => ({
          batchNo,
          lotNo,
          shelfId,
          status,
          qty: dec(qty),
          expiryDate,
          receivedAt: Number(receivedAt),
        })),
      },
    ]),
  );
  return asks.map((a) => {
    const pair = pairs.get(pairKey(a.warehouseId, a.productId));
    const res = pickStock(pair?.states ?? [], {
      status: a.status ?? 'sellable',
      batchNo: a.batchNo || null,
      lotNo: a.lotNo || null,
      shelfId: a.shelfId ?? null,
      qty: dec(a.qty),
    });
    return { available: res.available.toFixed(), short: res.short.toFixed(), negativeAllowed: pair?.allow ?? false };
  });
}
