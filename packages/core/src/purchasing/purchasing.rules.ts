import { cost, Dec, type DecimalInput, DomainError, dec, money, QTY_PLACES, qty, toBaseQty } from '@erp/contracts';
import type { OwnPurchasingSettings, PurchasingSettings } from './purchasing.models.js';

/**
 * The settings in force at an org: for each setting the closest org up the tree that sets it, else the
 * default. Receipts at a DC must follow a purchase order unless configured otherwise; stores receive
 * without one; no over-receipt tolerance; no self-purchase right until HQ grants it.
 */
export function effectiveSettings(
  chain: readonly OwnPurchasingSettings[],
  orgKind: 'company' | 'hq' | 'dc' | 'retail_centre' | 'store',
): PurchasingSettings {
  const pick = <K extends keyof OwnPurchasingSettings>(k: K): OwnPurchasingSettings[K] | null => {
    for (let i = chain.length - 1; i >= 0; i--) {
      const v = (chain[i] as OwnPurchasingSettings)[k];
      if (v !== null && v !== undefined) return v;
    }
    return null;
  };
  return {
    requirePurchaseOrder: pick('requirePurchaseOrder') ?? orgKind !== 'store',
    overReceiptTolerancePct: dec(pick('overReceiptTolerancePct') ?? '0').toFixed(2),
    selfPurchaseAllowed: pick('selfPurchaseAllowed') ?? false,
  };
}

export interface BaseLine {
  /** Base-unit quantity, 3 places. */
  qty: string;
  /** Base-unit price, 4 places. */
  unitPrice: string;
  /** Line amount, exactly quantity × price as entered, to the cent. */
  amount: string;
  /** What was entered in a pack unit (empty for base-unit lines). */
  attrs: { unitId?: number; unitQty?: string; unitPrice?: string; factor?: string };
}

/**
 * A line entered in a pack unit, in base units: the quantity converts exactly (a conversion that would
 * need rounding is refused), the amount is what the user agreed (packs × pack price) and the base price is
 * that pack price spread over the pack (to the 4 places costs keep).
 */
export function toBaseLine(
  entered: { qty: DecimalInput; unitPrice: DecimalInput; unitId?: number | null },
  factor: string | null,
): BaseLine {
  if (entered.unitId == null || factor === null || dec(factor).equals(1)) {
    const q = qty(entered.qty);
    const p = cost(entered.unitPrice);
    return {
      qty: q,
      unitPrice: p,
      amount: money(dec(q).times(p)),
      attrs: entered.unitId == null ? {} : { unitId: entered.unitId },
    };
  }
  const base = dec(toBaseQty(entered.qty, factor));
  if (base.decimalPlaces() > QTY_PLACES) {
    throw new DomainError('UNIT_CONVERSION_INEXACT', { qty: dec(entered.qty).toFixed(), factor });
  }
  return {
    qty: qty(base),
    unitPrice: cost(dec(entered.unitPrice).dividedBy(factor)),
    amount: money(dec(entered.qty).times(entered.unitPrice)),
    attrs: {
      unitId: entered.unitId,
      unitQty: dec(entered.qty).toFixed(),
      unitPrice: dec(entered.unitPrice).toFixed(),
      factor: dec(factor).toFixed(),
    },
  };
}

/** Base quantity of a quantity entered in a pack unit, exact or refused. */
export function baseQtyOf(entered: DecimalInput, factor: string | null): string {
  if (factor === null) return qty(entered);
  const base = dec(toBaseQty(entered, factor));
  if (base.decimalPlaces() > QTY_PLACES)
    throw new DomainError('UNIT_CONVERSION_INEXACT', { qty: dec(entered).toFixed(), factor });
  return qty(base);
}

/** What is still to come on an order line; never negative (an over-received line has nothing open). */
export function openQty(ordered: DecimalInput, received: DecimalInput): string {
  const open = dec(ordered).minus(received);
  return qty(open.lessThan(0) ? 0 : open);
}

/**
 * The most a receipt may bring in against an order line: the open quantity plus the tolerance on it
 * (PUR-2). Rounded down to the quantity's places, so the limit is never exceeded by rounding.
 */
export function maxReceivable(open: DecimalInput, tolerancePct: DecimalInput): string {
  const o = dec(open);
  if (!o.greaterThan(0)) return qty(0);
  return o.times(dec(100).plus(tolerancePct)).dividedBy(100).toDecimalPlaces(QTY_PLACES, Dec.ROUND_DOWN).toFixed(QTY_PLACES);
}

export interface OverReceipt {
  open: string;
  qty: string;
  max: string;
}

/** The over-receipt of one order line, or null when `now` fits within the open quantity and tolerance. */
export function overReceipt(
  ordered: DecimalInput,
  receivedBefore: DecimalInput,
  now: DecimalInput,
  tolerancePct: DecimalInput,
): OverReceipt | null {
  const open = openQty(ordered, receivedBefore);
  const max = maxReceivable(open, tolerancePct);
  if (dec(now).lessThanOrEqualTo(max)) return null;
  return { open, qty: qty(now), max };
}

/** The acceptance conclusion (验收结论) of a line from what was accepted and refused. */
export function acceptanceConclusion(
  accepted: DecimalInput,
  rejected: DecimalInput,
): 'accepted' | 'partly_rejected' | 'rejected' {
  if (!dec(rejected).greaterThan(0)) return 'accepted';
  return dec(accepted).greaterThan(0) ? 'partly_rejected' : 'rejected';
}

/** What may still go back to the supplier from a received line: received − returned (posted and pending). */
export function returnableQty(received: DecimalInput, returned: DecimalInput): string {
  const r = dec(received).minus(returned);
  return qty(r.lessThan(0) ? 0 : r);
}

/**
 * The batch (批次) a receipt line creates for a batch-tracked product: the document number and line number,
 * unique because document numbers are. A batch carries its receipt cost for later returns and transfers.
 */
export function batchNumberFor(documentNumber: string, lineNo: number): string {
  return `${documentNumber}-${String(lineNo).padStart(3, '0')}`;
}
