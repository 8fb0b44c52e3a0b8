import type { VarianceTotals } from '@erp/contracts';
import { COST_PLACES, Dec, type DecimalInput, dec, MONEY_PLACES, QTY_PLACES } from '@erp/contracts';

export interface CostState {
  qty: Dec;
  avgCost: Dec;
}

/**
 * Moving-average cost after an inbound of `qty` at `unitCost` (INV-2). When the stock on hand is zero or
 * negative the new average is simply the inbound cost: there is no meaningful value to average with.
 */
export function applyInbound(state: CostState, qty: DecimalInput, unitCost: DecimalInput): CostState {
  const q = dec(qty);
  const c = dec(unitCost);
  const newQty = state.qty.plus(q);
  if (state.qty.lessThanOrEqualTo(0) || newQty.lessThanOrEqualTo(0)) return { qty: newQty, avgCost: c };
  const value = state.qty.times(state.avgCost).plus(q.times(c));
  return { qty: newQty, avgCost: value.dividedBy(newQty).toDecimalPlaces(COST_PLACES, Dec.ROUND_HALF_UP) };
}

/**
 * After an outbound of `qty` (positive number) at `unitCost`. Taken out at the average, the average does
 * not move; taken out at a batch cost that differs, the remaining value is re-averaged.
 */
export function applyOutbound(state: CostState, qty: DecimalInput, unitCost: DecimalInput): CostState {
  const q = dec(qty);
  const c = dec(unitCost);
  const newQty = state.qty.minus(q);
  if (c.equals(state.avgCost) || newQty.lessThanOrEqualTo(0) || state.qty.lessThanOrEqualTo(0)) {
    return { qty: newQty, avgCost: state.avgCost };
  }
  const value = state.qty.times(state.avgCost).minus(q.times(c));
  const avg = value.dividedBy(newQty).toDecimalPlaces(COST_PLACES, Dec.ROUND_HALF_UP);
  return { qty: newQty, avgCost: avg.isNegative() ? new Dec(0) : avg };
}

// ---- stock keys and adjustments (INV-6, INV-7)

/** Where a quantity of stock sits: the full balance key plus the expiry that travels with it. */
export interface StockKey {
  warehouseId: number;
  productId: number;
  batchNo: string;
  lotNo: string;
  /** 0 = no shelf. */
  shelfId: number;
  status: 'sellable' | 'unsellable' | 'pending_check';
}

export function sameStockKey(a: StockKey, b: StockKey): boolean {
  return (
    a.warehouseId === b.warehouseId &&
    a.productId === b.productId &&
    a.batchNo === b.batchNo &&
    a.lotNo === b.lotNo &&
    a.shelfId === b.shelfId &&
    a.status === b.status
  );
}

export interface KeyChange {
  warehouseId?: number;
  batchNo?: string | undefined;
  lotNo?: string | undefined;
  shelfId?: number | null | undefined;
  stockStatus?: StockKey['status'] | undefined;
}

/** The key stock moves to: the source with the changed fields replaced (a null shelf = no shelf). */
export function targetKey(source: StockKey, change: KeyChange): StockKey {
  return {
    warehouseId: change.warehouseId ?? source.warehouseId,
    productId: source.productId,
    batchNo: change.batchNo ?? source.batchNo,
    lotNo: change.lotNo ?? source.lotNo,
    shelfId: change.shelfId === undefined ? source.shelfId : (change.shelfId ?? 0),
    status: change.stockStatus ?? source.status,
  };
}

// ---- costing of loss/overage (INV-4)

export type CostMode = 'auto' | 'manual';

/** A line's cost mode: its own, else the document's, else automatic (batch cost or moving average). */
export function resolveCostMode(headerMode: CostMode | undefined, lineMode: CostMode | undefined): CostMode {
  return lineMode ?? headerMode ?? 'auto';
}

/** Which cost an automatic valuation uses: the batch's own cost when the batch is known, else the average. */
export function autoUnitCost(batchCost: DecimalInput | null | undefined, avgCost: DecimalInput | null | undefined): Dec {
  if (batchCost !== null && batchCost !== undefined) return dec(batchCost);
  return dec(avgCost ?? 0);
}

// ---- stocktake variance (INV-5)

/**
 * The book quantity at the moment a line was counted: the snapshot taken when the sheet was made plus the
 * net ledger moves of that key between the snapshot and the count. Sales rung up while the shelf was being
 * counted therefore do not show up as a shortage.
 */
export function bookAtCount(snapshotQty: DecimalInput, movedSinceSnapshot: DecimalInput): Dec {
  return dec(snapshotQty).plus(movedSinceSnapshot);
}

/** counted − book at count: positive is a surplus (盘盈), negative a shortage (盘亏). */
export function varianceOf(counted: DecimalInput, bookAtCountQty: DecimalInput): Dec {
  return dec(counted).minus(bookAtCountQty);
}

export type { VarianceTotals } from '@erp/contracts';

/** Surplus and shortage summed apart (quantities to 3 places, amounts to 2; shortages as positive numbers). */
export function varianceTotals(lines: readonly { varianceQty: DecimalInput; varianceAmount: DecimalInput }[]): VarianceTotals {
  let sq = dec(0);
  let sa = dec(0);
  let hq = dec(0);
  let ha = dec(0);
  let sl = 0;
  let hl = 0;
  for (const l of lines) {
    const q = dec(l.varianceQty);
    if (q.greaterThan(0)) {
      sq = sq.plus(q);
      sa = sa.plus(l.varianceAmount);
      sl++;
    } else if (q.lessThan(0)) {
      hq = hq.minus(q);
      ha = ha.minus(l.varianceAmount);
      hl++;
    }
  }
  return {
    surplusQty: sq.toFixed(QTY_PLACES),
    surplusAmount: sa.toFixed(MONEY_PLACES),
    shortageQty: hq.toFixed(QTY_PLACES),
    shortageAmount: ha.toFixed(MONEY_PLACES),
    surplusLines: sl,
    shortageLines: hl,
  };
}

/** Whole days from `today` to `expiry` ('YYYY-MM-DD'); negative when already expired. */
export function daysUntil(expiry: string, today: string): number {
  const ms = Date.parse(`${expiry}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`);
  return Math.round(ms / 86_400_000);
}

/** Splits `items` into chunks of at most `size` (documents are capped at a few thousand lines). */
export function splitIntoChunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
