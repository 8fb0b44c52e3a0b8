import { dec, money } from '@erp/contracts';
import { NetworkError, TILL, TillApiError, till } from './api';
import { type CartTotals, saleLineBody } from './cart';
import { type Cart, db, KV, type LocalReceipt, type OutboxSale, type TenderEntry } from './db';
import { TillError, tillErrorTexts } from './errors';
import { applyRecheck, applyUploadResult, dueForRecheck, earliestDay, type UploadResult } from './outbox.rules';
import { tillStore } from './store';

/**
 * The outbox (POS-9): a finished sale is committed here — in one IndexedDB transaction, with its client id
 * and its receipt number — BEFORE the receipt prints. Uploads go out in commit order and are idempotent on
 * the client id, so a sale is on the server exactly once however often it is sent:
 *   - a sale made online by the signed-in cashier goes through the checkout (the server re-prices it);
 *   - everything else (made offline, refused by the checkout, another cashier's) goes through the offline
 *     upload, which assigns the business day and puts what it cannot apply in the supervisor's error queue.
 * A paid sale is final: its client id and receipt number are never paid again (commitSale refuses), and no
 * cart carrying them is ever saved or restored (saveCart / loadSavedCart).
 */

export interface CommitInput {
  cart: Cart;
  totals: CartTotals;
  tenders: TenderEntry[];
  change: string;
  cashier: { id: number; name: string };
  shiftId: string;
  terminal: { id: number; code: string };
  madeOnline: boolean;
}

export function buildReceipt(input: CommitInput, receiptNo: string, soldAt: string): LocalReceipt {
  const priced = input.totals.result?.lines ?? [];
  const paid = money(input.tenders.reduce((s, t) => s.plus(t.amount), dec(0)));
  return {
    receiptNo,
    kind: 'sale',
    soldAt,
    cashierName: input.cashier.name,
    terminalCode: input.terminal.code,
    lines: input.cart.lines.map((l, i) => {
      const p = priced[i];
      const amount = p?.amount ?? money(dec(l.qty).times(l.unitPrice));
      return {
        name: `${l.name}${l.spec ? ` ${l.spec}` : ''}`,
        qty: dec(l.qty).toString(),
        unitPrice: money(l.unitPrice),
        amount,
        discount: p ? money(dec(p.gross).minus(p.amount).plus(p.rounding)) : '0.00',
      };
    }),
    gross: input.totals.gross,
    discount: input.totals.discount,
    rounding: input.totals.rounding,
    total: input.totals.total,
    tenders: input.tenders.map((t) => ({ method: t.method, amount: money(t.amount) })),
    paid,
    change: input.change,
    savings: money(dec(input.totals.gross).minus(input.totals.total)),
    offline: !input.madeOnline,
  };
}

/** Commits a finished sale to the outbox (and clears the saved cart) in one transaction. */
export async function commitSale(input: CommitInput): Promise<OutboxSale> {
  const { cart } = input;
  if (!cart.receiptNo) throw new TillError('err.unexpected');
  const soldAt = new Date().toISOString();
  const receipt = buildReceipt(input, cart.receiptNo, soldAt);
  const record: OutboxSale = {
    clientId: cart.clientId,
    receiptNo: cart.receiptNo,
    seq: 0,
    status: 'pending',
    kind: 'sale',
    madeOnline: input.madeOnline,
    createdAt: soldAt,
    cashierId: input.cashier.id,
    cashierName: input.cashier.name,
    shiftId: input.shiftId,
    payload: {
      clientId: cart.clientId,
      receiptNo: cart.receiptNo,
      status: 'formal',
      soldAt,
      shiftId: input.shiftId,
      ...(cart.memberId ? { memberId: cart.memberId } : {}),
      lines: cart.lines.map(saleLineBody),
      ...(cart.saleDiscount ? { saleDiscount: cart.saleDiscount } : {}),
      tenders: input.tenders.map((t) => ({
        method: t.method,
        amount: money(t.amount),
        ...(t.reference ? { reference: t.reference } : {}),
        ...(t.paymentIntentId ? { paymentIntentId: t.paymentIntentId } : {}),
      })),
      expectedTotal: input.totals.total,
      ...(cart.authorizationId ? { authorizationId: cart.authorizationId } : {}),
      terminalId: input.terminal.id,
      cashierId: input.cashier.id,
      ...(cart.offlineAuthorization ? { offlineAuthorization: cart.offlineAuthorization } : {}),
    },
    receipt,
    attempts: 0,
    lastError: null,
  };
  await db.transaction('rw', db.outbox, db.kv, db.held, async () => {
    // Paid is final: the same sale (or a copy under its receipt number) is never taken payment for twice.
    const paid = (await db.outbox.get(cart.clientId)) ?? (await db.outbox.where('receiptNo').equals(record.receiptNo).first());
    if (paid) throw new TillError('err.alreadyPaid', { receiptNo: paid.receiptNo });
    const seq = (((await db.kv.get(KV.outboxSeq))?.value as number | undefined) ?? 0) + 1;
    record.seq = seq;
    await db.kv.put({ key: KV.outboxSeq, value: seq });
    await db.outbox.add(record);
    await db.kv.put({ key: KV.lastReceipt, value: receipt });
    await db.kv.delete(KV.cart);
    await db.held.delete(cart.clientId);
  });
  await refreshOutboxCounts();
  return record;
}

