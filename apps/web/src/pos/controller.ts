import { errorMessage, type Locale } from '@erp/contracts';
import { hasTillSession, isReachable, NetworkError, onReachability, setTillCredentials, TILL, TillApiError, till } from './api';
import { db, KV, kvGet, kvSet, type LocalShift, type ReceiptRanges, type TerminalIdentity, type TillSettings } from './db';
import { LocalizedError, TillError, tillErrorText, tillErrorTexts } from './errors';
import { flushOutbox, outboxEvents, refreshOutboxCounts, unbookedSales, withoutPaid } from './outbox';
import { cashOfAll, type HandoverFigures, withUnsentCash } from './outbox.rules';
import { clearOfflineFailures, noteOfflineFailure, offlineLockedUntil, verifyPinOffline } from './pin';
import { addReceiptBlock, receiptsLeft } from './receipts';
import { type ServerSale, type SignedInCashier, tillStore } from './store';
import { catalogCounts, syncCatalog } from './sync';

/**
 * The till's use cases outside the sale screen: start-up, pairing (ORG-5), cashier sign-in online and
 * offline, shifts (POS-7), and the background loops that keep the catalog fresh and empty the outbox.
 */

const SESSION_KEY = 'erp.till.session';

interface ReceiptBlockDto {
  firstNo: number;
  lastNo: number;
  firstReceiptNo: string;
  lastReceiptNo: string;
}

interface TerminalDto {
  id: number;
  storeId: number;
  code: string;
  name: string;
  receiptPrefix: string;
  settings: TillSettings['terminal']['settings'];
}

interface PairResult {
  terminalToken: string;
  terminal: TerminalDto;
  store: { id: number; code: string; name: string };
  receiptBlock: ReceiptBlockDto;
}

interface SignInOk {
  ok?: true;
  token: string;
  expiresAt: string;
  cashier: { id: number; login: string; name: string };
  /** Temporary sales this cashier left behind (a crash mid-payment): shown after sign-in (POS-2). */
  pendingSales?: ServerSale[];
}

interface SignInFailed {
  ok: false;
  code: string;
  params?: Record<string, string>;
}

/** A refused sign-in, worded in the cashier's language. */
export class SignInError extends LocalizedError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

function localized(code: string, locale: Locale, params: Record<string, unknown> = {}): string {
  try {
    return errorMessage(code as never, locale, params as never);
  } catch {
    return code;
  }
}

/** Loads what the till knows about itself from IndexedDB and starts the background loops. */
export async function startTill(): Promise<void> {
  const [terminal, settings, lastSync, receipts] = await Promise.all([
    kvGet<TerminalIdentity>(KV.terminal),
    kvGet<TillSettings>(KV.settings),
    kvGet<string>(KV.lastSync),
    kvGet<ReceiptRanges>(KV.receipts),
  ]);
  if (terminal) setTillCredentials({ terminalToken: terminal.token });
  const restored = restoreSession();
  if (restored) setTillCredentials({ bearer: restored.token });
  const counts = await catalogCounts();
  tillStore.set({
    ready: true,
    terminal: terminal ?? null,
    settings: settings ?? null,
    lastSync: lastSync ?? null,
    catalogSize: counts.products,
    receiptsLeft: receipts ? receiptsLeft(receipts) : null,
    online: isReachable(),
    cashier: restored,
  });
  if (restored) await loadLocalShift(restored.id);
  await refreshOutboxCounts();
  outboxEvents.onUnauthorized = (e) => void onSessionRejected(e);
  onReachability((ok) => {
    tillStore.set({ online: ok });
    if (ok) void backgroundTick();
  });
  setInterval(() => void backgroundTick(), 5_000);
  setInterval(() => void refreshCatalog(), 60_000);
  void backgroundTick();
}

function restoreSession(): SignedInCashier | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as SignedInCashier & { expiresAt?: string };
    if (s.expiresAt && new Date(s.expiresAt).getTime() < Date.now()) return null;
    return s;
  } catch {
    return null;
  }
}

