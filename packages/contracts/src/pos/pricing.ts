import { allocate, type Dec, dec, money, sum } from '../decimal.js';
import type { Bilingual } from '../i18n.js';

/**
 * The till's price step, shared by the till (offline, for instant totals) and the server (which re-runs it
 * to record and check every sale). Pure: no I/O, exact decimals only.
 *
 *   base price (master data: retail, or member when a member is given)
 *     → strategies (automatic: member prices, promotions, …; registered by later modules)
 *     → manual line discounts (percent, amount, price override)
 *     → manual whole-sale discount, allocated to lines exactly
 *     → rounding (抹零), allocated to lines exactly
 *
 * Every line ends with an `amount` such that the lines sum to the sale total to the cent.
 */

export const DISCOUNT_KINDS = ['percent', 'amount', 'price'] as const;
export type DiscountKind = (typeof DISCOUNT_KINDS)[number];
export const SALE_DISCOUNT_KINDS = ['percent', 'amount'] as const;
export type SaleDiscountKind = (typeof SALE_DISCOUNT_KINDS)[number];

export interface ManualDiscount {
  kind: DiscountKind;
  /** percent: 0–100 (e.g. "15" = 15 % off); amount: money off the line; price: the new unit price. */
  value: string;
}

export interface SaleDiscount {
  kind: SaleDiscountKind;
  value: string;
}

