import { dec, GS1_GS, type HotkeyAction, isExpiredOn, money } from '@erp/contracts';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useLocale, useT } from '../../shared/i18n';
import { isReachable, NetworkError, TILL, TillApiError, till } from '../api';
import { addLine, type CartTotals, newCart, priceCart, removeLine, updateLine } from '../cart';
import { lookupCode, type ScanHit } from '../catalog';
import { finishHandover, refreshCatalog, signOut } from '../controller';
import { type Cart, type CartLine, db, type HeldSale, KV, kvGet, type LocalReceipt, type TenderEntry } from '../db';
import { publishDisplay } from '../display';
import { TillError, tillErrorText } from '../errors';
import { eventKey, hotkeyMap, keyFor } from '../hotkeys';
import { tm } from '../messages';
import { commitSale, flushOutbox, loadSavedCart, refreshOutboxCounts, saveCart, withoutPaid } from '../outbox';
import { ReceiptRangeExhausted, takeReceiptNo } from '../receipts';
import { checkStockBeforePay } from '../stock';
import type { Shortage } from '../stock.rules';
import { type ServerSale, tillStore, useTill } from '../store';
import {
  type AuthorizationOutcome,
  AuthorizeDialog,
  CrashDialog,
  DiscountDialog,
  type DiscountValue,
  HeldDialog,
  QtyDialog,
  RecentDialog,
  RefusedDialog,
  SearchDialog,
  StockDialog,
} from './Dialogs';
import { Kbd } from './Modal';
import { PayDialog } from './PayDialog';
import { PrintArea, printSoon, Receipt } from './Receipt';
import { HandoverDialog, ReturnDialog } from './ReturnHandover';
import { TopBar } from './TopBar';

/**
 * The cashier screen (POS-1): keyboard first. The scan field always has the focus; a keyboard-wedge scanner
 * types the digits and Enter, which resolves the code in the local catalog and adds the line. Hotkeys come
 * from the store's settings. Totals are the shared pricing pipeline's, so they match the server's.
 */

type Dialog =
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

interface Status {
  text: string;
  tone: 'info' | 'ok' | 'error';
}

interface Done {
  receiptNo: string;
  total: string;
  change: string;
  refund?: string;
}

declare global {
  interface Window {
    /** Scan-to-line-shown times in milliseconds (measured in the page, read by the browser test). */
    __tillPerf?: number[];
    /** Scan-to-catalog-answer times (the IndexedDB part of the above). */
    __tillLookup?: number[];
  }
}

const ACTION_ORDER: HotkeyAction[] = [
  'search',
  'qty',
  'void_line',
  'line_discount',
  'sale_discount',
  'price_override',
  'member',
  'hold',
  'resume',
  'return',
  'reprint',
  'pay',
  'pay_cash',
  'pay_card',
  'pay_mobile',
  'open_drawer',
  'customer_display',
  'sign_out',
];

const LineRow = memo(function LineRow(props: {
  line: CartLine;
  index: number;
  amount: string;
  discount: string;
  selected: boolean;
  onSelect: (key: number) => void;
}) {
  const { line: l } = props;
  return (
    <tr
      className={props.selected ? 'sel' : undefined}
      onClick={() => props.onSelect(l.key)}
      data-testid="cart-line"
      data-product={l.code}
    >
      <td className="num">{props.index + 1}</td>
      <td className="mono">{l.code}</td>
      <td>
        {l.name} <span className="till-muted">{l.spec}</span>
        {l.lotNo && <LotTag lotNo={l.lotNo} expiry={l.expiry} />}
        {l.discount && (
          <span className="till-tag">
            {l.discount.kind === 'percent'
              ? `-${l.discount.value}%`
              : l.discount.kind === 'price'
                ? `→${l.discount.value}`
                : `-${l.discount.value}`}
          </span>
        )}
      </td>
      <td className="num" data-testid="line-qty">
        {dec(l.qty).toString()}
        {l.unit ? <span className="till-muted"> {l.unit}</span> : null}
      </td>
      <td className="num">{money(l.unitPrice)}</td>
      <td className="num till-muted">{dec(props.discount).isZero() ? '' : `-${props.discount}`}</td>
      <td className="num strong" data-testid="line-amount">
        {props.amount}
      </td>
    </tr>
  );
});

function LotTag(props: { lotNo: string; expiry: string | undefined }) {
  const t = useT(tm);
  return (
    <span className="till-tag till-tag-lot" data-testid="line-lot">
      {t('lines.lot', { lot: props.lotNo })}
      {props.expiry ? ` · ${t('lines.expiry', { expiry: props.expiry })}` : ''}
    </span>
  );
}

