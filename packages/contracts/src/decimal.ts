import Decimal from 'decimal.js';

/**
 * Exact decimal arithmetic for money and quantities. Amounts travel as strings on the wire and as
 * `numeric` in the database; never as JavaScript floats.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;
export type DecimalInput = Decimal.Value;

export const MONEY_PLACES = 2;
export const COST_PLACES = 4;
export const QTY_PLACES = 3;

export function dec(v: DecimalInput): Decimal {
  return new Dec(v);
}

export function money(v: DecimalInput): string {
  return new Dec(v).toDecimalPlaces(MONEY_PLACES, Decimal.ROUND_HALF_UP).toFixed(MONEY_PLACES);
}

export function cost(v: DecimalInput): string {
  return new Dec(v).toDecimalPlaces(COST_PLACES, Decimal.ROUND_HALF_UP).toFixed(COST_PLACES);
}

export function qty(v: DecimalInput): string {
  return new Dec(v).toDecimalPlaces(QTY_PLACES, Decimal.ROUND_HALF_UP).toFixed(QTY_PLACES);
}

export function sum(values: Iterable<DecimalInput>): Decimal {
  let total = new Dec(0);
  for (const v of values) total = total.plus(v);
  return total;
}

/**
 * Split `total` into parts proportional to `weights`, each rounded to `places`, so that the parts sum
 * exactly to `total` (largest-remainder method; ties go to the earlier part). Used for whole-sale
 * discounts, freight and any other header amount spread over lines.
 */
export function allocate(total: DecimalInput, weights: readonly DecimalInput[], places = MONEY_PLACES): string[] {
  const t = new Dec(total);
  if (weights.length === 0) {
    if (!t.isZero()) throw new RangeError('cannot allocate a non-zero total over no weights');
    return [];
  }
  const w = weights.map((x) => new Dec(x));
  if (w.some((x) => x.isNegative())) throw new RangeError('allocation weights must not be negative');
  let weightSum = sum(w);
  // With all-zero weights spread evenly.
  const effective = weightSum.isZero() ? w.map(() => new Dec(1)) : w;
  if (weightSum.isZero()) weightSum = new Dec(w.length);
  const unit = new Dec(1).dividedBy(new Dec(10).pow(places));
  const sign = t.isNegative() ? -1 : 1;
  const abs = t.abs();
  const exact = effective.map((x) => abs.times(x).dividedBy(weightSum));
  const floors = exact.map((x) => x.toDecimalPlaces(places, Decimal.ROUND_DOWN));
  let remainder = abs.minus(sum(floors));
  const order = exact
    .map((x, i) => ({ i, frac: x.minus(floors[i] as Decimal) }))
    .sort((a, b) => b.frac.comparedTo(a.frac) || a.i - b.i);
  const parts = [...floors];
  for (const { i } of order) {
    if (remainder.lessThan(unit)) break;
    parts[i] = (parts[i] as Decimal).plus(unit);
    remainder = remainder.minus(unit);
  }
  return parts.map((p) => p.times(sign).toFixed(places));
}
