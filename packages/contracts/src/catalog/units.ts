import { type Dec, type DecimalInput, dec, QTY_PLACES } from '../decimal.js';

/**
 * Pack units (包装单位): a pack unit holds `factor` base units (a case = 24 bottles). Conversion is exact
 * decimal arithmetic; a conversion that would need rounding is refused instead of silently rounded.
 */

/** Quantity in base units of `qty` pack units. Exact: 2.5 cases × 24 = 60 bottles. */
export function toBaseQty(qty: DecimalInput, factor: DecimalInput): string {
  const f = positiveFactor(factor);
  return dec(qty).times(f).toFixed();
}

/**
 * Quantity in pack units of `baseQty` base units, exactly; throws RangeError when the result would need
 * more than `places` decimals (10 bottles are not an exact number of 3-bottle packs).
 */
export function fromBaseQty(baseQty: DecimalInput, factor: DecimalInput, places = QTY_PLACES): string {
  const f = positiveFactor(factor);
  const q = dec(baseQty).dividedBy(f);
  if (q.decimalPlaces() > places || !q.times(f).equals(dec(baseQty))) {
    throw new RangeError(`${dec(baseQty).toFixed()} is not an exact number of units of ${f.toFixed()}`);
  }
  return q.toFixed();
}

/** Whole packs and the base units left over: 50 bottles in cases of 24 = 2 cases + 2 bottles. */
export function splitIntoPacks(baseQty: DecimalInput, factor: DecimalInput): { packs: string; remainder: string } {
  const f = positiveFactor(factor);
  const q = dec(baseQty);
  const packs = q.dividedToIntegerBy(f);
  return { packs: packs.toFixed(), remainder: q.minus(packs.times(f)).toFixed() };
}

/** Converts between two units of one product, both given as factors to the base unit. */
export function convertQty(qty: DecimalInput, fromFactor: DecimalInput, toFactor: DecimalInput, places = QTY_PLACES): string {
  return fromBaseQty(toBaseQty(qty, fromFactor), toFactor, places);
}

/** Requisitions must come in whole multiples of the product's minimum requisition quantity (最小请货数量). */
export function isRequisitionMultiple(qty: DecimalInput, multiple: DecimalInput | null | undefined): boolean {
  if (multiple === null || multiple === undefined) return true;
  const m = dec(multiple);
  if (m.isZero()) return true;
  return dec(qty).modulo(m).isZero();
}

/** The smallest quantity ≥ `qty` that is a whole multiple of `multiple` (rounding a suggestion up). */
export function roundUpToMultiple(qty: DecimalInput, multiple: DecimalInput | null | undefined): string {
  if (multiple === null || multiple === undefined || dec(multiple).isZero()) return dec(qty).toFixed();
  const m = dec(multiple);
  return dec(qty).dividedBy(m).ceil().times(m).toFixed();
}

function positiveFactor(factor: DecimalInput): Dec {
  const f = dec(factor);
  if (!f.isFinite() || !f.gt(0)) throw new RangeError(`conversion factor must be positive, got ${String(factor)}`);
  return f;
}