function persistSession(c: SignedInCashier | null, expiresAt?: string) {
  // Only online sessions survive a reload (their token is what the uploader needs). An offline sign-in is
  // asked again after a reload, which keeps the PIN out of storage.
  if (c?.token) sessionStorage.setItem(SESSION_KEY, JSON.stringify({ ...c, expiresAt }));
  else sessionStorage.removeItem(SESSION_KEY);
}

let pendingPin: { login: string; pin: string } | null = null;
let ticking = false;

/** Uploads the outbox, re-signs an offline session in online once the server is back, tops up receipts. */
export async function backgroundTick(): Promise<void> {
  if (ticking) return;
  ticking = true;
  try {
    const s = tillStore.get();
    if (!s.terminal || !s.cashier) return;
    if (!isReachable() && navigator.onLine) {
      // The last request failed but the browser is online: probe again.
      try {
        await till.get('/api/health', undefined, { timeoutMs: 4000, anonymous: true });
      } catch {
        return;
      }
    }
    if (!navigator.onLine) return;
    if (!s.cashier.token && pendingPin) await upgradeOfflineSession();
    if (!tillStore.get().cashier?.token) return;
    await uploadOfflineShift();
    await flushOutbox();
    await topUpReceipts();
  } catch (e) {
    if (!(e instanceof NetworkError)) console.warn('till background', e);
  } finally {
    ticking = false;
  }
}

export async function refreshCatalog(): Promise<void> {
  const s = tillStore.get();
  if (!s.terminal || !hasTillSession() || !isReachable() || s.syncing) return;
  tillStore.set({ syncing: true, syncError: null });
  try {
    await syncCatalog((p) => tillStore.set({ syncProgress: { products: p.products, pages: p.pages } }));
    const [settings, counts, lastSync] = await Promise.all([
      kvGet<TillSettings>(KV.settings),
      catalogCounts(),
      kvGet<string>(KV.lastSync),
    ]);
    tillStore.set({ settings: settings ?? null, catalogSize: counts.products, lastSync: lastSync ?? null });
    await refreshCashierLimits();
  } catch (e) {
    console.warn('till sync failed', e);
    tillStore.set({ syncError: tillErrorTexts(e) });
    if (e instanceof TillApiError && e.status === 401) await onSessionRejected(e);
  } finally {
    tillStore.set({ syncing: false, syncProgress: null });
  }
}

async function refreshCashierLimits() {
  const c = tillStore.get().cashier;
  if (!c) return;
  const row = await db.cashiers.get(c.id);
  if (row) tillStore.set({ cashier: { ...c, maxDiscountRate: row.maxDiscountRate, canAuthorize: row.canAuthorize } });
}

async function onSessionRejected(e: TillApiError) {
  if (e.code === 'POS_TERMINAL_TOKEN_INVALID') {
    // The till was reset or disabled in the back office: it must be paired again (its outbox stays).
    await kvSet(KV.terminal, null);
    setTillCredentials({ terminalToken: null, bearer: null });
    persistSession(null);
    tillStore.set({ terminal: null, cashier: null, shift: null });
    return;
  }
  // The cashier's till session expired: keep selling offline, sign in again to upload.
  const c = tillStore.get().cashier;
  if (c) tillStore.set({ cashier: { ...c, token: null, offline: true } });
  setTillCredentials({ bearer: null });
  persistSession(null);
}

// ---- pairing (ORG-5)

