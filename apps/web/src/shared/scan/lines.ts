import { dec, qty } from '@erp/contracts';
import type { ScanHit } from './lookup';

/** The part of a grid line scanning cares about. */
export interface ScannableLine {
  productId?: number | undefined;
  unitId?: number | null | undefined;
}

/** Base units per unit of the line, from the scanned product's pack units (null = base unit). */
export function factorOf(hit: ScanHit, unitId: number | null | undefined): string | null {
  if (unitId === null || unitId === undefined) return '1';
  return hit.product.units.find((u) => u.unitId === unitId)?.factor ?? null;
}

/**
 * What one scan adds to a line kept in `unitId`: the scanned amount converted to the line's unit, or null when
 * it does not convert exactly (a single bottle scanned onto a line counted in cases), so the caller adds a new
 * line in the scanned unit instead of a rounded quantity.
 */
export function scannedQtyIn(hit: ScanHit, unitId: number | null | undefined): string | null {
  const factor = factorOf(hit, unitId);
  if (factor === null) return null;
  const q = dec(hit.baseQty).dividedBy(factor);
  return q.decimalPlaces() <= 3 ? qty(q) : null;
}

/** A typed quantity as a decimal; empty or unreadable counts as 0. */
export function decOrZero(v: unknown) {
  if (v === null || v === undefined || v === '') return dec(0);
  try {
    return dec(String(v).trim());
  } catch {
    return dec(0);
  }
}

export interface ScanApplied<L> {
  lines: L[];
  /** Index of the line the scan went to. */
  index: number;
  /** A new line was appended (else an existing one was incremented). */
  added: boolean;
}

/**
 * Adds a scan to a list of grid lines: the first line of the product whose unit takes the amount exactly (and
 * that `match` accepts) is incremented in `field`; otherwise `newLine` is appended. Pure: returns new lines.
 */
export function applyScan<L extends ScannableLine>(
  lines: readonly L[],
  hit: ScanHit,
  opts: {
    field: keyof L & string;
    newLine: (hit: ScanHit) => L;
    match?: (line: L) => boolean;
  },
): ScanApplied<L> {
  for (const [i, l] of lines.entries()) {
    if (l.productId !== hit.product.id || (opts.match && !opts.match(l))) continue;
    const add = scannedQtyIn(hit, l.unitId);
    if (add === null) continue;
    // As a person would type it: "2", not "2.000".
    const updated = { ...l, [opts.field]: dec(qty(decOrZero(l[opts.field]).plus(add))).toFixed() } as L;
    const out = [...lines];
    out[i] = updated;
    return { lines: out, index: i, added: false };
  }
  return { lines: [...lines, opts.newLine(hit)], index: lines.length, added: true };
}
