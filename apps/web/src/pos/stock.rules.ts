import { type Dec as Decimal, dec, type Locale, qty as qty3 } from '@erp/contracts';
import type { CartLine, LocalStock, OutboxSale } from './db';
import { tillText } from './messages';

/**
 * "No selling below zero" (库存不够不允许销售) lives at the till, before payment: the server books every paid
 * sale (a shortfall there becomes stock debt for the store manager), so the till is where a short sale can still
 * be stopped. Online the server's availability decides (POST /api/pos/till/stock-check) and a short line blocks
 * payment; offline the till's last-synced copy, less what it sold since, decides and a short line only warns.
 * These are the pure parts; stock.ts does the asking.
 */

export interface StockNeed {
  productId: number;
  name: string;
  /** Quantity of this product (and lot) in the cart, 3 decimals. */
  qty: string;
  lotNo?: string;
}

/** The cart's quantities per product and lot (the same product on several lines counts once, summed). */
export function stockNeeds(lines: readonly Pick<CartLine, 'productId' | 'name' | 'qty' | 'lotNo'>[]): StockNeed[] {
  const by = new Map<string, { need: StockNeed; total: Decimal }>();
  for (const l of lines) {
    const key = `${l.productId}|${l.lotNo ?? ''}`;
    const cur = by.get(key);
    if (cur) cur.total = cur.total.plus(l.qty);
    else {
      by.set(key, {
        need: { productId: l.productId, name: l.name, qty: '0', ...(l.lotNo ? { lotNo: l.lotNo } : {}) },
        total: dec(l.qty),
      });
    }
  }
  return [...by.values()].map(({ need, total }) => ({ ...need, qty: qty3(total) }));
}

/** The server's answer to POST /api/pos/till/stock-check. */
export interface StockCheckAnswer {
  negativeAllowed: boolean;
  sellExpired: boolean;
  lines: { productId: number; requested: string; available: string; expired: string; short: boolean }[];
}

export interface Shortage {
  productId: number;
  name: string;
  lotNo?: string;
  requested: string;
  /** What can be sold (never shown below 0). */
  available: string;
  /** Expired stock that may not be sold (0 when the store sells expired lots). */
  expired: string;
}

const nonNegative = (d: Decimal) => (d.lessThan(0) ? dec(0) : d);
const shown = (d: Decimal) => nonNegative(d).toString();

/** Short lines of the server's answer (matched to the request by position, then by product). */
export function onlineShortages(needs: readonly StockNeed[], answer: StockCheckAnswer): Shortage[] {
  const out: Shortage[] = [];
  answer.lines.forEach((line, i) => {
    if (!line.short) return;
    const need = needs[i]?.productId === line.productId ? needs[i] : needs.find((n) => n.productId === line.productId);
    out.push({
      productId: line.productId,
      name: need?.name ?? String(line.productId),
      ...(need?.lotNo ? { lotNo: need.lotNo } : {}),
      requested: dec(line.requested).toString(),
      available: shown(dec(line.available)),
      expired: answer.sellExpired ? '0' : dec(line.expired).toString(),
    });
  });
  return out;
}

/** What the till sold since its stock copy was taken, per product (sales the copy cannot know about yet). */
export function committedQty(sales: readonly Pick<OutboxSale, 'payload'>[]): Map<number, Decimal> {
  const out = new Map<number, Decimal>();
  for (const s of sales) {
    for (const l of s.payload.lines) out.set(l.productId, (out.get(l.productId) ?? dec(0)).plus(l.qty));
  }
  return out;
}

export interface OfflineRules {
  /** Absent (an older server): no offline rule. */
  negativeAllowed?: boolean | undefined;
  sellExpired?: boolean | undefined;
}

/**
 * Products short by the till's copy: available (plus expired stock when the store sells it) less what was sold
 * since the copy, against the cart's quantity. A product without a row has none in stock. Lots are not told
 * apart offline: the copy is per product.
 */
export function offlineShortages(
  needs: readonly StockNeed[],
  stock: ReadonlyMap<number, LocalStock>,
  sold: ReadonlyMap<number, Decimal>,
  rules: OfflineRules,
): Shortage[] {
  if (rules.negativeAllowed !== false) return [];
  const perProduct = new Map<number, { name: string; qty: Decimal }>();
  for (const n of needs) {
    const cur = perProduct.get(n.productId);
    perProduct.set(n.productId, { name: cur?.name ?? n.name, qty: (cur?.qty ?? dec(0)).plus(n.qty) });
  }
  const out: Shortage[] = [];
  for (const [productId, need] of perProduct) {
    const row = stock.get(productId);
    const expired = dec(row?.expired ?? 0);
    const sellable = dec(row?.available ?? 0)
      .plus(rules.sellExpired ? expired : 0)
      .minus(sold.get(productId) ?? 0);
    if (need.qty.lessThanOrEqualTo(sellable)) continue;
    out.push({
      productId,
      name: need.name,
      requested: need.qty.toString(),
      available: shown(sellable),
      expired: rules.sellExpired ? '0' : expired.toString(),
    });
  }
  return out;
}

/** One line per short product, in the cashier's language: online it blocks, offline it warns. */
export function shortageText(s: Shortage, mode: 'online' | 'offline', locale: Locale): string {
  const name = s.lotNo ? `${s.name}（${tillText(locale, 'lines.lot', { lot: s.lotNo })}）` : s.name;
  const main =
    mode === 'online'
      ? tillText(locale, 'stock.shortLine', { name, requested: s.requested, available: s.available })
      : tillText(locale, 'stock.offlineLine', { name, available: s.available });
  const expired = dec(s.expired).greaterThan(0) ? tillText(locale, 'stock.expiredNote', { expired: s.expired }) : '';
  if (!expired) return main;
  return locale === 'en' ? `${main}; ${expired}` : `${main}；${expired}`;
}