export async function pairTill(code: string, deviceName: string): Promise<TerminalIdentity> {
  const r = await till.post<PairResult>(TILL.pair, { code, deviceName }, { anonymous: true });
  const identity: TerminalIdentity = {
    token: r.terminalToken,
    terminalId: r.terminal.id,
    terminalCode: r.terminal.code,
    terminalName: r.terminal.name,
    receiptPrefix: r.terminal.receiptPrefix,
    store: r.store,
    pairedAt: new Date().toISOString(),
  };
  const previous = await kvGet<TerminalIdentity>(KV.terminal);
  await db.transaction('rw', db.kv, async () => {
    await kvSet(KV.terminal, identity);
    const ranges: ReceiptRanges = {
      prefix: r.terminal.receiptPrefix,
      blocks: [{ first: r.receiptBlock.firstNo, last: r.receiptBlock.lastNo }],
      next: r.receiptBlock.firstNo,
    };
    await kvSet(KV.receipts, ranges);
    if (previous && previous.store.id !== r.store.id) await db.kv.delete(KV.cursor);
  });
  setTillCredentials({ terminalToken: identity.token });
  tillStore.set({
    terminal: identity,
    receiptsLeft: r.receiptBlock.lastNo - r.receiptBlock.firstNo + 1,
  });
  return identity;
}

// ---- sign-in

function signInWith(c: SignedInCashier, expiresAt?: string) {
  setTillCredentials({ bearer: c.token });
  persistSession(c, expiresAt);
  tillStore.set({ cashier: c });
}

export async function signIn(login: string, pin: string, locale: Locale): Promise<SignedInCashier> {
  const terminal = tillStore.get().terminal;
  if (!terminal) throw new TillError('err.unexpected');
  if (isReachable()) {
    try {
      const r = await till.post<SignInOk | SignInFailed>(
        TILL.signIn,
        { login, pin, terminalToken: terminal.token },
        { anonymous: true, timeoutMs: 8000 },
      );
      if ('ok' in r && r.ok === false) throw new SignInError(r.code, localized(r.code, locale, r.params));
      const ok = r as SignInOk;
      setTillCredentials({ bearer: ok.token });
      // The first sign-in on a freshly paired till loads the catalog and the cashier list.
      // The first sign-in on a freshly paired till waits for the catalog and the cashier list; later ones
      // take the delta in the background.
      const cold = tillStore.get().catalogSize === 0 || !(await db.cashiers.get(ok.cashier.id));
      if (cold) await refreshCatalog();
      else void refreshCatalog();
      const row = await db.cashiers.get(ok.cashier.id);
      const cashier: SignedInCashier = {
        id: ok.cashier.id,
        login: ok.cashier.login,
        name: ok.cashier.name,
        maxDiscountRate: row?.maxDiscountRate ?? '0',
        canAuthorize: row?.canAuthorize ?? false,
        token: ok.token,
        offline: false,
      };
      signInWith(cashier, ok.expiresAt);
      // A temporary sale the server still holds for a sale this till has paid (its upload was refused, or is
      // still on its way) is not "left behind": it is never offered for payment again.
      tillStore.set({ crashLeft: await withoutPaid(ok.pendingSales ?? []) });
      pendingPin = null;
      await loadShift(cashier.id);
      return cashier;
    } catch (e) {
      if (e instanceof TillApiError) {
        if (e.code === 'POS_TERMINAL_TOKEN_INVALID') await onSessionRejected(e);
        throw new SignInError(e.code ?? 'ERROR', tillErrorText(e, locale));
      }
      if (!(e instanceof NetworkError)) throw e;
      // Unreachable after all: fall through to the offline check.
    }
  }
  return signInOffline(login, pin, locale);
}

async function signInOffline(login: string, pin: string, locale: Locale): Promise<SignedInCashier> {
  const zh = locale !== 'en';
  const until = offlineLockedUntil(login);
  if (until) {
    throw new SignInError('POS_PIN_LOCKED', localized('POS_PIN_LOCKED', locale, { until: new Date(until).toLocaleTimeString() }));
  }
  const row = await db.cashiers.where('login').equalsIgnoreCase(login).first();
  if (!row?.pin) {
    if (!row) noteOfflineFailure(login);
    throw new SignInError(
      'POS_OFFLINE_UNKNOWN',
      zh
        ? '离线登录失败：本机没有该收银员的资料（需先联网同步）或未设置收银密码'
        : 'Offline sign-in failed: this till has no record of that cashier (sync online first) or no PIN is set',
    );
  }
  if (!(await verifyPinOffline(pin, row.pin))) {
    noteOfflineFailure(login);
    throw new SignInError('POS_PIN_INVALID', localized('POS_PIN_INVALID', locale));
  }
  clearOfflineFailures(login);
  pendingPin = { login, pin };
  const cashier: SignedInCashier = {
    id: row.id,
    login: row.login,
    name: row.name,
    maxDiscountRate: row.maxDiscountRate,
    canAuthorize: row.canAuthorize,
    token: null,
    offline: true,
  };
  signInWith(cashier);
  await loadLocalShift(cashier.id);
  return cashier;
}

