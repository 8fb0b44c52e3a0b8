import { dec, type HotkeyAction, isExpiredOn, type Locale, money, type PricedLine } from '@erp/contracts';
import { addLine, type CartTotals, newCart, saleLineBody, tenderState } from './cart';
import type { PricedProduct, ScanHit, ScanOutcome } from './catalog';
import type { BilingualText, Cart, CartLine, LocalProduct, OfflineAuthorization, TenderEntry } from './db';
import type { DisplayMessage } from './display';
import { tillErrorText } from './errors';
import { type TillKey, tillText } from './messages';
import type { ServerSale } from './store';

/**
 * The rules of the sale screen (POS-1…4) as pure functions: what a scan adds or why it is refused, whether
 * a discount stands on the cashier's limit, what the server is told about a sale being paid or parked, which
 * line is selected, what the customer display shows. The screen's use cases (sale.ts) apply them; the
 * component only renders. Unit-tested in sale.rules.test.ts.
 */

// ---- what the cashier is told

export type NoticeTone = 'info' | 'ok' | 'error';

/**
 * A line in the screen's status bar, kept as a message key (or the failure itself) and worded at display
 * time, so it follows a change of language. A parameter may be a text in both languages (a server's reason).
 */
export type SaleNotice =
  | { tone: NoticeTone; key: TillKey; params?: Record<string, string | number | BilingualText> }
  | { tone: NoticeTone; error: unknown };

export function notice(key: TillKey, tone: NoticeTone = 'info', params?: Record<string, string | number | BilingualText>) {
  return { tone, key, ...(params ? { params } : {}) } satisfies SaleNotice;
}

export function failure(error: unknown): SaleNotice {
  return { tone: 'error', error };
}

export function noticeText(n: SaleNotice, locale: Locale): string {
  if ('error' in n) return tillErrorText(n.error, locale);
  if (!n.params) return tillText(locale, n.key);
  const params = Object.fromEntries(
    Object.entries(n.params).map(([k, v]) => [k, typeof v === 'object' ? v[locale === 'en' ? 'en' : 'zh-CN'] : v]),
  );
  return tillText(locale, n.key, params);
}

// ---- scanning

/** The till's calendar day (YYYY-MM-DD): the store's day, which a lot's expiry is compared with. */
export function localDay(d: Date = new Date()): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** What the scan field read: a code, and a quantity typed in front of it ("3*6901234567892"), or nothing. */
export function parseScanInput(raw: string): { code: string; qty: string | undefined } | null {
  const text = raw.trim();
  if (!text) return null;
  const m = /^(\d{1,6}(?:\.\d{1,3})?)\*(.+)$/.exec(text);
  const qty = m && dec(m[1] as string).greaterThan(0) ? (m[1] as string) : undefined;
  return { code: m ? (m[2] as string).trim() : text, qty };
}

/**
 * A scan the catalog could not turn into a line: what the cashier is told, or `search` when the text is not a
 * barcode (a name or pinyin typed into the scan field opens the product search with it).
 */
export function unresolvedScan(
  found: Exclude<ScanOutcome, { kind: 'hit' }>,
  code: string,
): { kind: 'notice'; notice: SaleNotice } | { kind: 'search'; text: string } {
  if (found.kind === 'gs1-invalid') {
    return {
      kind: 'notice',
      notice: notice('gs1.invalid', 'error', { reason: { 'zh-CN': found.error.zh, en: found.error.en } }),
    };
  }
  if (found.kind === 'gs1-unknown') return { kind: 'notice', notice: notice('gs1.notFound', 'error', { gtin: found.gtin }) };
  if (!/^\d+$/.test(code)) return { kind: 'search', text: code };
  return { kind: 'notice', notice: notice('scan.notFound', 'error', { code }) };
}

/** A product found by a scan, or picked in the search (no barcode then). */
export type PickedProduct = PricedProduct & Partial<Omit<ScanHit, keyof PricedProduct>>;

/**
 * The line a found product adds, and what the cashier is told; or why it is refused: not sold here, no
 * price here, or a lot past its expiry (from a GS1 code) where the store does not sell expired stock.
 */