/** Whether a sale with this client id or receipt number is in the outbox (i.e. paid on this till). */
async function isPaid(clientId: string, receiptNo: string | null): Promise<boolean> {
  if (await db.outbox.get(clientId)) return true;
  return !!receiptNo && !!(await db.outbox.where('receiptNo').equals(receiptNo).first());
}

/**
 * Saves the cart being rung up (a crash or reload finds it again, POS-2). A cart whose sale is paid is never
 * written: an answer arriving late for the cart just paid (its temporary copy on the server, say) cannot bring
 * it back. The check and the write are one transaction, ordered after the commit that cleared it.
 */
export async function saveCart(cart: Cart): Promise<void> {
  await db.transaction('rw', db.kv, db.outbox, async () => {
    if (!cart.lines.length) return db.kv.delete(KV.cart);
    if (await isPaid(cart.clientId, cart.receiptNo)) {
      const saved = (await db.kv.get(KV.cart))?.value as Cart | undefined;
      if (saved?.clientId === cart.clientId) await db.kv.delete(KV.cart);
      return;
    }
    await db.kv.put({ key: KV.cart, value: cart });
  });
}

/** The cart left by a crash or reload, unless its sale was paid (then it is dropped: `discarded` names it). */
export async function loadSavedCart(): Promise<{ cart: Cart | null; discarded: string | null }> {
  return db.transaction('rw', db.kv, db.outbox, db.held, async () => {
    const saved = (await db.kv.get(KV.cart))?.value as Cart | undefined;
    // Held sales that were paid after all (an older till version) are dropped the same way.
    const held = await db.held.toArray();
    for (const h of held) if (await isPaid(h.clientId, h.cart.receiptNo)) await db.held.delete(h.clientId);
    if (!saved?.lines?.length) return { cart: null, discarded: null };
    if (await isPaid(saved.clientId, saved.receiptNo)) {
      await db.kv.delete(KV.cart);
      return { cart: null, discarded: saved.receiptNo ?? '' };
    }
    return { cart: saved, discarded: null };
  });
}

/** Drops the sales this till has paid from a list the server sent (crash-left temporary sales, POS-2). */
export async function withoutPaid<T extends { clientId: string; receiptNo: string }>(sales: T[]): Promise<T[]> {
  const out: T[] = [];
  for (const s of sales) if (!(await isPaid(s.clientId, s.receiptNo))) out.push(s);
  return out;
}

export async function refreshOutboxCounts(): Promise<void> {
  const [unsynced, refused] = await Promise.all([
    db.outbox.where('status').equals('pending').count(),
    db.outbox.where('status').equals('refused').count(),
  ]);
  // Once nothing is refused any more, the last refusal is old news (it is not told again at the next sign-in).
  tillStore.set(refused ? { unsynced, refused } : { unsynced, refused, lastRefused: null });
}

interface UploadResponse {
  accepted: number;
  duplicate: number;
  queued: number;
  results: UploadResult[];
}

const BATCH = 200;
let flushing: Promise<void> | null = null;

/** Told when the server refuses the till session (expired, till reset): the controller decides what follows. */
export const outboxEvents: { onUnauthorized: ((e: TillApiError) => void) | null } = { onUnauthorized: null };

/**
 * Sends every pending sale, then asks whether refused sales that are due (all of them with `recheckRefused`)
 * have been booked since; safe to call at any time (one run at a time) and never rejects: a failure leaves the
 * sales as they were (they are retried) and is kept as the last upload error.
 */
export function flushOutbox(opts: { recheckRefused?: boolean } = {}): Promise<void> {
  // A re-check the cashier asked for while a run is going starts right after it.
  if (opts.recheckRefused && flushing) return flushing.then(() => flushOutbox(opts));
  flushing ??= (async () => {
    tillStore.set({ uploading: true });
    try {
      await flushOnce(!!opts.recheckRefused);
      tillStore.set({ lastUploadError: null });
    } catch (e) {
      tillStore.set({ lastUploadError: tillErrorTexts(e) });
      if (e instanceof TillApiError && e.status === 401) outboxEvents.onUnauthorized?.(e);
      else if (!(e instanceof NetworkError)) console.warn('till upload', e);
    } finally {
      tillStore.set({ uploading: false });
      flushing = null;
      await refreshOutboxCounts();
    }
  })();
  return flushing;
}