/** The till's calendar day (YYYY-MM-DD): the store's day, which a lot's expiry is compared with. */
function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function LinesTable(props: { cart: Cart; totals: CartTotals; selected: number | null; onSelect: (k: number) => void }) {
  const t = useT(tm);
  const bodyRef = useRef<HTMLDivElement>(null);
  const priced = props.totals.result?.lines;
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run when the selection or the lines change
  useEffect(() => {
    const el = bodyRef.current?.querySelector('tr.sel');
    el?.scrollIntoView({ block: 'nearest' });
  }, [props.selected, props.cart.lines.length]);
  return (
    <div className="till-lines" ref={bodyRef}>
      <table className="till-table till-table-fixed">
        <colgroup>
          <col className="c-no" />
          <col className="c-code" />
          <col />
          <col className="c-qty" />
          <col className="c-price" />
          <col className="c-disc" />
          <col className="c-amount" />
        </colgroup>
        <thead>
          <tr>
            <th className="num">{t('lines.no')}</th>
            <th>{t('lines.code')}</th>
            <th>{t('lines.name')}</th>
            <th className="num">{t('lines.qty')}</th>
            <th className="num">{t('lines.price')}</th>
            <th className="num">{t('lines.discount')}</th>
            <th className="num">{t('lines.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {props.cart.lines.map((l, i) => {
            const p = priced?.[i];
            return (
              <LineRow
                key={l.key}
                line={l}
                index={i}
                amount={p?.amount ?? money(dec(l.qty).times(l.unitPrice))}
                discount={p ? money(dec(p.gross).minus(p.amount).plus(p.rounding)) : '0.00'}
                selected={props.selected === l.key}
                onSelect={props.onSelect}
              />
            );
          })}
        </tbody>
      </table>
      {props.cart.lines.length === 0 && <div className="till-empty">{t('lines.empty')}</div>}
    </div>
  );
}