/** Once the server is back, an offline session gets its token with the PIN the cashier typed (kept in memory only). */
async function upgradeOfflineSession(): Promise<void> {
  const terminal = tillStore.get().terminal;
  const c = tillStore.get().cashier;
  if (!terminal || !c || !pendingPin || pendingPin.login.toLowerCase() !== c.login.toLowerCase()) return;
  try {
    const r = await till.post<SignInOk | SignInFailed>(
      TILL.signIn,
      { login: pendingPin.login, pin: pendingPin.pin, terminalToken: terminal.token },
      { anonymous: true, timeoutMs: 8000 },
    );
    if ('ok' in r && r.ok === false) {
      pendingPin = null;
      return;
    }
    const ok = r as SignInOk;
    pendingPin = null;
    signInWith({ ...c, token: ok.token, offline: false }, ok.expiresAt);
  } catch (e) {
    if (e instanceof TillApiError) pendingPin = null;
  }
}

export async function signOut(): Promise<void> {
  const c = tillStore.get().cashier;
  if (c?.token && isReachable()) {
    await till.post(TILL.signOut, {}, { timeoutMs: 3000 }).catch(() => undefined);
  }
  pendingPin = null;
  setTillCredentials({ bearer: null });
  persistSession(null);
  tillStore.set({ cashier: null, shift: null });
}

// ---- shifts (POS-7)

interface ShiftDto {
  id: string;
  cashierId: number;
  float: string;
  openedAt: string;
  status: 'open' | 'handed_over';
}

async function loadLocalShift(cashierId: number): Promise<void> {
  const open = await db.shifts
    .where('status')
    .equals('open')
    .filter((s) => s.cashierId === cashierId)
    .first();
  tillStore.set({ shift: open ?? null });
}

/** The cashier's open shift: the server's if reachable (adopted locally), else the local one. */
async function loadShift(cashierId: number): Promise<void> {
  try {
    const r = await till.get<{ shift: ShiftDto | null }>(TILL.shift, undefined, { timeoutMs: 5000 });
    if (r.shift) {
      const local: LocalShift = {
        id: r.shift.id,
        cashierId: r.shift.cashierId,
        float: r.shift.float,
        openedAt: String(r.shift.openedAt),
        status: 'open',
        uploaded: true,
      };
      await db.shifts.put(local);
      // Shifts this cashier left open locally but the server closed are closed here too.
      await db.shifts
        .where('status')
        .equals('open')
        .filter((s) => s.cashierId === cashierId && s.id !== local.id && s.uploaded)
        .modify({ status: 'handed_over' });
      tillStore.set({ shift: local });
      return;
    }
    // None on the server: a local one not yet uploaded still counts.
    const pending = await db.shifts
      .where('status')
      .equals('open')
      .filter((s) => s.cashierId === cashierId && !s.uploaded)
      .first();
    await db.shifts
      .where('status')
      .equals('open')
      .filter((s) => s.cashierId === cashierId && s.uploaded)
      .modify({ status: 'handed_over' });
    tillStore.set({ shift: pending ?? null });
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    await loadLocalShift(cashierId);
  }
}

export async function openShift(float: string): Promise<LocalShift> {
  const c = tillStore.get().cashier;
  if (!c) throw new TillError('err.notSignedIn');
  const shift: LocalShift = {
    id: crypto.randomUUID(),
    cashierId: c.id,
    float,
    openedAt: new Date().toISOString(),
    status: 'open',
    uploaded: false,
  };
  if (c.token && isReachable()) {
    try {
      await till.post(TILL.shifts, { id: shift.id, float }, { idempotencyKey: shift.id, timeoutMs: 6000 });
      shift.uploaded = true;
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
    }
  }
  await db.shifts.put(shift);
  tillStore.set({ shift });
  return shift;
}