async function flushOnce(forceRecheck: boolean): Promise<void> {
  const cashier = tillStore.get().cashier;
  if (!cashier?.token) return;
  const pending = await db.outbox.where('status').equals('pending').sortBy('seq');
  const viaUpload: OutboxSale[] = [];
  for (const sale of pending) {
    // Online-made sales of the signed-in cashier: the checkout, while nothing older waits for the upload.
    if (sale.madeOnline && sale.cashierId === cashier.id && viaUpload.length === 0) {
      try {
        const r = await till.post<{ id: number; businessDay?: string }>(TILL.sales, checkoutBody(sale), {
          idempotencyKey: sale.clientId,
          timeoutMs: 10_000,
        });
        await db.outbox.update(sale.clientId, {
          status: 'synced',
          serverSaleId: r.id,
          syncedAt: new Date().toISOString(),
          businessDay: r.businessDay ?? null,
          lastError: null,
        });
        continue;
      } catch (e) {
        if (e instanceof NetworkError) throw e;
        if (!(e instanceof TillApiError) || e.status === 401) throw e;
        // Refused by the checkout's online rules (a price changed since the last sync, the shift is not on
        // the server yet…): the sale happened, so it goes through the upload, which records it or queues it.
        await db.outbox.update(sale.clientId, { lastError: tillErrorTexts(e), attempts: sale.attempts + 1 });
      }
    }
    viaUpload.push(sale);
  }
  for (let i = 0; i < viaUpload.length; i += BATCH) await uploadBatch(viaUpload.slice(i, i + BATCH));
  const refused = await db.outbox.where('status').equals('refused').sortBy('seq');
  for (const sale of dueForRecheck(refused, Date.now(), forceRecheck)) await recheckRefused(sale);
}

interface JournalHit {
  id: number;
  receiptNo: string;
  businessDay: string;
}

/**
 * Asks whether a refused sale has been booked since (a person resolved it in the back office): the retail
 * journal, read-only, by receipt number. Not by uploading it again: a re-upload of a queued sale re-opens a
 * discarded upload error and replaces a payload the store manager corrected (the server's queue upserts it).
 */
async function recheckRefused(sale: OutboxSale): Promise<void> {
  const page = await till.get<{ items: JournalHit[] }>(TILL.journal, {
    receiptNo: sale.receiptNo,
    kind: 'sale',
    status: 'formal',
    from: earliestDay(sale.createdAt),
    pageSize: 20,
  });
  const booked = page.items.find((x) => x.receiptNo === sale.receiptNo) ?? null;
  await db.outbox.update(sale.clientId, applyRecheck(sale, booked, new Date()));
}

function checkoutBody(sale: OutboxSale) {
  const { terminalId: _t, cashierId: _c, offlineAuthorization: _o, ...body } = sale.payload;
  return body;
}

/** FNV-1a over the batch's client ids: the same batch always gets the same idempotency key. */
function hashIds(ids: string[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const ch of ids.join(',')) {
    const c = ch.charCodeAt(0);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x811c9dc5) >>> 0;
  }
  return `${ids.length}-${h1.toString(16)}${h2.toString(16)}`;
}

async function uploadBatch(sales: OutboxSale[]): Promise<void> {
  const shiftIds = new Set(sales.map((s) => s.shiftId));
  const shifts = (await db.shifts.bulkGet([...shiftIds])).filter((s) => s && !s.uploaded);
  const body = {
    shifts: shifts.map((s) => ({ id: s!.id, float: s!.float, openedAt: s!.openedAt, cashierId: s!.cashierId })),
    sales: sales.map((s) => s.payload),
  };
  // One key per batch content: a retry of the same batch replays the server's first answer.
  const key = `upload-${hashIds(sales.map((s) => s.clientId))}`;
  const r = await till.post<UploadResponse>(TILL.upload, body, { idempotencyKey: key, timeoutMs: 60_000 });
  const now = new Date();
  const byId = new Map(sales.map((s) => [s.clientId, s]));
  const newlyRefused: OutboxSale[] = [];
  await db.transaction('rw', db.outbox, db.shifts, async () => {
    for (const s of shifts) await db.shifts.update(s!.id, { uploaded: true });
    for (const res of r.results) {
      const sale = byId.get(res.clientId);
      if (!sale) continue;
      const patch = applyUploadResult(sale, res, now);
      await db.outbox.update(res.clientId, patch);
      if (patch.status === 'refused' && sale.status !== 'refused') newlyRefused.push({ ...sale, ...patch });
    }
  });
  const last = newlyRefused[newlyRefused.length - 1];
  if (last?.refusal) {
    tillStore.set({
      lastRefused: { receiptNo: last.receiptNo, messages: last.refusal.messages, count: newlyRefused.length, at: now.getTime() },
    });
  }
}

/** Paid sales the server has not booked: still on this till, or refused (for the list and the hand-over). */
export async function unbookedSales(shiftId?: string): Promise<{ pending: OutboxSale[]; refused: OutboxSale[] }> {
  const [pending, refused] = await Promise.all([
    db.outbox.where('status').equals('pending').sortBy('seq'),
    db.outbox.where('status').equals('refused').sortBy('seq'),
  ]);
  const mine = (s: OutboxSale) => !shiftId || s.shiftId === shiftId;
  return { pending: pending.filter(mine), refused: refused.filter(mine) };
}

/** Recent sales of this till for reprint and the sales list. */
export async function recentSales(limit = 50): Promise<OutboxSale[]> {
  return db.outbox.orderBy('seq').reverse().limit(limit).toArray();
}
