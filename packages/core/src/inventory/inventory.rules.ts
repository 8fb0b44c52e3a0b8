import { COST_PLACES, Dec, type DecimalInput, dec } from '@erp/contracts';

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