export function CashierScreen() {
  const t = useT(tm);
  const { locale } = useLocale();
  const terminal = useTill((s) => s.terminal)!;
  const settings = useTill((s) => s.settings);
  const cashier = useTill((s) => s.cashier)!;
  const shift = useTill((s) => s.shift)!;
  const crashLeft = useTill((s) => s.crashLeft);
  const [cart, setCartState] = useState<Cart>(newCart);
  const [selected, setSelected] = useState<number | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [printed, setPrinted] = useState<{ receipt: LocalReceipt; reprint: boolean } | null>(null);
  const scanRef = useRef<HTMLInputElement>(null);
  const checkingStock = useRef(false);
  const perfPending = useRef<number | null>(null);
  const cartRef = useRef(cart);
  cartRef.current = cart;

  const rounding = settings?.rounding;
  const totals = useMemo(() => priceCart(cart, rounding, terminal.store.id), [cart, rounding, terminal.store.id]);
  const hotkeys = useMemo(() => hotkeyMap(settings?.hotkeys), [settings?.hotkeys]);
  const env = useMemo(
    () => ({ storeId: terminal.store.id, region: settings?.region ?? null }),
    [terminal.store.id, settings?.region],
  );
  const width = settings?.terminal.settings.printerWidth ?? 80;
  const template = settings?.receiptTemplates[String(width) as '58' | '80'];

  const setCart = useCallback((next: Cart | ((c: Cart) => Cart)) => setCartState(next), []);
  // Every change of the sale is saved, so a crash or a reload finds it again (POS-2) — after the saved one was
  // restored, and never for a paid sale (saveCart refuses it: state updates arriving late cannot revive it).
  const persistReady = useRef(false);
  useEffect(() => {
    if (persistReady.current) void saveCart(cart).catch((e) => console.warn('till cart save', e));
  }, [cart]);

  const say = useCallback((text: string, tone: Status['tone'] = 'info') => setStatus({ text, tone }), []);
  // Not while a dialog is open: this runs a frame later, and the dialog may have opened in between.
  const focusScan = useCallback(
    () =>
      requestAnimationFrame(() => {
        if (!document.querySelector('.till-modal')) scanRef.current?.focus();
      }),
    [],
  );

  // Restore the sale left by a crash or a reload (never a paid one); show the server's crash-left temporary sales.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on mount
  useEffect(() => {
    void (async () => {
      const { cart: saved, discarded } = await loadSavedCart();
      if (saved) {
        setCartState(saved);
        setSelected(saved.lines[saved.lines.length - 1]?.key ?? null);
        say(t('msg.restored', { n: saved.lines.length }));
      } else if (discarded !== null) say(t('msg.paidDropped', { receiptNo: discarded }));
      persistReady.current = true;
      // A temporary sale the server holds that is the cart restored here, or a sale paid here, is not "left behind".
      const left = (await withoutPaid(tillStore.get().crashLeft)).filter((x) => x.clientId !== saved?.clientId);
      tillStore.set({ crashLeft: left });
      if (left.length) setDialog({ kind: 'crash' });
    })().catch((e) => {
      persistReady.current = true;
      say(tillErrorText(e, locale), 'error');
    });
    focusScan();
  }, []);

  // A sale the server refused is told at once (the list stays behind the red mark in the header).
  const lastRefused = useTill((s) => s.lastRefused);
  useEffect(() => {
    if (!lastRefused) return;
    say(
      lastRefused.count > 1
        ? t('refused.moreNotice', { n: lastRefused.count })
        : t('refused.notice', { receiptNo: lastRefused.receiptNo, reason: lastRefused.messages[locale] }),
      'error',
    );
  }, [lastRefused, locale, say, t]);

  // The customer display follows the sale.
  useEffect(() => {
    publishDisplay({
      kind: 'sale',
      store: terminal.store.name,
      lines: cart.lines.map((l, i) => ({
        name: l.name,
        qty: dec(l.qty).toString(),
        amount: totals.result?.lines[i]?.amount ?? money(dec(l.qty).times(l.unitPrice)),
      })),
      total: totals.total,
      savings: money(dec(totals.gross).minus(totals.total)),
    });
  }, [cart.lines, totals, terminal.store.name]);

  // Scan → line shown, measured after the browser painted the new line.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each committed change of the sale
  useLayoutEffect(() => {
    const t0 = perfPending.current;
    if (t0 === null) return;
    perfPending.current = null;
    requestAnimationFrame(() =>
      setTimeout(() => {
        window.__tillPerf ??= [];
        window.__tillPerf.push(performance.now() - t0);
      }, 0),
    );
  }, [cart]);

  const addProduct = useCallback(
    (hit: Omit<ScanHit, 'barcode'> & { barcode?: string }, qtyOverride?: string) => {
      const p = hit.product;
      if (!p.sellable) {
        say(t('scan.notSellable', { name: p.name }), 'error');
        return false;
      }
      if (!hit.price) {
        say(t('scan.noPrice', { name: p.name }), 'error');
        return false;
      }
      // A lot past its expiry (from the scanned GS1 code) is not sold unless the store allows it.
      if (hit.expiry && isExpiredOn(hit.expiry, localToday()) && tillStore.get().settings?.sellExpired !== true) {
        say(t('gs1.expired', { name: p.name, lot: hit.lotNo ?? '-', expiry: hit.expiry }), 'error');
        return false;
      }
      const qty = qtyOverride ?? hit.qty ?? '1';
      const { cart: next, key } = addLine(cartRef.current, {
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
      });
      setCart(next);
      setSelected(key);
      setDone(null);
      say(
        hit.label
          ? t('scan.weighed', { name: p.name, qty: dec(qty).toString() })
          : hit.lotNo
            ? t('gs1.added', { name: p.name, qty: dec(qty).toString(), lot: hit.lotNo })
            : t('scan.added', { name: p.name, qty: dec(qty).toString() }),
        'ok',
      );
      return true;
    },
    [setCart, say, t],
  );

  const onScan = useCallback(
    async (raw: string, t0: number) => {
      const text = raw.trim();
      if (!text) return;
      const m = /^(\d{1,6}(?:\.\d{1,3})?)\*(.+)$/.exec(text);
      const qty = m && dec(m[1] as string).greaterThan(0) ? (m[1] as string) : undefined;
      const code = m ? (m[2] as string).trim() : text;
      const found = await lookupCode(code, env, settings?.scale ?? null);
      window.__tillLookup ??= [];
      window.__tillLookup.push(performance.now() - t0);
      if (found.kind === 'gs1-invalid') {
        say(t('gs1.invalid', { reason: locale === 'en' ? found.error.en : found.error.zh }), 'error');
        return;
      }
      if (found.kind === 'gs1-unknown') {
        say(t('gs1.notFound', { gtin: found.gtin }), 'error');
        return;
      }
      if (found.kind === 'none') {
        if (!/^\d+$/.test(code)) setDialog({ kind: 'search', text: code });
        else say(t('scan.notFound', { code }), 'error');
        return;
      }
      perfPending.current = t0;
      if (!addProduct(found.hit, qty)) perfPending.current = null;
    },
    [env, settings?.scale, addProduct, say, t, locale],
  );

  const selectedLine = cart.lines.find((l) => l.key === selected) ?? cart.lines[cart.lines.length - 1];

  const requestAuth = useCallback(
    (purpose: 'discount' | 'open_drawer' | 'void_sale', rate?: string) =>
      new Promise<AuthorizationOutcome | null>((resolve) =>
        setDialog({ kind: 'auth', purpose, ...(rate ? { rate } : {}), resolve }),
      ),
    [],
  );

  /** Applies a discount change; beyond the cashier's limit a supervisor must authorise it first (AUTH-4). */
  const applyDiscount = useCallback(
    async (next: Cart) => {
      const tot = priceCart(next, rounding, terminal.store.id);
      if (tot.error) {
        say(t('msg.discountError'), 'error');
        setDialog(null);
        return;
      }
      const rate = tot.manualPercent;
      const limit = cashier.maxDiscountRate;
      const covered =
        dec(rate).lessThanOrEqualTo(limit) || (next.authorizedRate && dec(rate).lessThanOrEqualTo(next.authorizedRate));
      if (covered) {
        setCart(next);
        setDialog(null);
        return;
      }
      say(t('disc.beyond', { rate, limit }), 'error');
      const a = await requestAuth('discount', rate);
      setDialog(null);
      if (!a) return;
      setCart({
        ...next,
        authorizedRate: rate,
        authorizationId: a.kind === 'online' ? a.id : null,
        offlineAuthorization: a.kind === 'offline' ? a.offline : null,
      });
      say(t('auth.granted', { name: a.supervisorName }), 'ok');
    },
    [rounding, terminal.store.id, cashier.maxDiscountRate, requestAuth, setCart, say, t],
  );

  const ensureReceiptNo = useCallback(async (): Promise<Cart | null> => {
    const c = cartRef.current;
    if (c.receiptNo) return c;
    try {
      const no = await takeReceiptNo();
      const next = { ...c, receiptNo: no };
      setCart(next);
      cartRef.current = next;
      return next;
    } catch (e) {
      if (e instanceof ReceiptRangeExhausted) say(t('msg.receiptsOut'), 'error');
      else say(tillErrorText(e, locale), 'error');
      return null;
    }
  }, [setCart, say, t, locale]);

  /** Online, the sale being paid is recorded as temporary first, so a crash mid-payment leaves a trace (POS-2). */
  const postOpenSale = useCallback(
    async (c: Cart, status: 'temporary' | 'held') => {
      if (!cashier.token || !isReachable() || !c.receiptNo) return;
      const body = {
        clientId: c.clientId,
        receiptNo: c.receiptNo,
        status,
        ...(status === 'temporary' ? { shiftId: shift.id } : {}),
        lines: c.lines.map((l) => ({
          productId: l.productId,
          qty: dec(l.qty).toFixed(3),
          unitPrice: l.unitPrice,
          ...(l.discount ? { discount: l.discount } : {}),
          ...(l.barcode ? { barcode: l.barcode } : {}),
          ...(l.lotNo ? { lotNo: l.lotNo } : {}),
        })),
        ...(c.saleDiscount ? { saleDiscount: c.saleDiscount } : {}),
        ...(c.authorizationId ? { authorizationId: c.authorizationId } : {}),
        tenders: [],
      };
      try {
        await till.post(TILL.sales, body, { timeoutMs: 5000 });
        setCart((cur) => (cur.clientId === c.clientId ? { ...cur, postedAs: status } : cur));
      } catch (e) {
        if (e instanceof TillApiError && e.code === 'POS_PRICE_CHANGED') {
          say(t('msg.priceChanged'), 'error');
          void refreshCatalog();
        }
        // Otherwise nothing to do: the sale is safe locally and the outbox will carry it.
      }
    },
    [cashier.token, shift.id, setCart, say, t],
  );

  const completeSale = useCallback(
    async (tenders: TenderEntry[]) => {
      const c = cartRef.current;
      const tot = priceCart(c, rounding, terminal.store.id);
      const paid = tenders.reduce((s, x) => s.plus(x.amount), dec(0));
      const change = money(paid.greaterThan(tot.total) ? paid.minus(tot.total) : 0);
      let record: Awaited<ReturnType<typeof commitSale>>;
      try {
        record = await commitSale({
          cart: c,
          totals: tot,
          tenders,
          change,
          cashier: { id: cashier.id, name: cashier.name },
          shiftId: shift.id,
          terminal: { id: terminal.terminalId, code: terminal.terminalCode },
          madeOnline: !!cashier.token && isReachable(),
        });
      } catch (e) {
        if (!(e instanceof TillError && e.key === 'err.alreadyPaid')) throw e;
        // This sale was paid before: nothing is taken twice. A mobile payment just taken for it goes back.
        for (const x of tenders) {
          if (x.paymentIntentId)
            void till.post(TILL.paymentCancel(x.paymentIntentId), {}, { timeoutMs: 15_000 }).catch(() => undefined);
        }
        setCartState(newCart());
        setSelected(null);
        setDialog(null);
        say(tillErrorText(e, locale), 'error');
        return;
      }
      // Committed: now the receipt prints and the next customer can start.
      setPrinted({ receipt: record.receipt, reprint: false });
      if (settings?.terminal.settings.autoPrint !== false) printSoon();
      setDone({ receiptNo: record.receiptNo, total: tot.total, change });
      publishDisplay({ kind: 'done', store: terminal.store.name, total: tot.total, change });
      setCartState(newCart());
      setSelected(null);
      setDialog(null);
      say(t('msg.saleDone', { receiptNo: record.receiptNo }), 'ok');
      focusScan();
      void flushOutbox();
    },
    [rounding, terminal, cashier, shift.id, settings, say, t, focusScan, locale],
  );

  const reprint = useCallback(
    async (receipt?: LocalReceipt) => {
      const r = receipt ?? (await kvGet<LocalReceipt>(KV.lastReceipt));
      if (!r) return say(t('msg.noReceipt'), 'error');
      setPrinted({ receipt: r, reprint: true });
      printSoon();
    },
    [say, t],
  );

  const hold = useCallback(async () => {
    if (!cartRef.current.lines.length) return say(t('msg.emptyCart'), 'error');
    const c = await ensureReceiptNo();
    if (!c) return;
    const held: HeldSale = {
      clientId: c.clientId,
      cart: c,
      heldAt: new Date().toISOString(),
      cashierId: cashier.id,
      total: totals.total,
    };
    await db.transaction('rw', db.held, db.kv, async () => {
      await db.held.put(held);
      await db.kv.delete(KV.cart);
    });
    void postOpenSale(c, 'held');
    setCartState(newCart());
    setSelected(null);
    say(t('msg.held', { receiptNo: c.receiptNo }), 'ok');
  }, [ensureReceiptNo, cashier.id, totals.total, postOpenSale, say, t]);

  const resumeHeld = useCallback(
    async (h: HeldSale) => {
      if (cartRef.current.lines.length) return say(t('msg.finishFirst'), 'error');
      await db.held.delete(h.clientId);
      setCart(h.cart);
      setSelected(h.cart.lines[h.cart.lines.length - 1]?.key ?? null);
      setDialog(null);
      say(t('msg.resumed', { receiptNo: h.cart.receiptNo }), 'ok');
      focusScan();
    },
    [setCart, say, t, focusScan],
  );

  const discardRemote = useCallback(async (clientId: string) => {
    if (!tillStore.get().cashier?.token || !isReachable()) return;
    await till.post(TILL.discardOpenSale(clientId), {}, { timeoutMs: 6000 }).catch((e) => {
      if (!(e instanceof TillApiError && e.status === 404) && !(e instanceof NetworkError)) throw e;
    });
  }, []);

  /** A crash-left temporary sale from the server comes back into the cart with its client id and receipt no. */
  const resumeServerSale = useCallback(
    async (s: ServerSale) => {
      // Never a sale this till has paid: that one is done (cancelling it is a return).
      if (!(await withoutPaid([s])).length) {
        tillStore.set({ crashLeft: tillStore.get().crashLeft.filter((x) => x.clientId !== s.clientId) });
        setDialog(null);
        say(tillErrorText(new TillError('err.alreadyPaid', { receiptNo: s.receiptNo }), locale), 'error');
        return;
      }
      const products = await db.products.bulkGet(s.lines.map((l) => l.productId));
      let c: Cart = { ...newCart(), clientId: s.clientId, receiptNo: s.receiptNo, postedAs: 'temporary' };
      s.lines.forEach((l, i) => {
        const p = products[i];
        c = addLine(c, {
          productId: l.productId,
          code: p?.code ?? String(l.productId),
          name: p?.name ?? String(l.productId),
          spec: p?.spec ?? '',
          unit: p?.unit ?? null,
          qty: dec(l.qty).toFixed(3),
          unitPrice: l.basePrice,
        }).cart;
      });
      setCart(c);
      tillStore.set({ crashLeft: tillStore.get().crashLeft.filter((x) => x.clientId !== s.clientId) });
      setDialog(null);
      focusScan();
    },
    [setCart, focusScan, say, locale],
  );

  const voidSale = useCallback(async () => {
    const c = cartRef.current;
    if (!c.lines.length) return;
    if (!cashier.canAuthorize) {
      const a = await requestAuth('void_sale');
      setDialog(null);
      if (!a) return;
    }
    if (c.postedAs) void discardRemote(c.clientId).catch(() => undefined);
    await db.kv.delete(KV.cart);
    setCartState(newCart());
    setSelected(null);
    say(t('msg.voided'), 'info');
  }, [cashier.canAuthorize, requestAuth, discardRemote, say, t]);

  /** Payment opens on a numbered sale, recorded as temporary on the server while online. */
  const startPayment = useCallback(
    async (method?: TenderEntry['method']) => {
      const c = await ensureReceiptNo();
      if (!c) return;
      setDialog({ kind: 'pay', ...(method ? { method } : {}) });
      if (c.postedAs !== 'temporary') void postOpenSale(c, 'temporary');
    },
    [ensureReceiptNo, postOpenSale],
  );

  /** "No selling below zero" before payment: online a short line blocks, offline it warns (see stock.ts). */
  const openPay = useCallback(
    async (method?: TenderEntry['method']) => {
      if (!cartRef.current.lines.length) return say(t('msg.emptyCart'), 'error');
      if (totals.error) return say(t('msg.discountError'), 'error');
      if (checkingStock.current) return;
      checkingStock.current = true;
      say(t('stock.checking'));
      try {
        const verdict = await checkStockBeforePay(cartRef.current.lines);
        setStatus(null);
        if (verdict.kind === 'blocked') return setDialog({ kind: 'stock', mode: 'online', shortages: verdict.shortages });
        if (verdict.kind === 'warn') {
          return setDialog({ kind: 'stock', mode: 'offline', shortages: verdict.shortages, ...(method ? { method } : {}) });
        }
        await startPayment(method);
      } catch (e) {
        say(tillErrorText(e, locale), 'error');
      } finally {
        checkingStock.current = false;
      }
    },
    [totals.error, startPayment, say, t, locale],
  );

  const runAction = useCallback(
    (action: HotkeyAction | 'handover' | 'void_sale' | 'recent') => {
      const line = selectedLine;
      switch (action) {
        case 'search':
          return setDialog({ kind: 'search', text: scanRef.current?.value ?? '' });
        case 'qty':
          return line ? setDialog({ kind: 'qty', key: line.key }) : say(t('msg.emptyCart'), 'error');
        case 'void_line':
          if (!line) return say(t('msg.emptyCart'), 'error');
          setCart((c) => removeLine(c, line.key));
          setSelected(null);
          return say(t('msg.lineVoided', { name: line.name }), 'info');
        case 'line_discount':
          return line ? setDialog({ kind: 'lineDiscount', key: line.key }) : say(t('msg.emptyCart'), 'error');
        case 'price_override':
          return line
            ? setDialog({ kind: 'lineDiscount', key: line.key, initialKind: 'price' })
            : say(t('msg.emptyCart'), 'error');
        case 'sale_discount':
          return cart.lines.length ? setDialog({ kind: 'saleDiscount' }) : say(t('msg.emptyCart'), 'error');
        case 'member':
          return say(t('msg.memberLater'), 'info');
        case 'hold':
          return void hold();
        case 'resume':
          return cart.lines.length ? say(t('msg.finishFirst'), 'error') : setDialog({ kind: 'held' });
        case 'pay':
          return void openPay();
        case 'pay_cash':
          return void openPay('cash');
        case 'pay_card':
          return void openPay('bank_card');
        case 'pay_mobile':
          return void openPay('mobile');
        case 'return':
          if (cart.lines.length) return say(t('msg.finishFirst'), 'error');
          if (!tillStore.get().online || !cashier.token) return say(t('msg.needOnline'), 'error');
          return setDialog({ kind: 'return' });
        case 'reprint':
          return void reprint();
        case 'open_drawer':
          return void requestAuth('open_drawer').then((a) => {
            setDialog(null);
            if (a) say(t('msg.drawerOpened'), 'ok');
          });
        case 'customer_display':
          window.open('/pos/display', 'erp-till-display', 'popup,width=900,height=600');
          return;
        case 'sign_out':
          if (cart.lines.length) return say(t('msg.finishFirst'), 'error');
          return void signOut();
        case 'handover':
          if (cart.lines.length) return say(t('msg.finishFirst'), 'error');
          return setDialog({ kind: 'handover' });
        case 'void_sale':
          return void voidSale();
        case 'recent':
          return setDialog({ kind: 'recent' });
      }
    },
    [selectedLine, cart.lines.length, cashier.token, setCart, hold, openPay, reprint, requestAuth, voidSale, say, t],
  );

  // Hotkeys and "type anywhere goes to the scan field".
  useEffect(() => {
    if (dialog) return;
    const onKey = (e: KeyboardEvent) => {
      const action = hotkeys.get(eventKey(e));
      if (action) {
        e.preventDefault();
        runAction(action);
        return;
      }
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const lines = cartRef.current.lines;
        if (!lines.length) return;
        const i = lines.findIndex((l) => l.key === selected);
        const cur = i < 0 ? lines.length - 1 : i;
        const next = e.key === 'ArrowDown' ? Math.min(lines.length - 1, cur + 1) : Math.max(0, cur - 1);
        setSelected(lines[next]?.key ?? null);
        return;
      }
      if (e.key === 'Delete' && document.activeElement === scanRef.current && !scanRef.current?.value) {
        e.preventDefault();
        runAction('void_line');
        return;
      }
      const target = e.target as HTMLElement;
      if (target.tagName !== 'INPUT' && target.tagName !== 'TEXTAREA' && e.key.length === 1 && !e.ctrlKey && !e.metaKey) {
        scanRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog, hotkeys, runAction, selected]);

  useEffect(() => {
    if (!dialog) focusScan();
  }, [dialog, focusScan]);

  const closeDialog = useCallback(() => setDialog(null), []);
  const dialogLine = dialog && 'key' in dialog ? cart.lines.find((l) => l.key === dialog.key) : undefined;

  const actionLabel = (a: string) => t(`action.${a}` as 'action.pay');
  const keys = settings?.hotkeys;

  return (
    <div className="till-app">
      <TopBar onOutboxClick={() => setDialog({ kind: 'recent' })} onRefusedClick={() => setDialog({ kind: 'refused' })} />
      <main className="till-main">
        <section className="till-left">
          <div className="till-scan">
            <input
              ref={scanRef}
              className="till-input till-scan-input"
              placeholder={t('scan.placeholder')}
              autoComplete="off"
              spellCheck={false}
              data-testid="scan-input"
              onKeyDown={(e) => {
                // A wedge scanner sends GS1's FNC1 (ASCII 29) as Ctrl+]: keep it as the separator it is.
                if (e.ctrlKey && e.key === ']') {
                  e.preventDefault();
                  e.currentTarget.value += GS1_GS;
                  return;
                }
                if (e.key !== 'Enter') return;
                e.preventDefault();
                const v = e.currentTarget.value;
                e.currentTarget.value = '';
                void onScan(v, e.timeStamp);
              }}
            />
          </div>
          <LinesTable cart={cart} totals={totals} selected={selectedLine?.key ?? null} onSelect={setSelected} />
          <div className={`till-status till-status-${status?.tone ?? 'info'}`} data-testid="till-status" role="status">
            {status?.text ?? ''}
          </div>
        </section>
        <aside className="till-right">
          <div className="till-totals" data-testid="totals">
            <div className="row">
              <span>{t('totals.items')}</span>
              <span data-testid="total-items">{totals.itemCount}</span>
            </div>
            <div className="row">
              <span>{t('totals.gross')}</span>
              <span data-testid="total-gross">¥{totals.gross}</span>
            </div>
            <div className="row">
              <span>{t('totals.savings')}</span>
              <span className="save">¥{money(dec(totals.gross).minus(totals.total))}</span>
            </div>
            {!dec(totals.rounding).isZero() && (
              <div className="row">
                <span>{t('totals.rounding')}</span>
                <span>¥{totals.rounding}</span>
              </div>
            )}
            <div className="row big">
              <span>{t('totals.total')}</span>
              <span data-testid="total-due">¥{totals.total}</span>
            </div>
          </div>
          {done && (
            <div className="till-done" data-testid="sale-done">
              <div className="till-muted">
                {done.refund ? t('return.doneTitle') : t('done.title')} · <span data-testid="done-receipt">{done.receiptNo}</span>
              </div>
              <div className="row big">
                <span>{done.refund ? t('return.amount') : t('done.change')}</span>
                <span data-testid="done-change">¥{done.refund ?? done.change}</span>
              </div>
              <div className="till-muted till-small">{t('done.next')}</div>
            </div>
          )}
          <div className="till-keys">
            {ACTION_ORDER.filter((a) => a !== 'pay_card' && a !== 'pay_mobile').map((a) => {
              const k = keyFor(keys, a);
              return (
                <button key={a} type="button" className="till-key" onClick={() => runAction(a)} data-testid={`key-${a}`}>
                  <span>{actionLabel(a)}</span>
                  {k && <Kbd>{k}</Kbd>}
                </button>
              );
            })}
            <button type="button" className="till-key" onClick={() => runAction('void_sale')} data-testid="key-void_sale">
              <span>{t('action.void_sale')}</span>
            </button>
            <button type="button" className="till-key" onClick={() => runAction('recent')} data-testid="key-recent">
              <span>{t('action.recent')}</span>
            </button>
            <button type="button" className="till-key" onClick={() => runAction('handover')} data-testid="key-handover">
              <span>{t('action.handover')}</span>
            </button>
          </div>
        </aside>
      </main>
      <div className="till-phone-pay" data-testid="phone-pay">
        <span className="due">¥{totals.total}</span>
        <button
          type="button"
          className="till-btn till-btn-primary"
          onClick={() => runAction('pay')}
          data-testid="phone-pay-button"
        >
          {t('action.pay')}
        </button>
      </div>

      {dialog?.kind === 'qty' && dialogLine && (
        <QtyDialog
          line={dialogLine}
          onClose={closeDialog}
          onSave={(qty) => {
            setCart((c) => updateLine(c, dialogLine.key, { qty }));
            setDialog(null);
          }}
        />
      )}
      {dialog?.kind === 'lineDiscount' && dialogLine && (
        <DiscountDialog
          scope="line"
          title={`${t('disc.lineTitle')} · ${dialogLine.name}`}
          current={dialogLine.discount ?? null}
          {...(dialog.initialKind ? { initialKind: dialog.initialKind } : {})}
          limit={cashier.maxDiscountRate}
          onClose={closeDialog}
          onSave={(d: DiscountValue) => void applyDiscount(updateLine(cart, dialogLine.key, { discount: d }))}
        />
      )}
      {dialog?.kind === 'saleDiscount' && (
        <DiscountDialog
          scope="sale"
          title={t('disc.saleTitle')}
          current={cart.saleDiscount}
          limit={cashier.maxDiscountRate}
          onClose={closeDialog}
          onSave={(d) => void applyDiscount({ ...cart, saleDiscount: d as Cart['saleDiscount'] })}
        />
      )}
      {dialog?.kind === 'auth' && (
        <AuthorizeDialog
          purpose={dialog.purpose}
          {...(dialog.rate ? { rate: dialog.rate } : {})}
          clientSaleId={cart.clientId}
          onClose={() => {
            dialog.resolve(null);
            setDialog(null);
          }}
          onGranted={(a) => dialog.resolve(a)}
        />
      )}
      {dialog?.kind === 'pay' && (
        <PayDialog
          total={totals.total}
          clientSaleId={cart.clientId}
          {...(dialog.method ? { initialMethod: dialog.method } : {})}
          onCancel={closeDialog}
          onComplete={completeSale}
        />
      )}
      {dialog?.kind === 'search' && (
        <SearchDialog
          initial={dialog.text}
          env={env}
          onClose={closeDialog}
          onPick={(p) => {
            if (scanRef.current) scanRef.current.value = '';
            addProduct(p);
            setDialog(null);
          }}
        />
      )}
      {dialog?.kind === 'held' && (
        <HeldDialog
          cashierId={cashier.id}
          onClose={closeDialog}
          onResume={(h) => void resumeHeld(h)}
          onDiscard={(h) => {
            void db.held.delete(h.clientId).then(() => setDialog({ kind: 'held' }));
            void discardRemote(h.clientId).catch(() => undefined);
            setDialog(null);
          }}
        />
      )}
      {dialog?.kind === 'crash' && crashLeft.length > 0 && (
        <CrashDialog
          sales={crashLeft}
          onClose={closeDialog}
          onResume={(s) => void resumeServerSale(s)}
          onDiscard={async (s) => {
            await discardRemote(s.clientId);
            const left = tillStore.get().crashLeft.filter((x) => x.clientId !== s.clientId);
            tillStore.set({ crashLeft: left });
            if (!left.length) setDialog(null);
          }}
        />
      )}
      {dialog?.kind === 'return' && (
        <ReturnDialog
          shiftId={shift.id}
          onClose={closeDialog}
          onDone={(receipt, refund) => {
            setPrinted({ receipt, reprint: false });
            printSoon();
            setDone({ receiptNo: receipt.receiptNo, total: receipt.total, change: '0.00', refund });
            setDialog(null);
            say(t('return.done', { receiptNo: receipt.receiptNo, amount: refund }), 'ok');
          }}
        />
      )}
      {dialog?.kind === 'handover' && (
        <HandoverDialog
          onClose={closeDialog}
          onDone={() => {
            setDialog(null);
            void finishHandover();
          }}
        />
      )}
      {dialog?.kind === 'refused' && (
        <RefusedDialog onClose={closeDialog} onRecheck={() => flushOutbox({ recheckRefused: true })} />
      )}
      {dialog?.kind === 'stock' && (
        <StockDialog
          mode={dialog.mode}
          shortages={dialog.shortages}
          onClose={closeDialog}
          onSellAnyway={() => {
            const method = dialog.method;
            setDialog(null);
            void startPayment(method);
          }}
        />
      )}
      {dialog?.kind === 'recent' && (
        <RecentDialog
          onClose={closeDialog}
          onReprint={(s) => {
            setDialog(null);
            void reprint(s.receipt);
          }}
          onUpload={() => {
            void flushOutbox().then(refreshOutboxCounts);
            setDialog(null);
          }}
        />
      )}

      {printed && template && (
        <PrintArea>
          <Receipt
            receipt={printed.receipt}
            template={template}
            width={width}
            store={{ name: terminal.store.name, code: terminal.store.code }}
            reprint={printed.reprint}
          />
        </PrintArea>
      )}
    </div>
  );
}