export function lineForProduct(
  hit: PickedProduct,
  opts: { qty?: string | undefined; today: string; sellExpired: boolean },
): { ok: true; line: Omit<CartLine, 'key'>; notice: SaleNotice } | { ok: false; notice: SaleNotice } {
  const p = hit.product;
  if (!p.sellable) return { ok: false, notice: notice('scan.notSellable', 'error', { name: p.name }) };
  if (!hit.price) return { ok: false, notice: notice('scan.noPrice', 'error', { name: p.name }) };
  if (hit.expiry && isExpiredOn(hit.expiry, opts.today) && !opts.sellExpired) {
    return {
      ok: false,
      notice: notice('gs1.expired', 'error', { name: p.name, lot: hit.lotNo ?? '-', expiry: hit.expiry }),
    };
  }
  const qty = opts.qty ?? hit.qty ?? '1';
  const shown = dec(qty).toString();
  const line: Omit<CartLine, 'key'> = {
    productId: p.id,
    code: p.code,
    name: p.name,
    spec: p.spec,
    unit: p.unit,
    qty: dec(qty).toFixed(3),
    unitPrice: hit.price,
    ...(hit.barcode ? { barcode: hit.barcode } : {}),
    ...(hit.label ? { weighed: true } : {}),
    ...(hit.lotNo ? { lotNo: hit.lotNo } : {}),
    ...(hit.expiry ? { expiry: hit.expiry } : {}),
  };
  const told = hit.label
    ? notice('scan.weighed', 'ok', { name: p.name, qty: shown })
    : hit.lotNo
      ? notice('gs1.added', 'ok', { name: p.name, qty: shown, lot: hit.lotNo })
      : notice('scan.added', 'ok', { name: p.name, qty: shown });
  return { ok: true, line, notice: told };
}

// ---- the screen's actions (热键 and buttons)

/** What the screen's keys and buttons do: the configurable hotkey actions and three button-only ones. */
export type SaleAction = HotkeyAction | 'handover' | 'void_sale' | 'recent';

const PAY: ReadonlySet<SaleAction> = new Set(['pay', 'pay_cash', 'pay_card', 'pay_mobile']);
const NEEDS_LINES: ReadonlySet<SaleAction> = new Set([
  'qty',
  'void_line',
  'line_discount',
  'price_override',
  'sale_discount',
  'hold',
  ...PAY,
]);
const NEEDS_NO_SALE: ReadonlySet<SaleAction> = new Set(['resume', 'return', 'sign_out', 'handover']);

/**
 * Why an action cannot run now, or null. Line actions, holding and paying need lines; resuming a held sale,
 * a return, signing out and handing over need the current sale finished first; a return needs the server;
 * paying needs a sale the pipeline can price. Membership is not there yet (the membership module).
 */
export function actionRefusal(
  action: SaleAction,
  now: { hasLines: boolean; serverReachable: boolean; pricingError: boolean },
): SaleNotice | null {
  if (NEEDS_LINES.has(action) && !now.hasLines) return notice('msg.emptyCart', 'error');
  if (NEEDS_NO_SALE.has(action) && now.hasLines) return notice('msg.finishFirst', 'error');
  if (action === 'return' && !now.serverReachable) return notice('msg.needOnline', 'error');
  if (PAY.has(action) && now.pricingError) return notice('msg.discountError', 'error');
  if (action === 'member') return notice('msg.memberLater');
  return null;
}

/** The tender a pay action opens the payment with (none: the cashier picks it there). */
export function payMethodOf(action: SaleAction): TenderEntry['method'] | undefined {
  if (action === 'pay_cash') return 'cash';
  if (action === 'pay_card') return 'bank_card';
  if (action === 'pay_mobile') return 'mobile';
  return undefined;
}

export function isPayAction(action: SaleAction): boolean {
  return PAY.has(action);
}

// ---- the lines

/** The selected line, or the last one when none is (a new line is where the cashier's keys act). */
export function selectedLine(cart: Cart, selected: number | null): CartLine | undefined {
  return cart.lines.find((l) => l.key === selected) ?? cart.lines[cart.lines.length - 1];
}

/** The line the arrow keys move the selection to (from the last line when none is selected). */
export function moveSelection(lines: readonly CartLine[], selected: number | null, direction: 'up' | 'down'): number | null {
  if (!lines.length) return selected;
  const i = lines.findIndex((l) => l.key === selected);
  const cur = i < 0 ? lines.length - 1 : i;
  const next = direction === 'down' ? Math.min(lines.length - 1, cur + 1) : Math.max(0, cur - 1);
  return lines[next]?.key ?? null;
}

/** A line's amount: the pipeline's when the sale prices, else quantity × price. */
export function lineAmount(line: Pick<CartLine, 'qty' | 'unitPrice'>, priced: PricedLine | undefined): string {
  return priced?.amount ?? money(dec(line.qty).times(line.unitPrice));
}

