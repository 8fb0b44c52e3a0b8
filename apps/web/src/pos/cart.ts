import {
  dec,
  money,
  NO_ROUNDING,
  PricingError,
  type PricingResult,
  priceSale,
  type RoundingRule,
  roundPayable,
  sum,
} from '@erp/contracts';
import type { Cart, CartLine, TenderEntry } from './db';

/**
 * The sale being rung up, as pure functions: the same pricing pipeline the server runs (priceSale from
 * @erp/contracts), so the till's totals are the server's totals to the cent, offline too.
 */

export function newCart(): Cart {
  return {
    clientId: crypto.randomUUID(),
    receiptNo: null,
    lines: [],
    saleDiscount: null,
    authorizationId: null,
    offlineAuthorization: null,
    memberId: null,
    startedAt: new Date().toISOString(),
    postedAs: null,
  };
}

let lineKeySeed = Date.now();
export function nextLineKey(): number {
  lineKeySeed += 1;
  return lineKeySeed;
}

/** Adds a line, or one more of the last identical line (same product, price and lot, no discount, not weighed). */
export function addLine(cart: Cart, line: Omit<CartLine, 'key'>): { cart: Cart; key: number } {
  const last = cart.lines[cart.lines.length - 1];
  if (
    last &&
    !line.weighed &&
    !last.weighed &&
    !last.discount &&
    last.productId === line.productId &&
    (last.lotNo ?? '') === (line.lotNo ?? '') &&
    dec(last.unitPrice).equals(line.unitPrice)
  ) {
    const merged = { ...last, qty: dec(last.qty).plus(line.qty).toFixed(3) };
    return { cart: { ...cart, lines: [...cart.lines.slice(0, -1), merged] }, key: last.key };
  }
  const key = nextLineKey();
  return { cart: { ...cart, lines: [...cart.lines, { ...line, key }] }, key };
}

/** A line as the server's sale takes it (checkout, upload, temporary and held sales): the till's price and lot. */
export function saleLineBody(l: CartLine) {
  return {
    productId: l.productId,
    qty: dec(l.qty).toFixed(3),
    unitPrice: l.unitPrice,
    ...(l.discount ? { discount: l.discount } : {}),
    ...(l.barcode ? { barcode: l.barcode } : {}),
    ...(l.lotNo ? { lotNo: l.lotNo } : {}),
  };
}

export function updateLine(cart: Cart, key: number, patch: Partial<CartLine>): Cart {
  return { ...cart, lines: cart.lines.map((l) => (l.key === key ? { ...l, ...patch } : l)) };
}

export function removeLine(cart: Cart, key: number): Cart {
  return { ...cart, lines: cart.lines.filter((l) => l.key !== key) };
}

export interface CartTotals {
  result: PricingResult | null;
  /** Why the pipeline refused (an impossible discount), or null. */
  error: string | null;
  gross: string;
  discount: string;
  rounding: string;
  total: string;
  /** The highest manual discount in percent (line or whole sale), for the cashier's limit (AUTH-4). */
  manualPercent: string;
  itemCount: string;
}

export function priceCart(cart: Cart, rounding: RoundingRule = NO_ROUNDING, storeId = 0): CartTotals {
  const itemCount = money(sum(cart.lines.map((l) => (l.weighed ? '1' : l.qty)))).replace(/\.00$/, '');
  if (!cart.lines.length) {
    return {
      result: null,
      error: null,
      gross: '0.00',
      discount: '0.00',
      rounding: '0.00',
      total: '0.00',
      manualPercent: '0',
      itemCount: '0',
    };
  }
  try {
    const result = priceSale(
      {
        lines: cart.lines.map((l, i) => ({
          key: i + 1,
          productId: l.productId,
          qty: l.qty,
          basePrice: l.unitPrice,
          discount: l.discount ?? null,
        })),
        saleDiscount: cart.saleDiscount,
        rounding,
      },
      { storeId, priceType: 'retail', memberId: cart.memberId, at: new Date().toISOString() },
    );
    const rate = dec(result.maxLineManualRate).greaterThan(result.manualRate) ? result.maxLineManualRate : result.manualRate;
    return {
      result,
      error: null,
      gross: result.gross,
      discount: money(dec(result.strategyDiscount).plus(result.lineDiscount).plus(result.saleDiscount)),
      rounding: result.rounding,
      total: result.total,
      manualPercent: dec(rate).times(100).toDecimalPlaces(2).toString(),
      itemCount,
    };
  } catch (e) {
    const reason = e instanceof PricingError ? e.reason : 'invalid';
    const gross = money(sum(cart.lines.map((l) => money(dec(l.qty).times(l.unitPrice)))));
    return {
      result: null,
      error: reason,
      gross,
      discount: '0.00',
      rounding: '0.00',
      total: gross,
      manualPercent: '0',
      itemCount,
    };
  }
}

/** What the tenders so far cover, what is left, and the change (only cash gives change). */
export function tenderState(total: string, tenders: readonly TenderEntry[]) {
  const paid = sum(tenders.map((t) => t.amount));
  const left = dec(total).minus(paid);
  // decimal.js counts zero as positive: compare with 0 instead.
  return {
    paid: money(paid),
    remaining: money(left.greaterThan(0) ? left : 0),
    change: money(left.lessThan(0) ? left.negated() : 0),
    settled: left.lessThanOrEqualTo(0),
  };
}

/** 抹零 preview for the cash key: what the customer pays under the store's rule. */
export function payable(total: string, rounding: RoundingRule): string {
  return roundPayable(total, rounding);
}

/** Notes a cashier is likely to be handed for `due`: the exact amount and the next round notes. */
export function quickCash(due: string): string[] {
  const d = dec(due);
  if (d.lessThanOrEqualTo(0)) return [];
  const out = new Set<string>([money(d)]);
  for (const note of [1, 5, 10, 20, 50, 100]) {
    const n = d.dividedBy(note).toDecimalPlaces(0, 2 /* ROUND_CEIL */).times(note);
    if (n.greaterThan(d)) out.add(money(n));
    if (out.size >= 5) break;
  }
  return [...out].slice(0, 5);
}
