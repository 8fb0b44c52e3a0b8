import { isReachable, NetworkError, TILL, TillApiError, till } from './api';
import { addLine, type CartTotals, newCart, priceCart, removeLine, updateLine } from './cart';
import { lookupCode, type PriceEnv } from './catalog';
import { finishHandover, refreshCatalog, signOut } from './controller';
import { type Cart, db, type HeldSale, KV, kvGet, type LocalReceipt, type TenderEntry } from './db';
import { publishDisplay } from './display';
import { TillError } from './errors';
import type { KeyIntent } from './hotkeys';
import { commitSale, flushOutbox, loadSavedCart, refreshOutboxCounts, saveCart, withoutPaid } from './outbox';
import { ReceiptRangeExhausted, takeReceiptNo } from './receipts';
import {
  type AuthorizationOutcome,
  actionRefusal,
  cartFromServerSale,
  changeFor,
  discountCheck,
  failure,
  isPayAction,
  lineForProduct,
  localDay,
  moveSelection,
  notice,
  openSaleBody,
  type PickedProduct,
  parseScanInput,
  payMethodOf,
  type SaleAction,
  type SaleNotice,
  selectedLine,
  unresolvedScan,
  withAuthorization,
} from './sale.rules';
import { checkStockBeforePay } from './stock';
import type { Shortage } from './stock.rules';
import { createStore, type ServerSale, type TillState, tillStore } from './store';

/**
 * The sale screen's use cases (POS-1…4), outside React as controller.ts keeps sign-in and sync: the sale
 * being rung up (saved on every change, so a crash or a reload finds it again), scanning, discounts within
 * the cashier's limit or with a supervisor's authorisation, holding and resuming, and the way to payment —
 * the stock check, a receipt number, the sale recorded as temporary on the server, the committed sale.
 *
 * `createSaleScreen(view)` makes one per mounted screen; the component renders its state and calls its
 * operations, and lends it the few things only the page has (`SaleView`). The rules applied here are pure
 * and unit-tested: sale.rules.ts, hotkeys.ts, payment.rules.ts, stock.rules.ts.
 */

declare global {
  interface Window {
    /** Scan-to-line-shown times in milliseconds (measured in the page, read by the browser test). */
    __tillPerf?: number[];
    /** Scan-to-catalog-answer times (the IndexedDB part of the above). */
    __tillLookup?: number[];
  }
}

/** The dialog open over the sale screen (at most one). */
export type SaleDialog =
  | { kind: 'qty'; key: number }
  | { kind: 'lineDiscount'; key: number; initialKind?: 'price' }
  | { kind: 'saleDiscount' }
  | {
      kind: 'auth';
      purpose: 'discount' | 'open_drawer' | 'void_sale';
      rate?: string;
      resolve: (a: AuthorizationOutcome | null) => void;
    }
  | { kind: 'pay'; method?: TenderEntry['method'] }
  | { kind: 'search'; text: string }
  | { kind: 'held' }
  | { kind: 'crash' }
  | { kind: 'return' }
  | { kind: 'handover' }
  | { kind: 'recent' }
  | { kind: 'refused' }
  | { kind: 'stock'; mode: 'online' | 'offline'; shortages: Shortage[]; method?: TenderEntry['method'] };

/** The last sale (or return) finished at this screen, shown until the next one starts. */
export interface SaleDone {
  receiptNo: string;
  total: string;
  change: string;
  refund?: string;
}

export interface SaleScreenState {
  cart: Cart;
  selected: number | null;
  dialog: SaleDialog | null;
  notice: SaleNotice | null;
  done: SaleDone | null;
  /** The receipt in the print area, and whether it is a reprint (printed as 重打). */
  printed: { receipt: LocalReceipt; reprint: boolean } | null;
}

/** What only the page has: the scan field, the printer, the second window. */
export interface SaleView {
  focusScan(): void;
  scanText(): string;
  clearScan(): void;
  print(): void;
  openCustomerDisplay(): void;
}

export type SaleScreen = ReturnType<typeof createSaleScreen>;

/** The totals of a cart as the shared pricing pipeline gives them, under the store's rounding (抹零). */
export function totalsOf(cart: Cart): CartTotals {
  const { settings, terminal } = tillStore.get();
  return priceCart(cart, settings?.rounding, terminal?.store.id);
}