/** What the line's discounts and rounding took off (shown beside its amount). */
export function lineReduction(priced: PricedLine | undefined): string {
  return priced ? money(dec(priced.gross).minus(priced.amount).plus(priced.rounding)) : '0.00';
}

/** The tag of a manual discount on a line: "-10%", "→4.00" (price override) or "-1.00". */
export function discountTag(d: NonNullable<CartLine['discount']>): string {
  if (d.kind === 'percent') return `-${d.value}%`;
  if (d.kind === 'price') return `→${d.value}`;
  return `-${d.value}`;
}

/** What the customer saves on the sale. */
export function savings(totals: Pick<CartTotals, 'gross' | 'total'>): string {
  return money(dec(totals.gross).minus(totals.total));
}

/** The customer display (客显) for the sale being rung up. */
export function saleDisplay(cart: Cart, totals: CartTotals, store: string): DisplayMessage {
  return {
    kind: 'sale',
    store,
    lines: cart.lines.map((l, i) => ({
      name: l.name,
      qty: dec(l.qty).toString(),
      amount: lineAmount(l, totals.result?.lines[i]),
    })),
    total: totals.total,
    savings: savings(totals),
  };
}

// ---- discounts (AUTH-4)

/** A supervisor's authorisation at the till: checked by the server online, or against the synced PIN offline. */
export type AuthorizationOutcome =
  | { kind: 'online'; id: string; supervisorName: string; rate: string | null }
  | { kind: 'offline'; offline: OfflineAuthorization; supervisorName: string };

/**
 * Whether a changed cart's discounts stand: on the cashier's own limit, or on the authorisation this sale
 * already has; beyond both a supervisor must authorise the rate. An impossible discount is refused.
 */
export function discountCheck(
  next: Cart,
  totals: CartTotals,
  cashierLimit: string,
): { kind: 'invalid' } | { kind: 'allowed' } | { kind: 'beyond'; rate: string } {
  if (totals.error) return { kind: 'invalid' };
  const rate = totals.manualPercent;
  const covered =
    dec(rate).lessThanOrEqualTo(cashierLimit) || (next.authorizedRate && dec(rate).lessThanOrEqualTo(next.authorizedRate));
  return covered ? { kind: 'allowed' } : { kind: 'beyond', rate };
}

/** The cart carrying a supervisor's authorisation for `rate`: the server checks it again with the sale. */
export function withAuthorization(cart: Cart, rate: string, a: AuthorizationOutcome): Cart {
  return {
    ...cart,
    authorizedRate: rate,
    authorizationId: a.kind === 'online' ? a.id : null,
    offlineAuthorization: a.kind === 'offline' ? a.offline : null,
  };
}

// ---- the sale on the server while it is paid or parked (POS-2)

/** The body that records a numbered sale as temporary (being paid) or held (挂单) on the server. */
export function openSaleBody(cart: Cart & { receiptNo: string }, status: 'temporary' | 'held', shiftId: string) {
  return {
    clientId: cart.clientId,
    receiptNo: cart.receiptNo,
    status,
    ...(status === 'temporary' ? { shiftId } : {}),
    lines: cart.lines.map(saleLineBody),
    ...(cart.saleDiscount ? { saleDiscount: cart.saleDiscount } : {}),
    ...(cart.authorizationId ? { authorizationId: cart.authorizationId } : {}),
    tenders: [],
  };
}

/**
 * A temporary sale the server kept for this cashier (a crash mid-payment) back in the cart, under its own
 * client id and receipt number; names from the local catalog where it has the product.
 */
export function cartFromServerSale(s: ServerSale, products: readonly (LocalProduct | undefined)[]): Cart {
  let cart: Cart = { ...newCart(), clientId: s.clientId, receiptNo: s.receiptNo, postedAs: 'temporary' };
  s.lines.forEach((l, i) => {
    const p = products[i];
    cart = addLine(cart, {
      productId: l.productId,
      code: p?.code ?? String(l.productId),
      name: p?.name ?? String(l.productId),
      spec: p?.spec ?? '',
      unit: p?.unit ?? null,
      qty: dec(l.qty).toFixed(3),
      unitPrice: l.basePrice,
    }).cart;
  });
  return cart;
}

/** The change the tenders give on `total` (only cash gives change; the pay dialog never lets others exceed). */
export function changeFor(total: string, tenders: readonly TenderEntry[]): string {
  return tenderState(total, tenders).change;
}