export const ROUNDING_UNITS = ['0', '0.1', '1'] as const;
export type RoundingUnit = (typeof ROUNDING_UNITS)[number];
export const ROUNDING_MODES = ['down', 'half_up'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

/** 抹零: payable amounts are rounded to `unit` yuan ('0' = no rounding). */
export interface RoundingRule {
  unit: RoundingUnit;
  mode: RoundingMode;
}

export const NO_ROUNDING: RoundingRule = { unit: '0', mode: 'down' };

export interface PricingLineInput {
  /** The client's line key (line number); kept through the pipeline. */
  key: number;
  productId: number;
  qty: string;
  /** Unit price before any discount: the master-data price for the store and price type. */
  basePrice: string;
  discount?: ManualDiscount | null | undefined;
}

export interface PriceAdjustment {
  /** 'strategy:<code>', 'manual', 'sale', 'rounding'. */
  source: string;
  /** Reduction of the line amount (negative = increase). */
  amount: string;
  label?: Bilingual;
}

export interface PricedLine {
  key: number;
  productId: number;
  qty: string;
  basePrice: string;
  /** qty × base price. */
  gross: string;
  strategyDiscount: string;
  lineDiscount: string;
  saleDiscount: string;
  rounding: string;
  /** What the customer pays for the line: gross − discounts + rounding. */
  amount: string;
  /** Manual discount (line + share of the sale discount) over the line's price after strategies, 0–1. */
  manualRate: string;
  adjustments: PriceAdjustment[];
}

export interface PricingResult {
  lines: PricedLine[];
  gross: string;
  strategyDiscount: string;
  lineDiscount: string;
  saleDiscount: string;
  rounding: string;
  total: string;
  /** Manual discounts over the sale's value after strategies, 0–1. */
  manualRate: string;
  /** The highest manual rate of any single line, 0–1. */
  maxLineManualRate: string;
}

export interface PricingContext {
  storeId: number;
  priceType: 'retail' | 'member';
  memberId?: number | null | undefined;
  at: string;
}

/** What a strategy sees of a line: the amounts so far. */
export interface StrategyLine {
  key: number;
  productId: number;
  qty: string;
  basePrice: string;
  net: string;
}

export interface StrategyResult {
  /** Reductions of single lines. */
  lines?: { key: number; amount: string; label?: Bilingual }[];
  /** Reductions of the whole sale, allocated to lines in proportion to their net amounts. */
  sale?: { amount: string; label?: Bilingual }[];
}

/** An automatic price rule (member price, promotion, combo…). Later modules register theirs; the order matters. */
export interface PriceStrategy {
  code: string;
  apply(lines: readonly StrategyLine[], ctx: PricingContext): StrategyResult;
}

export class PricingError extends Error {
  constructor(
    readonly reason: 'discount_invalid' | 'discount_exceeds_amount' | 'negative_total',
    readonly key?: number,
  ) {
    super(`pricing: ${reason}${key !== undefined ? ` (line ${key})` : ''}`);
    this.name = 'PricingError';
  }
}

/** Rounds a payable amount to the rule's unit (down = toward zero). */
export function roundPayable(total: string, rule: RoundingRule): string {
  const t = dec(total);
  if (rule.unit === '0') return money(t);
  const unit = dec(rule.unit);
  const units = t.dividedBy(unit);
  const rounded = rule.mode === 'down' ? units.toDecimalPlaces(0, 1 /* ROUND_DOWN */) : units.toDecimalPlaces(0, 4 /* HALF_UP */);
  return money(rounded.times(unit));
}

interface Working extends StrategyLine {
  gross: Dec;
  netDec: Dec;
  strategy: Dec;
  manual: Dec;
  sale: Dec;
  rounding: Dec;
  adjustments: PriceAdjustment[];
}

function toStrategyLine(w: Working): StrategyLine {
  return { key: w.key, productId: w.productId, qty: w.qty, basePrice: w.basePrice, net: money(w.netDec) };
}

function spread(lines: Working[], amount: Dec, source: string, label: Bilingual | undefined, field: 'strategy' | 'sale') {
  if (amount.isZero()) return;
  const weights = lines.map((l) => (l.netDec.isNegative() ? dec(0) : l.netDec));
  const parts = allocate(amount, weights);
  lines.forEach((l, i) => {
    const part = dec(parts[i] as string);
    if (part.isZero()) return;
    l[field] = l[field].plus(part);
    l.netDec = l.netDec.minus(part);
    l.adjustments.push({ source, amount: money(part), ...(label ? { label } : {}) });
  });
}

function manualLineDiscount(net: Dec, qtyDec: Dec, d: ManualDiscount, key: number): Dec {
  let v: Dec;
  try {
    v = dec(d.value);
  } catch {
    throw new PricingError('discount_invalid', key);
  }
  if (!v.isFinite() || v.isNegative()) throw new PricingError('discount_invalid', key);
  switch (d.kind) {
    case 'percent':
      if (v.greaterThan(100)) throw new PricingError('discount_invalid', key);
      return dec(money(net.times(v).dividedBy(100)));
    case 'amount':
      if (v.greaterThan(net)) throw new PricingError('discount_exceeds_amount', key);
      return dec(money(v));
    case 'price':
      // A price override replaces the unit price; the difference to the current net is the discount.
      return net.minus(money(qtyDec.times(v)));
  }
}

function rate(discount: Dec, base: Dec): Dec {
  if (base.lessThanOrEqualTo(0)) return dec(0);
  const r = discount.dividedBy(base);
  return r.isNegative() ? dec(0) : r;
}

/** Runs the pipeline over a sale's lines. Throws PricingError for impossible discounts. */
export function priceSale(
  input: {
    lines: readonly PricingLineInput[];
    saleDiscount?: SaleDiscount | null | undefined;
    rounding?: RoundingRule;
  },
  ctx: PricingContext,
  strategies: readonly PriceStrategy[] = [],
): PricingResult {
  const lines: Working[] = input.lines.map((l) => {
    const gross = dec(money(dec(l.qty).times(l.basePrice)));
    return {
      key: l.key,
      productId: l.productId,
      qty: l.qty,
      basePrice: l.basePrice,
      net: money(gross),
      gross,
      netDec: gross,
      strategy: dec(0),
      manual: dec(0),
      sale: dec(0),
      rounding: dec(0),
      adjustments: [],
    };
  });

  // 1. Strategies, in registration order; each sees the amounts left by the previous ones.
  for (const s of strategies) {
    const result = s.apply(lines.map(toStrategyLine), ctx);
    for (const adj of result.lines ?? []) {
      const line = lines.find((l) => l.key === adj.key);
      if (!line) continue;
      const amount = dec(money(adj.amount));
      line.strategy = line.strategy.plus(amount);
      line.netDec = line.netDec.minus(amount);
      line.adjustments.push({ source: `strategy:${s.code}`, amount: money(amount), ...(adj.label ? { label: adj.label } : {}) });
    }
    for (const adj of result.sale ?? []) spread(lines, dec(money(adj.amount)), `strategy:${s.code}`, adj.label, 'strategy');
  }
  const afterStrategies = lines.map((l) => l.netDec);

  // 2. Manual line discounts.
  for (const [i, l] of lines.entries()) {
    const d = input.lines[i]?.discount;
    if (!d) continue;
    const off = manualLineDiscount(l.netDec, dec(l.qty), d, l.key);
    l.manual = off;
    l.netDec = l.netDec.minus(off);
    l.adjustments.push({ source: 'manual', amount: money(off) });
  }

  // 3. Whole-sale discount, allocated to lines exactly.
  const netBeforeSale = sum(lines.map((l) => l.netDec));
  if (input.saleDiscount) {
    let v: Dec;
    try {
      v = dec(input.saleDiscount.value);
    } catch {
      throw new PricingError('discount_invalid');
    }
    if (!v.isFinite() || v.isNegative()) throw new PricingError('discount_invalid');
    let off: Dec;
    if (input.saleDiscount.kind === 'percent') {
      if (v.greaterThan(100)) throw new PricingError('discount_invalid');
      off = dec(money(netBeforeSale.times(v).dividedBy(100)));
    } else {
      if (v.greaterThan(netBeforeSale)) throw new PricingError('discount_exceeds_amount');
      off = dec(money(v));
    }
    spread(lines, off, 'sale', undefined, 'sale');
  }

  // 4. Rounding (抹零) of the payable amount, allocated to lines exactly.
  const beforeRounding = sum(lines.map((l) => l.netDec));
  if (beforeRounding.isNegative()) throw new PricingError('negative_total');
  const payable = dec(roundPayable(money(beforeRounding), input.rounding ?? NO_ROUNDING));
  const roundingDiff = payable.minus(beforeRounding); // ≤ 0 when rounding down
  if (!roundingDiff.isZero()) {
    const weights = lines.map((l) => (l.netDec.isNegative() ? dec(0) : l.netDec));
    const parts = allocate(roundingDiff, weights);
    lines.forEach((l, i) => {
      const part = dec(parts[i] as string);
      if (part.isZero()) return;
      l.rounding = part;
      l.netDec = l.netDec.plus(part);
      l.adjustments.push({ source: 'rounding', amount: money(part.negated()) });
    });
  }

  const priced: PricedLine[] = lines.map((l, i) => ({
    key: l.key,
    productId: l.productId,
    qty: l.qty,
    basePrice: l.basePrice,
    gross: money(l.gross),
    strategyDiscount: money(l.strategy),
    lineDiscount: money(l.manual),
    saleDiscount: money(l.sale),
    rounding: money(l.rounding),
    amount: money(l.netDec),
    manualRate: rate(l.manual.plus(l.sale), afterStrategies[i] as Dec)
      .toDecimalPlaces(4)
      .toFixed(4),
    adjustments: l.adjustments,
  }));
  const totalAfterStrategies = sum(afterStrategies);
  const manualTotal = sum(lines.map((l) => l.manual.plus(l.sale)));
  return {
    lines: priced,
    gross: money(sum(lines.map((l) => l.gross))),
    strategyDiscount: money(sum(lines.map((l) => l.strategy))),
    lineDiscount: money(sum(lines.map((l) => l.manual))),
    saleDiscount: money(sum(lines.map((l) => l.sale))),
    rounding: money(sum(lines.map((l) => l.rounding))),
    total: money(sum(lines.map((l) => l.netDec))),
    manualRate: rate(manualTotal, totalAfterStrategies).toDecimalPlaces(4).toFixed(4),
    maxLineManualRate: priced.reduce((m, l) => (dec(l.manualRate).greaterThan(m) ? l.manualRate : m), '0.0000'),
  };
}

/** Cash change: what the customer gets back when tenders exceed the payable amount (only cash gives change). */
export function cashChange(
  payable: string,
  tenders: readonly { method: string; amount: string }[],
): {
  paid: string;
  change: string;
  cash: string;
} {
  const paid = sum(tenders.map((t) => t.amount));
  const cash = sum(tenders.filter((t) => t.method === 'cash').map((t) => t.amount));
  const over = paid.minus(payable);
  return { paid: money(paid), change: money(over.isPositive() ? over : 0), cash: money(cash) };
}