export function createSaleScreen(view: SaleView) {
  const store = createStore<SaleScreenState>({
    cart: newCart(),
    selected: null,
    dialog: null,
    notice: null,
    done: null,
    printed: null,
  });
  const get = store.get;
  const say = (n: SaleNotice | null) => store.set({ notice: n });
  const tillNow = (): TillState => tillStore.get();
  // The cart is saved only once the one left by a crash or a reload was restored (else an empty cart would
  // overwrite it), and never for a paid sale (saveCart refuses it, so a late change cannot revive one).
  let persistReady = false;
  let checkingStock = false;
  let scanStartedAt: number | null = null;

  function setCart(next: Cart | ((c: Cart) => Cart)): void {
    const cart = typeof next === 'function' ? next(get().cart) : next;
    if (cart === get().cart) return;
    store.set({ cart });
    if (persistReady) void saveCart(cart).catch((e) => console.warn('till cart save', e));
  }

  /** A new sale: the last one is paid, parked or cancelled. */
  function startOver(extra: Partial<SaleScreenState> = {}): void {
    setCart(newCart());
    store.set({ selected: null, ...extra });
  }

  const closeDialog = () => store.set({ dialog: null });

  // ---- start

  /** Restores the sale left by a crash or a reload (never a paid one); offers the server's crash-left sales. */
  async function restore(): Promise<void> {
    try {
      const { cart: saved, discarded } = await loadSavedCart();
      if (saved) {
        setCart(saved);
        store.set({ selected: saved.lines[saved.lines.length - 1]?.key ?? null });
        say(notice('msg.restored', 'info', { n: saved.lines.length }));
      } else if (discarded !== null) say(notice('msg.paidDropped', 'info', { receiptNo: discarded }));
      persistReady = true;
      // A temporary sale the server holds that is the cart restored here, or a sale paid here, is not "left behind".
      const left = (await withoutPaid(tillNow().crashLeft)).filter((x) => x.clientId !== saved?.clientId);
      tillStore.set({ crashLeft: left });
      if (left.length) store.set({ dialog: { kind: 'crash' } });
    } catch (e) {
      persistReady = true;
      say(failure(e));
    }
  }

  /** A sale the server refused is told at once (the list stays behind the red mark in the header). */
  function tellRefused(refused: TillState['lastRefused']): void {
    if (!refused) return;
    say(
      refused.count > 1
        ? notice('refused.moreNotice', 'error', { n: refused.count })
        : notice('refused.notice', 'error', { receiptNo: refused.receiptNo, reason: refused.messages }),
    );
  }

  // ---- scanning and lines

  /**
   * What the scan field read: resolved in the local catalog and added as a line. `startedAt` (the key
   * event's time) measures scan → line shown; the screen takes it back once the line is painted.
   */
  async function scan(raw: string, startedAt: number): Promise<void> {
    const input = parseScanInput(raw);
    if (!input) return;
    const found = await lookupCode(input.code, priceEnv(), tillNow().settings?.scale ?? null);
    window.__tillLookup ??= [];
    window.__tillLookup.push(performance.now() - startedAt);
    if (found.kind !== 'hit') {
      const next = unresolvedScan(found, input.code);
      if (next.kind === 'search') store.set({ dialog: { kind: 'search', text: next.text } });
      else say(next.notice);
      return;
    }
    scanStartedAt = startedAt;
    if (!addProduct(found.hit, input.qty)) scanStartedAt = null;
  }

  /** The scan's start time once its line is on the screen (null when there is none to measure). */
  function takeScanStart(): number | null {
    const t0 = scanStartedAt;
    scanStartedAt = null;
    return t0;
  }

  function addProduct(hit: PickedProduct, qty?: string): boolean {
    const r = lineForProduct(hit, { qty, today: localDay(), sellExpired: tillNow().settings?.sellExpired === true });
    if (!r.ok) {
      say(r.notice);
      return false;
    }
    const { cart, key } = addLine(get().cart, r.line);
    setCart(cart);
    store.set({ selected: key, done: null });
    say(r.notice);
    return true;
  }

  /** A product picked in the search dialog. */
  function pickProduct(p: PickedProduct): void {
    view.clearScan();
    addProduct(p);
    closeDialog();
  }

  function select(key: number | null): void {
    store.set({ selected: key });
  }

  function setQty(key: number, qty: string): void {
    setCart((c) => updateLine(c, key, { qty }));
    closeDialog();
  }

  // ---- discounts (AUTH-4)

  function requestAuth(purpose: 'discount' | 'open_drawer' | 'void_sale', rate?: string) {
    return new Promise<AuthorizationOutcome | null>((resolve) =>
      store.set({ dialog: { kind: 'auth', purpose, ...(rate ? { rate } : {}), resolve } }),
    );
  }

  /** The supervisor dialog answered (an outcome) or was closed (null). */
  function authorizationAnswered(outcome: AuthorizationOutcome | null): void {
    const d = get().dialog;
    if (d?.kind !== 'auth') return;
    d.resolve(outcome);
    if (!outcome) closeDialog();
  }

  /** A discount change: beyond the cashier's limit a supervisor must authorise it first. */
  async function applyDiscount(next: Cart): Promise<void> {
    const check = discountCheck(next, totalsOf(next), tillNow().cashier?.maxDiscountRate ?? '0');
    if (check.kind === 'invalid') {
      say(notice('msg.discountError', 'error'));
      return closeDialog();
    }
    if (check.kind === 'allowed') {
      setCart(next);
      return closeDialog();
    }
    say(notice('disc.beyond', 'error', { rate: check.rate, limit: tillNow().cashier?.maxDiscountRate ?? '0' }));
    const a = await requestAuth('discount', check.rate);
    closeDialog();
    if (!a) return;
    setCart(withAuthorization(next, check.rate, a));
    say(notice('auth.granted', 'ok', { name: a.supervisorName }));
  }

  function discountLine(key: number, discount: NonNullable<Cart['lines'][number]['discount']> | null): Promise<void> {
    return applyDiscount(updateLine(get().cart, key, { discount }));
  }

  function discountSale(discount: Cart['saleDiscount']): Promise<void> {
    return applyDiscount({ ...get().cart, saleDiscount: discount });
  }

  // ---- the sale on the server while it is paid or parked (POS-2)

  async function ensureReceiptNo(): Promise<(Cart & { receiptNo: string }) | null> {
    const c = get().cart;
    if (c.receiptNo) return c as Cart & { receiptNo: string };
    try {
      const next = { ...c, receiptNo: await takeReceiptNo() };
      setCart(next);
      return next;
    } catch (e) {
      say(e instanceof ReceiptRangeExhausted ? notice('msg.receiptsOut', 'error') : failure(e));
      return null;
    }
  }

  /** Online, the sale being paid is recorded as temporary first, so a crash mid-payment leaves a trace. */
  async function postOpenSale(c: Cart & { receiptNo: string }, status: 'temporary' | 'held'): Promise<void> {
    const { cashier, shift } = tillNow();
    if (!cashier?.token || !isReachable()) return;
    try {
      await till.post(TILL.sales, openSaleBody(c, status, shift?.id ?? ''), { timeoutMs: 5000 });
      setCart((cur) => (cur.clientId === c.clientId ? { ...cur, postedAs: status } : cur));
    } catch (e) {
      if (e instanceof TillApiError && e.code === 'POS_PRICE_CHANGED') {
        say(notice('msg.priceChanged', 'error'));
        void refreshCatalog();
      }
      // Otherwise nothing to do: the sale is safe locally and the outbox will carry it.
    }
  }

  async function discardRemote(clientId: string): Promise<void> {
    if (!tillNow().cashier?.token || !isReachable()) return;
    await till.post(TILL.discardOpenSale(clientId), {}, { timeoutMs: 6000 }).catch((e) => {
      if (!(e instanceof TillApiError && e.status === 404) && !(e instanceof NetworkError)) throw e;
    });
  }

  // ---- holding and resuming (挂单 / 取单)

  async function hold(): Promise<void> {
    const c = await ensureReceiptNo();
    if (!c) return;
    const held: HeldSale = {
      clientId: c.clientId,
      cart: c,
      heldAt: new Date().toISOString(),
      cashierId: tillNow().cashier?.id ?? 0,
      total: totalsOf(c).total,
    };
    await db.transaction('rw', db.held, db.kv, async () => {
      await db.held.put(held);
      await db.kv.delete(KV.cart);
    });
    void postOpenSale(c, 'held');
    startOver();
    say(notice('msg.held', 'ok', { receiptNo: c.receiptNo }));
  }

  async function resumeHeld(h: HeldSale): Promise<void> {
    if (get().cart.lines.length) return say(notice('msg.finishFirst', 'error'));
    await db.held.delete(h.clientId);
    setCart(h.cart);
    store.set({ selected: h.cart.lines[h.cart.lines.length - 1]?.key ?? null, dialog: null });
    say(notice('msg.resumed', 'ok', { receiptNo: h.cart.receiptNo ?? '' }));
    view.focusScan();
  }

  function discardHeld(h: HeldSale): void {
    void db.held.delete(h.clientId).then(() => store.set({ dialog: { kind: 'held' } }));
    void discardRemote(h.clientId).catch(() => undefined);
    closeDialog();
  }

  function forgetCrashLeft(clientId: string): ServerSale[] {
    const left = tillNow().crashLeft.filter((x) => x.clientId !== clientId);
    tillStore.set({ crashLeft: left });
    return left;
  }

  /** A crash-left temporary sale from the server comes back into the cart with its client id and receipt no. */
  async function resumeServerSale(s: ServerSale): Promise<void> {
    // Never a sale this till has paid: that one is done (cancelling it is a return).
    if (!(await withoutPaid([s])).length) {
      forgetCrashLeft(s.clientId);
      closeDialog();
      return say(failure(new TillError('err.alreadyPaid', { receiptNo: s.receiptNo })));
    }
    const products = await db.products.bulkGet(s.lines.map((l) => l.productId));
    setCart(cartFromServerSale(s, products));
    forgetCrashLeft(s.clientId);
    closeDialog();
    view.focusScan();
  }

  async function discardCrashLeft(s: ServerSale): Promise<void> {
    await discardRemote(s.clientId);
    if (!forgetCrashLeft(s.clientId).length) closeDialog();
  }

  async function voidSale(): Promise<void> {
    const c = get().cart;
    if (!c.lines.length) return;
    if (!tillNow().cashier?.canAuthorize) {
      const a = await requestAuth('void_sale');
      closeDialog();
      if (!a) return;
    }
    if (c.postedAs) void discardRemote(c.clientId).catch(() => undefined);
    await db.kv.delete(KV.cart);
    startOver();
    say(notice('msg.voided'));
  }

  // ---- the way to payment

  /** "No selling below zero" before payment: online a short line blocks, offline it warns (see stock.ts). */
  async function openPay(method?: TenderEntry['method']): Promise<void> {
    if (checkingStock) return;
    checkingStock = true;
    say(notice('stock.checking'));
    try {
      const verdict = await checkStockBeforePay(get().cart.lines);
      say(null);
      if (verdict.kind === 'blocked')
        return store.set({ dialog: { kind: 'stock', mode: 'online', shortages: verdict.shortages } });
      if (verdict.kind === 'warn') {
        return store.set({
          dialog: { kind: 'stock', mode: 'offline', shortages: verdict.shortages, ...(method ? { method } : {}) },
        });
      }
      await startPayment(method);
    } catch (e) {
      say(failure(e));
    } finally {
      checkingStock = false;
    }
  }

  /** Payment opens on a numbered sale, recorded as temporary on the server while online. */
  async function startPayment(method?: TenderEntry['method']): Promise<void> {
    const c = await ensureReceiptNo();
    if (!c) return;
    store.set({ dialog: { kind: 'pay', ...(method ? { method } : {}) } });
    if (c.postedAs !== 'temporary') void postOpenSale(c, 'temporary');
  }

  /** Offline, the cashier may sell what the till's stock copy says is short. */
  function sellAnyway(): void {
    const d = get().dialog;
    const method = d?.kind === 'stock' ? d.method : undefined;
    closeDialog();
    void startPayment(method);
  }

  /**
   * The tenders cover the total: the sale is committed to the outbox first (a paid sale is final), then the
   * receipt prints and the next customer can start; the upload follows. A sale already paid is never paid
   * twice: a mobile payment just taken for it goes back.
   */
  async function completeSale(tenders: TenderEntry[]): Promise<void> {
    const { cashier, shift, terminal, settings } = tillNow();
    const c = get().cart;
    const totals = totalsOf(c);
    const change = changeFor(totals.total, tenders);
    let record: Awaited<ReturnType<typeof commitSale>>;
    try {
      record = await commitSale({
        cart: c,
        totals,
        tenders,
        change,
        cashier: { id: cashier?.id ?? 0, name: cashier?.name ?? '' },
        shiftId: shift?.id ?? '',
        terminal: { id: terminal?.terminalId ?? 0, code: terminal?.terminalCode ?? '' },
        madeOnline: !!cashier?.token && isReachable(),
      });
    } catch (e) {
      if (!(e instanceof TillError && e.key === 'err.alreadyPaid')) throw e;
      for (const x of tenders) {
        if (x.paymentIntentId)
          void till.post(TILL.paymentCancel(x.paymentIntentId), {}, { timeoutMs: 15_000 }).catch(() => undefined);
      }
      startOver({ dialog: null });
      return say(failure(e));
    }
    store.set({ printed: { receipt: record.receipt, reprint: false } });
    if (settings?.terminal.settings.autoPrint !== false) view.print();
    publishDisplay({ kind: 'done', store: terminal?.store.name ?? '', total: totals.total, change });
    startOver({ done: { receiptNo: record.receiptNo, total: totals.total, change }, dialog: null });
    say(notice('msg.saleDone', 'ok', { receiptNo: record.receiptNo }));
    view.focusScan();
    void flushOutbox();
  }

  // ---- after the sale

  async function reprint(receipt?: LocalReceipt): Promise<void> {
    const r = receipt ?? (await kvGet<LocalReceipt>(KV.lastReceipt));
    if (!r) return say(notice('msg.noReceipt', 'error'));
    store.set({ printed: { receipt: r, reprint: true } });
    view.print();
  }

  /** A return (from the return dialog) is finished: its slip prints, the refund is shown. */
  function returnDone(receipt: LocalReceipt, refund: string): void {
    store.set({
      printed: { receipt, reprint: false },
      done: { receiptNo: receipt.receiptNo, total: receipt.total, change: '0.00', refund },
      dialog: null,
    });
    view.print();
    say(notice('return.done', 'ok', { receiptNo: receipt.receiptNo, amount: refund }));
  }

  function handoverDone(): void {
    closeDialog();
    void finishHandover();
  }

  /** The paid sales the server refused (the red mark in the header). */
  function showRefused(): void {
    store.set({ dialog: { kind: 'refused' } });
  }

  function uploadNow(): void {
    void flushOutbox().then(refreshOutboxCounts);
    closeDialog();
  }

  // ---- keys and buttons

  /** An action from a hotkey or a button: refused with a word when it cannot run now, else done. */
  function run(action: SaleAction) {
    const { cart, selected } = get();
    const refusal = actionRefusal(action, {
      hasLines: cart.lines.length > 0,
      serverReachable: tillNow().online && !!tillNow().cashier?.token,
      pricingError: isPayAction(action) && !!totalsOf(cart).error,
    });
    if (refusal) return say(refusal);
    const line = selectedLine(cart, selected);
    switch (action) {
      case 'search':
        return store.set({ dialog: { kind: 'search', text: view.scanText() } });
      case 'qty':
        return line && store.set({ dialog: { kind: 'qty', key: line.key } });
      case 'void_line':
        if (!line) return;
        setCart((c) => removeLine(c, line.key));
        store.set({ selected: null });
        return say(notice('msg.lineVoided', 'info', { name: line.name }));
      case 'line_discount':
        return line && store.set({ dialog: { kind: 'lineDiscount', key: line.key } });
      case 'price_override':
        return line && store.set({ dialog: { kind: 'lineDiscount', key: line.key, initialKind: 'price' } });
      case 'sale_discount':
        return store.set({ dialog: { kind: 'saleDiscount' } });
      case 'member':
        return;
      case 'hold':
        return void hold();
      case 'resume':
        return store.set({ dialog: { kind: 'held' } });
      case 'pay':
      case 'pay_cash':
      case 'pay_card':
      case 'pay_mobile':
        return void openPay(payMethodOf(action));
      case 'return':
        return store.set({ dialog: { kind: 'return' } });
      case 'reprint':
        return void reprint();
      case 'open_drawer':
        return void requestAuth('open_drawer').then((a) => {
          closeDialog();
          if (a) say(notice('msg.drawerOpened', 'ok'));
        });
      case 'customer_display':
        return view.openCustomerDisplay();
      case 'sign_out':
        return void signOut();
      case 'handover':
        return store.set({ dialog: { kind: 'handover' } });
      case 'void_sale':
        return void voidSale();
      case 'recent':
        return store.set({ dialog: { kind: 'recent' } });
    }
  }

  /** A key pressed while no dialog is open, as `keyIntent` (hotkeys.ts) reads it. */
  function key(intent: KeyIntent) {
    if (intent.kind === 'action') return run(intent.action);
    if (intent.kind === 'select') return select(moveSelection(get().cart.lines, get().selected, intent.direction));
    if (intent.kind === 'focusScan') view.focusScan();
  }

  return {
    subscribe: store.subscribe,
    get,
    restore,
    tellRefused,
    scan,
    takeScanStart,
    pickProduct,
    select,
    setQty,
    authorizationAnswered,
    discountLine,
    discountSale,
    resumeHeld,
    discardHeld,
    resumeServerSale,
    discardCrashLeft,
    sellAnyway,
    completeSale,
    reprint,
    returnDone,
    handoverDone,
    uploadNow,
    showRefused,
    closeDialog,
    run,
    key,
  };
}

/** Where prices are looked up: this store, and its region for regional prices. */
export function priceEnv(): PriceEnv {
  const { terminal, settings } = tillStore.get();
  return { storeId: terminal?.store.id ?? 0, region: settings?.region ?? null };
}