/** A shift opened offline goes up before the sales made in it (the upload endpoint also takes it). */
async function uploadOfflineShift(): Promise<void> {
  // Only the signed-in cashier's own: the server opens a shift for the session's cashier. Other cashiers'
  // offline shifts travel in the upload batch, which names the cashier.
  const me = tillStore.get().cashier?.id;
  const pending = await db.shifts.filter((s) => !s.uploaded && s.cashierId === me).toArray();
  for (const s of pending) {
    try {
      await till.post(TILL.shifts, { id: s.id, float: s.float }, { idempotencyKey: s.id, timeoutMs: 6000 });
      await db.shifts.update(s.id, { uploaded: true });
    } catch (e) {
      if (e instanceof NetworkError) return;
      // Another cashier's shift, or the server refuses it as a second open shift: the upload batch carries it.
      break;
    }
  }
}

interface HandoverAnswer {
  shift: HandoverFigures;
  totals: { expectedCash: string; byTender: { method: string; sales: string; refunds: string; net: string }[] };
}

export interface HandoverResult extends HandoverAnswer {
  /** The server's figures with the cash of this shift's sales still on the till added (see withUnsentCash). */
  figures: HandoverFigures;
  unsent: { count: number; cash: string };
}

export async function handOver(
  deposit: string,
  denominations: Record<string, number> | undefined,
  remarks?: string,
): Promise<HandoverResult> {
  const shift = tillStore.get().shift;
  if (!shift) throw new TillError('err.noShift');
  // Every sale of the shift should be on the server before the expected cash is computed there; what could
  // not go up is added here, so the cashier is not shown short by sales that are merely not uploaded.
  await flushOutbox();
  const r = await till.post<HandoverAnswer>(TILL.handover, { deposit, denominations, remarks });
  await db.shifts.update(shift.id, { status: 'handed_over' });
  const { pending } = await unbookedSales(shift.id);
  const cash = cashOfAll(pending);
  // The screen keeps the shift until the cashier has read the result (finishHandover).
  return { ...r, figures: withUnsentCash(r.shift, cash), unsent: { count: pending.length, cash } };
}

/** After the hand-over result was shown: the shift is over and the cashier signs out. */
export async function finishHandover(): Promise<void> {
  tillStore.set({ shift: null });
  await signOut();
}

export async function currentShiftTotals() {
  return till.get<{
    shift: ShiftDto | null;
    totals: { expectedCash: string | null; byTender: { method: string; net: string }[]; saleCount: number } | null;
  }>(TILL.shift, undefined, { timeoutMs: 5000 });
}

async function topUpReceipts(): Promise<void> {
  const r = await kvGet<ReceiptRanges>(KV.receipts);
  const left = receiptsLeft(r);
  tillStore.set({ receiptsLeft: left });
  if (!r || left > 1000) return;
  const block = await till.post<ReceiptBlockDto>(TILL.receiptBlock, { size: 5000 }, { timeoutMs: 6000 });
  const next = await addReceiptBlock(block.firstNo, block.lastNo);
  tillStore.set({ receiptsLeft: receiptsLeft(next) });
}

/** Forgets this till's pairing (the outbox must be empty). */
export async function unpair(): Promise<void> {
  const pending = await db.outbox.where('status').equals('pending').count();
  if (pending > 0) throw new TillError('err.outboxNotEmpty', { n: pending });
  await db.kv.clear();
  await Promise.all([db.products.clear(), db.barcodes.clear(), db.prices.clear(), db.cashiers.clear(), db.stock.clear()]);
  setTillCredentials({ terminalToken: null, bearer: null });
  persistSession(null);
  tillStore.set({ terminal: null, cashier: null, shift: null, settings: null, catalogSize: 0 });
}
